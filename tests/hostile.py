"""Hostile, broken and unusual workbook files, built in memory for the reader's tests.

Nothing here is downloaded or committed as a binary: each function returns the bytes of
one file. `minimal_xlsx` writes a small but valid .xlsx by hand, so a test can control
every byte of the package (attributes left out, namespaces, declared dimensions...).
"""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from gcmtrack.intake.cells import a1

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_MAIN_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_REL_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKBOOK_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_WORKBOOK_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class F:
    """A formula cell for `minimal_xlsx`; `value` is its saved result (None: none saved)."""

    formula: str
    value: Any = None


# ------------------------------------------------------------------------------ zip writing


def zip_bytes(parts: dict[str, bytes | str] | list[tuple[str, bytes | str]]) -> bytes:
    """A deflated zip of the given parts, in order. A list may repeat a name."""
    items = parts.items() if isinstance(parts, dict) else parts
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in items:
                archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written byte by byte: (name, stored payload, method, crc, declared size)."""
    out = io.BytesIO()
    central = []
    for name, payload, method, crc, size in members:
        encoded = name.encode("utf-8")
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21,
                              crc, len(payload), size, len(encoded), 0))
        out.write(encoded)
        out.write(payload)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21,
                                   crc, len(payload), size, len(encoded), 0, 0, 0, 0, 0, offset)
                       + encoded)
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central),
                          out.tell() - start, start, 0))
    return out.getvalue()


def _deflated(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    payload = compressor.compress(data) + compressor.flush()
    return name, payload, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data)


# ------------------------------------------------------------------------------ xlsx writing


def _cell_xml(row: int, col: int, value: Any, with_r: bool, prefix: str) -> str:
    r = f' r="{a1(row, col)}"' if with_r else ""
    c = f"{prefix}c"
    if isinstance(value, F):
        saved = ""
        kind = ""
        if isinstance(value.value, str):
            kind = ' t="str"'
            saved = f"<{prefix}v>{escape(value.value)}</{prefix}v>"
        elif value.value is not None:
            saved = f"<{prefix}v>{value.value}</{prefix}v>"
        return f"<{c}{r}{kind}><{prefix}f>{escape(value.formula)}</{prefix}f>{saved}</{c}>"
    if isinstance(value, bool):
        return f'<{c}{r} t="b"><{prefix}v>{int(value)}</{prefix}v></{c}>'
    if isinstance(value, (int, float)):
        return f"<{c}{r}><{prefix}v>{value!r}</{prefix}v></{c}>"
    text = escape(str(value))
    return (f'<{c}{r} t="inlineStr"><{prefix}is><{prefix}t xml:space="preserve">{text}'
            f"</{prefix}t></{prefix}is></{c}>")


def sheet_xml(rows: list[list[Any]], *, ns: str = MAIN_NS, with_r: bool = True,
              dimension: str | None = None, prefix: str = "") -> str:
    """A worksheet part; None values are left out, like Excel does with empty cells."""
    xmlns = f'xmlns:{prefix[:-1]}="{ns}"' if prefix else f'xmlns="{ns}"'
    out = [XML_DECL, f"<{prefix}worksheet {xmlns}>"]
    if dimension:
        out.append(f'<{prefix}dimension ref="{dimension}"/>')
    out.append(f"<{prefix}sheetData>")
    for row_index, row in enumerate(rows, start=1):
        r = f' r="{row_index}"' if with_r else ""
        out.append(f"<{prefix}row{r}>")
        for col_index, value in enumerate(row, start=1):
            if value is not None:
                out.append(_cell_xml(row_index, col_index, value, with_r, prefix))
        out.append(f"</{prefix}row>")
    out.append(f"</{prefix}sheetData></{prefix}worksheet>")
    return "".join(out)


def minimal_xlsx(
    sheets: dict[str, list[list[Any]] | str] | None = None,
    *,
    strict: bool = False,
    prefix: str = "",
    with_r: bool = True,
    dimension: str | None = None,
    date1904: bool = False,
    workbook_content_type: str = WORKBOOK_CT,
    styles: str | None = None,
    shared_strings: str | None = None,
    extra_parts: dict[str, bytes | str | None] | None = None,
) -> bytes:
    """A small valid .xlsx written by hand.

    sheets: name -> rows of values (str, int, float, bool, F, None), or the full XML of
    the worksheet part. extra_parts are added to (or, given None, removed from) the package.
    """
    sheets = {"Sheet1": [["hello", 1]]} if sheets is None else sheets
    main_ns, rel_ns = (STRICT_MAIN_NS, STRICT_REL_NS) if strict else (MAIN_NS, REL_NS)
    parts: dict[str, bytes | str] = {}
    overrides = [("/xl/workbook.xml", workbook_content_type)]
    sheet_entries, rels = [], []
    for index, (name, content) in enumerate(sheets.items(), start=1):
        part = f"xl/worksheets/sheet{index}.xml"
        if isinstance(content, str):
            parts[part] = content
        else:
            parts[part] = sheet_xml(content, ns=main_ns, with_r=with_r, dimension=dimension, prefix=prefix)
        overrides.append((f"/{part}", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"))
        sheet_entries.append(f'<{prefix}sheet name={quoteattr(name)} sheetId="{index}" r:id="rId{index}"/>')
        rels.append(f'<Relationship Id="rId{index}" Type="{rel_ns}/worksheet" Target="worksheets/sheet{index}.xml"/>')
    if styles is not None:
        parts["xl/styles.xml"] = styles
        rels.append(f'<Relationship Id="rIdS" Type="{rel_ns}/styles" Target="styles.xml"/>')
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
        rels.append(f'<Relationship Id="rIdT" Type="{rel_ns}/sharedStrings" Target="sharedStrings.xml"/>')
    xmlns = f'xmlns:{prefix[:-1]}="{main_ns}"' if prefix else f'xmlns="{main_ns}"'
    parts["xl/workbook.xml"] = (
        f'{XML_DECL}<{prefix}workbook {xmlns} xmlns:r="{rel_ns}">'
        f'<{prefix}workbookPr date1904="{int(date1904)}"/>'
        f'<{prefix}sheets>{"".join(sheet_entries)}</{prefix}sheets></{prefix}workbook>'
    )
    parts["xl/_rels/workbook.xml.rels"] = f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">{"".join(rels)}</Relationships>'
    parts["_rels/.rels"] = (
        f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{rel_ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    parts["[Content_Types].xml"] = (
        f'{XML_DECL}<Types xmlns="{CT_NS}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
        + "</Types>"
    )
    for name, data in (extra_parts or {}).items():
        if data is None:
            parts.pop(name, None)
        else:
            parts[name] = data
    ordered = {"[Content_Types].xml": parts.pop("[Content_Types].xml")} if "[Content_Types].xml" in parts else {}
    ordered.update(parts)
    return zip_bytes(ordered)


def styles_xml(formats: dict[int, str] | None = None, xf_formats: list[int] = (0,)) -> str:
    """styles.xml with the given custom number formats and one cellXfs entry per numFmtId."""
    formats = formats or {}
    fmts = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>' for i, code in formats.items())
    xfs = "".join(f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for i in xf_formats)
    return (f'{XML_DECL}<styleSheet xmlns="{MAIN_NS}"><numFmts count="{len(formats)}">{fmts}</numFmts>'
            f'<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
            f'<cellXfs count="{len(xf_formats)}">{xfs}</cellXfs></styleSheet>')


def raw_sheet(cells_xml: str, ns: str = MAIN_NS) -> str:
    """A worksheet part around the given <row>/<c> XML."""
    return f'{XML_DECL}<worksheet xmlns="{ns}"><sheetData>{cells_xml}</sheetData></worksheet>'


# ------------------------------------------------------------------------------ hostile files


@cache
def zip_bomb(gib: int = 1) -> bytes:
    """~1 MB file whose one sheet part inflates to `gib` GiB of zeros (declared truthfully).

    Built block by block: after a full flush a deflate block depends on no earlier data,
    so one compressed MiB of zeros can be repeated without compressing a GiB.
    """
    chunk = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    blocks = gib * 1024
    payload = first + block * (blocks - 1) + compressor.flush()
    crc = 0
    for _ in range(blocks):
        crc = zlib.crc32(chunk, crc)
    base = zipfile.ZipFile(io.BytesIO(minimal_xlsx()))
    members = [_deflated(i.filename, base.read(i)) for i in base.infolist() if "worksheets" not in i.filename]
    members.append(("xl/worksheets/sheet1.xml", payload, zipfile.ZIP_DEFLATED, crc, blocks << 20))
    return raw_zip(members)


def zip_bomb_understated() -> bytes:
    """A part whose declared size (1 KiB) hides 64 MiB of zeros behind it."""
    data = bytes(64 << 20)
    base = zipfile.ZipFile(io.BytesIO(minimal_xlsx()))
    members = [_deflated(i.filename, base.read(i)) for i in base.infolist() if "worksheets" not in i.filename]
    name, payload, method, crc, _size = _deflated("xl/worksheets/sheet1.xml", data)
    members.append((name, payload, method, crc, 1024))
    return raw_zip(members)


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    strings = (f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'
               f'<sst xmlns="{MAIN_NS}"><si><t>&lol9;</t></si></sst>')
    return minimal_xlsx({"Sheet1": raw_sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')},
                        shared_strings=strings)


def xxe(encoding: str = "utf-8") -> bytes:
    """A sheet whose DTD pulls /etc/passwd into a cell (in UTF-8, or UTF-16 with a BOM)."""
    text = (f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
            '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            f'<worksheet xmlns="{MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
            '<is><t>&xxe;</t></is></c></row></sheetData></worksheet>')
    data = text.encode("utf-16") if encoding.lower().startswith("utf-16") else text.encode(encoding)
    return minimal_xlsx({"Sheet1": ""}, extra_parts={"xl/worksheets/sheet1.xml": data})


def huge_dimension() -> bytes:
    """Declares the whole grid and fills its first and last cell (~2 KB)."""
    cells = ('<row r="1"><c r="A1"><v>1</v></c></row>'
             '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>')
    xml = (f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><dimension ref="A1:XFD1048576"/>'
           f"<sheetData>{cells}</sheetData></worksheet>")
    return minimal_xlsx({"Sheet1": xml})


def huge_dimension_one_cell() -> bytes:
    """Declares the whole grid but holds one cell: must read as that one cell, at once."""
    return minimal_xlsx({"Sheet1": [["only"]]}, dimension="A1:XFD1048576")


def million_letter_column() -> bytes:
    """A cell reference of a million column letters: out of bounds, found without arithmetic on it."""
    return minimal_xlsx({"S": raw_sheet('<row r="1"><c r="%s1"><v>1</v></c></row>' % ("A" * 1_000_000))})


def huge_row_in_cell() -> bytes:
    """A cell reference with a row number of 100,000 digits."""
    return minimal_xlsx({"S": raw_sheet('<row r="1"><c r="A%s"><v>1</v></c></row>' % ("9" * 100_000))})


def huge_row() -> bytes:
    """A row number of 100,000 digits, and a cell placed in it by counting."""
    return minimal_xlsx({"S": raw_sheet('<row r="%s"><c><v>1</v></c></row>' % ("9" * 100_000))})


def dimension_a1_for_full_sheet(rows: int = 500) -> bytes:
    """Declares A1:A1, as some producers do, yet holds `rows` rows of three columns."""
    return minimal_xlsx({"Sheet1": [[f"row {r}", r, r * 0.5] for r in range(1, rows + 1)]}, dimension="A1:A1")


def duplicate_part(case_only: bool = False) -> bytes:
    base = zipfile.ZipFile(io.BytesIO(minimal_xlsx()))
    parts = [(i.filename, base.read(i)) for i in base.infolist()]
    second = "xl/worksheets/Sheet1.xml" if case_only else "xl/worksheets/sheet1.xml"
    parts.append((second, raw_sheet('<row r="1"><c r="A1"><v>666</v></c></row>')))
    return zip_bytes(parts)


def truncated(valid_bytes: bytes, keep: float = 0.6) -> bytes:
    return valid_bytes[: int(len(valid_bytes) * keep)]


def too_many_entries(count: int = 1100) -> bytes:
    return minimal_xlsx(extra_parts={f"customXml/item{i}.xml": "<a/>" for i in range(count)})


def _ole2(*stream_names: str) -> bytes:
    """An OLE2 compound file header and one directory sector naming the given streams."""
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)).ljust(512, b"\x00")
    directory = b""
    for name in ("Root Entry", *stream_names):
        encoded = (name + "\0").encode("utf-16-le")
        directory += (encoded.ljust(64, b"\x00") + struct.pack("<H", len(encoded))).ljust(128, b"\x00")
    return header + directory.ljust(512, b"\x00")


def ole_encrypted() -> bytes:
    """What Excel writes for a password-protected .xlsx: an OLE2 file with these streams."""
    return _ole2("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces")


def legacy_xls() -> bytes:
    return _ole2("Workbook", "\x05SummaryInformation")


def legacy_doc() -> bytes:
    return _ole2("WordDocument", "1Table")


def pdf_renamed() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def csv_renamed() -> bytes:
    return "Objective;Status\n1;Implemented\n2;Planned – en cours\n".encode("utf-8")


def html_renamed() -> bytes:
    return b"<!DOCTYPE html>\n<html><head><title>Report</title></head><body><table><tr><td>1</td></tr></table></body></html>"


def ods_renamed() -> bytes:
    return zip_bytes([
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
        ("content.xml", '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'),
        ("META-INF/manifest.xml", "<manifest/>"),
    ])


def docx_renamed() -> bytes:
    doc_ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return zip_bytes({
        "[Content_Types].xml": f'<Types xmlns="{CT_NS}"><Override PartName="/word/document.xml" ContentType="{doc_ct}"/></Types>',
        "_rels/.rels": (f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
                        f'Type="{REL_NS}/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
    })


def macro_workbook() -> bytes:
    return minimal_xlsx({"Sheet1": [["with macros"]]}, workbook_content_type=MACRO_WORKBOOK_CT,
                        extra_parts={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really VBA"})


def external_link_workbook(target: str = "file:///C:/Reports/Budget%202024.xlsx") -> bytes:
    link = (f'{XML_DECL}<externalLink xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            '<externalBook r:id="rId1"/></externalLink>')
    rels = (f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/externalLinkPath" Target="{target}" TargetMode="External"/></Relationships>')
    return minimal_xlsx({"Sheet1": [[F("[1]Sheet1!A1", 42)]]}, extra_parts={
        "xl/externalLinks/externalLink1.xml": link,
        "xl/externalLinks/_rels/externalLink1.xml.rels": rels,
    })


def formula_without_value(count: int = 1) -> bytes:
    """`count` cells in column B holding a formula with no saved result."""
    return minimal_xlsx({"Sheet1": [[r, F(f"A{r}*2")] for r in range(1, count + 1)]})


def strict_ooxml(prefix: str = "") -> bytes:
    """Strict OOXML namespaces (optionally with an element prefix such as 'x:')."""
    return minimal_xlsx({"Data": [["strict", 7], [True, 2.5]]}, strict=True, prefix=prefix)


def no_r_attributes() -> bytes:
    return minimal_xlsx({"Sheet1": [["a", None, "c"], [], [1, 2, 3]]}, with_r=False)


def junk_elements(megabytes: int = 30) -> bytes:
    """A sheet whose sheetData holds tens of MiB of tiny unknown elements (CPU, not memory)."""
    junk = "<x/>" * (megabytes * (1 << 20) // 4)
    return minimal_xlsx({"Sheet1": raw_sheet('<row r="1"><c r="A1"><v>1</v></c></row>' + junk)})
