"""Cost of adding a batch as the store grows: `python -m bench scale --data PATH [PATH ...]`.

1. The dev corpora, less the reports held back for the measured batches, are analysed for
   real (`analyze`: ingest, read, embed, group, fuse): the base store, about 1,000 articles.
2. It grows to 10,000 and 100,000 articles by realistic rewriting (bench/_rewrite.py): copy
   ``k`` of every base article names other gazetteer cities, states its years and is dated
   ``offset + 2 k`` years earlier (a separate event: beyond the grouping window; the offset
   puts every copy before the base store's earliest date, and the past because ingest
   refuses reports from the future), and every tenth copy has a syndicated wire copy (a
   near duplicate). As on a desk whose feeds date every report, a copy is published within
   ``DESK_SPREAD_DAYS`` of its story's middle day (the median of the story's dates), so a
   story's copies stay one event; base stories with no date at all are not copied (their
   undated copies would all join one story). A rewrite's annotations are carried over
   consistently instead of being read again and its embedding is the original's with a
   little noise; its near-duplicate signature is computed from its own text. The rewrites
   are stored, then grouped and fused by the real pipeline (``analysis.group`` in batches of
   1,000 as they arrive, ``analysis.fuse_marked``).
3. At each size a batch of new reports (dev reports held back from the base store, dated into
   the middle of the store's time span so they land among stored stories; an undated one
   is given a day, as a feed would) is written out as
   a JSONL file and added by ``analyze`` in a fresh process on a copy of the store: the real
   full pipeline
   (ingest with duplicate detection, reading, embedding, grouping, re-anchoring, fusing).
   Its seconds per added article, wall and CPU (the process's and its workers': steadier
   when other work shares the machine; models loaded beforehand, reported apart) and peak memory
   are reported, with the database size.
4. At the largest size the web app is started on the store: p95 of story pages and of
   searches, warm, and the first (uncached) request.

Goals (issue 10): seconds per added article within 1.5x from 1,000 to 100,000; peak memory
<= 2 GB; story and search p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import median

import numpy as np

import storyline
from bench._common import emit, peak_rss_mb
from storyline import analysis
from storyline.ingest import dedup
from storyline.models import Annotations, Article
from storyline.parallel import cores, one_thread_each, ordered_map, worker_pool

DEFAULT = ["../shared/data/news_cluster", "../shared/data/ecbplus/dev"]
REPOSITORY = Path(__file__).resolve().parent.parent  # where the measuring process imports bench from
GROUP_BATCH = 1000  # rewrites grouped per call, as a desk receives them
SYNDICATED_EVERY = 10
DESK_SPREAD_DAYS = 60  # a copied story's reports are published within this many days of its middle day
EARLIEST_BATCH_DAY = date(1801, 1, 1)  # ingest refuses publication dates before 1800


@dataclass
class Base:
    """The analysed base articles to copy, each with the day its copies are dated from."""

    items: list[tuple[Article, Annotations, np.ndarray, datetime]]
    offset_years: int  # copy k is dated offset_years + YEARS_PER_COPY k years before its day

    def years(self, copy: int) -> int:
        from bench._rewrite import YEARS_PER_COPY

        return -(self.offset_years + YEARS_PER_COPY * copy)


def base_store(path: Path, records: Path) -> float:
    """The dev reports (less the held-back ones) analysed for real; returns seconds."""
    started = time.perf_counter()
    with storyline.open(path) as db:
        db.analyze([records])
    return time.perf_counter() - started


def _signatures(texts: list[str]) -> list[bytes | None]:
    out = []
    for text in texts:
        signature = dedup.minhash(dedup.words(text))
        out.append(dedup.to_bytes(signature) if signature is not None else None)
    return out


def grow(path: Path, target: int, base: Base, first_copy: int) -> int:
    """Add rewrites of the base articles (copies ``first_copy``, ...) until the store holds ``target``."""
    from bench._rewrite import cities, rewrite, syndicated
    from storyline.read.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    options = cities(gazetteer)
    copy = first_copy
    started = time.perf_counter()
    with storyline.open(path) as db, one_thread_each(), worker_pool(cores()) as pool:
        store = db.store
        count = store.count_articles()
        while count < target:
            pending, ids = [], set()
            for n, (article, annotations, vector, day) in enumerate(base.items):
                if count + len(pending) >= target:
                    break
                made = [rewrite(article, annotations, vector, copy, gazetteer, options, base.years(copy), day)]
                if n % SYNDICATED_EVERY == 0:
                    made.append(syndicated(made[0], f"Wire Service {n % 7}"))
                for m in made:
                    if m.article.id not in ids and not store.has_article(m.article.id):
                        ids.add(m.article.id)
                        pending.append(m)
            chunks = [pending[i : i + 250] for i in range(0, len(pending), 250)]
            signatures = ordered_map(pool, _signatures, ([r.article.text for r in c] for c in chunks))
            for chunk, signed in zip(chunks, signatures, strict=True):
                with store.transaction():
                    for made, signature in zip(chunk, signed, strict=True):
                        store.add_article(made.article, signature)
                        store.save_reading(made.annotations, made.places)
                    store.save_embeddings(
                        analysis.EMBEDDING_MODEL, {r.article.id: r.vector.astype(np.float32).tobytes() for r in chunk}
                    )
            for start in range(0, len(pending), GROUP_BATCH):
                part = pending[start : start + GROUP_BATCH]
                analysis.group(store, annotations={r.article.id: r.annotations for r in part})
            analysis.fuse_marked(store, pool, annotations={r.article.id: r.annotations for r in pending})
            count += len(pending)
            copy += 1
            print(f"  {count:,} articles ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    return copy


def load_base(path: Path) -> Base:
    """Every analysed base article in a story with a date, in ingest order, with the day to copy it at."""
    with storyline.open(path) as db:
        everything = db.articles()
        articles = [a for a in everything if a.duplicate_of is None]
        annotations = db.store.all_annotations([a.id for a in articles])
        vectors = db.store.embeddings_of(analysis.EMBEDDING_MODEL, [a.id for a in articles])
        story_of = db.store.story_assignment()
    days: dict[str, list[int]] = {}
    for a in everything:
        if a.published and a.id in story_of:
            days.setdefault(story_of[a.id], []).append(a.published.date().toordinal())
    items = []
    for a in articles:
        story_days = days.get(story_of.get(a.id, ""))
        if not story_days or a.id not in annotations or a.id not in vectors:
            continue
        middle = int(median(story_days))
        own = a.published.date().toordinal() if a.published else middle
        day = date.fromordinal(min(max(own, middle - DESK_SPREAD_DAYS), middle + DESK_SPREAD_DAYS))
        items.append((a, annotations[a.id], np.frombuffer(vectors[a.id], dtype=np.float32), datetime(day.year, day.month, day.day)))
    earliest = min(a.published.year for a in everything if a.published)
    latest = max(day.year for *_, day in items)
    return Base(items, offset_years=latest - earliest + 2)


def dev_records(data: list[str], held: int) -> tuple[list[dict], list[dict]]:
    """The dev reports as ingest records: every n-th one held back for the measured batches, and the rest."""
    from bench.datasets import load_articles

    records = []
    for path in data:
        for a in load_articles(path):
            record = {"title": a.title, "text": a.text, "source": a.source, "url": a.url, "language": a.language}
            if a.published:
                record["published"] = a.published.isoformat()
            records.append({k: v for k, v in record.items() if v})
    step = max(1, len(records) // held)
    chosen = set(range(0, len(records), step)[:held])
    return [r for i, r in enumerate(records) if i in chosen], [r for i, r in enumerate(records) if i not in chosen]


def write_jsonl(path: Path, records: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def held_days(held: list[dict]) -> list[datetime]:
    """The day each held-back report is published: its own, else (as a feed would date it) a
    day fixed by its text within the span of the others' days."""
    known = [datetime.fromisoformat(r["published"]) for r in held if "published" in r]
    first, last = min(known), max(known)
    span = (last - first).days + 1
    out = []
    for record in held:
        if "published" in record:
            out.append(datetime.fromisoformat(record["published"]))
        else:
            digest = int(hashlib.sha1(record.get("text", "").encode()).hexdigest()[:8], 16)
            out.append(first + timedelta(days=digest % span))
    return out


def batch_copy(held: list[dict], base: Base, last_copy: int) -> int:
    """The copy the measured batch is dated among: the middle one, unless that would date it before 1800."""
    from bench._rewrite import shift_day

    earliest = min(held_days(held))
    copy = max(1, last_copy // 2)
    while copy > 1 and shift_day(earliest, base.years(copy)).date() < EARLIEST_BATCH_DAY:
        copy -= 1
    return copy


def batch_records(held: list[dict], years: int, tag: str) -> list[dict]:
    """The measured batch: the held-back reports moved by ``years`` (years in the text too).

    Nothing like them is stored, so they are new reports; moved onto a copy's years, they
    fall within the grouping window of its stories, among stored reports of the same kind of
    events.
    """
    from bench._rewrite import shift_day, shift_years

    out = []
    for record, day in zip(held, held_days(held), strict=True):
        if "text" not in record:
            continue  # an empty report: ingest would refuse it
        moved = dict(record, text=shift_years(record["text"], years), title=shift_years(record.get("title", ""), years))
        moved["published"] = shift_day(day, years).isoformat()
        if "url" in record:
            moved["url"] = f"{record['url']}#{tag}"
        out.append(moved)
    return out


_ADD = """
import json, resource, sys, time
import storyline
from bench._common import cpu_seconds
from storyline.analysis import load_models
started = time.perf_counter()
load_models()
loaded = time.perf_counter() - started
with storyline.open(sys.argv[1]) as db:
    started, cpu_started = time.perf_counter(), cpu_seconds()
    result = db.analyze([sys.argv[2]])
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "startup_seconds": loaded, "added": len(result.ingest.added),
                  "near_duplicates": len(result.ingest.near_duplicates), "stories_fused": len(result.stories),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "workers_peak_rss_mb": children}))
"""


def measure_batch(store_path: Path, batch: Path, work: Path) -> dict:
    """Add the batch with `analyze` in a fresh process, on a copy of the store."""
    copy = work / "measured.db"
    with storyline.open(store_path) as db:
        db.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(store_path, copy)
    out = subprocess.run(
        [sys.executable, "-c", _ADD, str(copy), str(batch)], capture_output=True, text=True, cwd=REPOSITORY
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    result = json.loads(out.stdout.strip().splitlines()[-1])
    copy.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    added = max(1, result["added"] + result["near_duplicates"])
    result["seconds_per_added_article"] = result["seconds"] / added
    result["cpu_seconds_per_added_article"] = result["cpu_seconds"] / added
    return result


def web_latency(store_path: Path, requests: int) -> dict:
    """p95 of story pages and searches on the store, warm, and the first request's time."""
    from bench.serve import free_port, load, start_server

    with storyline.open(store_path) as db:
        stories = [s.id for s in db.stories()[:50]]
        words = sorted({w for s in db.stories()[:200] for w in s.title.split() if len(w) > 5 and w.isalpha()})[:50]
    port = free_port()
    started = time.perf_counter()
    server = start_server(store_path, port)
    try:
        base = f"http://127.0.0.1:{port}"
        first = load(base, [f"/stories/{stories[0]}"], 1, 1)
        first["server_start_seconds"] = round(time.perf_counter() - started, 1)
        load(base, [f"/stories/{s}" for s in stories], len(stories), 1)
        story = load(base, [f"/stories/{s}" for s in stories], requests, 4)
        search = load(base, [f"/?q={w}" for w in words], requests, 4)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"first_request": first, "story_page": story, "search": search}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench scale")
    parser.add_argument("--data", nargs="+", default=DEFAULT, help="the dev corpora (files or folders)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="store sizes to measure at")
    parser.add_argument("--batch", type=int, default=100, help="articles in the measured batch")
    parser.add_argument("--requests", type=int, default=400, help="web requests per endpoint at the largest size")
    parser.add_argument("--keep", type=Path, help="keep the stores in this folder (and reuse the base store there)")
    parser.add_argument("--web-only", action="store_true", help="only measure the web app on the kept store (with --keep)")
    args = parser.parse_args(argv)
    if args.web_only:
        if not args.keep or not (args.keep / "scale.db").exists():
            parser.error("--web-only needs --keep FOLDER holding a scale.db from an earlier run")
        emit({"benchmark": "scale", "store": str(args.keep / "scale.db"), "web": web_latency(args.keep / "scale.db", args.requests)})
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = args.keep or work
        folder.mkdir(parents=True, exist_ok=True)
        base_path = folder / "base.db"
        base_seconds = None
        held, rest = dev_records(args.data, args.batch)
        if not base_path.exists():
            write_jsonl(work / "base.jsonl", rest)
            base_seconds = base_store(base_path, work / "base.jsonl")
        base = load_base(base_path)
        store_path = folder / "scale.db"
        shutil.copyfile(base_path, store_path)
        copy = 1
        figures: dict[str, dict] = {}
        for size in sizes:
            started = time.perf_counter()
            copy = grow(store_path, size, base, copy)
            built = time.perf_counter() - started
            with storyline.open(store_path) as db:
                articles = db.store.count_articles()
                stories, largest = db.store.db.execute("SELECT count(*), max(size) FROM stories").fetchone()
                db.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            batch = work / f"batch-{size}.jsonl"
            among = batch_copy(held, base, copy - 1)
            write_jsonl(batch, batch_records(held, base.years(among), f"batch{size}"))
            measured = measure_batch(store_path, batch, work)
            figures[str(size)] = {
                "articles": articles,
                "batch_among_copy": among,
                "stories": stories,
                "largest_story": largest,  # stays bounded: copies of a story are separate events
                "build_seconds": round(built, 1),
                "database_mb": round(store_path.stat().st_size / 2**20, 1),
                **{k: round(v, 3) if isinstance(v, float) else v for k, v in measured.items()},
            }
            print(f"{size}: {figures[str(size)]}", file=sys.stderr, flush=True)
        web = web_latency(store_path, args.requests)
        print(f"web: {web}", file=sys.stderr)
    first, last = figures[str(sizes[0])], figures[str(sizes[-1])]
    emit(
        {
            "benchmark": "scale",
            "data": args.data,
            "base_seconds": round(base_seconds, 1) if base_seconds else "reused",
            "sizes": figures,
            "seconds_per_added_article": {s: f["seconds_per_added_article"] for s, f in figures.items()},
            "ratio_largest_to_smallest": round(last["seconds_per_added_article"] / first["seconds_per_added_article"], 2),
            "cpu_seconds_per_added_article": {s: f["cpu_seconds_per_added_article"] for s, f in figures.items()},
            "cpu_ratio_largest_to_smallest": round(
                last["cpu_seconds_per_added_article"] / first["cpu_seconds_per_added_article"], 2
            ),
            "peak_rss_mb_adding": max(f["peak_rss_mb"] for f in figures.values()),
            "database_mb": {s: f["database_mb"] for s, f in figures.items()},
            "story_p95_ms": web["story_page"]["p95_ms"],
            "search_p95_ms": web["search"]["p95_ms"],
            "web": web,
            "builder_peak_rss_mb": peak_rss_mb(),
            "builder_children_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        }
    )
    return 0
