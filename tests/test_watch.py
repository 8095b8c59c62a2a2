"""`storyline watch`: real feeds on a loopback server that change, fail and stall between polls."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

import storyline
from storyline.cli import main
from storyline.ingest import IngestOptions
from storyline.ingest.dedup import article_id
from storyline.ingest.watch import parse_every, read_feed_list
from tests.conftest import FLOOD_REPORT, STRIKE_REPORT

REPORTS = [
    FLOOD_REPORT,
    STRIKE_REPORT,
    "Farmers in the northern valley began the grape harvest two weeks early after a dry summer, the growers' "
    "association said on Tuesday. Yields are expected to fall by a fifth, but the quality is described as high.",
    "The city council approved a new tram line linking the station to the university campus. Construction is "
    "to start next spring and take three years, at a cost of 240 million euros, the mayor told reporters.",
]


def rss(items: list[int]) -> bytes:
    entries = "".join(
        f"<item><guid>urn:wire:{i}</guid><title>Report {i}</title><link>https://wire.example/{i}</link>"
        f"<pubDate>Mon, 0{i + 1} Jun 2022 09:00:00 GMT</pubDate><description>{REPORTS[i]}</description></item>"
        for i in items
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>{entries}</channel></rss>".encode()


class FeedServer(BaseHTTPRequestHandler):
    """Feeds whose content the test changes; counts every request and every 304 answered."""

    feeds: dict[str, bytes] = {}
    requests: list[str] = []
    not_modified: list[str] = []
    modified = format_datetime(datetime(2022, 6, 1, tzinfo=UTC), usegmt=True)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.requests.append(self.path)
        if self.path == "/broken":
            return self._send(500, b"server error")
        if self.path == "/slow":
            time.sleep(3)
            return self._send(200, rss([0]))
        body = self.feeds.get(self.path)
        if body is None:
            return self._send(404, b"no such feed")
        etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
        if self.headers.get("If-None-Match") == etag:
            self.not_modified.append(self.path)
            return self._send(304, b"", etag)
        self._send(200, body, etag)

    def _send(self, status: int, body: bytes, etag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html" if self.path.endswith(".html") else "application/rss+xml")
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", self.modified)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FeedServer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    FeedServer.feeds, FeedServer.requests, FeedServer.not_modified = {}, [], []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


LOOPBACK = IngestOptions(allow_private=True, timeout=5, deadline=1.5)


def watch(path, urls, **kwargs):
    """One round of polling in a freshly opened database, as a restarted process would."""
    with storyline.open(path) as db:
        return db.watch(urls, every=0, once=True, options=LOOPBACK, analyze=False, **kwargs)


def test_feed_that_changes_between_polls_across_restarts(server, tmp_path):
    db_path, url = tmp_path / "w.db", f"{server}/wire.xml"
    FeedServer.feeds["/wire.xml"] = rss([0, 1])
    first = watch(db_path, [url])
    assert [p.status for p in first.polls] == ["new"] and len(first.added) == 2
    second = watch(db_path, [url])  # nothing changed: a conditional GET, answered 304
    assert [p.status for p in second.polls] == ["not modified"] and FeedServer.not_modified == ["/wire.xml"]
    FeedServer.feeds["/wire.xml"] = rss([1, 2, 3])  # one entry dropped off, two new ones
    third = watch(db_path, [url])
    assert [p.status for p in third.polls] == ["new"]
    assert sorted(third.added) == sorted(article_id(REPORTS[i]) for i in (2, 3))
    assert third.polls[0].report.unchanged == 0  # the entry seen before was not even offered again
    with storyline.open(db_path) as db:
        stored = sorted(a.id for a in db.articles())
        state = db.store.feed_state(url)
    assert stored == sorted(article_id(r) for r in REPORTS)  # no duplicates, no gaps
    assert state.seen == {f"urn:wire:{i}" for i in range(4)} and state.etag and state.last_modified


def test_a_page_is_watched_by_its_content(server, tmp_path):
    db_path, url = tmp_path / "w.db", f"{server}/latest.html"

    def page(text: str) -> bytes:
        return f"<html><head><title>Latest</title></head><body><article><p>{text}</p></article></body></html>".encode()

    FeedServer.feeds["/latest.html"] = page(REPORTS[2])
    assert len(watch(db_path, [url]).added) == 1
    assert watch(db_path, [url]).polls[0].status == "not modified"
    FeedServer.feeds["/latest.html"] = page(REPORTS[3])  # the page now tells another report
    assert watch(db_path, [url]).added == [article_id(REPORTS[3])]
    FeedServer.feeds["/latest.html"] = page(REPORTS[2])  # and back: nothing new
    assert watch(db_path, [url]).polls[0].status == "nothing new"
    with storyline.open(db_path) as db:
        assert len(db.articles()) == 2


def test_crash_after_ingest_before_the_state_is_saved(server, tmp_path, monkeypatch):
    """Articles committed, feed state not: the next run fetches again and neither skips nor doubles."""
    from storyline.store.feeds import FeedStore

    db_path, url = tmp_path / "w.db", f"{server}/wire.xml"
    FeedServer.feeds["/wire.xml"] = rss([0, 1])
    real = FeedStore.save_feed_state

    def crash(self, state, new_entries=None):
        raise KeyboardInterrupt  # the process dies here

    monkeypatch.setattr(FeedStore, "save_feed_state", crash)
    with pytest.raises(KeyboardInterrupt):
        watch(db_path, [url])
    monkeypatch.setattr(FeedStore, "save_feed_state", real)
    FeedServer.feeds["/wire.xml"] = rss([0, 1, 2])
    again = watch(db_path, [url])
    assert again.added == [article_id(REPORTS[2])] and again.polls[0].report.unchanged == 2
    with storyline.open(db_path) as db:
        assert len(db.articles()) == 3
        assert db.store.feed_state(url).seen == {"urn:wire:0", "urn:wire:1", "urn:wire:2"}


def test_erroring_feed_backs_off_and_the_others_go_on(server, tmp_path):
    db_path = tmp_path / "w.db"
    FeedServer.feeds["/wire.xml"] = rss([0])
    urls = [f"{server}/broken", f"{server}/wire.xml"]
    with storyline.open(db_path) as db:
        report = db.watch(urls, every=60, once=True, options=LOOPBACK, analyze=False)
        assert [p.status for p in report.polls] == ["error", "new"]
        assert report.failed == [(urls[0], "HTTP 500")]
        state = db.store.feed_state(urls[0])
        assert state.errors == 1 and state.last_error == "HTTP 500"
        wait = (state.next_poll - datetime.now(UTC)).total_seconds()
        assert 60 < wait <= 120  # twice the interval after the first error
        again = db.watch(urls, every=60, once=True, options=LOOPBACK, analyze=False)
        assert [p.status for p in again.polls] == ["not due", "not due"]
        assert FeedServer.requests.count("/broken") == 1


def test_backoff_doubles_up_to_the_cap(server, tmp_path):
    with storyline.open(tmp_path / "w.db") as db:
        url = f"{server}/broken"
        waits = []
        for _ in range(4):
            db.watch([url], every=10, once=True, options=LOOPBACK, analyze=False)
            state = db.store.feed_state(url)
            waits.append(round((state.next_poll - datetime.now(UTC)).total_seconds() / 10))
            with db.store.transaction():  # due again now, keeping the error count
                state.next_poll = None
                db.store.save_feed_state(state)
        assert waits == [2, 4, 8, 16]


def test_slow_feed_is_cut_off_by_the_deadline(server, tmp_path):
    FeedServer.feeds["/wire.xml"] = rss([1])
    started = time.monotonic()
    report = watch(tmp_path / "w.db", [f"{server}/slow", f"{server}/wire.xml"])
    assert time.monotonic() - started < 3  # the slow one answers after 3 s; the deadline is 1.5 s
    assert [p.status for p in report.polls] == ["error", "new"]
    assert "deadline" in report.polls[0].error


def test_one_request_per_host_per_interval(server, tmp_path):
    FeedServer.feeds = {"/a.xml": rss([0]), "/b.xml": rss([1])}
    slept: list[float] = []
    watch(tmp_path / "w.db", [f"{server}/a.xml", f"{server}/b.xml"], sleep=slept.append)
    assert len(slept) == 1 and 0.5 < slept[0] <= 1.0  # the second request to 127.0.0.1 waited


def test_address_guard_applies(server, tmp_path):
    with storyline.open(tmp_path / "w.db") as db:
        report = db.watch([f"{server}/wire.xml"], every=0, once=True, analyze=False)
    ((_, reason),) = report.failed
    assert "refused" in reason and FeedServer.requests == []


def test_feeds_file_and_durations(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text("# desk feeds\nhttps://a.example/rss  # wire\n\nhttps://b.example/atom\nhttps://a.example/rss\n")
    assert read_feed_list(path) == ["https://a.example/rss", "https://b.example/atom"]
    assert [parse_every(x) for x in ("90", "30s", "10m", "2h", "1d")] == [90, 30, 600, 7200, 86400]
    with pytest.raises(ValueError):
        parse_every("soon")


def test_watch_command_once(server, tmp_path):
    FeedServer.feeds["/wire.xml"] = rss([0, 1])
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{server}/wire.xml\n{server}/broken\n")
    db = str(tmp_path / "w.db")
    args = ["watch", str(feeds), "--db", db, "--once", "--allow-private", "--no-analyze", "--every", "0"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1  # a feed failed
    assert f"{server}/broken: HTTP 500" in result.stderr
    assert "2 articles added" in result.stderr
    result = CliRunner().invoke(main, [*args, "--json"])
    polls = json.loads(result.stdout)["polls"]
    assert [p["status"] for p in polls] == ["not modified", "error"]


def test_changes_since_a_visit(server, tmp_path):
    FeedServer.feeds["/wire.xml"] = rss([0])
    with storyline.open(tmp_path / "w.db") as db:
        db.watch([f"{server}/wire.xml"], every=0, once=True, options=LOOPBACK, analyze=False)
        visit = datetime.now(UTC)
        assert db.changes(visit).new_articles == []
        FeedServer.feeds["/wire.xml"] = rss([0, 2])
        db.watch([f"{server}/wire.xml"], every=0, once=True, options=LOOPBACK, analyze=False)
        assert db.changes(visit).new_articles == [article_id(REPORTS[2])]
        assert len(db.changes(visit - timedelta(days=1)).new_articles) == 2


def test_watch_updates_stories_and_the_web_app_marks_what_changed(server, tmp_path):
    from fastapi.testclient import TestClient

    from storyline.web import create_app

    db_path, url = tmp_path / "w.db", f"{server}/wire.xml"
    FeedServer.feeds["/wire.xml"] = rss([0])
    with storyline.open(db_path) as db:
        db.watch([url], every=0, once=True, options=LOOPBACK)  # analyze on: stories and facts follow
        (story,) = db.stories()
        assert story.article_ids == [article_id(REPORTS[0])] and story.facts
    with TestClient(create_app(db_path), base_url="http://127.0.0.1") as client:
        assert "Since your last visit" not in client.get("/").text  # a first visit marks nothing
        an_hour_ago = int((datetime.now(UTC) - timedelta(hours=1)).timestamp())
        client.cookies.set("storyline_seen", str(an_hour_ago))
        FeedServer.feeds["/wire.xml"] = rss([0, 1])
        with storyline.open(db_path) as db:
            report = db.watch([url], every=0, once=True, options=LOOPBACK)
            assert report.added == [article_id(REPORTS[1])]
            new_story = next(s.id for s in db.stories() if article_id(REPORTS[1]) in s.article_ids)
            changes = db.changes(datetime.fromtimestamp(an_hour_ago, UTC))
        assert set(changes.new_articles) == {article_id(r) for r in REPORTS[:2]}
        page = client.get("/").text
        assert "Since your last visit" in page and "2 new reports" in page and f'href="/stories/{new_story}"' in page
        story_page = client.get(f"/stories/{new_story}").text  # still marked: the visit goes on
        assert "Since your last visit" in story_page and "in this story</strong>: 1 new report" in story_page


def test_feed_state_round_trips_on_every_backend(store_target):
    from storyline.store import open_store
    from storyline.store.feeds import FeedState

    when = datetime(2024, 3, 3, 9, 30, tzinfo=UTC)
    store = open_store(store_target)
    with store.transaction():
        store.save_feed_state(FeedState("https://a.example/rss", etag='"x1"', last_modified="Sun, 03 Mar 2024 09:00:00 GMT",
                                        next_poll=when, errors=2, last_error="HTTP 503", last_polled=when), {"urn:1": None})
        store.save_feed_state(FeedState("https://a.example/rss", etag='"x2"', next_poll=when), {"urn:1": None, "urn:2": None})
    store.close()
    store = open_store(store_target)  # a restart
    state = store.feed_state("https://a.example/rss")
    assert (state.etag, state.last_modified, state.next_poll, state.errors) == ('"x2"', None, when, 0)
    assert state.seen == {"urn:1", "urn:2"} and store.feed_state("https://b.example/").seen == set()
    assert [s.url for s in store.feeds()] == ["https://a.example/rss"]
    assert store.article_ids_since(when) == []
    store.close()
