"""What a shared event is, what it adds to a pool's counters, and the figures made of them.

Pure: no database, no clock. The store adds an event's ``contribution`` to the
pool's counters in the transaction that stores it (and takes it away when the
event changes or is erased), so the stats are one indexed read, whatever the
number of events.

An event on the wire is one of six shapes (docs/DESIGN.md §9), with no other key:

    {"id", "type": "letter", "day", "kind", "rung", "unanswered"}
    {"id", "type": "reply", "day", "final"}
    {"id", "type": "calls", "week": "2026-W45", "count", "hold_minutes"}
    {"id", "type": "outcome", "kind", "band"}
    {"id", "type": "cancellation", "day"}
    {"id", "type": "referral", "day"}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

FIELDS: dict[str, frozenset[str]] = {
    "letter": frozenset({"id", "type", "day", "kind", "rung", "unanswered"}),
    "reply": frozenset({"id", "type", "day", "final"}),
    "calls": frozenset({"id", "type", "week", "count", "hold_minutes"}),
    "outcome": frozenset({"id", "type", "kind", "band"}),
    "cancellation": frozenset({"id", "type", "day"}),
    "referral": frozenset({"id", "type", "day"}),
}
# Amount bands of an outcome, in the case's currency; the amount itself is never sent.
BANDS = ("none", "1-49", "50-99", "100-249", "250-499", "500-999", "1000-4999", "5000+")
_EVENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
_KIND = re.compile(r"[a-z][a-z0-9_]{0,39}")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
FIRST_DAY = date(2000, 1, 1)


class BadEvent(ValueError):
    """An event that is not one of the six shapes; the message says what is wrong."""


def _day(value: Any, today: date) -> date:
    if not isinstance(value, str):
        raise BadEvent("day must be a YYYY-MM-DD string")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadEvent(f"day {value[:20]!r} is not a YYYY-MM-DD date") from None
    if not FIRST_DAY <= day <= today + timedelta(days=1):
        raise BadEvent(f"day {value} is out of range")
    return day


def _week(value: Any, today: date) -> date:
    match = _WEEK.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise BadEvent("week must look like 2026-W45")
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise BadEvent(f"week {value} does not exist") from None
    return _day(monday.isoformat(), today)


def _int(value: Any, name: str, top: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise BadEvent(f"{name} must be a whole number from 0 to {top}")
    return value


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise BadEvent(f"{name} must be true or false")
    return value


def _kind(value: Any) -> str:
    if not isinstance(value, str) or not _KIND.fullmatch(value):
        raise BadEvent("kind must be a lower-case identifier")
    return value


def parse_event(raw: Any, today: date) -> dict[str, Any]:
    """The database row (without member) for one event on the wire; BadEvent if it is not one."""
    if not isinstance(raw, dict):
        raise BadEvent("an event must be a JSON object")
    kind = raw.get("type")
    if kind not in FIELDS:
        raise BadEvent(f"type must be one of {', '.join(FIELDS)}")
    extra = set(raw) - FIELDS[kind]
    missing = FIELDS[kind] - set(raw)
    if extra:
        raise BadEvent(f"a {kind} event has no field {sorted(extra)[0]!r}")
    if missing:
        raise BadEvent(f"a {kind} event needs {sorted(missing)[0]!r}")
    event_id = raw["id"]
    if not isinstance(event_id, str) or not _EVENT_ID.fullmatch(event_id):
        raise BadEvent("id must be 8 to 64 letters, digits, '-' or '_'")
    row: dict[str, Any] = dict.fromkeys(("day", "kind", "rung", "flag", "count", "minutes", "band"))
    row.update(event_id=event_id, type=kind)
    if kind == "calls":
        row["day"] = _week(raw["week"], today)
        row["count"] = _int(raw["count"], "count", 1000)
        row["minutes"] = _int(raw["hold_minutes"], "hold_minutes", 7 * 24 * 60)
    elif kind == "outcome":
        row["kind"] = _kind(raw["kind"])
        if raw["band"] not in BANDS:
            raise BadEvent(f"band must be one of {', '.join(BANDS)}")
        row["band"] = raw["band"]
    else:
        row["day"] = _day(raw["day"], today)
    if kind == "letter":
        row["kind"] = _kind(raw["kind"])
        row["rung"] = _int(raw["rung"], "rung", 20)
        row["flag"] = _bool(raw["unanswered"], "unanswered")
    elif kind == "reply":
        row["flag"] = _bool(raw["final"], "final")
    return row


def monday(day: date) -> str:
    return (day - timedelta(days=day.weekday())).isoformat()


def contribution(row: Mapping[str, Any]) -> dict[str, int]:
    """What one stored event adds to its pool's counters (names as in the counters table)."""
    kind = row["type"]
    if kind == "letter":
        return {
            "letters_sent": 1,
            f"kind:{row['kind']}": 1,
            "unanswered": int(bool(row["flag"])),
            f"week:{monday(row['day'])}": 1,
        }
    if kind == "reply":
        return {"replies": 1, "final_replies": int(bool(row["flag"]))}
    if kind == "calls":
        return {"calls": int(row["count"]), "hold_minutes": int(row["minutes"])}
    if kind == "outcome":
        return {f"outcome:{row['kind']}": 1, f"band:{row['band']}": 1}
    if kind == "cancellation":
        return {"cancellations": 1}
    return {"regulator_referrals": 1}


def add(total: dict[str, int], part: Mapping[str, int], sign: int = 1) -> None:
    """Add ``part`` (times ``sign``) into ``total``, in place."""
    for name, value in part.items():
        total[name] = total.get(name, 0) + sign * value


@dataclass(frozen=True)
class Figures:
    """A pool's totals, every count as it is (hiding small ones is ``shown``'s job)."""

    members: int
    letters_sent: int
    by_kind: dict[str, int]
    regulator_referrals: int
    cancellations: int
    outcomes: dict[str, int]
    replies: int
    final_replies: int
    unanswered: int
    calls: int
    hold_minutes: int
    weeks: list[tuple[date, int]]  # letters sent per week, oldest first
    member_weeks: list[tuple[date, int]]  # members joined less members gone, per week

    @classmethod
    def from_counters(cls, counters: Mapping[str, int]) -> Figures:
        """Figures from a pool's counter rows (name -> value)."""

        def prefixed(prefix: str) -> dict[str, int]:
            return {
                name[len(prefix) :]: value
                for name, value in sorted(counters.items())
                if name.startswith(prefix) and value > 0
            }

        weeks = [(date.fromisoformat(day), n) for day, n in prefixed("week:").items()]
        net: dict[str, int] = {}
        for name, value in counters.items():
            if name.startswith(("joined:", "left:")):
                kind, _, day = name.partition(":")
                net[day] = net.get(day, 0) + (value if kind == "joined" else -value)
        member_weeks = [(date.fromisoformat(day), n) for day, n in sorted(net.items()) if n]
        return cls(
            members=counters.get("members", 0),
            letters_sent=counters.get("letters_sent", 0),
            by_kind=prefixed("kind:"),
            regulator_referrals=counters.get("regulator_referrals", 0),
            cancellations=counters.get("cancellations", 0),
            outcomes=prefixed("outcome:"),
            replies=counters.get("replies", 0),
            final_replies=counters.get("final_replies", 0),
            unanswered=counters.get("unanswered", 0),
            calls=counters.get("calls", 0),
            hold_minutes=counters.get("hold_minutes", 0),
            weeks=weeks,
            member_weeks=member_weeks,
        )


def shown(count: int, threshold: int) -> int | None:
    """``count``, or None when it is under the pool's threshold (docs/DESIGN.md §9)."""
    return count if count >= threshold else None


def stats_json(pool: Mapping[str, Any], figures: Figures, page: str, as_of: str) -> dict[str, Any]:
    """The ``pool stats --json`` document of docs/DESIGN.md §9, small counts as null."""
    k = int(pool["threshold"])
    return {
        "pool": pool["slug"],
        "title": pool["title"],
        "company": pool["company"],
        "page": page,
        "threshold": k,
        "members": shown(figures.members, k),
        "letters_sent": shown(figures.letters_sent, k),
        "by_kind": {kind: shown(n, k) for kind, n in figures.by_kind.items()},
        "regulator_referrals": shown(figures.regulator_referrals, k),
        "cancellations": shown(figures.cancellations, k),
        "outcomes": {kind: shown(n, k) for kind, n in figures.outcomes.items()},
        "since": pool["created_at"].date().isoformat(),
        "as_of": as_of,
    }


def running(weeks: list[tuple[date, int]]) -> list[tuple[date, int]]:
    """Week by week, the total so far."""
    total, out = 0, []
    for day, n in weeks:
        total += n
        out.append((day, total))
    return out


def steps(weeks: list[tuple[date, int]], k: int) -> list[tuple[date, int]]:
    """The points a chart of ``weeks`` added up may show: (week, total so far), oldest
    first. Every shown total is at least ``k`` and at least ``k`` away from every other
    shown total, so no count under the threshold can be read off the line: not a week's
    letters, nor the members who came or went between any two points (weeks in between
    are folded into the next point). The last point is the whole total, at its last
    week (or at an earlier point that already showed it). Empty under ``k``.
    """
    totals = running(weeks)
    if not totals or totals[-1][1] < k:
        return []
    total = totals[-1][1]
    points: list[tuple[date, int]] = []
    for day, value in totals:
        if value >= k and all(abs(value - seen) >= k for _day, seen in points):
            points.append((day, value))
    last = points.pop() if points and points[-1][1] == total else (totals[-1][0], total)
    return [point for point in points if abs(point[1] - total) >= k] + [last]


def series_json(pool: Mapping[str, Any], figures: Figures, as_of: str) -> dict[str, Any]:
    """Pressure over time, for ``GET /api/pools/P/series``: the weeks (their Mondays) at
    which a line has a point (``steps``), with its total so far there. A line is null
    where it has no point: before its first, between two (nothing under the threshold
    is given), and throughout while its total is under the threshold; after its last
    point it stays at its total (nothing changed since). The page draws the same."""
    k = int(pool["threshold"])
    letters = dict(steps(figures.weeks, k)) if figures.letters_sent >= k else {}
    members = dict(steps(figures.member_weeks, k)) if figures.members >= k else {}

    def at(points: dict[date, int], day: date) -> int | None:
        if day in points:
            return points[day]
        last = max(points, default=None)
        return points[last] if last is not None and day > last else None  # flat since

    rows = [
        {"week": day.isoformat(), "letters": at(letters, day), "members": at(members, day)}
        for day in sorted({*letters, *members})
    ]
    return {"pool": pool["slug"], "threshold": k, "weeks": rows, "as_of": as_of}
