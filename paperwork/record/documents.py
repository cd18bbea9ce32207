"""The documents of a case's record as renderers read them: chronology entries and
bundle items. They sit below both the services that fill them and the renderers
that draw them, so neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class ChronologyEntry:
    """One dated line of a case's record."""

    on: date
    kind: str  # fact, letter, call, response, evidence, outcome, deadline
    text: str
    ref: str = ""  # letter id, call reference, exhibit number...
    missed: bool = False  # a reply deadline that passed without an answer in time


@dataclass
class ChronologyDoc:
    """What the chronology renderers need besides the entries."""

    title: str
    subtitle: str
    locale: str
    paper: str
    entries: list[ChronologyEntry]


@dataclass
class BundleItem:
    """One item of a bundle: its title and where its pages come from."""

    kind: str  # cover, index, chronology, letter, evidence
    title: str
    label: str  # the short name stamped beside the page number ("Letter 3", "E2")
    pages: int = 0
    start: int = 0  # first bundle page (1-based), once laid out
    on: date | None = None
    pdf: bytes | None = None  # cover, index, chronology, letters
    path: Path | None = None  # evidence
    media_type: str = "application/pdf"
    note: str = ""  # shown in the index: channel, tracking, file facts
    problem: str = ""  # evidence that could not be read at bundle time

    @property
    def end(self) -> int:
        return self.start + self.pages - 1

    @property
    def page_range(self) -> str:
        return str(self.start) if self.pages <= 1 else f"{self.start}–{self.end}"


@dataclass
class BundleResult:
    """What was built: the items with their bundle page ranges, and any warnings."""

    path: Path
    pages: int
    items: list[BundleItem]
    docx_path: Path | None = None
    warnings: list[str] = field(default_factory=list)
