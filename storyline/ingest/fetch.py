"""Fetch one URL safely: timeouts, a size cap, a redirect limit, and no private addresses.

Every hop of a redirect chain is checked again, so a public URL that
redirects to 127.0.0.1 or 169.254.169.254 is refused like the address itself.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from storyline.ingest.readers import InputError

USER_AGENT = "storyline/0.1 (+news analysis; respects robots by hand)"


def is_public_address(address: str) -> bool:
    """True for globally routable unicast addresses; private, loopback, link-local and reserved are not."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


@dataclass
class FetchOptions:
    allow_private: bool = False
    timeout: float = 15.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    # Which resolved addresses may be contacted when allow_private is off.
    address_allowed: Callable[[str], bool] = field(default=is_public_address)


@dataclass
class Fetched:
    url: str  # final URL after redirects
    content: bytes
    content_type: str


def is_url(text: str) -> bool:
    return urlsplit(text).scheme in {"http", "https"}


def check_url(url: str, options: FetchOptions) -> None:
    """Refuse non-HTTP schemes, and hosts that resolve to private, loopback or link-local addresses."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise InputError(f"unsupported URL scheme {parts.scheme!r}")
    host = parts.hostname
    if not host:
        raise InputError("URL has no host")
    if options.allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise InputError(f"cannot resolve host {host} ({exc.strerror})") from exc
    for info in infos:
        address = str(info[4][0])
        if not options.address_allowed(address):
            raise InputError(
                f"refused: {host} resolves to non-public address {address} (use --allow-private to permit)"
            )


def fetch(url: str, options: FetchOptions | None = None) -> Fetched:
    """GET a URL, following at most ``max_redirects`` redirects, each one checked."""
    options = options or FetchOptions()
    current = url
    with httpx.Client(
        follow_redirects=False,
        timeout=options.timeout,
        headers={"User-Agent": USER_AGENT},
        trust_env=False,
    ) as client:
        for _hop in range(options.max_redirects + 1):
            check_url(current, options)
            try:
                with client.stream("GET", current) as response:
                    if response.is_redirect:
                        location = response.headers.get("location")
                        if not location:
                            raise InputError(f"redirect without a Location ({response.status_code})")
                        current = urljoin(current, location)
                        continue
                    if response.status_code >= 400:
                        raise InputError(f"HTTP {response.status_code}")
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > options.max_bytes:
                        raise InputError(f"response too large ({int(declared):,} bytes > cap of {options.max_bytes:,})")
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > options.max_bytes:
                            raise InputError(f"response too large (over the cap of {options.max_bytes:,} bytes)")
                        chunks.append(chunk)
                    return Fetched(
                        url=str(response.url),
                        content=b"".join(chunks),
                        content_type=response.headers.get("content-type", "").lower(),
                    )
            except httpx.TimeoutException as exc:
                raise InputError(f"timed out after {options.timeout:g} s") from exc
            except httpx.HTTPError as exc:
                raise InputError(f"unreachable ({type(exc).__name__}: {exc})") from exc
    raise InputError(f"too many redirects (more than {options.max_redirects})")
