"""`analyze` killed with SIGKILL at any stage: the next run completes, and the stories come out as
an uninterrupted run makes them; the killed run's workers die with it (issue 13: crash safety, D4, D5).

The analysis runs in a forked copy of this process (the models are loaded once, here), which
reports its progress line by line; it is killed as soon as it reports the stage a kill point
names, so each kill lands inside that stage whatever the machine's speed.
"""

from __future__ import annotations

import json
import os
import signal
import time
from datetime import datetime
from pathlib import Path

import pytest

import storyline
from storyline.analysis import load_models

# Invented events: (title, place, day or None for an undated report, what the report says).
EVENTS = {
    "flood": [
        "The Motlawa river burst its banks in Gdansk on {day}, flooding the old town.",
        "Emergency services evacuated about {n} residents overnight and opened three shelters.",
        "The mayor said the water had reached its highest level since 1997.",
        "Trams to the shipyard district stayed closed while engineers pumped out basements.",
    ],
    "strike": [
        "Dock workers at the port of Mombasa walked out on {day} in a dispute over night-shift pay.",
        "More than {n} ships were left waiting at anchor, the port authority said.",
        "The union said the strike would last five days unless talks were reopened.",
        "Exporters of tea and coffee warned that cargo was already at risk.",
    ],
    "fire": [
        "A fire broke out at a paint factory in Lyon on {day} and burned through the night.",
        "Firefighters said {n} workers were treated for smoke inhalation.",
        "Residents of nearby streets were told to keep their windows shut.",
        "The company said production would stop for at least two weeks.",
    ],
    "bridge": [
        "A road bridge over the Capibaribe river collapsed in Recife on {day}.",
        "Rescuers pulled {n} people from the water, the fire brigade said.",
        "The state governor ordered an inspection of every bridge in the city.",
        "Engineers had warned about cracks in the supports two years earlier.",
    ],
}
DAYS = {"flood": "2023-03-14", "strike": "2022-06-13", "fire": "2024-01-22", "bridge": "2021-09-06"}
SOURCES = ["North Wire", "Daily Ledger", "Evening Post", "Coast Courier"]


def report(event: str, k: int, dated: bool) -> str:
    day = datetime.fromisoformat(DAYS[event])
    said = day.strftime("%A") if dated else day.strftime("%B %-d")  # an undated report names only month and day
    lines = EVENTS[event][k % 2 :] + EVENTS[event][: k % 2]
    text = " ".join(lines).format(day=said, n=1200 + 100 * k if event == "flood" else 40 + k)
    front = [f"title: {lines[0].split(' on ')[0]}", f"source: {SOURCES[k]}", "language: en"]
    if dated:
        front.append(f"published: {DAYS[event]}")
    return "---\n" + "\n".join(front) + "\n---\n" + text + "\n"


def write_corpus(folder: Path) -> None:
    folder.mkdir()
    for event in EVENTS:
        for k in range(4):
            (folder / f"{event}-{k}.md").write_text(report(event, k, dated=k != 3), encoding="utf-8")
    # a syndicated copy under another name, lightly edited
    copy = report("flood", 0, True).replace(SOURCES[0], "Wire Digest").replace("overnight", "during the night")
    (folder / "flood-copy.md").write_text(copy, encoding="utf-8")


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in {"Z", "X"}
    except FileNotFoundError:
        return False


def analyze_until(db_path: Path, corpus: Path, stage: str, ticks: int) -> bool:
    """Analyze in a forked child and SIGKILL it at the ``ticks``-th progress tick of ``stage``.

    Returns whether the kill landed (False: the run finished without reaching that point).
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: analyze, reporting every tick
        os.close(read_end)
        out = os.fdopen(write_end, "w", buffering=1)

        def progress(name: str, total: int | None):
            return lambda *_: out.write(name + "\n")

        try:
            with storyline.open(db_path) as db:
                db.analyze([corpus], n_process=2, progress=progress)
        finally:
            os._exit(0)
    os.close(write_end)
    seen = 0
    killed = False
    with os.fdopen(read_end) as lines:
        for line in lines:
            seen += line.strip() == stage
            if seen == ticks:
                workers = children(pid)
                os.kill(pid, signal.SIGKILL)
                killed = True
                break
    _, status = os.waitpid(pid, 0)
    if killed:
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        deadline = time.monotonic() + 10
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(w) for w in workers), f"workers outlived the run killed while {stage}"
    return killed


def stories_json(db_path: Path) -> dict:
    with storyline.open(db_path) as db:
        return json.loads(json.dumps(db.document(), sort_keys=True))


@pytest.mark.slow
def test_analyze_killed_at_every_stage_resumes_to_the_same_stories(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    load_models()
    reference = tmp_path / "reference.db"
    with storyline.open(reference) as db:
        result = db.analyze([corpus], n_process=2)
    assert result.reanchored, "the corpus must make the analysis re-anchor undated reports"
    expected = stories_json(reference)
    assert len(expected["stories"]) == len(EVENTS)

    # one database, killed again and again, each run getting further than the last
    killed = tmp_path / "killed.db"
    kill_points = [
        ("ingesting", 3),
        ("reading", 5),
        ("embedding", 1),  # after the first chunk's readings were committed
        ("grouping", 5),
        ("re-anchoring", 1),  # anchors changed, articles not read again yet (D4)
        ("fusing", 1),
    ]
    landed = [stage for stage, ticks in kill_points if analyze_until(killed, corpus, stage, ticks)]
    assert landed == [stage for stage, _ in kill_points]
    with storyline.open(killed) as db:
        db.analyze([corpus])
    assert stories_json(killed) == expected


def test_annotations_read_against_an_old_anchor_are_stale(tmp_path):
    """D4: a kill between re-anchoring an article and reading it again must not leave it stale forever."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "dated.md").write_text(report("fire", 0, dated=True), encoding="utf-8")
    (corpus / "undated.md").write_text(report("fire", 3, dated=False), encoding="utf-8")
    with storyline.open(tmp_path / "d4.db") as db:
        db.analyze([corpus])
        assert db.stale_articles() == []
        undated = next(a for a in db.articles() if a.published_basis != "metadata")
        # what re-anchoring commits before the article is read again
        with db.store.transaction():
            db.store.set_published(undated.id, datetime(2024, 1, 20), "inferred", 0.6, precision="day")
        assert [a.id for a in db.stale_articles()] == [undated.id]
        result = db.analyze()
        assert result.read == 1
        assert db.annotations(undated.id).anchor.isoformat() == "2024-01-20"
        assert db.stale_articles() == []
