"""Fetch one URL safely: a total deadline, a size cap, a redirect limit, and no private addresses.

Each hop's host is resolved once; every address is checked, and the connection
is made to a checked address, never to a second answer of the resolver (DNS
rebinding). The URL keeps the host name, so the Host header, SNI and the TLS
certificate check all use the name. Every socket read and write is held to
what is left of the total deadline, so a server that drips bytes is cut off.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from storyline.ingest.readers import InputError

USER_AGENT = "storyline/0.1 (+news analysis; respects robots by hand)"
DEFAULT_TIMEOUT = 15.0  # seconds without progress: connect, each read, each write
DEFAULT_DEADLINE = 60.0  # seconds for the whole fetch, redirects included


def is_public_address(address: str) -> bool:
    """True for globally routable unicast addresses; private, loopback, link-local and reserved are not."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for a host, in its order, without repeats."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass
class FetchOptions:
    allow_private: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    # Which resolved addresses may be contacted when allow_private is off.
    address_allowed: Callable[[str], bool] = field(default=is_public_address)
    deadline: float = DEFAULT_DEADLINE
    resolver: Callable[[str, int], list[str]] = field(default=resolve)


@dataclass
class Fetched:
    url: str  # final URL after redirects
    content: bytes
    content_type: str
    status: int = 200  # 304 when a conditional GET found nothing new (content is then empty)
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names


def is_url(text: str) -> bool:
    return urlsplit(text).scheme in {"http", "https"}


def check_url(url: str, options: FetchOptions) -> tuple[httpcore.URL, list[str]]:
    """The URL to request and the addresses to connect to; non-HTTP schemes and non-public addresses are refused."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise InputError(f"unsupported URL scheme {parts.scheme!r}")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise InputError(f"invalid URL ({exc})") from None
    if not parsed.host:
        raise InputError("URL has no host")
    host = parsed.raw_host.decode("ascii")  # IDNA-encoded: what the resolver and the socket layer see
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = options.resolver(host, port)
    except (OSError, UnicodeError) as exc:
        raise InputError(f"cannot resolve host {host} ({getattr(exc, 'strerror', None) or exc})") from None
    if not addresses:
        raise InputError(f"cannot resolve host {host}")
    if not options.allow_private:
        for address in addresses:
            if not options.address_allowed(address):
                raise InputError(
                    f"refused: {host} resolves to non-public address {address} (use --allow-private to permit)"
                )
    return httpcore.URL(scheme=parsed.raw_scheme, host=parsed.raw_host, port=port, target=parsed.raw_path), addresses


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every wait ends at the fetch's deadline at the latest."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float):
        self.stream = stream
        self.deadline = deadline

    def _left(self, timeout: float | None) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.stream.read(max_bytes, self._left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.stream.write(buffer, self._left(timeout))

    def close(self) -> None:
        self.stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self.stream.start_tls(ssl_context, server_hostname, self._left(timeout)), self.deadline)

    def get_extra_info(self, info: str) -> Any:
        return self.stream.get_extra_info(info)


class _PinnedBackend(httpcore.SyncBackend):
    """Connects a host only to the addresses ``check_url`` approved for it, within the deadline."""

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.pinned: dict[tuple[str, int], list[str]] = {}

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self.pinned.get((host, port))
        if not addresses:
            raise httpcore.ConnectError(f"{host}:{port} was not checked")
        error: Exception | None = None
        for address in addresses:  # the checked ones only, in the resolver's order
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise httpcore.ConnectTimeout("deadline passed")
            try:
                stream = super().connect_tcp(
                    address, port, min(timeout or left, left), local_address, socket_options
                )
                return _DeadlineStream(stream, self.deadline)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error


def _decoded(chunks: Iterable[bytes], encoding: str, max_bytes: int) -> Iterable[bytes]:
    """The body with gzip/deflate undone, never inflating past the cap (no decompression bomb)."""
    if encoding in ("", "identity"):
        yield from chunks
        return
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise InputError(f"unsupported content encoding {encoding!r}")
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
    try:
        for chunk in chunks:
            yield inflater.decompress(chunk, max_bytes + 1)
            if inflater.unconsumed_tail:
                raise InputError(f"response too large (over the cap of {max_bytes:,} bytes)")
        yield inflater.flush()
    except zlib.error as exc:
        raise InputError(f"corrupt {encoding} body ({exc})") from None


def fetch(url: str, options: FetchOptions | None = None, headers: dict[str, str] | None = None) -> Fetched:
    """GET a URL, following at most ``max_redirects`` redirects, each one checked and pinned.

    ``headers`` are sent as well (e.g. If-None-Match for a conditional GET: a 304 comes back as is).
    """
    options = options or FetchOptions()
    started = time.monotonic()
    backend = _PinnedBackend(started + options.deadline)
    request_headers = [("User-Agent", USER_AGENT), ("Accept-Encoding", "gzip, deflate")]
    request_headers += list((headers or {}).items())
    timeouts = {kind: options.timeout for kind in ("connect", "read", "write", "pool")}
    current = url
    with httpcore.ConnectionPool(ssl_context=ssl.create_default_context(), network_backend=backend) as pool:
        for _hop in range(options.max_redirects + 1):
            target, addresses = check_url(current, options)
            backend.pinned[(target.host.decode("ascii"), target.port or 0)] = addresses
            try:
                with pool.stream("GET", target, headers=request_headers, extensions={"timeout": timeouts}) as response:
                    got = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers}
                    if response.status in (301, 302, 303, 307, 308):
                        location = got.get("location")
                        if not location:
                            raise InputError(f"redirect without a Location ({response.status})")
                        current = urljoin(current, location.strip())
                        continue
                    if response.status == 304:
                        return Fetched(current, b"", got.get("content-type", "").lower(), 304, got)
                    if response.status >= 400:
                        raise InputError(f"HTTP {response.status}")
                    return Fetched(current, _body(response, got, options), got.get("content-type", "").lower(), response.status, got)
            except httpcore.TimeoutException:
                if time.monotonic() - started >= options.deadline:
                    raise InputError(f"deadline of {options.deadline:g} s passed") from None
                raise InputError(f"timed out after {options.timeout:g} s") from None
            except (httpcore.ProtocolError, httpcore.NetworkError, httpcore.UnsupportedProtocol) as exc:
                raise InputError(f"unreachable ({type(exc).__name__}: {exc})") from None
    raise InputError(f"too many redirects (more than {options.max_redirects})")


def _body(response: httpcore.Response, headers: dict[str, str], options: FetchOptions) -> bytes:
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > options.max_bytes:
        raise InputError(f"response too large ({int(declared):,} bytes > cap of {options.max_bytes:,})")
    chunks, size = [], 0
    encoding = headers.get("content-encoding", "").strip().lower()
    for chunk in _decoded(response.iter_stream(), encoding, options.max_bytes):
        size += len(chunk)
        if size > options.max_bytes:
            raise InputError(f"response too large (over the cap of {options.max_bytes:,} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)
