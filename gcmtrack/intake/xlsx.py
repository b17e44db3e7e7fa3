"""Reads the bytes of an .xlsx workbook into plain, sparse cell values, safely.

This is the only module that looks inside a submitted file. It trusts nothing the file
declares: the format is sniffed from the bytes, the zip package is checked against the
limits below before anything is decompressed, every part is decompressed in bounded chunks
that stop as soon as a limit is passed, XML with a DTD or entity declarations is refused
(by a byte scan of each chunk and by the parser itself), and sheets are parsed as a stream
into a dict of the non-empty cells, whatever dimension the sheet claims. Anything that
makes the file unreadable raises `WorkbookError` carrying a located `Problem`; anything
else noticed on the way (macros, links to other workbooks, formulas without a saved
result) is returned as a warning in `RawWorkbook.problems`.
"""

from __future__ import annotations

import datetime
import io
import math
import posixpath
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote
from xml.parsers import expat

from gcmtrack.common.spreadsheet import EXCEL_MAX_COLS, EXCEL_MAX_ROWS
from gcmtrack.common.spreadsheet import MAX_FILE_BYTES as _MAX_FILE_BYTES
from gcmtrack.errors import WorkbookError
from gcmtrack.intake.cells import a1, column_index
from gcmtrack.intake.problems import Problem

_MiB = 1024 * 1024

# ------------------------------------------------------------------------------ limits
# A real submission is 4 sheets of some 23 rows plus ~50 practice rows: a few hundred
# cells, under 1 MiB zipped. The limits leave room for a hundred times that while keeping
# the time and memory spent on a hostile file small (peak memory stays in the tens of MB).

MAX_FILE_BYTES = _MAX_FILE_BYTES
"""Largest accepted .xlsx file, as sent (compressed); defined in gcmtrack.common.spreadsheet."""

MAX_ENTRIES = 1000
"""Most entries (parts and folders) in the zip package; Excel writes ~10-30, large
workbooks with many sheets, charts and images a few hundred."""

MAX_CENTRAL_DIRECTORY_BYTES = 1 * _MiB
"""Largest zip table of contents, checked before Python's zipfile builds an object per
entry, so a file cannot claim a few entries yet list hundreds of thousands."""

MAX_PART_BYTES = 32 * _MiB
"""Largest uncompressed size of any one part (a sheet, the shared strings...), declared
or actually decompressed. Leaves room for MAX_CELLS cells of long text."""

MAX_TOTAL_BYTES = 128 * _MiB
"""Largest uncompressed size of the whole package as declared, and most bytes this module
will decompress from one file."""

MAX_RATIO = 100
"""Highest compression ratio (uncompressed:compressed) of a part larger than
RATIO_CHECK_BYTES. Spreadsheet XML compresses 5-40:1; zip bombs compress ~1000:1."""

RATIO_CHECK_BYTES = 1 * _MiB
"""Parts smaller than this (uncompressed) are not ratio-checked: small repetitive XML
legitimately compresses far better than 100:1 and cannot hurt."""

MAX_ROWS = 100_000
"""A non-empty cell below this row is an error (`sheet-too-large`) naming the cell."""

MAX_COLS = 200
"""A non-empty cell right of this column (GR) is an error (`sheet-too-large`); a
submission's widest sheet has about 15 columns."""

MAX_CELLS = 100_000
"""Most non-empty cells in the whole workbook (`too-many-cells`): some 30 times a large
submission. Each cell costs ~200 bytes and ~4 µs to read, so the limit bounds both."""

MAX_SHARED_STRINGS = MAX_CELLS
"""Most entries in the shared string table (`too-many-strings`): a workbook cannot use
more distinct strings than it has cells."""

MAX_FORMULA_WARNINGS = 50
"""At most this many `formula-no-value` warnings per sheet; further ones are dropped."""

MAX_RELATIONSHIPS = 10_000
"""Most entries in a .rels part or in [Content_Types].xml, and most sheets a workbook
may list."""

MAX_XML_ELEMENTS = 1_500_000
"""Most XML elements this module will walk in one workbook, all parts together
(`xml-too-complex`). Element callbacks are the reader's main cost (~0.5 µs each); a
workbook at MAX_CELLS and MAX_SHARED_STRINGS has about 600,000. Bounds the time a file
stuffed with tiny junk elements can take to about a second."""

MAX_STYLES = 65_000
"""Cell formats (cellXfs) beyond this many are ignored (Excel's own limit is 64,000)."""

MAX_MERGED_RANGES = 10_000
"""Merged ranges beyond this many on one sheet are ignored (a submission has a few dozen)."""

MAX_COMMENTS = MAX_CELLS
"""Most cell comments read from the whole workbook when comments are asked for (the annotated
copy keeps them); further ones are ignored."""

CHUNK_BYTES = 64 * 1024
"""Parts are decompressed and parsed in chunks of this size."""

# ------------------------------------------------------------------------------ public API


@dataclass(frozen=True, slots=True)
class Cell:
    """One non-empty cell: its value as read and, if it holds one, its formula."""

    value: str | int | float | bool | datetime.datetime | datetime.date | None
    formula: str | None = None  # formula text without '=', if the cell has a formula


@dataclass
class Sheet:
    """A worksheet's non-empty cells keyed by (row, col), both 1-based as Excel shows them.

    A cell is non-empty if it has a value other than "" or a formula; a formula without a
    saved result is kept with value None (and a `formula-no-value` warning)."""

    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    max_row: int = 0  # largest row holding a non-empty cell, 0 if none
    max_col: int = 0
    state: str = "visible"  # "visible", "hidden" or "veryHidden" (hidden from the user interface too)
    merged: tuple[tuple[int, int, int, int], ...] = ()  # merged ranges: (min_row, min_col, max_row, max_col)
    # the cells of a shared formula other than the one it is written in -> that cell (the formula's
    # references are relative to it: B1+1 written in A1 reads B2+1 in A2)
    formula_origins: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    # an array formula's cell -> the range it fills
    array_formulas: dict[tuple[int, int], tuple[int, int, int, int]] = field(default_factory=dict)
    # cell comments as (author, text), read only when read_workbook is asked for them
    comments: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)

    def value(self, row: int, col: int):
        cell = self.cells.get((row, col))
        return None if cell is None else cell.value

    @property
    def hidden(self) -> bool:
        return self.state != "visible"

    def merged_range(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        """The merged range holding the cell, or None."""
        for rng in self.merged:
            if rng[0] <= row <= rng[2] and rng[1] <= col <= rng[3]:
                return rng
        return None

    def visible_cell(self, row: int, col: int) -> tuple[int, int]:
        """The cell the user sees at (row, col): the top-left cell of a merged range holding it."""
        rng = self.merged_range(row, col)
        return (rng[0], rng[1]) if rng else (row, col)

    def right_of(self, row: int, col: int) -> tuple[int, int]:
        """The first cell right of (row, col) as the user sees it: past the merged range
        (col) belongs to, e.g. the value of a label merged over A1:B1 is C1."""
        rng = self.merged_range(row, col)
        return (row, (rng[3] if rng else col) + 1)


@dataclass
class RawWorkbook:
    sheets: list[Sheet]  # in workbook order
    problems: list[Problem]  # warnings: macros-ignored, external-link, formula-no-value
    has_macros: bool
    # the workbook counts dates from 1904 (workbookPr date1904): date-formatted cells are read
    # with it here, and validation reads a date typed as a plain number with it too
    date1904: bool = False


class ExcelError(str):
    """A cell holding an Excel error value (t="e": #REF!, #N/A, #DIV/0!, ...): its text, marked
    as no one's words."""

    __slots__ = ()


# Excel's error values, as a cell shows them (also when typed or pasted as text).
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
                          "#EXTERNAL!", "#PYTHON!"})


def is_excel_error(value) -> bool:
    """A cell value that is an Excel error value rather than text."""
    return isinstance(value, ExcelError) or (isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS)


def read_workbook(data: bytes, filename: str = "", *, comments: bool = False) -> RawWorkbook:
    """Read .xlsx bytes; raise WorkbookError with a located Problem if they cannot be read.

    The format is decided from the bytes alone, never from `filename` (a renamed file is
    still what it is); the name is accepted so callers can pass what they have. With
    `comments`, each sheet's cell comments are read too (within the same limits), for the
    annotated copy; validation does not need them.
    """
    if not data:
        raise WorkbookError(Problem("file-empty"))
    if data[:4] not in _ZIP_MAGICS:
        raise WorkbookError(_sniff_non_zip(data))
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookError(
            Problem("file-too-large", params={"size": len(data), "limit": MAX_FILE_BYTES})
        )
    package = _Package(data)
    return _WorkbookReader(package, comments=comments).read()


# ------------------------------------------------------------------------------ sniffing

_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SNIFF_BYTES = 64 * 1024
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")

KIND_PDF = "a PDF document"
KIND_TEXT = "a CSV or text file"
KIND_HTML = "a web page (HTML)"
KIND_XML_SPREADSHEET = "an Excel 2003 XML spreadsheet"
KIND_ODS = "an OpenDocument spreadsheet (.ods)"
KIND_OPENDOCUMENT = "an OpenDocument file"
KIND_XLSB = "an Excel binary workbook (.xlsb)"
KIND_DOC = "a Word 97-2003 document (.doc)"
KIND_PPT = "a PowerPoint 97-2003 presentation (.ppt)"
KIND_UNKNOWN = "not a spreadsheet"


def _wrong_format(kind: str) -> Problem:
    return Problem("wrong-format", params={"kind": kind})


def _sniff_non_zip(data: bytes) -> Problem:
    """The problem to report for bytes that are not a zip package."""
    if data.startswith(_OLE2_MAGIC):
        # An OLE2 compound file: Excel 97-2003, or an encrypted OOXML file (whose streams
        # are named EncryptionInfo / EncryptedPackage), or another Office 97 document.
        def has_stream(name: str) -> bool:
            return name.encode("utf-16-le") in data

        if has_stream("EncryptionInfo") or has_stream("EncryptedPackage"):
            return Problem("encrypted-workbook")
        if has_stream("WordDocument"):
            return _wrong_format(KIND_DOC)
        if has_stream("PowerPoint Document"):
            return _wrong_format(KIND_PPT)
        return Problem("legacy-xls")
    head = data[:_SNIFF_BYTES]
    if b"%PDF-" in head[:1024]:
        return _wrong_format(KIND_PDF)
    text = _as_text(head)
    if text is None:
        return _wrong_format(KIND_UNKNOWN)
    start = text.lstrip("\ufeff \t\r\n").lower()[:4096]
    if start.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in start:
        return _wrong_format(KIND_XML_SPREADSHEET)
    if start.startswith(("<!doctype html", "<html", "<head", "<body", "<table", "<meta")) or (
        start.startswith("<") and "<html" in start
    ):
        return _wrong_format(KIND_HTML)
    return _wrong_format(KIND_TEXT)


def _as_text(head: bytes) -> str | None:
    """The sniffed bytes decoded, if they look like text (CSV, HTML...); else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) & ~1].decode("utf-16", errors="replace")
    elif b"\x00" in head:
        return None
    else:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 3 and len(head) == _SNIFF_BYTES:
                text = head[: error.start].decode("utf-8")  # a character cut by the sniff window
            else:
                text = head.decode("latin-1")  # legacy 8-bit CSV (cp1252 and the like)
    controls = len(_CONTROL_CHARS.findall(text))
    return text if controls <= len(text) // 100 else None  # binary data has ~12% of them


# ------------------------------------------------------------------------------ the zip package


class _Stop(Exception):
    """Raised by a parse handler once it has read all it needs from a part."""


def _corrupt(reason: str, sheet: str | None = None, cell: str | None = None) -> WorkbookError:
    return WorkbookError(Problem("corrupt-zip", sheet=sheet, cell=cell, params={"reason": reason}))


def _not_a_workbook(reason: str) -> WorkbookError:
    return WorkbookError(Problem("not-a-workbook", params={"reason": reason}))


def _part_key(name: str) -> str:
    """Part names compare case-insensitively, with or without a leading slash."""
    return name.replace("\\", "/").lstrip("/").lower()


def _part_name(info: zipfile.ZipInfo) -> str:
    """A zip entry's part name; some producers write Windows backslashes."""
    return info.filename.replace("\\", "/").lstrip("/")


# Bytes that open a DTD or an entity declaration, in each encoding an OOXML part may use.
_FORBIDDEN_MARKERS = [
    (marker.encode(encoding), marker)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
]
_MARKER_OVERLAP = max(len(encoded) for encoded, _ in _FORBIDDEN_MARKERS) - 1


class _Package:
    """The zip package, checked on opening; parts are read through `chunks` only."""

    def __init__(self, data: bytes):
        self._check_central_directory(data)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except Exception as error:  # zipfile signals damage with many exception types
            raise _corrupt(_zip_damage(data, error)) from None
        if len(infos) > MAX_ENTRIES:
            raise WorkbookError(
                Problem("zip-too-many-entries", params={"count": len(infos), "limit": MAX_ENTRIES})
            )
        self.parts: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            key = _part_key(info.filename)
            if not key or info.filename.endswith("/"):
                continue  # folders (and nameless entries) hold no content
            if key in self.parts:
                raise WorkbookError(Problem("zip-duplicate-part", params={"part": info.filename}))
            self.parts[key] = info
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                # OOXML uses only these two; others (bzip2, lzma) cannot be decompressed
                # in bounded steps by zipfile, and deflate64 is not supported at all.
                raise _corrupt(f"the part {info.filename} uses an unsupported compression method")
            size = info.file_size
            self._check_part_size(info, size)
            total += size
        if total > MAX_TOTAL_BYTES:
            raise WorkbookError(
                Problem("zip-total-too-large", params={"size": total, "limit": MAX_TOTAL_BYTES})
            )
        self.bytes_read = 0
        self.elements_left = MAX_XML_ELEMENTS  # shared by all parts parsed
        self.read_keys: set[str] = set()

    @staticmethod
    def _check_central_directory(data: bytes) -> None:
        """Refuse a table of contents with too many entries before zipfile parses it."""
        end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
        if end < 0 or end + 22 > len(data):
            return  # zipfile will report the damage
        entries, cd_size = struct.unpack_from("<HI", data, end + 10)
        if (entries == 0xFFFF or cd_size == 0xFFFFFFFF) and end >= 20:
            locator = data[end - 20 : end]
            if locator[:4] == b"PK\x06\x07":
                (offset,) = struct.unpack_from("<Q", locator, 8)
                if offset + 56 <= len(data) and data[offset : offset + 4] == b"PK\x06\x06":
                    entries, cd_size = struct.unpack_from("<QQ", data, offset + 32)
        if entries > MAX_ENTRIES or MAX_CENTRAL_DIRECTORY_BYTES < cd_size <= len(data):
            count = entries if entries > MAX_ENTRIES else cd_size // 46  # 46: smallest entry
            raise WorkbookError(
                Problem("zip-too-many-entries", params={"count": count, "limit": MAX_ENTRIES})
            )

    def _check_part_size(self, info: zipfile.ZipInfo, size: int) -> None:
        """One part's size, declared or decompressed so far, against the ratio and size limits."""
        if size > RATIO_CHECK_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
            raise self._bomb(info, size)
        if size > MAX_PART_BYTES:
            raise WorkbookError(
                Problem("zip-part-too-large", params={"part": info.filename, "size": size, "limit": MAX_PART_BYTES})
            )

    @staticmethod
    def _bomb(info: zipfile.ZipInfo, size: int) -> WorkbookError:
        ratio = size // max(info.compress_size, 1)
        return WorkbookError(
            Problem("zip-bomb", params={"part": info.filename, "ratio": ratio, "limit": MAX_RATIO})
        )

    def find(self, name: str) -> zipfile.ZipInfo | None:
        key = _part_key(name)
        info = self.parts.get(key)
        if info is None and "%" in key:
            info = self.parts.get(_part_key(unquote(name)))
        return info

    def chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """Decompress one part in chunks, enforcing the size, ratio and total limits."""
        self.read_keys.add(_part_key(info.filename))
        read = 0
        try:
            stream = self.zip.open(info)
        except Exception as error:
            raise _corrupt(_part_damage(info, error)) from None
        with stream:
            while True:
                try:
                    chunk = stream.read(CHUNK_BYTES)
                except Exception as error:
                    raise _corrupt(_part_damage(info, error)) from None
                if not chunk:
                    return
                read += len(chunk)
                self.bytes_read += len(chunk)
                self._check_part_size(info, read)
                if self.bytes_read > MAX_TOTAL_BYTES:
                    raise WorkbookError(
                        Problem(
                            "zip-total-too-large",
                            params={"size": self.bytes_read, "limit": MAX_TOTAL_BYTES},
                        )
                    )
                yield chunk

    def read_small(self, info: zipfile.ZipInfo, limit: int = 4096) -> bytes:
        """The first `limit` bytes of a part (used for the ODF `mimetype` entry)."""
        out = b""
        for chunk in self.chunks(info):
            out += chunk
            if len(out) >= limit:
                break
        return out[:limit]

    def parse(self, info: zipfile.ZipInfo, start=None, end=None, text=None, local_names=True) -> None:
        """Stream one XML part through expat with the given element handlers.

        With `local_names`, element names reach the handlers without their prefix ('c' for
        'x:c') and elements are counted against MAX_XML_ELEMENTS; a hot handler may instead
        do both itself (see _read_sheet). Matching by local name lets Transitional and
        Strict OOXML read alike. Each chunk is scanned for DTD and entity declarations
        before the parser sees it, and the parser refuses them too. A handler may raise
        _Stop: the rest of the part is then only scanned, not parsed.
        """
        part = info.filename
        counted = None
        if start is not None and local_names:
            counted = _CountedLocalNames(start, part, self.elements_left)
            start = counted.start
        if end is not None and local_names:
            end = _local_names(end)
        parser = None
        tail = b""
        try:
            for chunk in self.chunks(info):
                _refuse_declarations(part, tail + chunk)
                tail = chunk[-_MARKER_OVERLAP:]
                if parser is None:
                    parser = _safe_parser(part, chunk, start, end, text)
                if parser is not _DONE:
                    try:
                        parser.Parse(chunk, False)
                    except _Stop:
                        parser = _DONE
            if parser is None:
                parser = _safe_parser(part, b"", start, end, text)
            if parser is not _DONE:
                parser.Parse(b"", True)
        except _Stop:
            pass
        except expat.ExpatError as error:
            raise _malformed(part, error) from None
        if counted is not None:
            self.elements_left = counted.left

    def scan(self, info: zipfile.ZipInfo) -> None:
        """Check a part this module does not parse for DTD / entity declarations."""
        tail = b""
        for chunk in self.chunks(info):
            _refuse_declarations(info.filename, tail + chunk)
            tail = chunk[-_MARKER_OVERLAP:]


_DONE = object()  # stands for the parser once a handler has raised _Stop


def _safe_parser(part: str, first: bytes, start, end, text):
    """An expat parser that refuses DTDs and entities, for a part starting with `first`.

    OOXML parts are UTF-8 or UTF-16; the encoding is fixed from the first bytes rather
    than taken from the XML declaration, so no other codec is ever involved.
    """
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "UTF-16"  # the byte order mark tells which
    elif first.startswith(b"<\x00"):
        encoding = "UTF-16LE"
    elif first.startswith(b"\x00<"):
        encoding = "UTF-16BE"
    else:
        encoding = "UTF-8"
    parser = expat.ParserCreate(encoding)
    parser.buffer_text = True
    parser.buffer_size = CHUNK_BYTES
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def forbid(reason):
        def handler(*_args):
            raise WorkbookError(Problem("xml-forbidden", params={"part": part, "reason": reason}))

        return handler

    parser.StartDoctypeDeclHandler = forbid("<!DOCTYPE")
    parser.EntityDeclHandler = forbid("<!ENTITY")
    parser.UnparsedEntityDeclHandler = forbid("<!ENTITY")
    parser.ExternalEntityRefHandler = forbid("external entity")
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


def _refuse_declarations(part: str, data: bytes) -> None:
    for encoded, marker in _FORBIDDEN_MARKERS:
        if encoded in data:
            raise WorkbookError(Problem("xml-forbidden", params={"part": part, "reason": marker}))


def _local_names(handler):
    """Wrap an element handler so that it receives 'c' for 'x:c'."""

    def wrapped(name, *args):
        if ":" in name:
            name = name.rpartition(":")[2]
        return handler(name, *args)

    return wrapped


class _CountedLocalNames:
    """Wraps a start-element handler: local names, and at most `left` more elements."""

    def __init__(self, handler, part: str, left: int):
        self.handler, self.part, self.left = handler, part, left

    def start(self, name, attrs):
        self.left -= 1
        if self.left < 0:
            raise _too_complex(self.part)
        if ":" in name:
            name = name.rpartition(":")[2]
        return self.handler(name, attrs)


def _too_complex(part: str) -> WorkbookError:
    return WorkbookError(Problem("xml-too-complex", params={"part": part, "limit": MAX_XML_ELEMENTS}))


def _malformed(part: str, error: expat.ExpatError) -> WorkbookError:
    reason = f"{expat.ErrorString(error.code)}, line {error.lineno}, column {error.offset}"
    return WorkbookError(Problem("xml-malformed", params={"part": part, "reason": reason}))


def _zip_damage(data: bytes, error: Exception) -> str:
    if data.rfind(b"PK\x05\x06", max(0, len(data) - 65557)) < 0:
        return "the end of the file is missing; it was probably cut off"
    return f"its table of contents is damaged: {error}"


def _part_damage(info: zipfile.ZipInfo, error: Exception) -> str:
    if isinstance(error, zipfile.BadZipFile) and "CRC" in str(error):
        return f"the part {info.filename} fails its checksum"
    if isinstance(error, RuntimeError) and "encrypted" in str(error):
        return f"the part {info.filename} is encrypted"
    return f"the part {info.filename} cannot be decompressed: {error}"


# ------------------------------------------------------------------------------ OPC plumbing

_REL_OFFICE_DOCUMENT = "/officedocument"


@dataclass(frozen=True)
class _Rel:
    type: str  # lower-cased; compare by suffix (Transitional and Strict URIs differ)
    target: str
    external: bool


def _attr(attrs: dict[str, str], local: str) -> str | None:
    """An attribute by local name, whatever its prefix (r:id, x:id...)."""
    value = attrs.get(local)
    if value is not None:
        return value
    suffix = ":" + local
    for key, value in attrs.items():
        if key.endswith(suffix):
            return value
    return None


def _resolve(source_part: str, target: str) -> str:
    """A relationship target as a part name, relative to the part that holds the .rels."""
    target = target.replace("\\", "/").split("#", 1)[0]
    if target.startswith("/"):
        path = target
    else:
        path = posixpath.join("/" + posixpath.dirname(source_part.lstrip("/")), target)
    return posixpath.normpath(path).lstrip("/")


def _rels_part(part: str) -> str:
    directory, name = posixpath.split(part.lstrip("/"))
    return posixpath.join(directory, "_rels", name + ".rels")


# ------------------------------------------------------------------------------ cell values

_REF_LETTERS = "$ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_COLUMNS: dict[str, int] = {}  # column letters as written ("B", "$AB") -> index
_BEYOND_LAST_ROW = EXCEL_MAX_ROWS + 1
_BEYOND_LAST_COLUMN = EXCEL_MAX_COLS + 1
_XSTRING_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

# Built-in number formats that show a date or time (ECMA-376 18.8.30 and the East Asian ids).
_BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_DATE_TOKENS = re.compile(r"[dmyhsDMYHS]")

_EPOCH_1900 = datetime.datetime(1899, 12, 30)
_EPOCH_1904 = datetime.datetime(1904, 1, 1)
_MAX_SERIAL = 2_958_465  # 9999-12-31


def _is_date_format(code: str) -> bool:
    """A custom number format shows a date if d, m, y, h or s remain outside quoted text,
    [colour/condition] brackets and escaped characters."""
    return bool(_DATE_TOKENS.search(_FORMAT_NOISE.sub("", code)))


def _from_serial(serial: float, date1904: bool) -> datetime.datetime | None:
    """An Excel date serial as a datetime (rounded to the millisecond, as Excel keeps it)."""
    if not 0 <= serial <= _MAX_SERIAL:
        return None
    day, fraction = divmod(serial, 1)
    if date1904:
        epoch = _EPOCH_1904
    else:
        epoch = _EPOCH_1900
        if serial < 60:
            day += 1  # Excel's 1900 calendar has a 29 Feb 1900 (serial 60) that never was
    try:
        return epoch + datetime.timedelta(days=day, milliseconds=round(fraction * 86_400_000))
    except OverflowError:
        return None


def _number(text: str) -> int | float | str:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return text  # not a number after all: keep what the file says
    if not math.isfinite(number):
        return text
    if number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def _xstring(text: str) -> str:
    """Undo OOXML's _xHHHH_ escaping of characters XML cannot hold (e.g. _x000D_ for CR)."""
    if "_x" not in text:
        return text

    def replace(match: re.Match) -> str:
        code = int(match.group(1), 16)
        return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)

    return _XSTRING_ESCAPE.sub(replace, text)


def _iso_datetime(text: str):
    try:
        return datetime.datetime.fromisoformat(text.strip().rstrip("Zz"))
    except ValueError:
        return text


# ------------------------------------------------------------------------------ the workbook


class _WorkbookReader:
    def __init__(self, package: _Package, comments: bool = False):
        self.package = package
        self.with_comments = comments
        self.comments_left = MAX_COMMENTS
        self.problems: list[Problem] = []
        self.content_types: dict[str, str] = {}  # part key -> content type (overrides only)
        self.cell_count = 0

    def read(self) -> RawWorkbook:
        self._reject_opendocument()
        self._read_content_types()
        workbook_info = self._find_workbook()
        workbook_part = _part_name(workbook_info)
        sheet_entries, date1904 = self._read_workbook_part(workbook_info)
        rels = self._read_rels(workbook_part)

        has_macros = self._detect_macros(workbook_part)
        if has_macros:
            self.problems.append(Problem("macros-ignored"))
        self._warn_external_links()

        styles = self._find_related(workbook_part, rels, "/styles", "xl/styles.xml")
        date_styles = self._read_styles(styles) if styles else frozenset()
        strings_info = self._find_related(workbook_part, rels, "/sharedstrings", "xl/sharedStrings.xml")
        shared = self._read_shared_strings(strings_info) if strings_info else []

        sheets: list[Sheet] = []
        used_parts: set[str] = set()
        for name, sheet_id, rel_id, state in sheet_entries:
            state = state if state in ("hidden", "veryHidden") else "visible"
            info = self._sheet_part(workbook_part, rels, name, sheet_id, rel_id)
            if info is None:
                sheets.append(Sheet(name=name, state=state))
                continue
            key = _part_key(info.filename)
            if key in used_parts:
                raise _corrupt(f"two sheets share the part {info.filename}")
            used_parts.add(key)
            sheet = self._read_sheet(info, name, shared, date_styles, date1904)
            sheet.state = state
            if self.with_comments:
                sheet.comments = self._read_comments(_part_name(info))
            sheets.append(sheet)

        # Parts not read above are still refused if they carry a DTD or entities.
        for key, info in self.package.parts.items():
            if key not in self.package.read_keys and key.endswith((".xml", ".rels")):
                self.package.scan(info)
        return RawWorkbook(sheets=sheets, problems=self.problems, has_macros=has_macros, date1904=date1904)

    # -- package level ------------------------------------------------------------

    def _reject_opendocument(self) -> None:
        mimetype = self.package.find("mimetype")
        if mimetype is not None:
            kind = self.package.read_small(mimetype).strip()
            if kind == b"application/vnd.oasis.opendocument.spreadsheet":
                raise WorkbookError(_wrong_format(KIND_ODS))
            if kind.startswith(b"application/vnd.oasis.opendocument."):
                raise WorkbookError(_wrong_format(KIND_OPENDOCUMENT))
        if self.package.find("content.xml") and self.package.find("META-INF/manifest.xml"):
            raise WorkbookError(_wrong_format(KIND_OPENDOCUMENT))

    def _read_content_types(self) -> None:
        info = self.package.find("[Content_Types].xml")
        if info is None:
            return  # tolerated: parts are found by their relationships and usual names
        types = self.content_types

        def start(name, attrs):
            if name == "Override":
                if len(types) >= MAX_RELATIONSHIPS:
                    raise _corrupt("[Content_Types].xml lists too many parts")
                part, content_type = attrs.get("PartName"), attrs.get("ContentType")
                if part and content_type:
                    types[_part_key(part)] = content_type.lower()

        self.package.parse(info, start=start)

    def _find_workbook(self) -> zipfile.ZipInfo:
        candidates: list[str] = []
        root_rels = self.package.find("_rels/.rels")
        if root_rels is not None:
            for rel in self._parse_rels(root_rels).values():
                if rel.type.endswith(_REL_OFFICE_DOCUMENT) and not rel.external:
                    candidates.append(_resolve("", rel.target))
        for part, content_type in self.content_types.items():
            if content_type.startswith(("application/vnd.openxmlformats-officedocument.spreadsheetml.",
                                        "application/vnd.ms-excel.")) and content_type.endswith(".main+xml"):
                candidates.append(part)
        candidates.append("xl/workbook.xml")
        for part in candidates:
            content_type = self.content_types.get(_part_key(part), "")
            if "wordprocessingml" in content_type or _part_key(part).startswith("word/"):
                raise _not_a_workbook("it is a Word document (.docx)")
            if "presentationml" in content_type or _part_key(part).startswith("ppt/"):
                raise _not_a_workbook("it is a PowerPoint presentation (.pptx)")
            if "binary" in content_type or _part_key(part).endswith(".bin"):
                raise WorkbookError(_wrong_format(KIND_XLSB))
            info = self.package.find(part)
            if info is not None:
                return info
        if self.package.find("word/document.xml"):
            raise _not_a_workbook("it is a Word document (.docx)")
        if self.package.find("ppt/presentation.xml"):
            raise _not_a_workbook("it is a PowerPoint presentation (.pptx)")
        if self.package.find("xl/workbook.bin"):
            raise WorkbookError(_wrong_format(KIND_XLSB))
        raise _not_a_workbook("it holds no workbook part (xl/workbook.xml)")

    def _detect_macros(self, workbook_part: str) -> bool:
        if "macroenabled" in self.content_types.get(_part_key(workbook_part), ""):
            return True
        return any(key.endswith("vbaproject.bin") for key in self.package.parts)

    def _warn_external_links(self) -> None:
        links = sorted(
            key
            for key in self.package.parts
            if "externallinks/" in key and "/_rels/" not in key and key.endswith(".xml")
        )
        for key in links:
            target = "another workbook"
            rels_info = self.package.find(_rels_part(key))
            if rels_info is not None:
                for rel in self._parse_rels(rels_info).values():
                    name = _file_name(rel.target)
                    if name:
                        target = name
                        break
            self.problems.append(Problem("external-link", params={"target": target}))

    def _parse_rels(self, info: zipfile.ZipInfo) -> dict[str, _Rel]:
        rels: dict[str, _Rel] = {}

        def start(name, attrs):
            if name == "Relationship":
                if len(rels) >= MAX_RELATIONSHIPS:
                    raise _corrupt(f"{info.filename} lists too many relationships")
                rel_id, target = attrs.get("Id"), attrs.get("Target")
                if rel_id is not None and target is not None:
                    external = (attrs.get("TargetMode") or "").lower() == "external"
                    rels[rel_id] = _Rel((attrs.get("Type") or "").lower(), target, external)

        self.package.parse(info, start=start)
        return rels

    def _read_rels(self, part: str) -> dict[str, _Rel]:
        info = self.package.find(_rels_part(part))
        return self._parse_rels(info) if info is not None else {}

    def _find_related(self, source: str, rels: dict[str, _Rel], type_suffix: str, fallback: str):
        for rel in rels.values():
            if rel.type.endswith(type_suffix) and not rel.external:
                info = self.package.find(_resolve(source, rel.target))
                if info is not None:
                    return info
        return self.package.find(fallback)

    def _sheet_part(self, workbook_part, rels, name, sheet_id, rel_id) -> zipfile.ZipInfo | None:
        """The part holding a sheet's cells; None for a sheet listed without any."""
        rel = rels.get(rel_id) if rel_id else None
        if rel is not None and not rel.external:
            target = _resolve(workbook_part, rel.target)
            info = self.package.find(target)
            if info is not None:
                return info
            raise _corrupt(f"the part {target} of sheet {name} is missing")
        # No usable relationship: try where Excel puts sheets.
        base = posixpath.dirname(workbook_part)
        if sheet_id:
            for candidate in (f"worksheets/sheet{sheet_id}.xml", f"chartsheets/sheet{sheet_id}.xml"):
                info = self.package.find(posixpath.join(base, candidate))
                if info is not None:
                    return info
        if rel_id:
            raise _corrupt(f"sheet {name} refers to a relationship {rel_id} that does not exist")
        return None

    # -- parts ----------------------------------------------------------------------

    def _read_workbook_part(self, info: zipfile.ZipInfo):
        sheets: list[tuple[str, str, str | None, str]] = []
        date1904 = False

        def start(name, attrs):
            nonlocal date1904
            if name == "sheet":
                if len(sheets) >= MAX_RELATIONSHIPS:
                    raise _corrupt("the workbook lists too many sheets")
                sheets.append((attrs.get("name") or f"Sheet{len(sheets) + 1}",
                               attrs.get("sheetId") or "", _attr(attrs, "id"), attrs.get("state") or "visible"))
            elif name == "workbookPr":
                date1904 = (attrs.get("date1904") or "").lower() in ("1", "true")

        def end(name):
            if name == "sheets":
                raise _Stop

        self.package.parse(info, start=start, end=end)
        return sheets, date1904

    def _read_styles(self, info: zipfile.ZipInfo) -> frozenset[str]:
        """Indexes of the cell formats (cellXfs) whose number format shows a date, as the
        text of a cell's s attribute (so a cell's style is checked without parsing it)."""
        custom_dates: set[int] = set()
        xf_formats: list[int] = []
        in_cell_xfs = False

        def start(name, attrs):
            nonlocal in_cell_xfs
            if name == "numFmt":
                try:
                    fmt_id = int(attrs.get("numFmtId", ""))
                except ValueError:
                    return
                if _is_date_format(attrs.get("formatCode") or ""):
                    custom_dates.add(fmt_id)
            elif name == "cellXfs":
                in_cell_xfs = True
            elif name == "xf" and in_cell_xfs and len(xf_formats) < MAX_STYLES:
                try:
                    xf_formats.append(int(attrs.get("numFmtId") or 0))
                except ValueError:
                    xf_formats.append(0)

        def end(name):
            nonlocal in_cell_xfs
            if name == "cellXfs":
                in_cell_xfs = False

        self.package.parse(info, start=start, end=end)
        return frozenset(
            str(index)
            for index, fmt_id in enumerate(xf_formats)
            if fmt_id in custom_dates or fmt_id in _BUILTIN_DATE_FORMATS
        )

    def _read_shared_strings(self, info: zipfile.ZipInfo) -> list[str]:
        strings: list[str] = []
        parts: list[str] = []
        capture = None  # the list text goes to, while inside a <t> that counts
        in_phonetic = False

        def start(name, attrs):
            nonlocal capture, in_phonetic
            if name == "t":
                if not in_phonetic:
                    capture = parts
            elif name == "si" or name == "sstItem":  # sstItem: Excel 2007 beta files
                parts.clear()
                if len(strings) >= MAX_SHARED_STRINGS:
                    raise WorkbookError(Problem("too-many-strings", params={"limit": MAX_SHARED_STRINGS}))
            elif name == "rPh":
                in_phonetic = True

        def end(name):
            nonlocal capture, in_phonetic
            if name == "t":
                capture = None
            elif name == "si" or name == "sstItem":
                strings.append(_xstring("".join(parts)))
            elif name == "rPh":
                in_phonetic = False

        def text(data):
            if capture is not None:
                capture.append(data)

        self.package.parse(info, start=start, end=end, text=text)
        return strings

    def _read_comments(self, sheet_part: str) -> dict[tuple[int, int], tuple[str, str]]:
        """A sheet's cell comments, (row, col) -> (author, text), from the comments part its
        relationships name (the legacy drawing that shows them is not read)."""
        rels = self._read_rels(sheet_part)
        info = None
        for rel in rels.values():
            if rel.type.endswith("/comments") and not rel.external:
                info = self.package.find(_resolve(sheet_part, rel.target))
                if info is not None:
                    break
        if info is None:
            return {}
        authors: list[str] = []
        comments: dict[tuple[int, int], tuple[str, str]] = {}
        parts: list[str] = []
        # where the reader is: the cell of the comment being read (None outside one or for a
        # reference that names no cell), its author's index, and whether text counts (not in
        # a phonetic run)
        state = {"pos": None, "author": "", "text": False, "phonetic": False}

        def start(name, attrs):
            if name == "comment":
                parts.clear()
                ref = (attrs.get("ref") or "")[:20]
                rng = _range(f"{ref}:{ref}")
                state["pos"] = (rng[0], rng[1]) if rng else None
                state["author"] = attrs.get("authorId") or ""
            elif name == "author":
                parts.clear()
                state["text"] = True
            elif name == "t":
                state["text"] = state["pos"] is not None and not state["phonetic"]
            elif name == "rPh":
                state["phonetic"] = True

        def end(name):
            if name == "comment":
                pos, author_id = state["pos"], state["author"]
                if pos is not None and self.comments_left > 0:
                    self.comments_left -= 1
                    index = int(author_id) if author_id.isdigit() and len(author_id) < 6 else -1
                    comments[pos] = (authors[index] if 0 <= index < len(authors) else "", _xstring("".join(parts)))
                state["pos"] = None
            elif name == "author" and len(authors) < MAX_RELATIONSHIPS:
                authors.append(_xstring("".join(parts)))
            elif name == "rPh":
                state["phonetic"] = False
            if name in ("t", "author"):
                state["text"] = False

        self.package.parse(info, start=start, end=end, text=lambda data: state["text"] and parts.append(data))
        return comments

    def _read_sheet(self, info, sheet_name, shared, date_styles, date1904) -> Sheet:
        cells: dict[tuple[int, int], Cell] = {}
        problems = self.problems
        cell_budget = MAX_CELLS - self.cell_count
        max_rows, max_cols = MAX_ROWS, MAX_COLS
        shared_formulas: dict[str, tuple[str, tuple[int, int]]] = {}  # group -> (formula, the cell it is written in)
        formula_origins: dict[tuple[int, int], tuple[int, int]] = {}
        array_formulas: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        formula_warnings = 0

        row = 0  # current row; cells without r are placed by counting
        col = 0
        pos = (0, 0)
        cell_type = ""
        date_style = False
        values: list[str] | None = None  # text of <v>, None if the cell has no <v>
        inline: list[str] | None = None  # text of <is>
        formula: list[str] | None = None  # text of <f>
        formula_attrs: dict[str, str] = {}
        capture: list[str] | None = None
        in_inline = False
        in_phonetic = False
        # after the cells: only the merged ranges are read (they say which cell the user sees)
        after_data = False
        tail_depth = 0
        merged: list[tuple[int, int, int, int]] = []

        elements_left = self.package.elements_left

        def start(name, attrs):
            nonlocal row, col, pos, cell_type, date_style, values, inline, formula
            nonlocal formula_attrs, capture, in_inline, in_phonetic, elements_left, tail_depth
            elements_left -= 1
            if elements_left < 0:
                raise _too_complex(info.filename)
            if ":" in name:
                name = name.rpartition(":")[2]
            if after_data:
                if tail_depth == 0 and name != "mergeCells" and name not in _BEFORE_MERGE_CELLS:
                    raise _Stop
                tail_depth += 1
                if name == "mergeCell" and len(merged) < MAX_MERGED_RANGES:
                    rng = _range(attrs.get("ref") or "")
                    if rng is not None:
                        merged.append(rng)
                return
            if name == "c":
                ref = attrs.get("r") or ""
                digits = ref.lstrip(_REF_LETTERS)
                if len(digits) < len(ref) and digits.isdigit() and digits.isascii() and digits[0] != "0":
                    letters = ref[: len(ref) - len(digits)]
                    col = _COLUMNS.get(letters) or _column(letters)
                    pos = (int(digits) if len(digits) <= 7 else _BEYOND_LAST_ROW, col)
                else:  # no usable r: the next cell of the row
                    col += 1
                    pos = (row or 1, col)
                cell_type = attrs.get("t") or ""
                date_style = attrs.get("s") in date_styles
                values = inline = formula = None
            elif name == "v":
                capture = values = []
            elif name == "row":
                ref = attrs.get("r")
                if ref and ref.isdigit() and ref.isascii():
                    row = int(ref) if len(ref) <= 7 else _BEYOND_LAST_ROW
                else:
                    row += 1
                col = 0
            elif name == "f":
                capture = formula = []
                formula_attrs = attrs
            elif name == "is":
                in_inline = True
                inline = []
            elif name == "t":
                if in_inline and not in_phonetic:
                    capture = inline
            elif name == "rPh":
                in_phonetic = True

        def end(name):
            nonlocal capture, in_inline, in_phonetic, formula_warnings, after_data, tail_depth
            if ":" in name:
                name = name.rpartition(":")[2]
            if after_data:
                tail_depth -= 1
                if name == "mergeCells":
                    raise _Stop  # nothing after the merged ranges matters here
                return
            if name == "v" or name == "f" or name == "t":
                capture = None
            elif name == "c":
                value = None
                saved = False  # whether the cell holds a value (and not just a formula)
                if values is not None:
                    text = values[0] if len(values) == 1 else "".join(values)
                    # an empty <v/> is no value (openpyxl writes one after each formula),
                    # except for a formula whose text result is the empty string
                    if text and not text.isspace():
                        if cell_type == "s":
                            value = _shared_string(shared, text, sheet_name, pos)
                        else:
                            value = _cell_value(text, cell_type, date_style, date1904)
                        saved = True
                    elif cell_type == "str":
                        value = text
                        saved = True
                elif inline is not None:
                    value = _xstring("".join(inline))
                    saved = True
                formula_text = None
                if formula is not None:
                    formula_text = "".join(formula)
                    kind = formula_attrs.get("t")
                    if kind == "shared":
                        group = formula_attrs.get("si", "")
                        if formula_text:
                            if len(shared_formulas) < MAX_CELLS:
                                shared_formulas[group] = (formula_text, pos)
                        else:
                            # a shared formula's other cells carry only the group id;
                            # they are given the group's formula as written in its first cell
                            formula_text, origin = shared_formulas.get(group, ("", None))
                            if origin is not None:
                                formula_origins[pos] = origin
                    elif kind == "array" and formula_text:
                        rng = _range(formula_attrs.get("ref") or "")
                        if rng is not None:
                            array_formulas[pos] = rng
                if formula_text is None and (value is None or value == ""):
                    return
                row_, col_ = pos
                if row_ > max_rows or col_ > max_cols:
                    raise WorkbookError(
                        Problem(
                            "sheet-too-large",
                            sheet=sheet_name,
                            cell=a1(row_, col_),
                            params={"max_rows": MAX_ROWS, "max_cols": MAX_COLS},
                        )
                    )
                cells[pos] = Cell(value, formula_text)
                if len(cells) > cell_budget:
                    raise WorkbookError(
                        Problem("too-many-cells", sheet=sheet_name, params={"limit": MAX_CELLS})
                    )
                if not saved and formula_warnings < MAX_FORMULA_WARNINGS:
                    formula_warnings += 1
                    problems.append(
                        Problem(
                            "formula-no-value",
                            sheet=sheet_name,
                            cell=a1(row_, col_),
                            params={"formula": formula_text},
                        )
                    )
            elif name == "is":
                in_inline = False
            elif name == "rPh":
                in_phonetic = False
            elif name == "sheetData":
                after_data = True

        def text(data):
            if capture is not None:
                capture.append(data)

        self.package.parse(info, start=start, end=end, text=text, local_names=False)
        self.package.elements_left = elements_left
        self.cell_count += len(cells)
        sheet = Sheet(name=sheet_name, cells=cells, merged=tuple(merged), formula_origins=formula_origins,
                      array_formulas=array_formulas)
        if cells:
            sheet.max_row = max(r for r, _ in cells)
            sheet.max_col = max(c for _, c in cells)
        return sheet


# Elements of a worksheet that may come between sheetData and mergeCells (ECMA-376 18.3.1.99).
_BEFORE_MERGE_CELLS = frozenset({"sheetCalcPr", "sheetProtection", "protectedRanges", "scenarios", "autoFilter",
                                 "sortState", "dataConsolidate", "customSheetViews"})
_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7}):\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def _range(ref: str) -> tuple[int, int, int, int] | None:
    """"A1:B2" -> (1, 1, 2, 2); None for anything else or beyond the grid."""
    match = _RANGE.match(ref.strip())
    if not match:
        return None
    r1, r2 = int(match.group(2)), int(match.group(4))
    c1, c2 = column_index(match.group(1)), column_index(match.group(3))
    if not (1 <= min(r1, r2) and max(r1, r2) <= EXCEL_MAX_ROWS and 1 <= min(c1, c2) and max(c1, c2) <= EXCEL_MAX_COLS):
        return None
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _column(letters: str) -> int:
    """The column of a cell reference's letters; any column past XFD reads as XFE, so a
    hostile reference of a million letters costs nothing to convert."""
    plain = letters.replace("$", "")
    if len(plain) > 3:
        return _BEYOND_LAST_COLUMN
    index = column_index(plain)
    if index <= _BEYOND_LAST_COLUMN:
        _COLUMNS[letters] = index  # bounded: at most the sheet's 16,384 columns, with or without $
    return index


def _cell_value(text: str, cell_type: str, date_style: bool, date1904: bool):
    """A cell's <v> text as a Python value (shared strings are looked up by the caller)."""
    if cell_type == "" or cell_type == "n":
        number = _number(text)
        if date_style and not isinstance(number, str):
            when = _from_serial(number, date1904)
            if when is not None:
                return when
        return number
    if cell_type == "b":
        flag = text.strip().lower()
        if flag in ("1", "true"):
            return True
        if flag in ("0", "false"):
            return False
        return text
    if cell_type == "d":
        return _iso_datetime(text)
    if cell_type == "e":  # an error such as #N/A: its text, marked
        return ExcelError(_xstring(text))
    # "str" (a formula's text result), "inlineStr" written with a <v>, and anything unknown:
    # the text itself.
    return _xstring(text)


def _shared_string(shared: list[str], text: str, sheet: str, pos: tuple[int, int]) -> str:
    try:
        index = int(text)
    except ValueError:
        index = -1
    if 0 <= index < len(shared):
        return shared[index]
    raise _corrupt(f"the cell refers to shared string {text.strip()[:20]}, which does not exist",
                   sheet=sheet, cell=a1(*pos))


def _file_name(target: str) -> str:
    """The file name at the end of an external link target (a path or a URL)."""
    target = unquote(target).split("?", 1)[0].split("#", 1)[0]
    pieces = [piece for piece in re.split(r"[\\/]", target) if piece]
    return pieces[-1] if pieces else ""
