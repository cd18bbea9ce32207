"""Social-media post drafts: counted as each platform counts, private data kept out,
and a tone check that keeps the person credible.

Pure: no I/O, no clock. A case (and optionally its pressure tally) goes in, drafts
come out. Companies answer public posts that are specific, calm and checkable;
an insult or an accusation the facts do not carry gives them a reason to ignore
the post, so the tone check refuses those before anything is published.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from paperwork.core.i18n import N_, _
from paperwork.core.model import Case, Party
from paperwork.core.tally import Tally

# ---------------------------------------------------------------------------
# Platforms


@dataclass(frozen=True)
class Platform:
    """A place to post: its id, its limit, and how it counts (see count())."""

    id: str
    title: str
    limit: int


PLATFORMS: dict[str, Platform] = {
    "x": Platform("x", "X", 280),
    "bluesky": Platform("bluesky", "Bluesky", 300),
    "mastodon": Platform("mastodon", "Mastodon", 500),
}

# X and Mastodon count every link as 23 characters, whatever its length
# (twitter-text "transformedURLLength"; Mastodon's StatusLengthValidator URL_PLACEHOLDER).
URL_LENGTH = 23

# ---------------------------------------------------------------------------
# Grapheme clusters (what a reader sees as one character)

try:  # the `regex` module implements UAX #29 extended grapheme clusters exactly
    import regex as _regex

    _GRAPHEME = _regex.compile(r"\X", _regex.DOTALL)
except ImportError:  # pragma: no cover - exercised through _graphemes_fallback in tests
    _GRAPHEME = None


def graphemes(text: str) -> list[str]:
    """``text`` split into extended grapheme clusters (UAX #29)."""
    if _GRAPHEME is not None:
        return _GRAPHEME.findall(text)
    return graphemes_fallback(text)


_ZWJ = "\u200d"


def _is_extend(ch: str) -> bool:
    """Code points that never start a cluster: combining marks, variation
    selectors, emoji skin-tone modifiers, tag characters, the keycap mark."""
    cp = ord(ch)
    if unicodedata.category(ch) in ("Mn", "Me", "Mc"):
        return True
    return (
        0xFE00 <= cp <= 0xFE0F  # variation selectors (emoji/text presentation)
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF  # skin tones
        or 0xE0020 <= cp <= 0xE007F  # tags (subdivision flags such as England)
        or cp == 0x20E3  # combining enclosing keycap
        or cp == 0x200C
    )


def _is_regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def graphemes_fallback(text: str) -> list[str]:
    """A careful approximation of UAX #29 for when `regex` is not installed:
    CR LF, combining marks, ZWJ sequences, variation selectors, skin tones,
    tags, keycaps, regional-indicator pairs and Hangul jamo stay together."""
    clusters: list[str] = []
    regional_run = 0
    for ch in text:
        cp = ord(ch)
        if not clusters:
            clusters.append(ch)
            regional_run = 1 if _is_regional(ch) else 0
            continue
        last = clusters[-1]
        join = False
        if ch == "\n" and last == "\r":
            join = True
        elif last[-1] in "\r\n":
            join = False
        elif _is_extend(ch) or ch == _ZWJ:
            join = True
        elif last[-1] == _ZWJ and not unicodedata.category(ch).startswith("Z"):
            join = True  # emoji ZWJ sequence: family, profession, rainbow flag
        elif _is_regional(ch) and regional_run % 2 == 1 and _is_regional(last[-1]):
            join = True  # the second half of a flag
        elif 0x1160 <= cp <= 0x11FF and (
            0x1100 <= ord(last[-1]) <= 0x11FF or 0xAC00 <= ord(last[-1]) <= 0xD7A3
        ):
            join = True  # Hangul vowel/trailing jamo after a leading jamo or syllable
        if join:
            clusters[-1] = last + ch
        else:
            clusters.append(ch)
        regional_run = regional_run + 1 if _is_regional(ch) else 0
    return clusters


def _is_emoji_cluster(cluster: str) -> bool:
    """Whether a grapheme cluster is an emoji (X counts each one as 2)."""
    for ch in cluster:
        cp = ord(ch)
        if (
            0x1F000 <= cp <= 0x1FAFF
            or 0x2600 <= cp <= 0x27BF
            or 0x2B00 <= cp <= 0x2BFF
            or 0x2300 <= cp <= 0x23FF
            or cp in (0xFE0F, 0x20E3)
            or _is_regional(ch)
        ):
            return True
    return False


# ---------------------------------------------------------------------------
# Links

_TLDS = "com|org|net|edu|gov|io|co|uk|de|fr|es|eu|us|ca|au|info|biz|app|dev|social|me|tv|ly|gl|be|nl|it|ch|at"
_URL_WITH_SCHEME = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_URL_BARE = re.compile(
    r"(?<![@\w.-])(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.(?:"
    + _TLDS
    + r")(?![@\w-])(?!\.\w)(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\"…"


def find_urls(text: str, bare: bool = True) -> list[tuple[int, int]]:
    """Spans of the links in ``text``; ``bare`` also finds links without a scheme
    ("example.com/x"), which X turns into links but Mastodon does not."""
    spans: list[tuple[int, int]] = []
    for match in _URL_WITH_SCHEME.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _TRAILING:
            end -= 1
        spans.append((match.start(), end))
    if bare:
        for match in _URL_BARE.finditer(text):
            if any(s <= match.start() < e for s, e in spans):
                continue
            end = match.end()
            while end > match.start() and text[end - 1] in _TRAILING:
                end -= 1
            spans.append((match.start(), end))
    return sorted(spans)


def _pieces(text: str, spans: list[tuple[int, int]]) -> list[tuple[bool, str]]:
    """``text`` cut into (is_link, piece) pieces."""
    out: list[tuple[bool, str]] = []
    pos = 0
    for start, end in spans:
        if start > pos:
            out.append((False, text[pos:start]))
        out.append((True, text[start:end]))
        pos = end
    if pos < len(text):
        out.append((False, text[pos:]))
    return out


# ---------------------------------------------------------------------------
# Counting as each platform counts

# twitter-text v3 configuration: these code point ranges weigh 1, everything
# else (CJK, most emoji, ...) weighs 2; an emoji sequence counts once, as 2.
_X_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))


def _x_weight(ch: str) -> int:
    cp = ord(ch)
    return 1 if any(lo <= cp <= hi for lo, hi in _X_LIGHT) else 2


def count_x(text: str) -> int:
    """Weighted length on X: NFC text, links 23, emoji 2, CJK 2, Latin 1."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    for is_link, piece in _pieces(text, find_urls(text, bare=True)):
        if is_link:
            total += URL_LENGTH
            continue
        for cluster in graphemes(piece):
            if _is_emoji_cluster(cluster):
                total += 2
            else:
                total += sum(_x_weight(ch) for ch in cluster)
    return total


def count_bluesky(text: str) -> int:
    """Length on Bluesky: grapheme clusters of the text as written (links included
    in full; the app may shorten them, the protocol limit counts what is sent)."""
    return len(graphemes(unicodedata.normalize("NFC", text)))


_REMOTE_MENTION = re.compile(r"(?<![\w@])@(\w+)@[\w.-]+\w", re.UNICODE)


def count_mastodon(text: str) -> int:
    """Length on Mastodon: links (with a scheme) count 23, a remote mention
    ``@user@server`` counts as ``@user``, the rest in grapheme clusters (Ruby's
    ``each_grapheme_cluster``, as the server's StatusLengthValidator counts)."""
    text = _REMOTE_MENTION.sub(lambda m: "@" + m.group(1), text)
    total = 0
    for is_link, piece in _pieces(text, find_urls(text, bare=False)):
        total += URL_LENGTH if is_link else len(graphemes(piece))
    return total


_COUNTERS = {"x": count_x, "bluesky": count_bluesky, "mastodon": count_mastodon}


def count(text: str, platform: str) -> int:
    """The length of ``text`` as ``platform`` counts it."""
    try:
        return _COUNTERS[platform](text)
    except KeyError:
        raise ValueError(
            f"unknown platform {platform!r}; use one of {', '.join(PLATFORMS)}"
        ) from None


def fits(text: str, platform: str) -> bool:
    """Whether ``text`` is within ``platform``'s limit."""
    return count(text, platform) <= PLATFORMS[platform].limit


def shorten(text: str, platform: str, budget: int) -> str:
    """``text`` cut, with an ellipsis, to at most ``budget`` as ``platform`` counts:
    at a word boundary when one fits (links are never cut in half), else between
    grapheme clusters (for scripts written without spaces)."""
    if count(text, platform) <= budget:
        return text
    if budget <= 1:
        return ""

    def best(pieces: list[str], joiner: str) -> str:
        def candidate(n: int) -> str:
            return joiner.join(pieces[:n]).rstrip(" ,;:.-\n") + "…"

        lo, hi = 0, len(pieces) - 1  # the largest n whose candidate fits
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count(candidate(mid), platform) <= budget:
                lo = mid
            else:
                hi = mid - 1
        while lo > 0 and count(candidate(lo), platform) > budget:
            lo -= 1  # links make the count non-monotonic; step back until it fits
        return candidate(lo) if lo > 0 and candidate(lo) != "…" else ""

    by_words = best(text.split(" "), " ")
    if count(by_words, platform) * 2 >= budget:
        return by_words
    by_clusters = best(graphemes(text), "")  # a long run without spaces (CJK, a link)
    return max(by_words, by_clusters, key=lambda t: count(t, platform))


# ---------------------------------------------------------------------------
# Private data


# An e-mail address, but not a fediverse handle (@user@server.social).
_EMAIL = re.compile(r"(?<![@\w.+-])[^\s@<>()\[\],;:\"]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A phone number: an international one (+ and 7 or more digits), or a North
# American one written 217-555-0100 / (217) 555 0100.
_PHONE = re.compile(r"(?<![\w+])(?:\+\d[\d ()./-]{5,}\d|\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b)")
_DIGIT_RUN = re.compile(r"\d[\d .-]*\d|\d")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def find_private(text: str, case: Case, sender: Party | None = None) -> list[str]:
    """What in ``text`` must not be published: the account number, a postal
    address, a phone number or an e-mail address. Returns descriptions."""
    found: list[str] = []
    folded = text.casefold()
    sender = sender or case.sender
    account = case.account_number.strip()
    if account:
        digits = _digits(account)
        runs = [_digits(m.group()) for m in _DIGIT_RUN.finditer(text)]
        if account.casefold() in folded or (
            len(digits) >= 4 and any(digits in run for run in runs)
        ):
            found.append(_("the account number"))
    if _EMAIL.search(text):
        found.append(_("an e-mail address"))
    phones = [sender.phone] if sender and sender.phone else []
    if _PHONE.search(text) or any(
        len(_digits(p)) >= 7 and _digits(p) in _digits(text) for p in phones
    ):
        found.append(_("a phone number"))
    lines: list[str] = []
    if sender:
        lines += sender.address
    lines += case.company.address
    for contact in case.contacts:
        lines += contact.address
    for line in lines:
        street = line.split(",")[0].strip()
        probes = {line.strip().casefold(), street.casefold()}
        if any(len(p) >= 6 and p in folded for p in probes):
            found.append(_("a postal address"))
            break
    if case.details.card_last4 and re.search(rf"\b{re.escape(case.details.card_last4)}\b", text):
        found.append(_("card digits"))
    return found


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    """``text`` split into sentences (roughly: after . ! or ? and a space)."""
    return [s.strip() for s in _SENTENCE_END.split(text.replace("\n", " ")) if s.strip()]


def strip_private(text: str, case: Case, sender: Party | None = None) -> str:
    """``text`` without the sentences that give away private data."""
    return " ".join(s for s in sentences(text) if not find_private(s, case, sender))


# ---------------------------------------------------------------------------
# Tone


@dataclass(frozen=True)
class ToneProblem:
    """One tone problem: ``refuse`` stops a post, ``flag`` is a warning."""

    level: str
    word: str
    message: str


# Insults and swearing: refused; a company can dismiss a post for them alone.
_INSULTS = (
    "idiot",
    "idiots",
    "idiotic",
    "moron",
    "morons",
    "moronic",
    "stupid",
    "dumb",
    "scum",
    "scumbag",
    "scumbags",
    "clowns",
    "bastard",
    "bastards",
    "jerks",
    "losers",
    "imbeciles",
    "cretins",
    "fuck",
    "fucking",
    "fucked",
    "fuckers",
    "shit",
    "shitty",
    "bullshit",
    "crap",
    "crappy",
    "asshole",
    "assholes",
    "arseholes",
    "dickheads",
    "wankers",
    "sucks",
    "screw you",
    "go to hell",
)
# Scornful words: flagged; they weaken the post but are not abuse.
_SCORN = (
    "incompetent",
    "useless",
    "pathetic",
    "ridiculous",
    "disgraceful",
    "disgusting",
    "clueless",
    "greedy",
    "shameful",
    "worst company",
)
# Accusations of wrongdoing, grouped so that the case's own words support their
# relatives ("fraud" in the facts supports "fraudulent").
_ACCUSATIONS: dict[str, tuple[str, ...]] = {
    "fraud": (
        "fraud",
        "frauds",
        "fraudulent",
        "fraudulently",
        "fraudster",
        "fraudsters",
        "defraud",
        "defrauded",
        "defrauding",
    ),
    "scam": ("scam", "scams", "scammed", "scammer", "scammers", "scamming"),
    "theft": (
        "thief",
        "thieves",
        "theft",
        "steal",
        "steals",
        "stealing",
        "stole",
        "stolen",
        "robbery",
        "robbed",
        "robbing",
        "daylight robbery",
    ),
    "crime": (
        "criminal",
        "criminals",
        "criminally",
        "crime",
        "crimes",
        "crook",
        "crooks",
        "crooked",
        "gangsters",
        "mafia",
    ),
    "illegal": ("illegal", "illegally", "unlawful", "unlawfully"),
    "lying": ("liar", "liars", "lied", "lying"),
    "extortion": (
        "extortion",
        "extort",
        "extorting",
        "extorted",
        "racket",
        "racketeering",
        "blackmail",
    ),
    "con": (
        "con artist",
        "con artists",
        "con men",
        "conned",
        "swindle",
        "swindled",
        "swindlers",
        "rip-off",
        "ripoff",
        "ripped off",
    ),
}
_CHARGE = {
    "fraud": N_("fraud"),
    "scam": N_("running a scam"),
    "theft": N_("theft"),
    "crime": N_("crime"),
    "illegal": N_("breaking the law"),
    "lying": N_("lying"),
    "extortion": N_("extortion"),
    "con": N_("swindling"),
}
_ACRONYM_OK = re.compile(r"^[A-Z]{2,5}s?$")


def _word_re(term: str) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w-])" + re.escape(term).replace(r"\ ", r"\s+") + r"(?![\w-])", re.IGNORECASE
    )


_INSULT_RES = [(w, _word_re(w)) for w in _INSULTS]
_SCORN_RES = [(w, _word_re(w)) for w in _SCORN]
_ACCUSATION_RES = {g: [(w, _word_re(w)) for w in words] for g, words in _ACCUSATIONS.items()}


def case_text(case: Case) -> str:
    """Everything the person has stated about the case, for supporting accusations."""
    return "\n".join([case.title, case.summary, case.remedy, *(f.text for f in case.facts)])


def _shouting(text: str) -> ToneProblem | None:
    letters = [ch for ch in text if ch.isalpha()]
    upper = [ch for ch in letters if ch.isupper()]
    if len(letters) >= 12 and len(upper) / len(letters) > 0.6:
        return ToneProblem(
            "refuse",
            "CAPITALS",
            "the post is written in capitals, which reads as shouting; write it in normal case.",
        )
    words = re.findall(r"[^\W\d_]+", text)
    loud = [w for w in words if len(w) >= 3 and w.isupper() and not _ACRONYM_OK.match(w)]
    long_loud = [w for w in words if len(w) >= 6 and w.isupper()]
    run, best = 0, 0
    for w in words:
        run = run + 1 if (len(w) >= 2 and w.isupper()) else 0
        best = max(best, run)
    if long_loud or best >= 3 or len(loud) >= 2:
        shown = (long_loud or loud or ["…"])[0]
        return ToneProblem(
            "flag",
            shown,
            _(
                "'{word}' in capitals reads as shouting; write it in normal case and let the facts speak."
            ).format(word=shown),
        )
    return None


def tone_check(text: str, case: Case | None = None) -> list[ToneProblem]:
    """Insults, shouting and unsupported accusations in ``text``.

    An accusation (fraud, scam, theft, crime, lying...) is allowed only when the
    case's own text (title, summary, facts, remedy) already says so; otherwise
    it is refused, because it is what a company's lawyers look for.
    """
    problems: list[ToneProblem] = []
    plain_words = (
        (
            _INSULT_RES,
            "refuse",
            N_("'{word}' is an insult; say what happened instead, it is more persuasive."),
        ),
        (
            _SCORN_RES,
            "flag",
            N_("'{word}' is scornful; a calm, specific post is harder to ignore."),
        ),
    )
    for regexes, severity, message in plain_words:
        for _word, pattern in regexes:
            found = pattern.search(text)
            if found:
                word = found.group(0)
                problems.append(ToneProblem(severity, word, _(message).format(word=word)))
    support = case_text(case) if case else ""
    for group, patterns in _ACCUSATION_RES.items():
        used = [m.group(0) for _word, p in patterns if (m := p.search(text))]
        if not used:
            continue
        if any(p.search(support) for _word, p in patterns):
            continue
        problems.append(
            ToneProblem(
                "refuse",
                used[0],
                _(
                    "'{word}' accuses the company of {charge}, and the case facts do not say so; "
                    "describe what happened (e.g. 'charged twice, not refunded') "
                    "or add the fact that supports it."
                ).format(word=used[0], charge=_(_CHARGE[group])),
            )
        )
    loud = _shouting(text)
    if loud:
        problems.append(loud)
    return problems


def refusals(problems: list[ToneProblem]) -> list[ToneProblem]:
    return [p for p in problems if p.level == "refuse"]


# ---------------------------------------------------------------------------
# Drafts


@dataclass
class Draft:
    """One way to post: a name (``short``, ``thread``) and its posts in order."""

    name: str
    posts: list[str]


@dataclass
class DraftSet:
    """The drafts for one platform, with notes on what was left out and why."""

    platform: str
    limit: int
    drafts: list[Draft]
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """The ``social --json`` shape of docs/DESIGN.md §5 (plus lengths and notes)."""
        return {
            "platform": self.platform,
            "limit": self.limit,
            "drafts": [
                {
                    "name": d.name,
                    "posts": d.posts,
                    "lengths": [count(p, self.platform) for p in d.posts],
                }
                for d in self.drafts
            ],
            "notes": self.notes,
        }


def handle_for(case: Case, platform: str) -> str:
    """The company's handle (``company.social``), or its name when none is given."""
    social = case.company.social.strip()
    if not social:
        return case.company.name
    if " " in social:
        return social
    return social if social.startswith("@") else "@" + social


def _short_day(day: date, locale: str) -> str:
    from babel.dates import format_skeleton

    return format_skeleton("MMMd", day, locale=locale)


def _hold(minutes: int) -> str:
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


def _clean(text: str, case: Case, notes: list[str], what: str) -> str:
    """Sentences of ``text`` fit to publish: no private data, no insult, no shouting."""
    kept = []
    for sentence in sentences(text):
        private = find_private(sentence, case)
        if private:
            notes.append(
                _("{part}: left out a sentence that contains {private}.").format(
                    part=what, private=", ".join(private)
                )
            )
            continue
        bad = tone_check(sentence, case)
        if bad:
            notes.append(
                _("{part}: left out a sentence: {reason}").format(part=what, reason=bad[0].message)
            )
            continue
        kept.append(sentence)
    return " ".join(kept)


@cache
def _words(locale: str) -> dict[str, Any]:
    """The words a draft adds in ``locale``'s language (letter_templates/social.toml)."""
    import tomllib

    from paperwork.core import resources

    table = tomllib.loads(resources.read_text("social.toml"))
    words: dict[str, Any] = table.get(locale[:2], table["en"])
    return words


def _pressure_line(tally: Tally | None, locale: str) -> str:
    if tally is None:
        return ""
    words = _words(locale)
    parts = []
    for number, key in ((tally.letters_sent, "letters"), (tally.calls, "calls")):
        if number:
            singular, plural = words[key]
            parts.append(f"{number} {singular if number == 1 else plural}")
    if tally.hold_minutes:
        parts.append(str(words["hold"]).format(time=_hold(tally.hold_minutes)))
    if not parts:
        return ""
    since = (
        str(words["since"]).format(day=_short_day(tally.first_contact, locale))
        if tally.first_contact
        else ""
    )
    return str(words["so_far"]).format(since=since, parts=", ".join(parts))


def _fit(parts: list[tuple[str, bool]], platform: str, budget: int, keep_first: bool = True) -> str:
    """Join parts (text, required) within ``budget``: optional parts are dropped
    from the end first, then the longest required part is shortened (never the
    first when ``keep_first``: it is the handle)."""
    items: list[list[Any]] = [[t, r] for t, r in parts if t]  # [text, required], text shrinks

    def joined(skip: int = -1) -> str:
        return " ".join(t for i, (t, _required) in enumerate(items) if t and i != skip)

    while count(joined(), platform) > budget:
        optional = [i for i, (t, r) in enumerate(items) if t and not r]
        if not optional:
            break
        items[optional[-1]][0] = ""
    if count(joined(), platform) <= budget:
        return joined()
    # Share what is left fairly among the parts that may be shortened: short
    # parts keep their full text, long ones are cut to an equal share.
    start = 1 if keep_first else 0
    live = [i for i in range(len(items)) if items[i][0]]
    shrinkable = sorted((i for i in live if i >= start), key=lambda j: count(items[j][0], platform))
    fixed = sum(count(items[i][0], platform) for i in live if i < start)
    left = budget - fixed - (len(live) - 1)
    for k, i in enumerate(shrinkable):
        share = left // (len(shrinkable) - k)
        if count(items[i][0], platform) > share:
            items[i][0] = shorten(items[i][0], platform, share)
        left -= count(items[i][0], platform)
    text = joined()
    return text if count(text, platform) <= budget else shorten(text, platform, budget)


def social_drafts(
    case: Case, platform: str, tally: Tally | None = None, pool_page: str = ""
) -> DraftSet:
    """A short draft (one post) and a thread (two or three posts) for ``case``,
    naming the company's handle, each post within ``platform``'s limit.
    ``pool_page``: the public page of the case's pool, linked when there is room."""
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}")
    limit = PLATFORMS[platform].limit
    notes: list[str] = []
    handle = handle_for(case, platform)
    title = _clean(case.title, case, notes, _("title")).rstrip(".")
    summary = _clean(case.summary, case, notes, _("summary"))
    remedy = _clean(case.remedy, case, notes, _("remedy"))
    facts = []
    for fact in sorted(case.facts, key=lambda f: f.on):
        text = _clean(fact.text, case, notes, _("fact of {day}").format(day=fact.on.isoformat()))
        if text:
            facts.append(f"{_short_day(fact.on, case.locale)}: {text}")
    pressure = _pressure_line(tally, case.locale)
    words = _words(case.locale)
    ask = str(words["ask"]).format(handle=handle, remedy=remedy) if remedy else ""
    ask_short = str(words["ask_you"]).format(remedy=remedy) if remedy else ""
    pool = str(words["pool"]).format(page=pool_page) if pool_page else ""

    short = _fit(
        [
            (handle, True),
            (summary or title + ".", True),
            (ask_short, True),
            (pressure, False),
            (pool, False),
        ],
        platform,
        limit,
    )

    posts: list[str] = []
    n = 3 if facts else 2
    marker = lambda i: f"({i}/{n})"  # noqa: E731 - tiny local helper
    budget = lambda i: limit - count(" " + marker(i), platform)  # noqa: E731
    first = _fit(
        [(handle, True), (f"{title}." if title else "", True), (summary, True)], platform, budget(1)
    )
    posts.append(f"{first} {marker(1)}")
    if facts:
        lines = [str(words["what"])]
        for line in facts:
            candidate = "\n".join([*lines, line])
            if count(candidate, platform) <= budget(2):
                lines.append(line)
            elif len(lines) == 1:
                lines.append(shorten(line, platform, budget(2) - count(lines[0] + "\n", platform)))
                break
            else:
                break
        posts.append("\n".join(lines) + f" {marker(2)}")
    last = _fit(
        [(pressure, False), (ask, True), (pool, False)], platform, budget(n), keep_first=False
    )
    if not last.strip():
        reply = str(words["reply"]).format(handle=handle)
        last = _fit([(reply, True)], platform, budget(n), keep_first=False)
    posts.append(f"{last} {marker(n)}")

    drafts = [Draft("short", [short]), Draft("thread", posts)]
    for draft in drafts:
        for post in draft.posts:
            leaks = find_private(post, case)
            # Every part was filtered above; only the handle itself can get here.
            if leaks:
                from paperwork.core.errors import UserError

                raise UserError(
                    _(
                        "company.social: the handle would show {private}; give the public handle only."
                    ).format(private=", ".join(leaks))
                )
    return DraftSet(platform, limit, drafts, notes)


def check_post(text: str, case: Case, platform: str) -> tuple[list[str], list[str]]:
    """Check a person's own post: returns (refusals, warnings) as sentences."""
    refused: list[str] = []
    warned: list[str] = []
    length = count(text, platform)
    limit = PLATFORMS[platform].limit
    if length > limit:
        refused.append(
            _("the post is {length} characters as {platform} counts; the limit is {limit}.").format(
                length=length, platform=PLATFORMS[platform].title, limit=limit
            )
        )
    private = find_private(text, case)
    if private:
        refused.append(
            _("the post gives away {private}; remove it before publishing.").format(
                private=", ".join(private)
            )
        )
    for problem in tone_check(text, case):
        (refused if problem.level == "refuse" else warned).append(problem.message)
    return refused, warned


def post_platform(url: str) -> str:
    """Guess the platform of a published post from its address."""
    host = re.sub(r"^https?://", "", url, flags=re.IGNORECASE).split("/")[0].lower()
    if host in ("x.com", "twitter.com", "www.x.com", "www.twitter.com", "mobile.twitter.com"):
        return "x"
    if host.endswith("bsky.app") or host.endswith("bsky.social"):
        return "bluesky"
    if re.search(r"/@[\w.]+/\d+", url):
        return "mastodon"
    return "other"
