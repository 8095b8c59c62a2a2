"""URLs: the private-address guard (also after redirects), caps, and a real local server."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import storyline
from storyline.ingest import IngestOptions
from storyline.ingest.fetch import is_public_address
from tests.conftest import FLOOD_REPORT, STRIKE_REPORT

PAGE = f"<html><head><title>Flood</title></head><body><article><h1>Flood</h1><p>{FLOOD_REPORT}</p></article></body></html>"
FEED = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Times</title>
<item><title>Strike</title><link>https://ht.example/s</link><description>{STRIKE_REPORT}</description></item>
</channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
    hosts_seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.hosts_seen.append(self.headers.get("Host", ""))
        if self.path.startswith("/drip"):
            return self._drip()
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _drip(self) -> None:
        """A byte every 0.1 s, for at most 20 s: in the headers (/drip-head) or in the body (/drip)."""
        try:
            if self.path == "/drip-head":
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for _ in range(200):
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.1)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            for _ in range(200):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass  # the client hung up, as it should

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.routes = {
        "/flood": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE.encode()),
        "/feed": (200, {"Content-Type": "application/rss+xml"}, FEED.encode()),
        "/big": (200, {"Content-Type": "text/html"}, PAGE.encode() * 100),
        "/loop": (302, {"Location": "/loop"}, b""),
        # a redirect to another host of the loopback range, which the test policy treats as private
        "/to-private": (302, {"Location": f"http://127.0.0.2:{httpd.server_address[1]}/flood"}, b""),
        "/to-flood": (301, {"Location": "/flood"}, b""),
        "/gzip-bomb": (200, {"Content-Type": "text/plain", "Content-Encoding": "gzip"}, gzip.compress(b"a" * 5_000_000)),
        "/gzip-page": (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, gzip.compress(PAGE.encode())),
    }
    yield base
    httpd.shutdown()


def only_127_0_0_1(address: str) -> bool:
    """Test policy: 127.0.0.1 plays a public host, every other address is private."""
    return address == "127.0.0.1"


@pytest.fixture
def db(tmp_path):
    with storyline.open(tmp_path / "u.db") as database:
        yield database


@pytest.mark.parametrize(
    "address, public",
    [
        ("8.8.8.8", True),
        ("2a00:1450:4001:80b::200e", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.5.4", False),
        ("192.168.0.10", False),
        ("169.254.169.254", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
    ],
)
def test_public_address_policy(address, public):
    assert is_public_address(address) is public


def test_loopback_url_is_refused_by_default(server, db):
    report = db.ingest([f"{server}/flood"])
    assert not report.added
    (label, reason), = report.failed
    assert label == f"{server}/flood" and "refused" in reason and "127.0.0.1" in reason


def test_allow_private_fetches_and_extracts(server, db):
    report = db.ingest([f"{server}/flood", f"{server}/feed"], allow_private=True)
    assert report.ok and len(report.added) == 2
    flood = next(a for a in db.articles() if "Heavy rain" in a.text)
    assert flood.url == f"{server}/flood" and flood.source == "127.0.0.1"


def test_redirect_to_private_address_is_refused(server, db):
    options = IngestOptions(address_allowed=only_127_0_0_1)
    ok = db.ingest([f"{server}/to-flood"], options=options)
    assert len(ok.added) == 1  # a redirect to an allowed host is followed
    refused = db.ingest([f"{server}/to-private"], options=options)
    (label, reason), = refused.failed
    assert "refused" in reason and "127.0.0.2" in reason


def test_redirect_limit_size_cap_and_errors(server, db, tmp_path):
    options = IngestOptions(allow_private=True, max_bytes=20_000, max_redirects=3)
    report = db.ingest(
        [f"{server}/loop", f"{server}/big", f"{server}/missing", "http://127.0.0.1:9/closed", "ftp://x.example/a"],
        options=options,
    )
    reasons = [reason for _, reason in report.failed]
    assert "too many redirects" in reasons[0]
    assert "too large" in reasons[1]
    assert reasons[2] == "HTTP 404"
    assert "unreachable" in reasons[3]
    assert "scheme" in reasons[4]
    assert not report.added


def test_url_list_file(server, db, tmp_path):
    (tmp_path / "urls.txt").write_text(f"# today's reading\n{server}/flood\n{server}/feed\n")
    report = db.ingest([tmp_path / "urls.txt"], allow_private=True)
    assert report.ok and len(report.added) == 2


def rebinding_resolver(first: str, then: str):
    """A resolver that answers ``first`` once and ``then`` ever after, as a rebinding attacker's DNS does."""
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return [first if len(calls) == 1 else then]

    return resolver, calls


def test_dns_rebinding_connects_to_the_checked_address(server, db):
    """The guard approves 127.0.0.1 (public under the test policy); a second lookup would say 127.0.0.2."""
    port = server.rsplit(":", 1)[1]
    resolver, calls = rebinding_resolver("127.0.0.1", "127.0.0.2")
    Handler.hosts_seen.clear()
    options = IngestOptions(address_allowed=only_127_0_0_1, resolver=resolver)
    report = db.ingest([f"http://newsroom.test:{port}/flood"], options=options)
    assert report.ok and len(report.added) == 1
    assert calls == ["newsroom.test"]  # resolved once, and that answer is the one connected to
    assert Handler.hosts_seen == [f"newsroom.test:{port}"]  # the Host header keeps the name
    assert db.article(report.added[0]).url == f"http://newsroom.test:{port}/flood"


def test_a_host_with_any_private_address_is_refused(server, db):
    port = server.rsplit(":", 1)[1]
    options = IngestOptions(address_allowed=only_127_0_0_1, resolver=lambda host, port: ["127.0.0.1", "127.0.0.2"])
    report = db.ingest([f"http://mixed.test:{port}/flood"], options=options)
    ((_, reason),) = report.failed
    assert "refused" in reason and "127.0.0.2" in reason


@pytest.mark.parametrize("path", ["/drip", "/drip-head"])
def test_total_deadline_cuts_off_a_dripping_server(server, db, path):
    options = IngestOptions(allow_private=True, timeout=5, deadline=1.5)
    started = time.monotonic()
    report = db.ingest([f"{server}{path}"], options=options)
    elapsed = time.monotonic() - started
    ((_, reason),) = report.failed
    assert "deadline of 1.5 s passed" in reason
    assert elapsed < 4  # each read is capped by what is left of the deadline (the server drips for 20 s)


def test_compressed_bodies_are_capped_after_inflating(server, db):
    options = IngestOptions(allow_private=True, max_bytes=1_000_000)
    report = db.ingest([f"{server}/gzip-bomb", f"{server}/gzip-page"], options=options)
    assert len(report.added) == 1 and "Heavy rain" in db.articles()[0].text
    ((_, reason),) = report.failed
    assert "too large" in reason
