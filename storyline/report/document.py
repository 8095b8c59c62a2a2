"""The stories.json document: the one contract that the report, the exports and the web app share.

    {"articles": [...], "places": [...], "stories": [{..., "facts": [...]}]}

Built from the store only, so every output shows the same data, analyst
decisions included.
"""

from __future__ import annotations

from typing import Any

from storyline.models import Article, Story, to_dict
from storyline.store import Store

FORMAT_VERSION = 1


def published_text(article: Article) -> str | None:
    """ISO date when only the day is known, full timestamp otherwise."""
    if article.published is None:
        return None
    if article.published_precision == "day":
        return article.published.date().isoformat()
    return article.published.isoformat()


def article_record(article: Article, store: Store | None = None) -> dict[str, Any]:
    record = {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "language": article.language,
        "published": published_text(article),
        "published_basis": article.published_basis,
        "published_confidence": article.published_confidence,
        "duplicate_of": article.duplicate_of,
    }
    if store is not None:
        record["copies"] = [
            {"url": c.url, "source": c.source, "kind": c.kind} for c in store.copies(article.id)
        ]
    return record


def rejected_aliases(store: Store) -> set[tuple[str, str]]:
    """(place id, name) pairs an analyst rejected; the latest decision on a name wins."""
    latest: dict[str, str] = {}
    for decision in store.decisions("alias"):
        latest[decision.target] = decision.value
    return {tuple(target.split("/", 1)) for target, value in latest.items() if value == "rejected"}  # type: ignore[misc]


def place_records(store: Store, place_ids: set[str] | None = None) -> list[dict[str, Any]]:
    rejected = rejected_aliases(store)
    records = []
    for place in store.places(place_ids):
        names = [n for n in place["names_seen"] if (place["id"], n) not in rejected]
        records.append(
            {
                "id": place["id"],
                "name": place["name"],
                "lat": place["lat"],
                "lon": place["lon"],
                "country": place["country"],
                "kind": place["kind"],
                "names_seen": names,
                "articles": place["articles"],
            }
        )
    return records


def story_record(story: Story) -> dict[str, Any]:
    record = to_dict(story)
    record["articles"] = record.pop("article_ids")
    return record


def build_document(store: Store, story_ids: list[str] | None = None) -> dict[str, Any]:
    """The stories.json content for the whole store, or for some stories and what they cite."""
    if story_ids is not None:
        stories = [s for s in (store.story(i) for i in dict.fromkeys(story_ids)) if s is not None]
        article_ids = {a for s in stories for a in s.article_ids}
        articles = store.articles(sorted(article_ids))
        place_ids = {p for s in stories for f in s.facts for p in f.where} | {
            p for a in article_ids for p in store.places_of_article(a)
        }
        places = place_records(store, place_ids)
    else:
        stories = store.stories()
        articles = store.articles()
        places = place_records(store)
    return {
        "format": "storyline",
        "version": FORMAT_VERSION,
        "articles": [article_record(a, store) for a in articles],
        "places": places,
        "stories": [story_record(s) for s in stories],
    }
