"""Reading an uploaded workbook with its size bounded before it is read: a Content-Length over
the limit is refused at once, and a body that turns out longer stops being read at the limit.
File names from uploads are untrusted: they are reduced to a safe form for downloads."""

from __future__ import annotations

import re
import unicodedata

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from gcmtrack.intake.xlsx import MAX_FILE_BYTES

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


def read_upload(request, field: str = "file") -> tuple[str, bytes | None]:
    """(file name, bytes) of the uploaded file, (name, None) when none was sent; UploadTooLarge
    beyond the limit, decided from Content-Length before reading when the client sends one."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_FILE_BYTES + ENVELOPE_BYTES:
        raise UploadTooLarge()
    handler = BoundedUploadHandler(request)
    request.upload_handlers = [handler]
    upload = request.FILES.get(field)
    if handler.too_large:
        raise UploadTooLarge()
    if upload is None:
        return "", None
    return clean_name(upload.name), upload.read()


def clean_name(name: str) -> str:
    """The last path component of a client's file name, printable, at most 200 characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:200] or "upload.xlsx"


def safe_filename(name: str) -> str:
    """A download name with nothing a browser or a shell could misread."""
    folded = unicodedata.normalize("NFKD", clean_name(name)).encode("ascii", "ignore").decode()
    safe = _UNSAFE.sub("_", folded).strip("._") or "download"
    return safe[:150]
