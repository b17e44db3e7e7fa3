"""A DOCX's zip package checked before anything parses it: size, number of parts, the table of
contents, compression methods, declared and real uncompressed sizes, compression ratios, and
every XML part scanned (decompressed in bounded chunks) for a DTD or an entity declaration,
which Word never writes and the billion-laughs and external-entity attacks need. Only then is
the package given to python-docx (whose lxml parser resolves no entity and fetches nothing)."""

from __future__ import annotations

import io
import struct
import zipfile

from gcmtrack.narrative import limits
from gcmtrack.narrative.model import DocumentProblem


class DocumentError(Exception):
    """The document cannot be read at all; carries the located problem."""

    def __init__(self, problem: DocumentProblem):
        self.problem = problem
        super().__init__(problem.code)


ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_FORBIDDEN = [(marker.encode(enc), marker) for marker in ("<!DOCTYPE", "<!ENTITY")
              for enc in ("utf-8", "utf-16-le", "utf-16-be")]
_OVERLAP = max(len(encoded) for encoded, _ in _FORBIDDEN) - 1

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroenabled.main+xml"
WORD_TEMPLATES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
                  "application/vnd.ms-word.template.macroenabledtemplate.main+xml")


def _error(code: str, **params) -> DocumentError:
    return DocumentError(DocumentProblem(code, params=params))


def check_package(data: bytes) -> zipfile.ZipFile:
    """The checked zip package of a DOCX; raise DocumentError with the located problem."""
    _check_central_directory(data)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except Exception as error:  # zipfile signals damage with many exception types
        raise _error("doc-corrupt", reason=type(error).__name__) from None
    if len(infos) > limits.MAX_PARTS:
        raise _error("doc-too-many-parts", count=len(infos), limit=limits.MAX_PARTS)
    seen: set[str] = set()
    total = 0
    for info in infos:
        key = info.filename.replace("\\", "/").lstrip("/").lower()
        if key in seen:
            raise _error("doc-corrupt", reason=f"the part {info.filename} is there twice")
        seen.add(key)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _error("doc-corrupt", reason=f"the part {info.filename} uses an unsupported compression method")
        _check_size(info, info.file_size)
        total += info.file_size
    if total > limits.MAX_TOTAL_BYTES:
        raise _error("doc-zip-too-large", size=total, limit=limits.MAX_TOTAL_BYTES)
    for info in infos:
        if key_is_xml(info.filename):
            _scan(package, info)
    _check_content_types(package)
    return package


def key_is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _check_central_directory(data: bytes) -> None:
    """Refuse a table of contents with too many entries before zipfile builds one object each."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if end < 0 or end + 22 > len(data):
        return  # zipfile will report the damage
    entries, cd_size = struct.unpack_from("<HI", data, end + 10)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        raise _error("doc-corrupt", reason="a zip64 package, which Word does not write")
    if entries > limits.MAX_PARTS or limits.MAX_CENTRAL_DIRECTORY_BYTES < cd_size <= len(data):
        count = entries if entries > limits.MAX_PARTS else cd_size // 46
        raise _error("doc-too-many-parts", count=count, limit=limits.MAX_PARTS)


def _check_size(info: zipfile.ZipInfo, size: int) -> None:
    if size > limits.RATIO_CHECK_BYTES and size > limits.MAX_RATIO * max(info.compress_size, 1):
        raise _error("doc-zip-bomb", part=info.filename, ratio=size // max(info.compress_size, 1),
                     limit=limits.MAX_RATIO)
    if key_is_xml(info.filename) and size > limits.MAX_XML_PART_BYTES:
        raise _error("doc-part-too-large", part=info.filename, size=size, limit=limits.MAX_XML_PART_BYTES)
    if size > limits.MAX_TOTAL_BYTES:
        raise _error("doc-zip-too-large", size=size, limit=limits.MAX_TOTAL_BYTES)


def _scan(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Decompress one XML part in chunks (its size and ratio checked as it grows) and refuse a
    DTD or an entity declaration in it."""
    read = 0
    tail = b""
    try:
        with package.open(info) as stream:
            while chunk := stream.read(limits.CHUNK_BYTES):
                read += len(chunk)
                _check_size(info, read)
                window = tail + chunk
                for encoded, marker in _FORBIDDEN:
                    if encoded in window:
                        raise _error("doc-xml-forbidden", part=info.filename, reason=marker)
                tail = chunk[-_OVERLAP:]
    except DocumentError:
        raise
    except Exception as error:
        raise _error("doc-corrupt", reason=f"the part {info.filename} is damaged ({type(error).__name__})") from None


def _check_content_types(package: zipfile.ZipFile) -> None:
    try:
        text = package.read("[Content_Types].xml").decode("utf-8", errors="replace").lower()
    except KeyError:
        raise _error("doc-not-a-document", reason="it has no [Content_Types].xml") from None
    if WORD_MACRO_MAIN in text:
        raise _error("doc-macros")
    if any(template in text for template in WORD_TEMPLATES):
        raise _error("doc-not-a-document", reason="it is a Word template (.dotx)")
    if WORD_MAIN not in text:
        if "spreadsheetml" in text:
            raise _error("doc-not-a-document", reason="it is an Excel workbook")
        if "presentationml" in text:
            raise _error("doc-not-a-document", reason="it is a PowerPoint presentation")
        raise _error("doc-not-a-document", reason="it holds no Word document")
