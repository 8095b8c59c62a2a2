"""What incremental analysis asks of the store: only the rows a new batch touches.

A mixin of the engine's ``Store``, in portable SQL (the tables are migration 5 in
schema.py). Adding a batch to a store of N articles reads what is stale, the articles
near the batch in time, the stories they are in and the document frequencies of the
batch's terms, never all N articles.

- ``grouping_articles``: each article as the grouper placed it (arrival number, day,
  language, whether it counts in its story's sums, and its TF-IDF weights of that moment
  with its places, actors and event days), so that a later run continues the grouping
  without placing stored articles again.
- ``grouping_terms``: in how many placed articles each term occurs.
- ``stories_to_fuse``: stories whose members or readings changed since they were last
  fused. A story is marked in the same transaction as the change, and unmarked in the
  same transaction as its fused facts are saved, so a killed run leaves nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

# Ids per IN (...) list: well under every backend's limit on bound parameters.
_CHUNK = 500


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    values = list(values)
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _marks(values: list[Any]) -> str:
    return ",".join("?" * len(values))


class IncrementalStore:
    """Incremental analysis methods; ``self.db`` is the store's connection (see engine.Store)."""

    db: Any

    # -- reading --------------------------------------------------------------
    def stale_article_ids(self, reader_version: str) -> list[str]:
        """Articles to read (again), in ingest order: never read, read by another reader version,
        or read against another anchor than their publication day (it was re-anchored since)."""
        rows = self.db.execute(
            """SELECT a.id FROM articles a LEFT JOIN annotations n ON n.article_id = a.id
               WHERE n.article_id IS NULL OR n.reader_version <> ?
                  OR COALESCE(n.anchor, '') <> COALESCE(substr(a.published, 1, 10), '')
               ORDER BY a.ingested_at, a.rowid""",
            (reader_version,),
        )
        return [r[0] for r in rows]

    def annotations_of(self, ids: Iterable[str]) -> dict[str, Any]:
        """article id -> stored annotations as JSON text, for the given ids only."""
        result = {}
        for chunk in _chunks(ids):
            rows = self.db.execute(
                f"SELECT article_id, data FROM annotations WHERE article_id IN ({_marks(chunk)})", chunk
            )
            result.update((r[0], r[1]) for r in rows)
        return result

    # -- embedding --------------------------------------------------------------
    def unembedded_article_ids(self, model: str) -> list[str]:
        """Articles without an embedding of this model, in ingest order."""
        rows = self.db.execute(
            """SELECT a.id FROM articles a LEFT JOIN embeddings e ON e.article_id = a.id AND e.model = ?
               WHERE e.article_id IS NULL ORDER BY a.ingested_at, a.rowid""",
            (model,),
        )
        return [r[0] for r in rows]

    def embeddings_of(self, model: str, ids: Iterable[str]) -> dict[str, bytes]:
        result = {}
        for chunk in _chunks(ids):
            rows = self.db.execute(
                f"SELECT article_id, vector FROM embeddings WHERE model = ? AND article_id IN ({_marks(chunk)})",
                [model, *chunk],
            )
            result.update((r[0], bytes(r[1])) for r in rows)
        return result

    # -- grouping ---------------------------------------------------------------
    def unassigned_article_ids(self) -> list[str]:
        """Articles in no story yet, in ingest order."""
        rows = self.db.execute(
            """SELECT a.id FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id
               WHERE s.article_id IS NULL ORDER BY a.ingested_at, a.rowid"""
        )
        return [r[0] for r in rows]

    def placed_count(self) -> int:
        """How many articles the grouper has placed (its document count)."""
        return self.db.execute("SELECT count(*) FROM grouping_articles").fetchone()[0]

    def unplaced_assigned_count(self) -> int:
        """Articles in a story but with no grouping record: stored before records were kept."""
        row = self.db.execute(
            """SELECT count(*) FROM story_articles s LEFT JOIN grouping_articles g ON g.article_id = s.article_id
               WHERE g.article_id IS NULL"""
        ).fetchone()
        return row[0]

    def term_documents(self, terms: Iterable[str]) -> dict[str, int]:
        """term -> number of placed articles it occurs in, for the given terms."""
        result: dict[str, int] = {}
        for chunk in _chunks(sorted(set(terms))):
            rows = self.db.execute(f"SELECT term, documents FROM grouping_terms WHERE term IN ({_marks(chunk)})", chunk)
            result.update((r[0], r[1]) for r in rows)
        return result

    def add_term_documents(self, counts: dict[str, int]) -> None:
        self.db.executemany(
            """INSERT INTO grouping_terms (term, documents) VALUES (?, ?)
               ON CONFLICT (term) DO UPDATE SET documents = grouping_terms.documents + excluded.documents""",
            sorted(counts.items()),
        )

    def placed_ids_between(self, ranges: Iterable[tuple[int, int]]) -> set[str]:
        """Placed articles published on a day within any of the (first, last) day ranges (ordinals)."""
        ids: set[str] = set()
        for first, last in ranges:
            rows = self.db.execute("SELECT article_id FROM grouping_articles WHERE day BETWEEN ? AND ?", (first, last))
            ids.update(r[0] for r in rows)
        return ids

    def placed_vectors(self, model: str, undated_only: bool = False) -> tuple[list[str], list[bytes]]:
        """Ids and embeddings of every placed article (or of the undated ones), in arrival order."""
        where = " AND g.day IS NULL" if undated_only else ""
        rows = self.db.execute(
            f"""SELECT g.article_id, e.vector FROM grouping_articles g
                JOIN embeddings e ON e.article_id = g.article_id AND e.model = ?
                WHERE 1 = 1{where} ORDER BY g.arrival""",
            (model,),
        ).fetchall()
        return [r[0] for r in rows], [bytes(r[1]) for r in rows]

    def placed_articles(self, model: str, ids: Iterable[str]) -> list[dict[str, Any]]:
        """Grouping records of the given articles with their story and embedding, in arrival order."""
        records = []
        for chunk in _chunks(ids):
            rows = self.db.execute(
                f"""SELECT g.article_id, g.arrival, g.day, g.language, g.counted, g.features,
                           s.story_id, e.vector
                    FROM grouping_articles g
                    JOIN story_articles s ON s.article_id = g.article_id
                    JOIN embeddings e ON e.article_id = g.article_id AND e.model = ?
                    WHERE g.article_id IN ({_marks(chunk)})""",
                [model, *chunk],
            )
            for r in rows:
                records.append(
                    {
                        "id": r[0],
                        "arrival": r[1],
                        "day": r[2],
                        "language": r[3],
                        "counted": bool(r[4]),
                        "story": r[6],
                        "vector": bytes(r[7]),
                        **json.loads(r[5]),
                    }
                )
        return sorted(records, key=lambda r: r["arrival"])

    def save_placed(self, records: Iterable[dict[str, Any]]) -> None:
        """Keep grouping records: id, arrival, day, language, counted, and the rest as features."""
        rows = []
        for record in records:
            features = {k: v for k, v in record.items() if k not in {"id", "arrival", "day", "language", "counted"}}
            rows.append(
                (
                    record["id"],
                    record["arrival"],
                    record["day"],
                    record["language"],
                    int(record["counted"]),
                    json.dumps(features, ensure_ascii=False, sort_keys=True),
                )
            )
        self.db.executemany(
            """INSERT INTO grouping_articles (article_id, arrival, day, language, counted, features)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (article_id) DO UPDATE SET arrival = excluded.arrival, day = excluded.day,
                   language = excluded.language, counted = excluded.counted, features = excluded.features""",
            rows,
        )

    def stories_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        """article id -> story id, for the given articles that are in a story."""
        result = {}
        for chunk in _chunks(article_ids):
            rows = self.db.execute(
                f"SELECT article_id, story_id FROM story_articles WHERE article_id IN ({_marks(chunk)})", chunk
            )
            result.update((r[0], r[1]) for r in rows)
        return result

    def story_members(self, story_ids: Iterable[str]) -> dict[str, str]:
        """article id -> story id, for every article of the given stories."""
        result = {}
        for chunk in _chunks(story_ids):
            rows = self.db.execute(
                f"SELECT article_id, story_id FROM story_articles WHERE story_id IN ({_marks(chunk)})", chunk
            )
            result.update((r[0], r[1]) for r in rows)
        return result

    # -- fusing -------------------------------------------------------------------
    def mark_stories_to_fuse(self, story_ids: Iterable[str]) -> None:
        self.db.executemany(
            "INSERT INTO stories_to_fuse (story_id) VALUES (?) ON CONFLICT (story_id) DO NOTHING",
            [(s,) for s in sorted(set(story_ids))],
        )

    def mark_stories_of_articles_to_fuse(self, article_ids: Iterable[str]) -> None:
        """The stories holding these articles must be fused again (their readings changed)."""
        self.mark_stories_to_fuse(set(self.stories_of(article_ids).values()))

    def stories_to_fuse(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT story_id FROM stories_to_fuse ORDER BY story_id")]

    def fused(self, story_ids: Iterable[str]) -> None:
        """These stories are fused as they are now: unmark them."""
        self.db.executemany("DELETE FROM stories_to_fuse WHERE story_id = ?", [(s,) for s in story_ids])
