"""The DOCX renderer: the same LetterDocument filled into a docxtpl layout document.

The layout documents live in ``letter_templates/layouts/<layout>.docx`` (built by
``tools/build_docx_layouts.py``). docxtpl always renders with autoescape on, so
``&`` and ``<`` in a name come out as typed.

A layout is prepared once per process (:class:`CompiledLayout`): docxtpl's own
``patch_xml`` cleans the XML and Jinja compiles it, and the untouched parts of
the package are kept as bytes. Each letter then costs one Jinja render, the same
post-processing docxtpl does (``resolve_listing``, ``fix_tables``, docPr ids) and
one ZIP write, instead of unzipping, parsing and compiling the layout again and
re-serialising every part through python-docx (about 10x faster; see
benchmarks/). Entries keep the layout file's timestamps, so the output is
byte-stable. A layout with templated parts this path does not handle
(footnotes, core properties) falls back to the plain docxtpl render.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import TYPE_CHECKING

from paperwork.core.layouts import Layout, return_line
from paperwork.core.model import LetterDocument

if TYPE_CHECKING:
    from jinja2 import Template


@lru_cache(maxsize=8)
def _layout_bytes(name: str) -> bytes:
    from paperwork.core.resources import templates_root

    return (templates_root() / "layouts" / f"{name}.docx").read_bytes()


def docx_context(doc: LetterDocument) -> dict:
    """The template variables of a layout document, from the neutral letter."""
    from paperwork.core.i18n import conventions
    from paperwork.core.i18n import nonbreaking as glue

    conv = conventions(doc.locale)
    before, _, rest = doc.page_label.partition("{n}")
    between, _, after = rest.partition("{m}")
    return {
        "sender_name": doc.sender_name,
        "sender_lines": list(doc.sender_lines),
        "sender_contact": list(doc.sender_contact),
        # about 60 characters of 7 pt text fit on the 80 mm return line
        "return_line": return_line(doc, lambda text: len(text) <= 60),
        "delivery": doc.delivery,
        "recipient_lines": list(doc.recipient_lines),
        "references": [list(r) for r in doc.references],
        "info_rows": [
            *([list(r) for r in doc.references]),
            [conv.get("date", "Date"), glue(doc.place_date)],
        ],
        "place_date": glue(doc.place_date),
        "subject": glue(doc.subject),
        "salutation": doc.salutation,
        "body": [
            {"bullet": p.startswith("- "), "text": glue(p[2:] if p.startswith("- ") else p)}
            for p in doc.paragraphs
        ],
        "closing": doc.closing,
        "signature": doc.signature,
        "enclosures": list(doc.enclosures),
        "enclosures_label": conv.get("enclosures", "Enclosures"),
        # from page two, before "Page N of M" (cut like the PDF's header line)
        "continuation_line": _continuation_line(doc),
        "page_before": before,
        "page_between": between,
        "page_after": after,
    }


# about 80 characters of 8 pt text leave room for "Page 2 of 3" on the header line
_HEADER_CHARS = 80


def _continuation_line(doc: LetterDocument) -> str:
    """The continuation header's text before the page counter: "Recipient · date · "."""
    head = " · ".join(x for x in (doc.continuation, doc.place_date) if x)
    if len(head) > _HEADER_CHARS:
        head = head[: _HEADER_CHARS - 1].rstrip() + "…"
    return f"{head} · " if head else ""


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_CORE = "docProps/core.xml"
_HEADER_FOOTER_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
)


class CompiledLayout:
    """A DOCX layout parsed and compiled once, filled many times (thread-safe)."""

    def __init__(self, data: bytes):
        import re
        import zipfile

        from docxtpl import DocxTemplate
        from jinja2 import Environment
        from lxml import etree

        with zipfile.ZipFile(io.BytesIO(data)) as package:
            self.entries = [(info, package.read(info.filename)) for info in package.infolist()]
        blobs = {info.filename: blob for info, blob in self.entries}
        # unchanged parts are deflated once, here, not once per letter
        self.deflated = {info.filename: _ZipEntry.of(info, blob) for info, blob in self.entries}
        self.helper = DocxTemplate(io.BytesIO(data))  # for its XML clean-up methods only
        self.helper.render_init()
        document = self.helper.docx
        env = Environment(autoescape=True)  # what docxtpl builds for autoescape=True

        def compile_xml(xml: str):
            return env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", self.helper.patch_xml(xml)))

        self.body = compile_xml(self.helper.get_xml())
        main_name = document.part.partname.lstrip("/")
        self.main_name = main_name
        self.document_root = etree.fromstring(blobs[main_name])
        # headers and footers referenced by the document: (zip name, encoding, compiled)
        self.parts: dict[str, tuple[str, Template]] = {}
        for rel in document.part.rels.values():
            part = rel.target_part if not rel.is_external else None
            if part is None or part.content_type not in _HEADER_FOOTER_TYPES or not part.blob:
                continue
            xml = self.helper.get_part_xml(part)
            encoding = self.helper.get_headers_footers_encoding(xml)
            self.parts[part.partname.lstrip("/")] = (encoding, compile_xml(xml))
        self.core = blobs.get(_CORE)
        self._language_parts: dict[str, dict[str, bytes]] = {}
        self._language_entries: dict[str, dict[str, _ZipEntry]] = {}
        templated_elsewhere = any(
            (b"{{" in blob or b"{%" in blob)
            for info, blob in self.entries
            if info.filename not in self.parts and info.filename != main_name
        )
        # Templated footnotes or core properties, or no core part: let docxtpl do it all.
        self.fallback = templated_elsewhere or self.core is None

    def render(self, context: dict, doc: LetterDocument) -> bytes:
        """The filled package as DOCX bytes."""
        import copy

        from lxml import etree

        helper = self.helper
        xml = self._finish(self.body.render(context))
        body = helper.fix_tables(xml)
        keep_ending_together(body, doc.closing, doc.signature)
        for number, element in enumerate(body.iter(f"{{{_WP}}}docPr"), start=1001):
            element.attrib["id"] = str(number)  # docxtpl's fix_docpr_ids, without its counter
        root = copy.deepcopy(self.document_root)
        root.replace(root.find(f"{{{_W}}}body"), body)
        replaced = {self.main_name: etree.tostring(root, encoding="UTF-8", standalone=True)}
        for name, (encoding, compiled) in self.parts.items():
            part_xml = self._finish(compiled.render(context)).encode(encoding)
            # parse as python-docx would, so a broken part fails here, not in Word
            replaced[name] = etree.tostring(
                etree.fromstring(part_xml), encoding="UTF-8", standalone=True
            )
        replaced[_CORE] = _core_properties(self.core, doc)
        # the styles, settings and application parts are the same for every letter in
        # one language: deflated once per language (they are the largest parts)
        same = self.language_entries(_language_tag(doc.locale))
        return _write_zip(
            [
                same.get(info.filename)
                or (
                    _ZipEntry.of(info, replaced[info.filename])
                    if info.filename in replaced
                    else self.deflated[info.filename]
                )
                for info, _ in self.entries
            ]
        )

    def language_entries(self, tag: str) -> dict[str, _ZipEntry]:
        """:meth:`language_parts` deflated, once per tag."""
        cached = self._language_entries.get(tag)
        if cached is None:
            parts = self.language_parts(tag)
            cached = {
                info.filename: _ZipEntry.of(info, parts[info.filename])
                for info, _ in self.entries
                if info.filename in parts
            }
            self._language_entries[tag] = cached
        return cached

    def language_parts(self, tag: str) -> dict[str, bytes]:
        """The styles and settings parts with ``tag`` as the proofing language, and
        the application name without the tool that built the layout (once per tag)."""
        from lxml import etree

        cached = self._language_parts.get(tag)
        if cached is not None:
            return cached
        out = {}
        for info, blob in self.entries:
            name = info.filename
            if name in (*_LANGUAGE_PARTS, _APP):
                root = etree.fromstring(blob)
                if name == _APP:
                    _set_application(root)
                else:
                    set_language(root, tag)
                out[name] = etree.tostring(root, encoding="UTF-8", standalone=True)
        self._language_parts[tag] = out
        return out

    def _finish(self, xml: str) -> str:
        """docxtpl's steps after Jinja (render_xml_part's tail)."""
        import re

        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
        if not any(special in xml for special in _LISTING):
            return xml  # resolve_listing would give back the same text, at length
        return self.helper.resolve_listing(xml)


# What docxtpl's resolve_listing turns into runs: tab, bell (new paragraph), new
# line and form feed; text without any of them comes back from it unchanged.
_LISTING = ("\t", "\a", "\n", "\f")


class _ZipEntry:
    """One deflated member of a ZIP package, ready to be written as is."""

    __slots__ = ("crc", "data", "dos_date", "dos_time", "external_attr", "name", "size")
    crc: int
    data: bytes
    dos_date: int
    dos_time: int
    external_attr: int
    name: bytes
    size: int

    @classmethod
    def of(cls, info, blob: bytes) -> _ZipEntry:
        import zlib

        entry = cls()
        year, month, day, hour, minute, second = info.date_time
        entry.name = info.filename.encode("utf-8")
        entry.dos_time = (hour << 11) | (minute << 5) | (second // 2)
        entry.dos_date = ((year - 1980) << 9) | (month << 5) | day
        entry.crc = zlib.crc32(blob)
        entry.size = len(blob)
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)  # raw deflate, as zipfile writes it
        entry.data = packer.compress(blob) + packer.flush()
        entry.external_attr = info.external_attr
        return entry


def _write_zip(entries: list[_ZipEntry]) -> bytes:
    """A ZIP archive of already deflated entries (local headers, central directory, end)."""
    import struct

    out = io.BytesIO()
    central = io.BytesIO()
    for entry in entries:
        offset = out.tell()
        flags = 0x800 if not entry.name.isascii() else 0  # bit 11: the name is UTF-8
        # from "flags" to "extra field length": the same in both headers (8 = deflated)
        shared = (flags, 8, entry.dos_time, entry.dos_date, entry.crc)
        sizes = (len(entry.data), entry.size, len(entry.name), 0)
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, *shared, *sizes))
        out.write(entry.name)
        out.write(entry.data)
        # version made by, then the same fields, comment length, disk, internal and external
        # attributes, and where the local header starts
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                *shared,
                *sizes,
                0,
                0,
                0,
                entry.external_attr,
                offset,
            )
        )
        central.write(entry.name)
    start = out.tell()
    directory = central.getvalue()
    out.write(directory)
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), start, 0
        )
    )
    return out.getvalue()


_LANGUAGE_PARTS = ("word/styles.xml", "word/stylesWithEffects.xml", "word/settings.xml")
_APP = "docProps/app.xml"
_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def _language_tag(locale: str) -> str:
    """The BCP 47 tag of a letter's locale: "en_GB" -> "en-GB"."""
    return locale.replace("_", "-")


def set_language(root, tag: str) -> None:
    """Make ``tag`` the language of every default and style run (``w:lang``) and the
    theme fonts' language in ``root`` (a styles or settings part), so a British
    letter is checked as British English, not the template's en-US."""
    for name in ("lang", "themeFontLang"):
        for element in root.iter(f"{{{_W}}}{name}"):
            element.set(f"{{{_W}}}val", tag)


def _set_application(root) -> None:
    for element in root.iter(f"{{{_EXTENDED}}}Application"):
        element.text = "Paperwork"


def keep_ending_together(body, closing: str, signature: str) -> None:
    """Keep the last paragraph, the closing and the signature on one page: Word's
    "keep with next" on the last body paragraph and on the closing."""
    paragraphs = list(body.iter(f"{{{_W}}}p"))

    def text(p) -> str:
        return "".join(t.text or "" for t in p.iter(f"{{{_W}}}t"))

    for index in range(len(paragraphs) - 2, 0, -1):
        if text(paragraphs[index]) == closing and text(paragraphs[index + 1]) == signature:
            break
    else:
        return
    previous = index - 1
    while previous >= 0 and not text(paragraphs[previous]).strip():
        previous -= 1  # skip the empty rows docxtpl leaves where its loop tags were
    for p in (paragraphs[index], *(paragraphs[previous : previous + 1] if previous >= 0 else [])):
        ppr = p.find(f"{{{_W}}}pPr")
        if ppr is None:
            ppr = _w_element("pPr")
            p.insert(0, ppr)
        if ppr.find(f"{{{_W}}}keepNext") is None:
            _insert_in_order(ppr, _w_element("keepNext"))


# the order of the first children of w:pPr in the schema (keepNext comes after these)
_PPR_BEFORE_KEEP = ("pStyle",)


def _w_element(name: str):
    from lxml import etree

    return etree.Element(f"{{{_W}}}{name}")


def _insert_in_order(ppr, element) -> None:
    """Insert ``element`` into ``ppr`` where the schema puts it (after w:pStyle)."""
    position = 0
    for index, child in enumerate(ppr):
        if _local_name(child.tag) in _PPR_BEFORE_KEEP:
            position = index + 1
    ppr.insert(position, element)


def _local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def _letter_datetime(doc: LetterDocument):
    """The letter's date at midnight UTC: the document's creation and change time."""
    from datetime import UTC, date, datetime, time

    return datetime.combine(date.fromisoformat(doc.date_iso), time(0, 0), tzinfo=UTC)


def fill_core_properties(core, doc: LetterDocument) -> None:
    """The DOCX core properties of a letter: its sender, date, language and subject,
    nothing from the tool that built the layout (python-docx leaves its name and
    2013 dates there). ``core`` is python-docx's CT_CoreProperties element."""
    when = _letter_datetime(doc)
    # Word's document properties hold at most 255 characters (python-docx enforces it)
    core.title_text = doc.subject[:255]
    core.author_text = doc.sender_name[:255]
    core.lastModifiedBy_text = doc.sender_name[:255]
    core.language_text = _language_tag(doc.locale)
    core.created_datetime = when
    core.modified_datetime = when
    core.comments_text = ""
    core.keywords_text = ""
    core.category_text = ""
    core.subject_text = ""
    core.revision_number = 1
    printed = core.find(
        "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastPrinted"
    )
    if printed is not None:
        core.remove(printed)


def _core_properties(blob: bytes | None, doc: LetterDocument) -> bytes:
    from docx.oxml import parse_xml
    from lxml import etree

    # every layout document carries its core properties (tools/build_docx_layouts.py)
    assert blob is not None, "the layout has no docProps/core.xml"
    element = parse_xml(blob)
    fill_core_properties(element, doc)
    return etree.tostring(element, encoding="UTF-8", standalone=True)


@lru_cache(maxsize=8)
def compiled_layout(name: str) -> CompiledLayout:
    """The layout ``name`` prepared for filling; once per process."""
    return CompiledLayout(_layout_bytes(name))


def render_docx(doc: LetterDocument, layout: Layout) -> bytes:
    """Fill the layout document for ``layout`` with ``doc`` and return the DOCX bytes."""
    compiled = compiled_layout(layout.name)
    if not compiled.fallback:
        return compiled.render(docx_context(doc), doc)
    return render_docx_plain(doc, layout)


def render_docx_plain(doc: LetterDocument, layout: Layout) -> bytes:
    """The same letter through docxtpl's own render and save (the slow, general path)."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(_layout_bytes(layout.name)))
    template.render(docx_context(doc), autoescape=True)
    package = template.docx
    keep_ending_together(package.element.body, doc.closing, doc.signature)
    fill_core_properties(package.core_properties._element, doc)
    tag = _language_tag(doc.locale)
    set_language(package.styles.element, tag)
    set_language(package.settings.element, tag)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
