"""Headers, host checks and cross-site request protection for the web app.

The app serves one analyst on their own machine, so the threats are other
web pages in the same browser: a page that posts a decision (CSRF), frames
the app (clickjacking), or reaches it through a DNS name that resolves to
127.0.0.1 (DNS rebinding). Requests must name a trusted host, every
decision needs a token that only our own pages carry, and every response
forbids framing, sniffing and any script or style from elsewhere.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "storyline_csrf"
CSRF_FIELD = "csrf_token"
AUTHOR_COOKIE = "storyline_author"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_BODY = 64 * 1024  # a decision form is well under 2 KB

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


def host_name(host_header: str) -> str:
    """The host without its port: "127.0.0.1:8000" -> "127.0.0.1", "[::1]:80" -> "::1"."""
    if host_header.startswith("["):
        return host_header[1 : host_header.find("]")] if "]" in host_header else host_header
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


class Guard:
    """ASGI middleware: refuse untrusted hosts and oversized bodies, add the security headers."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] | None = None):
        self.app = app
        hosts = {h.lower() for h in allowed_hosts} if allowed_hosts is not None else {"*"}
        self.allowed = None if "*" in hosts else hosts  # "*": any name (bound to all interfaces)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        host = host_name(headers.get(b"host", b"").decode("latin-1")).lower()
        if self.allowed is not None and host not in self.allowed:
            await self.refuse(send, 400, b"Invalid host header")
            return
        length = headers.get(b"content-length")
        if length is None and scope["method"] in ("POST", "PUT", "PATCH"):
            await self.refuse(send, 411, b"Content-Length required")
            return
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            await self.refuse(send, 413, b"Request body too large")
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    async def refuse(send: Send, status: int, text: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), *HEADERS],
            }
        )
        await send({"type": "http.response.body", "body": text})


def csrf_token(request: Request) -> tuple[str, bool]:
    """The browser's token from its cookie, or a new one (True: the response must set the cookie)."""
    token = request.cookies.get(CSRF_COOKIE, "")
    if 20 <= len(token) <= 100 and token.replace("-", "").replace("_", "").isalnum():
        return token, False
    return secrets.token_urlsafe(32), True


def set_cookie(response: Any, name: str, value: str, max_age: int = 365 * 24 * 3600) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict", path="/")


def cross_site_reason(request: Request, form_token: str | None) -> str | None:
    """Why a state-changing request is refused, or None when it comes from our own page."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return f"cross-site request ({site})"
    origin = request.headers.get("origin")
    if origin is not None:
        expected = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin.lower() != expected.lower():
            return "request from another origin"
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not form_token or not hmac.compare_digest(cookie.encode(), form_token.encode()):
        return "missing or wrong form token: reload the page and try again"
    return None
