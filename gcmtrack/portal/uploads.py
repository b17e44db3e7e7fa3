"""Reading an uploaded workbook with its size bounded before it is read: a Content-Length over
the limit is refused at once, and a body that turns out longer stops being read at the limit.
File names from uploads are untrusted: they are reduced to a safe form for downloads."""

from __future__ import annotations

import re
import unicodedata

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from gcmtrack.common.spreadsheet import MAX_FILE_BYTES

# The multipart envelope around the file (boundaries, headers, a CSRF token) is small.
ENVELOPE_BYTES = 64 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class UploadTooLarge(Exception):
    """The upload is larger than MAX_FILE_BYTES."""


class BoundedUploadHandler(FileUploadHandler):
    """Keeps the file in memory and stops reading once it passes MAX_FILE_BYTES."""

    def __init__(self, request=None):
        super().__init__(request)
        self.too_large = False
        self.chunks: list[bytes] = []
        self.size = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.chunks, self.size = [], 0

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > MAX_FILE_BYTES:
            self.too_large = True
            raise StopUpload(connection_reset=True)
        self.chunks.append(raw_data)
        return None

    def file_complete(self, file_size):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile(self.file_name or "upload.xlsx", b"".join(self.chunks), self.content_type)


def bound_uploads(get_response):
    """Middleware, before anything reads the body (CSRF does): a request whose Content-Length
    is over the limit is answered 413 without reading it, and files are read through
    BoundedUploadHandler, which stops at the limit."""
    from django.http import JsonResponse

    def middleware(request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > MAX_FILE_BYTES + ENVELOPE_BYTES:
            from gcmtrack.portal.pages import error_page

            if request.path.startswith("/api/"):
                return JsonResponse({"error": {"code": "file-too-large",
                                               "message": f"The file is larger than {MAX_FILE_BYTES} bytes."}},
                                    status=413)
            return error_page(request, 413, "too_large")
        request.upload_handlers = [BoundedUploadHandler(request)]
        return get_response(request)

    return middleware


def read_upload(request, field: str = "file") -> tuple[str, bytes | None]:
    """(file name, bytes) of the uploaded file, (name, None) when none was sent; UploadTooLarge
    when it passed MAX_FILE_BYTES (the middleware stopped reading it there)."""
    upload = request.FILES.get(field)
    handlers = [h for h in request.upload_handlers if isinstance(h, BoundedUploadHandler)]
    if any(h.too_large for h in handlers):
        raise UploadTooLarge()
    if upload is None:
        return "", None
    return clean_name(upload.name), upload.read()


def clean_name(name: str) -> str:
    """The last path component of a client's file name, printable, at most 200 characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:200] or "upload.xlsx"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes, filename: str, content_type: str = XLSX):
    """A download with a safe file name (ASCII letters, digits, dot, dash, underscore)."""
    from django.http import HttpResponse

    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


XLSM = "application/vnd.ms-excel.sheet.macroEnabled.12"


def workbook_download(filename: str, data: bytes) -> tuple[str, str]:
    """The download name and type of a stored workbook: its uploader's stem, with the extension
    and content type of what the bytes are (a checked .xlsx, or .xlsm for a macro-enabled
    workbook), whatever extension the uploader gave ("evil.exe" -> "evil.xlsx")."""
    import io
    import zipfile

    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    macro = False
    try:  # the bytes passed the safe reader when stored; only the small content-types part is read
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            with package.open("[Content_Types].xml") as part:
                macro = b"macroenabled.main+xml" in part.read(256 * 1024).lower()
    except (zipfile.BadZipFile, KeyError, OSError):
        pass
    return (f"{stem or 'workbook'}.xlsm", XLSM) if macro else (f"{stem or 'workbook'}.xlsx", XLSX)


def annotated_name(filename: str) -> str:
    """The name of a workbook's annotated copy: "mex-2026.xlsx" -> "mex-2026-checked.xlsx"."""
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return f"{stem}-checked.xlsx"


def safe_filename(name: str) -> str:
    """A download name with nothing a browser or a shell could misread."""
    folded = unicodedata.normalize("NFKD", clean_name(name)).encode("ascii", "ignore").decode()
    safe = _UNSAFE.sub("_", folded).strip("._") or "download"
    return safe[:150]
