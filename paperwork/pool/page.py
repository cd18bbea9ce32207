"""The public page ``/p/SLUG``: the pool's figures as plain HTML with inline SVG charts
of pressure over time (members so far and letters so far, week by week).

Server-rendered, no script, no outside resource: it reads on a phone and prints.
Every count under the pool's threshold reads "fewer than K", and a chart's line
appears only once its total reaches the threshold, through points at least K apart
(counting.steps), with no per-week numbers, so no small count can be read off it. Everything from the database is escaped.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from . import store
from .counting import Figures, steps

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem;line-height:1.45;color:#111}
h1{font-size:1.5rem;margin:.2rem 0}h3{font-size:1rem;margin:.6rem 0 0}.sub{color:#444;margin-top:0}
dl{display:grid;grid-template-columns:1fr auto;gap:.3rem 1rem;margin:1rem 0}
dt{color:#333}dd{margin:0;font-weight:600;text-align:right}
table{border-collapse:collapse;width:100%}td,th{padding:.25rem 0;text-align:left;border-bottom:1px solid #ddd}
td.n{text-align:right}svg{width:100%;height:auto;margin:.5rem 0}.note{color:#555;font-size:.9rem}
"""


def count_words(count: int, threshold: int) -> str:
    """A count as shown on the page: the number, or "fewer than K" under the threshold."""
    return f"{count:,}" if count >= threshold else f"fewer than {threshold}"


def words(identifier: str) -> str:
    """``final_demand`` as "final demand"."""
    return identifier.replace("_", " ")


def chart_svg(
    points: list[tuple[date, int]],
    label: str = "letters",
    colour: str = "#b3261e",
    span: tuple[date, date] | None = None,
    width: int = 600,
    height: int = 200,
) -> str:
    """A running total as an SVG line through ``points`` (counting.steps: each a week and
    the total so far, marked with a dot), flat after the last one to the end of ``span``
    (first and last week; by default those of ``points``). The first and last week and
    the total are labelled, no point's own figure; between two points the line is straight,
    since what happened between them is not shown."""
    if not points:
        return ""
    first, last = span or (points[0][0], points[-1][0])
    days = max((last - first).days, 1)
    total = max(max(value for _day, value in points), 1)
    pad = 34
    base = height - pad

    def x(day: date) -> float:
        return pad + (width - 2 * pad) * (day - first).days / days

    dots = [(x(day), base - (height - 2 * pad) * value / total) for day, value in points]
    line = list(dots)
    if points[-1][0] < last:  # flat since its last point
        line.append((x(last), dots[-1][1]))
    if first == last:  # the chart spans one week: its point as a level across the width
        line = [(pad, dots[0][1]), (width - pad, dots[0][1])]
    coordinates = " ".join(f"{px:.1f},{py:.1f}" for px, py in line)
    marks = "".join(
        f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"/>' for px, py in dots
    )
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label.capitalize())} over time, added up">'
        f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" stroke="#999"/>'
        f'<polyline fill="none" stroke="{colour}" stroke-width="3" points="{coordinates}"/>'
        f"{marks}"
        f'<text x="{pad}" y="{height - 4}" font-size="20">{first.isoformat()}</text>'
        f'<text x="{width - pad}" y="{height - 4}" font-size="20" text-anchor="end">'
        f"{last.isoformat()}</text>"
        f'<text x="{width - pad}" y="{pad - 8}" font-size="20" text-anchor="end">'
        f"{points[-1][1]:,} {escape(label)}</text></svg>"
    )


def pressure_charts(figures: Figures, k: int) -> str:
    """The page's "pressure over time": members so far and letters so far, on the same
    weeks, each line through its ``steps`` (none while its total is under the threshold)."""
    lines = []
    if figures.members >= k and (members := steps(figures.member_weeks, k)):
        lines.append((members, "members", "#2f5d8a"))
    if figures.letters_sent >= k and (letters := steps(figures.weeks, k)):
        lines.append((letters, "letters", "#b3261e"))
    if not lines:
        return f'<p class="note">The chart appears once at least {k} letters are shared.</p>'
    first = min(points[0][0] for points, _label, _colour in lines)
    last = max(points[-1][0] for points, _label, _colour in lines)
    charts = "".join(
        f"<h3>{escape(label.capitalize())} so far</h3>"
        + chart_svg(points, label, colour, (first, last))
        for points, label, colour in lines
    )
    note = (
        f'<p class="note">Each dot is a week and the total so far. Any two dots differ by '
        f"at least {k}, so no smaller count can be read between them.</p>"
    )
    return "<h2>Pressure over time</h2>" + charts + note


def render(pool: dict, figures: Figures, as_of: str) -> str:
    """The whole page for one pool."""
    k = int(pool["threshold"])
    show = lambda n: count_words(n, k)  # noqa: E731 - a local shorthand
    hours = f"{figures.hold_minutes / 60:,.0f}" if figures.calls >= k else f"(fewer than {k} calls)"
    rows = [
        ("Members", show(figures.members)),
        ("Letters sent", show(figures.letters_sent)),
        ("Deadlines passed unanswered", show(figures.unanswered)),
        ("Replies received", show(figures.replies)),
        ("Final replies", show(figures.final_replies)),
        ("Calls", show(figures.calls)),
        ("Hours on hold", hours),
        ("Regulator referrals", show(figures.regulator_referrals)),
        ("Cancellations", show(figures.cancellations)),
    ]
    figure_list = "".join(f"<dt>{escape(a)}</dt><dd>{escape(b)}</dd>" for a, b in rows)

    def table(title: str, counts: dict[str, int]) -> str:
        if not counts:
            return ""
        body = "".join(
            f'<tr><td>{escape(words(kind))}</td><td class="n">{escape(show(n))}</td></tr>'
            for kind, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        )
        return f"<h2>{escape(title)}</h2><table>{body}</table>"

    chart = pressure_charts(figures, k)
    since = pool["created_at"].date().isoformat()
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(pool['title'])}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(pool['title'])}</h1>"
        f'<p class="sub">People pressing <strong>{escape(pool["company"])}</strong> '
        f"({escape(pool['country'])}, {escape(words(pool['category']))}), together since {since}.</p>"
        f"<dl>{figure_list}</dl>"
        f"{chart}{table('Letters by kind', figures.by_kind)}{table('Outcomes', figures.outcomes)}"
        f'<p class="note">Figures as of {escape(as_of)}. A count under {k} reads '
        f"&ldquo;fewer than {k}&rdquo;. Members share counts and dates only: no names, "
        "addresses, account numbers or words of their cases reach this server.</p>"
        "</body></html>"
    )


def _small_page(title: str, text: str, status: int) -> HTMLResponse:
    return HTMLResponse(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1><p>{text}</p></body></html>",
        status_code=status,
    )


async def pool_page(request: Request) -> HTMLResponse:
    """``GET /p/SLUG``: the public page."""
    try:
        slug = request.path_params["pool"]
        pool, counters = await request.app.state.db.read(partial(store.read_pool, slug=slug))
    except store.Refused:
        return _small_page("No such pool", "There is no pool at this address.", 404)
    as_of = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    html = render(dict(pool), Figures.from_counters(counters), as_of)
    return HTMLResponse(html, headers={"cache-control": "max-age=60"})


async def invite_page(request: Request) -> HTMLResponse:
    """``GET /j/POOL/INVITE``: what to do with an invite link opened in a browser."""
    link = escape(str(request.url))
    return _small_page(
        "An invitation to a Paperwork pool",
        "To join, run this in Paperwork, naming your case:<br>"
        f"<code>paperwork pool join {link} --case CASE</code>",
        200,
    )


routes = [
    Route("/p/{pool}", pool_page, methods=["GET"]),
    Route("/j/{pool}/{invite}", invite_page, methods=["GET"]),
]
