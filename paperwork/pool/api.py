"""The JSON endpoints under ``/api``: thin, each one parses, calls store.py, answers.

    POST   /api/pools                                create a pool (organiser key once)
    POST   /api/pools/{pool}/invites                 organiser: a new invite
    POST   /api/pools/{pool}/invites/revoke          organiser: revoke one invite, or all
    POST   /api/pools/{pool}/members                 join with an invite
    POST   /api/pools/{pool}/members/{member}/events member: share events
    DELETE /api/pools/{pool}/members/{member}        member: leave; organiser: revoke (?erase=1)
    GET    /api/pools/{pool}/stats                   the figures (docs/DESIGN.md §9)
    GET    /api/pools/{pool}/series                  letters and members so far, at weeks K apart

Secrets travel in ``Authorization: Bearer …``. Every refusal is a 4xx with the
one-line body ``{"error": "..."}``.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import partial
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from . import store
from .counting import BadEvent, Figures, parse_event, series_json, stats_json
from .security import bearer

MAX_EVENTS = 500
DEFAULT_INVITE_SECONDS = 30 * 24 * 3600
_COUNTRY = re.compile(r"[A-Z]{2}")
_CATEGORY = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _now() -> datetime:
    return datetime.now(UTC)


async def _body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        data = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise store.Refused(400, "the body is not JSON") from None
    if not isinstance(data, dict):
        raise store.Refused(400, "the body must be a JSON object")
    return data


def _text(data: dict[str, Any], name: str, longest: int) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > longest:
        raise store.Refused(400, f"{name} must be text of 1 to {longest} characters")
    if any(ord(c) < 32 for c in value):
        raise store.Refused(400, f"{name} must be one line")
    return value.strip()


def _seconds(data: dict[str, Any]) -> float:
    value = data.get("expires_in", DEFAULT_INVITE_SECONDS)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise store.Refused(400, "expires_in must be a number of seconds")
    return float(value)


def page_url(request: Request, slug: str) -> str:
    """The public page's full URL: the configured public URL, else the request's own."""
    base = request.app.state.public_url or str(request.base_url)
    return base.rstrip("/") + "/p/" + slug


def invite_link(request: Request, slug: str, invite: str) -> str:
    """What the organiser hands out: ``SERVER/j/POOL/INVITE`` (pool_client parses it back)."""
    base = request.app.state.public_url or str(request.base_url)
    return f"{base.rstrip('/')}/j/{slug}/{invite}"


async def create_pool(request: Request) -> JSONResponse:
    """Create a pool; the answer holds the organiser key and the first invite link."""
    data = await _body(request)
    country = _text(data, "country", 2).upper()
    category = _text(data, "category", 40)
    if not _COUNTRY.fullmatch(country):
        raise store.Refused(400, "country must be a two-letter code")
    if not _CATEGORY.fullmatch(category):
        raise store.Refused(400, "category must be a lower-case identifier")
    threshold = data.get("threshold", 10)
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 2 <= threshold <= 1000:
        raise store.Refused(400, "threshold must be a whole number from 2 to 1000")
    fields = {
        "title": _text(data, "title", 200),
        "company": _text(data, "company", 200),
        "country": country,
        "category": category,
        "threshold": threshold,
    }
    seconds = _seconds(data)
    made = await request.app.state.db.write(
        partial(store.create_pool, fields=fields, invite_seconds=seconds, now=_now())
    )
    return JSONResponse(
        {
            "pool": made.slug,
            "page": page_url(request, made.slug),
            "invite": invite_link(request, made.slug, made.invite),
            "invite_expires": made.invite_expires.isoformat(timespec="seconds"),
            "organiser_key": made.organiser_key,
        },
        status_code=201,
    )


async def new_invite(request: Request) -> JSONResponse:
    """The organiser makes another invite (``expires_in`` seconds, default 30 days)."""
    slug = request.path_params["pool"]
    data = await _body(request)
    key, seconds = bearer(request.headers), _seconds(data)
    token, expires = await request.app.state.db.write(
        partial(store.new_invite, slug=slug, key=key, seconds=seconds, now=_now())
    )
    return JSONResponse(
        {
            "invite": invite_link(request, slug, token),
            "invite_expires": expires.isoformat(timespec="seconds"),
        },
        status_code=201,
    )


async def revoke_invites(request: Request) -> JSONResponse:
    """The organiser revokes the invite named by ``invite`` (its token), or every invite."""
    data = await _body(request)
    invite = data.get("invite")
    if invite is not None and not isinstance(invite, str):
        raise store.Refused(400, "invite must be the invite's token")
    slug, key = request.path_params["pool"], bearer(request.headers)
    count = await request.app.state.db.write(
        partial(store.revoke_invites, slug=slug, key=key, invite=invite)
    )
    return JSONResponse({"revoked": count})


async def join(request: Request) -> JSONResponse:
    """Join with ``{"invite": TOKEN}``: the answer is the member id and its token."""
    data = await _body(request)
    invite = data.get("invite")
    if not isinstance(invite, str) or not invite:
        raise store.Refused(400, "invite is missing")
    slug = request.path_params["pool"]
    member, token = await request.app.state.db.write(
        partial(store.join, slug=slug, invite=invite, now=_now())
    )
    return JSONResponse({"member": member, "token": token}, status_code=201)


async def share(request: Request) -> JSONResponse:
    """A member shares ``{"events": [...]}``; the answer lists the ids the pool holds."""
    data = await _body(request)
    raw = data.get("events")
    if not isinstance(raw, list) or len(raw) > MAX_EVENTS:
        raise store.Refused(400, f"events must be a list of at most {MAX_EVENTS}")
    today = _now().date()
    rows = []
    for index, item in enumerate(raw):
        try:
            rows.append(parse_event(item, today))
        except BadEvent as exc:
            raise store.Refused(400, f"event {index}: {exc}") from None
    share = store.Share(
        request.path_params["pool"], request.path_params["member"], bearer(request.headers), rows
    )
    accepted = await request.app.state.db.share(share)
    return JSONResponse({"accepted": accepted})


async def remove_member(request: Request) -> JSONResponse:
    """With the member's own token: leave. With the organiser key: revoke.
    ``?erase=1`` deletes and uncounts everything the member shared."""
    erase = request.query_params.get("erase", "") in ("1", "true", "yes")
    member = request.path_params["member"]
    slug, secret, today = request.path_params["pool"], bearer(request.headers), _now().date()
    how = await request.app.state.db.write(
        partial(
            store.remove_member,
            slug=slug,
            member_id=member,
            secret=secret,
            erase=erase,
            today=today,
        )
    )
    return JSONResponse({how: member, "erased": erase})


async def stats(request: Request) -> JSONResponse:
    """The pool's figures as in ``pool stats --json``; counts under the threshold are null."""
    slug = request.path_params["pool"]
    pool, counters = await request.app.state.db.read(partial(store.read_pool, slug=slug))
    as_of = _now().isoformat(timespec="seconds").replace("+00:00", "Z")
    body = stats_json(dict(pool), Figures.from_counters(counters), page_url(request, slug), as_of)
    return JSONResponse(body, headers={"cache-control": "no-store"})


async def series(request: Request) -> JSONResponse:
    """Pressure over time: letters and members so far, at the weeks counting.steps allows
    (null elsewhere, and throughout while a line is under the threshold)."""
    slug = request.path_params["pool"]
    pool, counters = await request.app.state.db.read(partial(store.read_pool, slug=slug))
    as_of = _now().isoformat(timespec="seconds").replace("+00:00", "Z")
    body = series_json(dict(pool), Figures.from_counters(counters), as_of)
    return JSONResponse(body, headers={"cache-control": "no-store"})


routes = [
    Route("/api/pools", create_pool, methods=["POST"]),
    Route("/api/pools/{pool}/invites", new_invite, methods=["POST"]),
    Route("/api/pools/{pool}/invites/revoke", revoke_invites, methods=["POST"]),
    Route("/api/pools/{pool}/members", join, methods=["POST"]),
    Route("/api/pools/{pool}/members/{member}/events", share, methods=["POST"]),
    Route("/api/pools/{pool}/members/{member}", remove_member, methods=["DELETE"]),
    Route("/api/pools/{pool}/stats", stats, methods=["GET"]),
    Route("/api/pools/{pool}/series", series, methods=["GET"]),
]
