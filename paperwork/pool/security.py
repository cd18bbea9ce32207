"""Secrets and limits: random tokens kept hashed, a per-IP rate limit, a body cap.

The server never stores a token itself, only its SHA-256: a copy of the database
lets no one act as an organiser or a member. The tokens are 256-bit random, so an
unsalted hash is enough (there is nothing to guess).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def new_token() -> str:
    """A fresh secret for an organiser, a member or an invite (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def new_slug() -> str:
    """A short public name for a pool or a member: random, so it says nothing."""
    return secrets.token_urlsafe(9)


def token_hash(token: str) -> str:
    """The hex SHA-256 of ``token``: what the database keeps instead of it."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def bearer(headers: dict[str, str] | Any) -> str:
    """The token of an ``Authorization: Bearer TOKEN`` header, or ''."""
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def _send_error(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode() + b"\n"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RateLimiter:
    """A token bucket per client address: ``rate`` requests a second, ``burst`` at once.

    Kept in memory: one server process is the unit here. Old buckets are dropped
    when the table grows, so a flood of addresses cannot exhaust memory.
    """

    def __init__(self, rate: float, burst: int, max_clients: int = 100_000) -> None:
        self.rate = rate
        self.burst = burst
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> bool:
        """Take one request from ``client``'s bucket; False when it is empty."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if len(self._buckets) >= self.max_clients and client not in self._buckets:
                self._buckets.clear()
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                return False
            self._buckets[client] = (tokens - 1, now)
            return True


class LimitsMiddleware:
    """ASGI middleware: refuse a request over the rate (429) or over ``max_body`` bytes (413).

    The body is counted as it arrives, so a client that lies in Content-Length, or
    sends none, is cut off all the same.
    """

    def __init__(self, app: ASGIApp, limiter: RateLimiter | None, max_body: int) -> None:
        self.app = app
        self.limiter = limiter
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        if self.limiter is not None and not self.limiter.allow(client):
            await _send_error(send, 429, "too many requests; try again in a minute")
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"0")
        if not declared.isdigit():
            await _send_error(send, 400, "bad Content-Length header")
            return
        if int(declared) > self.max_body:
            await _send_error(send, 413, f"request body over {self.max_body} bytes")
            return
        await self.app(scope, self._capped(receive), _timed(send))

    def _capped(self, receive: Receive) -> Receive:
        seen = 0

        async def capped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge()
            return message

        return capped


def _timed(send: Send) -> Send:
    """``send`` that adds ``Server-Timing: app;dur=MS`` (time spent in the app) to the answer,
    so a load test can tell the server's time from the client's."""
    start = time.perf_counter()

    async def timed(message: Message) -> None:
        if message["type"] == "http.response.start":
            took = f"app;dur={(time.perf_counter() - start) * 1000:.1f}".encode()
            message["headers"] = [*message.get("headers", []), (b"server-timing", took)]
        await send(message)

    return timed


class BodyTooLarge(Exception):
    """A body that grew past the limit while it was being read."""
