"""The letter catalogue: kinds (metadata + a body per language) and the
directory of regulators and courts.

Shipped kinds live in ``letter_templates/kinds/<id>.toml`` with bodies in
``letter_templates/bodies/<id>/<locale>.j2``. A user's data folder may hold the
same layout under ``templates/``; a user file with the same name wins.
Bodies run in Jinja's sandbox with StrictUndefined: user text is passed in as
data and never evaluated as template code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paperwork.core import resources

if TYPE_CHECKING:
    from jinja2 import BaseLoader
    from jinja2.sandbox import SandboxedEnvironment
from paperwork.core.errors import UserError
from paperwork.core.i18n import _
from paperwork.core.wording import french_spacing, inline, sentence, tidy

RUNG_NAMES = {
    1: "first letter",
    2: "reminder",
    3: "supervisor",
    4: "executive",
    5: "demand",
    6: "regulator",
    7: "court",
}
RECIPIENTS = (
    "complaints",
    "billing_inquiries",
    "executive",
    "legal",
    "retention",
    "regulator",
    "card_issuer",
    "credit_bureau",
    "debt_collector",
    "court",
)
# Recipients outside the company: they need their own postal address, and the
# company's reference is labelled as the company's in letters to them.
THIRD_PARTIES = ("regulator", "card_issuer", "credit_bureau", "debt_collector", "court")
# What a kind may ask for beyond the case (see paperwork.letters.compose.INPUTS)
INPUT_NAMES = (
    "transaction",
    "statement_date",
    "call",
    "reply",
    "cancel_on",
    "offer",
    "payment_plan",
    "customer_since",
    "report_item",
    "earlier_letter",
    "earlier_contact",
)
# The case states a kind may require
STATE_NAMES = ("not_cancelled",)
# How a kind's letters go out (the delivery line of conventions.toml): tracked with proof
# of delivery (and, where the country has it, of content), tracked with proof of delivery
# only, plain post, e-mail
DELIVERIES = ("registered", "certified", "ordinary", "email")


def _in_force(since: date | None, until: date | None, on: date | None) -> bool:
    if on is None:
        return True
    return (since is None or since <= on) and (until is None or on <= until)


@dataclass(frozen=True)
class WindowRule:
    """A response window and the rule it comes from, with the dates it applies
    (``since``/``until`` inclusive; None: open-ended)."""

    window: str
    source: str
    since: date | None = None
    until: date | None = None

    def in_force(self, on: date | None) -> bool:
        return _in_force(self.since, self.until, on)


@dataclass(frozen=True)
class LawRule:
    """A rule a letter may cite: where, from when until when, to whom, and its source.

    ``within_days`` / ``after``: the rule only helps while the letter date is at most
    that many days after the case date named by ``after`` (the FCBA's 60 days from
    the statement); past it, compose drops the rule and notes it for the user.
    """

    id: str
    cite: str
    source: str
    jurisdictions: tuple[str, ...] = ("*",)
    since: date | None = None
    until: date | None = None
    recipients: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    within_days: int = 0
    after: str = ""

    def applies(self, jurisdiction: str, on: date, recipient: str, category: str = "") -> bool:
        country = jurisdiction.split("-")[0]
        where = (
            "*" in self.jurisdictions
            or jurisdiction in self.jurisdictions
            or country in self.jurisdictions
        )
        return (
            where
            and _in_force(self.since, self.until, on)
            and (not self.recipients or recipient in self.recipients)
            and (not self.categories or category in self.categories)
        )


@dataclass(frozen=True)
class LetterKind:
    """Metadata of one letter kind; its bodies are found by id and locale."""

    id: str
    titles: dict[str, str]
    rung: int
    recipient: str
    jurisdictions: tuple[str, ...]
    windows: dict[str, WindowRule]
    needs: tuple[str, ...] = ()
    delivery: str = "registered"
    # the delivery where a country or subdivision sends this kind otherwise ({"ES": "certified"})
    deliveries: dict[str, str] = field(default_factory=dict)
    # the regulator this kind of letter points to, when it is not the case's own
    # category's (a data access request names the data protection authority)
    regulator_category: str = ""
    origin: str = "built-in"
    locales: tuple[str, ...] = field(default=())
    # inputs beyond the case (INPUT_NAMES) and case states (STATE_NAMES) this kind needs
    inputs: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    laws: tuple[LawRule, ...] = ()
    # every dated period of a window key, oldest first (keys given as arrays of tables)
    periods: dict[str, tuple[WindowRule, ...]] = field(default_factory=dict)

    def title(self, locale: str) -> str:
        """The kind's title in ``locale`` (English when it has none)."""
        return (
            self.titles.get(locale)
            or self.titles.get("en_GB")
            or self.titles.get("en_US")
            or self.id
        )

    def applies_to(self, jurisdiction: str) -> bool:
        """Whether this kind can be used for a case in ``jurisdiction`` (``US-IL``)."""
        country = jurisdiction.split("-")[0]
        return (
            "*" in self.jurisdictions
            or jurisdiction in self.jurisdictions
            or country in self.jurisdictions
        )

    def delivery_for(self, jurisdiction: str) -> str:
        """How a letter of this kind goes out for a case in ``jurisdiction``: the
        subdivision's or country's own delivery (``delivery_for``), else ``delivery``."""
        country = jurisdiction.split("-")[0]
        for key in (jurisdiction, country):
            if key in self.deliveries:
                return self.deliveries[key]
        return self.delivery

    def window_for(
        self, jurisdiction: str, category: str = "", on: date | None = None
    ) -> tuple[str, WindowRule]:
        """The response window for a case: a category rule of the subdivision or
        country ("DE/energy"), then the subdivision, the country, then the default;
        with ``on``, only a rule in force on that date counts."""
        country = jurisdiction.split("-")[0]
        keys = [f"{jurisdiction}/{category}", f"{country}/{category}"] if category else []
        for key in (*keys, jurisdiction, country, "default"):
            for rule in reversed(self.periods.get(key, ())):
                if rule.in_force(on):
                    return key, rule
        return "default", WindowRule(
            "14d", "No statutory window applies; practice default of 14 days."
        )


class Catalog:
    """Every letter kind available to one data folder, and the Jinja environment to fill them."""

    def __init__(self, user_dir: Path | None = None, only: str | None = None):
        """The shipped kinds and those in ``user_dir``; with ``only``, that one kind alone
        (the others are not read: showing or rendering a stored letter needs its own)."""
        self.user_dir = user_dir if user_dir and user_dir.is_dir() else None
        self.kinds: dict[str, LetterKind] = {}
        self._only = only
        self._load_kinds()
        self._env: SandboxedEnvironment | None = None

    # -- kinds -------------------------------------------------------------
    def _kind_sources(self) -> list[tuple[str, str, str]]:
        """(id, toml text, origin) for shipped kinds, then user kinds (which override)."""
        found: list[tuple[str, str, str]] = []
        kinds_dir = resources.templates_root() / "kinds"
        wanted = None if self._only is None else f"{self._only}.toml"
        for node in sorted(kinds_dir.iterdir(), key=lambda n: n.name):
            if node.name.endswith(".toml") and wanted in (None, node.name):
                found.append((node.name[:-5], node.read_text(encoding="utf-8"), "built-in"))
        if self.user_dir and (self.user_dir / "kinds").is_dir():
            for path in sorted((self.user_dir / "kinds").glob("*.toml")):
                if wanted not in (None, path.name):
                    continue
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise UserError(
                        _("cannot be read ({exc}).").format(exc=exc), source=str(path)
                    ) from None
                found.append((path.stem, text, str(path)))
        return found

    def _load_kinds(self) -> None:
        for kind_id, text, origin in self._kind_sources():
            source = f"kinds/{kind_id}.toml" if origin == "built-in" else origin
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise UserError(_("broken TOML: {exc}.").format(exc=exc), source=source) from None
            self.kinds[kind_id] = _parse_kind(kind_id, data, source, origin)
        for kind in list(self.kinds.values()):
            self.kinds[kind.id] = LetterKind(
                **{**kind.__dict__, "locales": self._locales_of(kind.id)}
            )

    def _locales_of(self, kind_id: str) -> tuple[str, ...]:
        names: set[str] = set()
        bodies = resources.templates_root() / "bodies" / kind_id
        if bodies.is_dir():
            names |= {n.name[:-3] for n in bodies.iterdir() if n.name.endswith(".j2")}
        if self.user_dir and (self.user_dir / "bodies" / kind_id).is_dir():
            names |= {p.stem for p in (self.user_dir / "bodies" / kind_id).glob("*.j2")}
        return tuple(sorted(names))

    def get(self, kind_id: str) -> LetterKind:
        """The kind called ``kind_id``, or a clear error listing the known ones."""
        try:
            return self.kinds[kind_id]
        except KeyError:
            known = ", ".join(sorted(self.kinds))
            raise UserError(
                _("unknown letter kind '{kind_id}'; known kinds: {known}.").format(
                    kind_id=kind_id, known=known
                )
            ) from None

    def applicable(self, jurisdiction: str, locale: str | None = None) -> list[LetterKind]:
        """Kinds usable for a case in ``jurisdiction`` (and written in ``locale``)."""
        return [
            k
            for k in sorted(self.kinds.values(), key=lambda k: (k.rung, k.id))
            if k.applies_to(jurisdiction) and (locale is None or locale in k.locales)
        ]

    # -- bodies ------------------------------------------------------------
    @property
    def env(self) -> SandboxedEnvironment:
        """The sandboxed Jinja environment (built on first use)."""
        if self._env is None:
            from jinja2 import ChoiceLoader, FileSystemLoader, FunctionLoader, StrictUndefined
            from jinja2.sandbox import SandboxedEnvironment

            loaders: list[BaseLoader] = []
            if self.user_dir and (self.user_dir / "bodies").is_dir():
                loaders.append(FileSystemLoader(str(self.user_dir / "bodies")))
            loaders.append(FunctionLoader(_shipped_body))
            self._env = SandboxedEnvironment(
                loader=ChoiceLoader(loaders),
                undefined=StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=False,
                autoescape=False,  # plain text out; each renderer escapes at its edge
            )
            self._env.filters.update(_text_filters())
            self._env.filters["fr_infinitive"] = fr_infinitive
            self._env.filters["es_after_que"] = es_after_que
        return self._env

    def fill(self, kind_id: str, locale: str, context: dict[str, Any]) -> tuple[str, list[str]]:
        """Run a body template: (subject, paragraphs)."""
        from jinja2 import TemplateError, TemplateNotFound
        from jinja2.exceptions import SecurityError

        name = f"{kind_id}/{locale}.j2"
        try:
            template = self.env.get_template(name)
            if "subject" not in template.blocks or "body" not in template.blocks:
                raise UserError(
                    _("a body template must define the blocks 'subject' and 'body'."), source=name
                )
            ctx = template.new_context(context)
            subject = "".join(template.blocks["subject"](ctx))
            body = "".join(template.blocks["body"](ctx))
        except TemplateNotFound as exc:
            if exc.name != name:
                raise UserError(
                    _("includes '{missing}', which does not exist.").format(missing=exc.name),
                    source=name,
                ) from None
            raise UserError(
                _("letter kind '{kind_id}' has no body in {locale}.").format(
                    kind_id=kind_id, locale=locale
                )
            ) from None
        except SecurityError as exc:
            raise UserError(
                _("template refused: it tried to reach Python internals ({exc}).").format(exc=exc),
                source=name,
            ) from None
        except TemplateError as exc:
            line = getattr(exc, "lineno", None)
            where = f"{name} line {line}" if line else name
            raise UserError(_("template error: {exc}.").format(exc=exc), source=where) from None
        except UserError:
            raise
        except Exception as exc:  # a user template may loop or overflow: refuse it, don't crash
            raise UserError(
                _("template error: {exc}.").format(exc=f"{type(exc).__name__}: {exc}"), source=name
            ) from None
        subject, paragraphs = tidy(_collapse(subject)), [tidy(p) for p in split_paragraphs(body)]
        if locale.startswith("fr"):
            subject, paragraphs = french_spacing(subject), [french_spacing(p) for p in paragraphs]
        return subject, paragraphs


def _text_filters() -> dict[str, Any]:
    """``inline`` and ``sentence`` for inserted free text (paperwork.core.wording);
    ``inline`` reads the letter's locale and the record's names from the context."""
    from jinja2 import pass_context

    @pass_context
    def inline_filter(ctx: Any, value: Any) -> str:
        return inline(str(value), str(ctx.get("locale", "")), tuple(ctx.get("names", ())))

    return {"inline": inline_filter, "sentence": lambda value: sentence(str(value))}


_ASCII_SPACE = re.compile(r"[ \t\r\n]+")

# French imperatives ("Remboursez …") read as an infinitive after "je vous demande de".
_FR_IRREGULAR = {
    "faites": "faire",
    "dites": "dire",
    "mettez": "mettre",
    "remettez": "remettre",
    "transmettez": "transmettre",
    "prenez": "prendre",
    "reprenez": "reprendre",
    "rendez": "rendre",
    "répondez": "répondre",
    "suspendez": "suspendre",
    "attendez": "attendre",
    "interrompez": "interrompre",
    "cessez": "cesser",
    "envoyez": "envoyer",
    "renvoyez": "renvoyer",
    "revenez": "revenir",
    "tenez": "tenir",
    "maintenez": "maintenir",
    "soyez": "être",
    "ayez": "avoir",
}
_FR_NOT_VERBS = {"chez", "assez", "nez"}
# "confirmez-le" -> "le confirmer", "envoyez-moi" -> "m'envoyer"
_FR_PRONOUNS = {
    "moi": "me",
    "le": "le",
    "la": "la",
    "les": "les",
    "nous": "nous",
    "lui": "lui",
    "leur": "leur",
}


def _fr_verb(word: str) -> str:
    low = word.lower()
    stem, dash, pronoun = low.rpartition("-")
    if dash and pronoun in _FR_PRONOUNS and (verb := _fr_verb(stem)):
        weak = _FR_PRONOUNS[pronoun]
        elide = weak in ("me", "le", "la") and verb[0] in "aeiouéèêh"
        return (weak[0] + "'" if elide else weak + " ") + verb
    if low in _FR_IRREGULAR:
        return _FR_IRREGULAR[low]
    if low in _FR_NOT_VERBS or not low.endswith("ez") or len(low) < 5:
        return ""
    if low.endswith("issez"):
        return low[:-5] + "ir"
    return low[:-2] + "er"


_FR_NOT_INFINITIVES = {
    "votre",
    "notre",
    "autre",
    "entre",
    "contre",
    "leur",
    "cher",
    "hier",
    "premier",
    "dernier",
    "lettre",
    "livre",
    "offre",
    "ordre",
    "titre",
    "numéro",
    "le",
    "la",
    "les",
}


def _fr_is_infinitive(words: list[str]) -> bool:
    first = words[0].lower()
    if first in ("me", "m'", "nous", "lui", "leur", "le", "la", "les") and len(words) > 1:
        first = words[1].lower()
    if first.startswith("m'"):
        first = first[2:]
    return first.endswith(("er", "ir", "re", "oir")) and first not in _FR_NOT_INFINITIVES


def _fr_joined_infinitives(words: list[str]) -> str:
    """ "rembourser X et confirmer Y" -> "rembourser X et de confirmer Y": only a bare
    infinitive in -er/-ir/-oir (or after "me", "m'", "nous", with "le/la/les") right after
    "et", "puis" or a comma, so that "et la facture" or "et votre dossier" stay as typed."""
    out = list(words)
    for i in range(1, len(words)):
        if not (words[i - 1] in ("et", "puis") or words[i - 1].endswith(",")):
            continue
        j = i
        if words[j].lower() in ("me", "nous") or words[j].lower().startswith("m'"):
            j += 0 if words[j].lower().startswith("m'") else 1
        if j > i and j < len(words) and words[j].lower() in ("le", "la", "les"):
            j += 1
        if j >= len(words):
            continue
        verb = words[j].lower().removeprefix("m'").strip(",.")
        if verb.endswith(("er", "ir", "oir")) and verb not in _FR_NOT_INFINITIVES:
            elide = words[i][:1].lower() in "aeiouéèêh"
            out[i] = ("d'" if elide else "de ") + words[i]
    return " ".join(out)


def fr_infinitive(text: Any) -> str:
    """ "Remboursez X et confirmez Y." -> "de rembourser X et de confirmer Y"; "" when the
    text does not start with an imperative (the template then quotes it after a colon)."""
    text = _collapse(str(text or "")).rstrip(" .!")
    words = text.split(" ")
    if words and _fr_is_infinitive(words):
        # already an infinitive ("rembourser les 79,98 €", "me rembourser …"); a second one
        # takes its own "de" ("… et de confirmer", "… et de me le confirmer")
        phrase = _fr_joined_infinitives(words)
        return (
            ("d'" if phrase[:1].lower() in "aeiouéèêh" else "de ") + phrase[:1].lower() + phrase[1:]
        )
    if not words or not (verb := _fr_verb(words[0])):
        return ""

    def de(verb: str) -> str:
        return "d'" + verb if verb[0] in "aeiouéèêh" else "de " + verb

    out = [de(verb)]
    for i, word in enumerate(words[1:], start=1):
        joined = words[i - 1].endswith(",") or words[i - 1] in ("et", "puis", "ou")
        if joined and (verb := _fr_verb(word)):
            out.append(de(verb))
        else:
            out.append(word)
    return " ".join(out)


# Spanish "ustedes" imperatives with a pronoun attached ("Devuélvanme", "confírmenlo") read
# after "les solicito que" with the pronoun in front and no accent ("me devuelvan").
_ES_ENCLITIC = re.compile(r"^([^\W\d_]+?n)(me|nos|lo|la|los|las|le|les|selo|sela)$", re.UNICODE)
_ES_PLAIN = str.maketrans("áéíóú", "aeiou")


def _es_verb(word: str) -> str:
    match = _ES_ENCLITIC.match(word)
    if not match or not any(c in "áéíóú" for c in match.group(1)):
        return ""
    return f"{match.group(2)} {match.group(1).translate(_ES_PLAIN)}"


def es_after_que(text: Any) -> str:
    """ "Devuélvanme X y confírmenlo" -> "me devuelvan X y lo confirmen": the request
    reads on after "les solicito que"; other words are left as they are."""
    words = _collapse(str(text or "")).split(" ")
    out = []
    for i, word in enumerate(words):
        first = i == 0 or words[i - 1] in ("y", "e", "o") or words[i - 1].endswith(",")
        bare = word.rstrip(",.;")
        moved = _es_verb(bare.lower()) if first else ""
        out.append(moved + word[len(bare) :] if moved else word)
    return " ".join(out)


def _collapse(text: str) -> str:
    """Join lines and runs of spaces, keeping non-breaking spaces (French typography)."""
    return _ASCII_SPACE.sub(" ", text).strip(" ")


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; the lines of one paragraph are joined."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")):
        joined = _collapse(block)
        if joined:
            paragraphs.append(joined)
    return paragraphs


def _shipped_body(name: str) -> tuple[str, str, Any] | None:
    """A shipped body by template name; names that climb out of bodies/ find nothing."""
    from jinja2 import TemplateNotFound
    from jinja2.loaders import split_template_path

    try:
        parts = split_template_path(name)  # refuses "..", absolute and empty parts
    except TemplateNotFound:
        return None
    node = resources.templates_root() / "bodies"
    for part in parts:
        node = node / part
    if not node.is_file():
        return None
    return node.read_text(encoding="utf-8"), f"letter_templates/bodies/{name}", lambda: True


def _parse_kind(kind_id: str, data: dict[str, Any], source: str, origin: str) -> LetterKind:
    problems = []
    known = {
        "rung",
        "recipient",
        "jurisdictions",
        "needs",
        "delivery",
        "delivery_for",
        "title",
        "windows",
        "id",
        "regulator_category",
        "inputs",
        "states",
        "laws",
    }
    for key in sorted(set(data) - known):
        problems.append(f"{key}: unknown key.")
    titles = data.get("title", {})
    if not isinstance(titles, dict) or not titles:
        problems.append('title: give a title per locale, e.g. title.en_US = "...".')
        titles = {}
    rung = data.get("rung", 1)
    if not isinstance(rung, int) or not 1 <= rung <= 7:
        problems.append("rung: must be a whole number from 1 to 7.")
    recipient = data.get("recipient", "complaints")
    if recipient not in RECIPIENTS:
        problems.append(f"recipient: must be one of {', '.join(RECIPIENTS)}.")
    windows: dict[str, WindowRule] = {}
    periods: dict[str, tuple[WindowRule, ...]] = {}
    for key, given in (data.get("windows") or {}).items():
        rules = []
        for rule in given if isinstance(given, list) else [given]:
            if not isinstance(rule, dict) or not rule.get("window") or not rule.get("source"):
                problems.append(f"windows.{key}: needs both window and source.")
                continue
            since, until = _dates(rule, f"windows.{key}", problems)
            rules.append(WindowRule(str(rule["window"]), str(rule["source"]), since, until))
        if rules:
            rules.sort(key=lambda r: r.since or date.min)
            periods[key] = tuple(rules)
            windows[key] = rules[-1]
    delivery = str(data.get("delivery", "registered"))
    deliveries = {str(k): str(v) for k, v in (data.get("delivery_for") or {}).items()}
    for where, value in [
        ("delivery", delivery),
        *((f"delivery_for.{k}", v) for k, v in deliveries.items()),
    ]:
        if value not in DELIVERIES:
            problems.append(f"{where}: must be one of {', '.join(DELIVERIES)}.")
    inputs = tuple(str(v) for v in data.get("inputs", ()))
    for name in inputs:
        if name not in INPUT_NAMES:
            problems.append(f"inputs: '{name}' is not one of {', '.join(INPUT_NAMES)}.")
    states = tuple(str(v) for v in data.get("states", ()))
    for name in states:
        if name not in STATE_NAMES:
            problems.append(f"states: '{name}' is not one of {', '.join(STATE_NAMES)}.")
    laws = []
    for law_id, raw in (data.get("laws") or {}).items():
        if not isinstance(raw, dict) or not raw.get("cite") or not raw.get("source"):
            problems.append(f"laws.{law_id}: needs both cite and source.")
            continue
        since, until = _dates(raw, f"laws.{law_id}", problems)
        laws.append(
            LawRule(
                id=str(law_id),
                cite=str(raw["cite"]),
                source=str(raw["source"]),
                jurisdictions=tuple(raw.get("jurisdictions", ["*"])),
                since=since,
                until=until,
                recipients=tuple(raw.get("recipients", ())),
                categories=tuple(raw.get("categories", ())),
                within_days=int(raw.get("within_days", 0)),
                after=str(raw.get("after", "")),
            )
        )
    if problems:
        raise UserError(problems, source=source)
    return LetterKind(
        id=kind_id,
        titles={str(k): str(v) for k, v in titles.items()},
        rung=rung,
        recipient=recipient,
        jurisdictions=tuple(data.get("jurisdictions", ["*"])),
        windows=windows,
        needs=tuple(data.get("needs", ())),
        delivery=delivery,
        deliveries=deliveries,
        regulator_category=str(data.get("regulator_category", "")),
        origin=origin,
        inputs=inputs,
        states=states,
        laws=tuple(laws),
        periods=periods,
    )


def _dates(raw: dict[str, Any], where: str, problems: list[str]) -> tuple[date | None, date | None]:
    """The ``from``/``until`` dates of a window or law entry (TOML dates)."""
    found = []
    for key in ("from", "until"):
        value = raw.get(key)
        if value is not None and not isinstance(value, date):
            problems.append(f"{where}.{key}: give a date such as 2026-12-28.")
            value = None
        found.append(value)
    return found[0], found[1]


# ---------------------------------------------------------------------------
# Regulators, ombudsmen and small-claims routes


@dataclass(frozen=True)
class Authority:
    """A regulator or ombudsman a consumer may complain to."""

    id: str
    country: str
    categories: tuple[str, ...]
    names: dict[str, str]
    address: tuple[str, ...]
    website: str
    gate: str
    gate_texts: dict[str, str]
    source: str
    subdivisions: tuple[str, ...] = ()
    # with no postal address: what the user must add to send the letter by post
    address_note: str = ""

    def name(self, locale: str) -> str:
        return _pick(self.names, locale)

    def gate_text(self, locale: str) -> str:
        return _pick(self.gate_texts, locale)


@dataclass(frozen=True)
class Court:
    """The small-claims route of a country."""

    country: str
    names: dict[str, str]
    notes: dict[str, str]
    source: str
    # the subdivisions it serves (GB: SCT has its sheriff courts); empty = the country's
    subdivisions: tuple[str, ...] = ()


def _pick(texts: dict[str, str] | str, locale: str) -> str:
    if isinstance(texts, str):
        return texts
    return (
        texts.get(locale)
        or texts.get(locale[:2])
        or texts.get("en")
        or next(iter(texts.values()), "")
    )


def _as_texts(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return {"en": str(value)} if value else {}


@lru_cache(maxsize=8)
def _directory(user_file: Path | None) -> tuple[tuple[Authority, ...], tuple[Court, ...]]:
    from paperwork.core.cache import parsed_toml

    # (source, shipped file or the user's text): the shipped directory's parsed tables
    # are kept in the cache folder while it is unchanged; the user's file is read as is
    sources: list[tuple[str, Any]] = [
        ("letter_templates/regulators.toml", resources.templates_root() / "regulators.toml")
    ]
    if user_file and user_file.is_file():
        sources.append((str(user_file), user_file.read_text(encoding="utf-8")))
    bodies: dict[str, Authority] = {}
    courts: dict[tuple[str, tuple[str, ...]], Court] = {}
    for source, node in sources:
        try:
            data = tomllib.loads(node) if isinstance(node, str) else parsed_toml(node)
        except FileNotFoundError:
            continue
        except tomllib.TOMLDecodeError as exc:
            raise UserError(_("broken TOML: {exc}.").format(exc=exc), source=source) from None
        for raw in data.get("body", []):
            body = Authority(
                id=str(raw.get("id", "")),
                country=str(raw.get("country", "")),
                categories=tuple(raw.get("categories", ())),
                names=_as_texts(raw.get("name", "")),
                address=tuple(raw.get("address", ())),
                website=str(raw.get("website", "")),
                gate=str(raw.get("gate", "")),
                gate_texts=_as_texts(raw.get("gate_text", "")),
                source=str(raw.get("source", "")),
                subdivisions=tuple(raw.get("subdivisions", ())),
                address_note=str(raw.get("address_note", "")),
            )
            bodies[body.id or f"{body.country}-{len(bodies)}"] = body
        for raw in data.get("court", []):
            court = Court(
                country=str(raw.get("country", "")),
                names=_as_texts(raw.get("name", "")),
                notes=_as_texts(raw.get("note", "")),
                source=str(raw.get("source", "")),
                subdivisions=tuple(raw.get("subdivisions", ())),
            )
            courts[(court.country, court.subdivisions)] = court
    return tuple(bodies.values()), tuple(courts.values())


def find_authority(
    jurisdiction: str, category: str, user_file: Path | None = None
) -> Authority | None:
    """The body for a case's category in its country.

    In order: a body of the case's subdivision for the category, the country's
    body for it, the subdivision's general body, the country's general body. So a
    state's own body wins over the national one for the same category, and a US
    case with a state goes to that state's attorney general (its general body)
    where no body handles the category. A national body without a postal address
    (a placeholder that only says each state has its own office) gives way to
    the subdivision's general body, which has one.
    """
    country, _, subdivision = jurisdiction.partition("-")
    bodies = [b for b in _directory(user_file)[0] if b.country == country]
    local_general = subdivision and any(
        subdivision in b.subdivisions and "general" in b.categories and b.address for b in bodies
    )

    def rank(body: Authority) -> tuple[int, int] | None:
        national = 0 if body.subdivisions else 1
        if body.subdivisions and subdivision not in body.subdivisions:
            return None
        if category in body.categories:
            if national and not body.address and local_general:
                return (2, national)
            return (0, national)
        if "general" in body.categories:
            return (1, national)
        return None

    ranked = sorted((r, i, b) for i, b in enumerate(bodies) if (r := rank(b)) is not None)
    return ranked[0][2] if ranked else None


def find_court(jurisdiction: str, user_file: Path | None = None) -> Court | None:
    """The small-claims route of the case's subdivision if it has its own (Scotland,
    Northern Ireland), else of its country."""
    country, _sep, subdivision = jurisdiction.partition("-")
    courts = [c for c in _directory(user_file)[1] if c.country == country]
    local = [c for c in courts if subdivision and subdivision in c.subdivisions]
    national = [c for c in courts if not c.subdivisions]
    found = local or national
    return found[0] if found else None
