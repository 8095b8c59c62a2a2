"""URLs: the private-address guard (also after redirects), caps, and a real local server."""

from __future__ import annotations

import threading
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

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

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
