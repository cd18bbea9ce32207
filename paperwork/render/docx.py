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
            [conv.get("date", "Date"), doc.place_date],
        ],
        "place_date": doc.place_date,
        "subject": doc.subject,
        "salutation": doc.salutation,
        "body": [
            {"bullet": p.startswith("- "), "text": p[2:] if p.startswith("- ") else p}
            for p in doc.paragraphs
        ],
        "closing": doc.closing,
        "signature": doc.signature,
        "enclosures": list(doc.enclosures),
        "enclosures_label": conv.get("enclosures", "Enclosures"),
        "page_before": before,
        "page_between": between,
        "page_after": after,
    }


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
        templated_elsewhere = any(
            (b"{{" in blob or b"{%" in blob)
            for info, blob in self.entries
            if info.filename not in self.parts and info.filename != main_name
        )
        # Templated footnotes or core properties, or no core part: let docxtpl do it all.
        self.fallback = templated_elsewhere or self.core is None

    def render(self, context: dict, title: str, author: str, language: str) -> bytes:
        """The filled package as DOCX bytes."""
        import copy

        from lxml import etree

        helper = self.helper
        xml = self._finish(self.body.render(context))
        body = helper.fix_tables(xml)
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
        replaced[_CORE] = _core_properties(self.core, title=title, author=author, language=language)
        return _write_zip(
            [
                _ZipEntry.of(info, replaced[info.filename])
                if info.filename in replaced
                else self.deflated[info.filename]
                for info, _ in self.entries
            ]
        )

    def _finish(self, xml: str) -> str:
        """docxtpl's steps after Jinja (render_xml_part's tail)."""
        import re

        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
        return self.helper.resolve_listing(xml)


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


def _core_properties(blob: bytes | None, *, title: str, author: str, language: str) -> bytes:
    from docx.oxml import parse_xml
    from lxml import etree

    # every layout document carries its core properties (tools/build_docx_layouts.py)
    assert blob is not None, "the layout has no docProps/core.xml"
    element = parse_xml(blob)
    # Word's document properties hold at most 255 characters (python-docx enforces it)
    element.title_text = title[:255]
    element.author_text = author[:255]
    element.language_text = language
    return etree.tostring(element, encoding="UTF-8", standalone=True)


@lru_cache(maxsize=8)
def compiled_layout(name: str) -> CompiledLayout:
    """The layout ``name`` prepared for filling; once per process."""
    return CompiledLayout(_layout_bytes(name))


def render_docx(doc: LetterDocument, layout: Layout) -> bytes:
    """Fill the layout document for ``layout`` with ``doc`` and return the DOCX bytes."""
    compiled = compiled_layout(layout.name)
    language = doc.locale.replace("_", "-")
    if not compiled.fallback:
        return compiled.render(
            docx_context(doc), title=doc.subject, author=doc.sender_name, language=language
        )
    return render_docx_plain(doc, layout)


def render_docx_plain(doc: LetterDocument, layout: Layout) -> bytes:
    """The same letter through docxtpl's own render and save (the slow, general path)."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(_layout_bytes(layout.name)))
    template.render(docx_context(doc), autoescape=True)
    core = template.docx.core_properties
    core.title = doc.subject[:255]  # Word's properties hold at most 255 characters
    core.author = doc.sender_name[:255]
    core.language = doc.locale.replace("_", "-")
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()
