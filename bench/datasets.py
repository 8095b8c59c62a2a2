"""Loaders for the evaluation layouts under /work/shared/data, shared by the benchmarks.

Each returns plain ``storyline.models.Article`` records; the gold label a benchmark
scores against sits in ``article.meta["gold"]`` so every benchmark reads it the same way.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from storyline.models import Article


def is_news_cluster(path: str | Path) -> bool:
    """A ``*.jsonl`` file, or a directory holding ``*.jsonl`` files (news_cluster, fivew1h)."""
    path = Path(path)
    return path.suffix == ".jsonl" if path.is_file() else any(path.glob("*.jsonl"))


def is_ecbplus(path: str | Path) -> bool:
    """A directory of subtopic folders named ``<topic>ecb`` / ``<topic>ecbplus``."""
    path = Path(path)
    return path.is_dir() and any(_subtopic_dirs(path))


def load_news_cluster(path: str | Path) -> list[Article]:
    """Articles of the news_cluster layout; gold story = ``event_id``.

    ``path`` is the jsonl file itself or a directory of them (read in name order).
    ``description`` is kept in ``meta`` because live articles rarely have one.
    """
    path = Path(path)
    files = [path] if path.is_file() else sorted(path.glob("*.jsonl"))
    articles = []
    for file in files:
        with file.open(encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    continue
                row = json.loads(line)
                articles.append(
                    Article(
                        id=str(row["id"]),
                        text=row.get("text") or "",
                        title=row.get("title") or "",
                        url=row.get("url"),
                        source=row.get("source"),
                        language=row.get("language") or "en",
                        published=_parse_datetime(row.get("published")),
                        published_basis="metadata" if row.get("published") else "unknown",
                        origin=str(file),
                        meta={
                            "gold": str(row.get("event_id")),
                            "description": row.get("description") or "",
                            "topic": row.get("topic"),
                            "category": row.get("category"),
                        },
                    )
                )
    return articles


def load_ecbplus(path: str | Path) -> list[Article]:
    """Articles of the ECB+ layout; gold story = the subtopic folder (``36ecb`` vs ``36ecbplus``).

    The publication date is deliberately left out: only the ``ecbplus`` half of the
    corpus carries ``date_publish``, so using it would tell the two halves apart by
    an artefact of the corpus rather than by what the articles say.
    """
    articles = []
    for folder in _subtopic_dirs(Path(path)):
        for file in sorted(folder.glob("*.json")):
            row = json.loads(file.read_text(encoding="utf-8"))
            articles.append(
                Article(
                    id=file.stem,
                    text=row.get("text") or "",
                    title=row.get("title") or "",
                    language=row.get("language") or "en",
                    origin=str(file),
                    meta={"gold": folder.name, "topic": folder.name.split("ecb")[0]},
                )
            )
    return articles


def load_articles(path: str | Path) -> list[Article]:
    """Detect the layout and load it."""
    if is_news_cluster(path):
        return load_news_cluster(path)
    if is_ecbplus(path):
        return load_ecbplus(path)
    raise ValueError(f"{path}: neither a news_cluster jsonl nor an ECB+ directory")


def _subtopic_dirs(path: Path) -> list[Path]:
    dirs = [d for d in path.iterdir() if d.is_dir() and d.name.split("ecb")[0].isdigit() and "ecb" in d.name]
    return sorted(dirs, key=lambda d: (int(d.name.split("ecb")[0]), d.name))


def _parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
