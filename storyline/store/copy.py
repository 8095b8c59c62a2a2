"""Copy one store into another, whatever their backends (e.g. a SQLite file to a team's PostgreSQL).

Only ``Store`` methods are used, so the copy is exactly what the stages see:
articles in ingest order with their signatures and copies, readings with their
places and names, embeddings, the story assignment, stories and decisions. Not
copied: the polling state of watched feeds (a later ``watch`` finds the entries
already stored) and the grouper's working records (the next analysis rebuilds them).
"""

from __future__ import annotations

from storyline.store.engine import Store

BATCH = 500  # rows per transaction


def copy_store(source: Store, target: Store) -> int:
    """Copy everything from ``source`` into an empty ``target``; returns the number of articles."""
    if target.count_articles():
        raise ValueError(f"{target.path}: not empty; copy into a new database")
    signatures = {key: data for _, key, data in source.minhashes()}
    articles = source.articles()
    for start in range(0, len(articles), BATCH):
        with target.transaction():
            for article in articles[start : start + BATCH]:
                target.add_article(article, signatures.get(article.id))
    with target.transaction():
        for copy in source.copies():
            target.add_copy(copy)
    readings = source.all_annotations()
    ids = list(readings)
    for start in range(0, len(ids), BATCH):
        with target.transaction():
            for article_id in ids[start : start + BATCH]:
                annotations = readings[article_id]
                used = {m.place_id for m in annotations.places if m.place_id} | {a.place_id for a in annotations.aliases}
                places = {key: place for key in used if (place := source.place(key)) is not None}
                target.save_reading(annotations, places)
    with target.transaction():
        for model in source.embedding_models():
            target.save_embeddings(model, source.embeddings(model))
        target.set_story_assignment(source.story_assignment())
        target.save_stories(source.stories())
        for decision in source.decisions():
            target.add_decision(decision)
    target.optimize()
    return len(articles)
