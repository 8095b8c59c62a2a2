"""Several processes on one store, on every backend: nothing lost, nothing stored twice.

Real processes (``storyline ingest``, ``storyline serve``) against a SQLite file
and against a real PostgreSQL server; writers that must wait do wait, and the
web app answers 503 with Retry-After when a wait runs out or the database is gone.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psycopg
from fastapi.testclient import TestClient

import storyline
from storyline.models import (
    Alias,
    Annotations,
    Article,
    Conflict,
    ConflictValue,
    Evidence,
    Fact,
    Place,
    Story,
    When,
)
from storyline.store.schema import SCHEMA_VERSION, migration_script
from storyline.web import create_app
from tests.conftest import FLOOD_REPORT, STRIKE_REPORT

BASE = "http://127.0.0.1"
SAME_ORIGIN = {"Origin": BASE, "Sec-Fetch-Site": "same-origin"}
WORDS = [
    "river",
    "bridge",
    "harbour",
    "council",
    "market",
    "school",
    "clinic",
    "railway",
    "tunnel",
    "orchard",
]


def records(prefix: str, count: int) -> list[dict]:
    """Invented reports, each different enough from every other not to count as a copy."""
    return [
        {
            "title": f"{prefix} report {i}",
            "text": f"Report {prefix}-{i}: the {WORDS[i % 10]} in district {i * 7919 % 10007} reopened after "
            f"{i % 13 + 2} days of work, officials from {prefix} said on day {i}.",
            "url": f"https://{prefix}.example/{i}",
        }
        for i in range(count)
    ]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def storyline_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "storyline.cli", *args]


GO_SCRIPT = """
import sys, time
from pathlib import Path
import storyline
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.001)
with storyline.open(sys.argv[2]) as db:
    report = db.ingest(sys.argv[3:])
print(len(report.added), len(report.failed))
"""


def ingest_at_once(target: str, files: list[Path], go: Path) -> list[subprocess.CompletedProcess]:
    """One process per file, each released at the same instant after its imports."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", GO_SCRIPT, str(go), target, str(f)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    time.sleep(4)  # imports done
    go.touch()
    results = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr))
    return results


# -- D6: migrations of a new database, started at once ---------------------------------------
def test_processes_opening_a_new_store_at_once_migrate_once_and_lose_nothing(store_target, tmp_path):
    files = [write_jsonl(tmp_path / f"part{i}.jsonl", records(f"p{i}", 40)) for i in range(4)]
    results = ingest_at_once(store_target, files, tmp_path / "go")
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.split() == ["40", "0"]
    with storyline.open(store_target) as db:
        stored = db.articles()
    assert len(stored) == 160 and len({a.id for a in stored}) == 160


OPEN_SCRIPT = """
import sys
from storyline.store import open_store
print("ready", flush=True)
with open_store(sys.argv[1]) as store:
    print(store.schema_version)
"""


def test_a_process_that_finds_a_new_database_being_migrated_waits_and_migrates_nothing_twice(tmp_path):
    """The version is read inside the write lock: another process's migration is seen, not redone."""
    path = tmp_path / "new.db"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode = WAL")
    other.execute("BEGIN IMMEDIATE")  # another process starts migrating the new database
    opener = subprocess.Popen(
        [sys.executable, "-c", OPEN_SCRIPT, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert opener.stdout.readline().strip() == "ready"
    time.sleep(1.0)  # the opener has looked at the empty database and waits for the lock
    for version in range(SCHEMA_VERSION):
        for statement in migration_script(version, "sqlite"):
            other.execute(statement)
    other.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    other.execute("COMMIT")
    stdout, stderr = opener.communicate(timeout=120)
    assert opener.returncode == 0, stderr[-2000:]
    assert stdout.strip() == str(SCHEMA_VERSION)


# -- D7: near-duplicate detection sees what others committed ------------------------------------
def test_near_duplicate_detection_sees_another_writers_commit(store_target, tmp_path):
    original = tmp_path / "original.txt"
    original.write_text(FLOOD_REPORT)
    copy = tmp_path / "copy.txt"
    copy.write_text("Updated at noon. " + FLOOD_REPORT.replace("about 1,200", "some 1,300"))
    with storyline.open(store_target) as late, storyline.open(store_target) as other:
        # the other writer commits the original after this ingest has started, before it writes
        report = late.ingest([copy], on_item=lambda _: other.ingest([original]))
        assert len(report.near_duplicates) == 1 and not report.added
        (original_article,) = [a for a in late.articles() if a.duplicate_of is None]
        assert late.article(report.near_duplicates[0]).duplicate_of == original_article.id


def test_two_ingest_processes_and_a_server_lose_and_duplicate_nothing(store_target, tmp_path):
    """Two `storyline ingest` processes share a third of their records, while analysts post decisions."""
    shared = records("both", 100)
    first = write_jsonl(tmp_path / "first.jsonl", records("one", 250) + shared)
    second = write_jsonl(tmp_path / "second.jsonl", shared[::-1] + records("two", 250))
    copies = [dict(r, text=r["text"] + " " + FLOOD_REPORT) for r in records("wire", 30)]
    write_jsonl(tmp_path / "wire.jsonl", copies)
    desk_store(store_target)
    port = free_port()
    server = subprocess.Popen(
        storyline_command("serve", "--db", store_target, "--port", str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        client = wait_for_server(port, server)
        ingests = [
            subprocess.Popen(
                storyline_command("ingest", "--db", store_target, str(f)), stderr=subprocess.PIPE, text=True
            )
            for f in (first, second, tmp_path / "wire.jsonl")
        ]
        posted = 0
        while any(p.poll() is None for p in ingests) or posted < 10:
            form = decision_form(client, f"note {posted}")
            post = client.post("/decisions", data=form, headers={"Origin": str(client.base_url).rstrip("/")})
            if post.status_code == 503:  # a batch held the lock past the web's wait (a loaded machine):
                assert int(post.headers["Retry-After"]) > 0  # nothing saved, post again
                continue
            assert post.status_code == 303, post.text[-500:]
            posted += 1
        for process in ingests:
            assert process.wait(timeout=300) == 0, process.stderr.read()[-2000:]
    finally:
        server.terminate()
        server.wait(timeout=30)
    with storyline.open(store_target) as db:
        stored = db.articles()
        notes = [d.note for d in db.decisions()]
        texts = [a.text for a in stored]
        near = [a for a in stored if a.duplicate_of]
    assert len(stored) == 250 + 100 + 250 + 30 + 1 and len(set(texts)) == len(texts)
    # the wire copies all share one long report: every one but the first is marked as its copy
    assert len(near) == 29 and len({a.duplicate_of for a in near}) == 1
    assert notes == [f"note {i}" for i in range(posted)]


# -- D10: the web app while the store is busy or gone ------------------------------------------
def desk_store(target: str) -> None:
    """A store with a place name and a story with a conflicting fact: things to decide on."""
    text = "Forty ships waited at anchor. About forty vessels waited."
    with storyline.open(target) as db:
        with db.store.transaction():
            db.store.add_article(Article(id="art1", text=text, title="Port"))
        fact = Fact(
            id="fact1",
            summary="Ships waited",
            when=When("2024-03-04", "2024-03-04", "2024-03-04", "day"),
            where=[],
            who=[],
            quantities=[],
            status="conflicting",
            sources=["art1"],
            evidence=[Evidence("art1", 0, 29, text[:29])],
            conflicts=[
                Conflict("quantity", [ConflictValue("40", ["art1"]), ConflictValue("41", ["art1"])], "differ")
            ],
        )
        port = Place("gn:1", "Portus", 1.0, 2.0, "ZZ", "city")
        reading = Annotations("art1", "v", "h", aliases=[Alias("gn:1", "Portus", "surface", "art1", 0, 6)])
        with db.store.transaction():
            db.store.save_reading(reading, {"gn:1": port})
            db.store.set_story_assignment({"art1": "story1"})
            db.store.save_stories([Story("story1", "Port", ["art1"], "2024-03-04", "2024-03-04", [fact])])


def decision_form(client: TestClient | httpx.Client, note: str = "") -> dict:
    page = client.get("/stories/story1")
    assert page.status_code == 200, page.text[-500:]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return {
        "csrf_token": csrf,
        "kind": "alias",  # a decision that re-derives no story: the store has no readings to derive from
        "target": "gn:1/Portus",
        "value": "rejected",
        "author": "Ana",
        "note": note,
        "next": "/stories/story1",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_server(port: int, server: subprocess.Popen) -> httpx.Client:
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    for _ in range(600):
        if server.poll() is not None:
            raise AssertionError(server.stderr.read())
        try:
            client.get("/")
            return client
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


def test_a_decision_waits_for_a_short_write_and_gets_503_after_a_long_one(store_target):
    desk_store(store_target)
    with (
        storyline.open(store_target) as other,
        TestClient(create_app(store_target, busy_timeout=1.0), base_url=BASE) as client,
    ):
        form = decision_form(client, "during a long write")
        with other.store.transaction():  # another process's write, longer than the busy timeout
            started = time.monotonic()
            refused = client.post("/decisions", data=form, headers=SAME_ORIGIN, follow_redirects=False)
            waited = time.monotonic() - started
        assert refused.status_code == 503 and 0.9 <= waited < 10
        assert int(refused.headers["Retry-After"]) > 0 and "nothing was saved" in refused.text
        assert other.decisions() == []

        def short_write() -> None:
            with other.store.transaction():
                time.sleep(0.5)

        writer = threading.Thread(target=short_write)
        writer.start()
        time.sleep(0.1)
        form = decision_form(client, "after a short write")
        accepted = client.post("/decisions", data=form, headers=SAME_ORIGIN, follow_redirects=False)
        writer.join()
        assert accepted.status_code == 303
        assert [d.note for d in other.decisions()] == ["after a short write"]


def test_a_deleted_or_replaced_database_is_noticed_not_served_or_recreated(tmp_path):
    path = tmp_path / "desk.db"
    desk_store(str(path))
    with TestClient(create_app(path), base_url=BASE) as client:
        form = decision_form(client)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        for response in (
            client.get("/"),
            client.get("/api/stories"),
            client.post("/decisions", data=form, headers=SAME_ORIGIN),
        ):
            assert response.status_code == 503 and response.headers["Retry-After"]
        assert not path.exists()  # no new empty database where the old one was
        desk_store(str(path))  # another database now at the same path
        assert client.get("/stories/story1").status_code == 503
        assert client.post("/decisions", data=form, headers=SAME_ORIGIN).status_code == 503
    with storyline.open(path) as db:
        assert db.decisions() == []


def test_a_dropped_or_replaced_postgresql_database_is_noticed(postgres_server):
    name = "desk_dropped"
    url = postgres_server.create_database(name)
    desk_store(url)
    with TestClient(create_app(url), base_url=BASE) as client:
        form = decision_form(client)
        with psycopg.connect(postgres_server.url(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
            assert client.get("/").status_code == 503
            admin.execute(f"CREATE DATABASE {name}")
        desk_store(url)  # a new storyline database under the same name
        assert client.get("/stories/story1").status_code == 503
        response = client.post("/decisions", data=form, headers=SAME_ORIGIN)
        assert response.status_code == 503 and response.headers["Retry-After"]
    with storyline.open(url) as db:
        assert db.decisions() == []


# -- D11: any search text -------------------------------------------------------------------------
def test_search_with_nul_and_quotes_is_answered(store_target):
    desk_store(store_target)
    with TestClient(create_app(store_target), base_url=BASE) as client:
        for query in ("\x00", '"', 'ships"\x00', "NEAR(", "ships OR"):
            assert client.get("/", params={"q": query}).status_code == 200, query
            assert client.get("/api/stories", params={"q": query}).status_code == 200, query
        assert client.get("/api/stories", params={"q": "ships"}).json()["total"] == 1


def test_cli_reports_a_busy_store_in_one_line(tmp_path):
    path = tmp_path / "busy.db"
    feed = write_jsonl(tmp_path / "a.jsonl", [{"text": STRIKE_REPORT}])
    with storyline.open(path) as holder, holder.store.transaction():
        done = subprocess.run(
            storyline_command("ingest", "--db", str(path), str(feed)),
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "STORYLINE_BUSY_TIMEOUT": "1"},
        )
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "another process is writing" in done.stderr
