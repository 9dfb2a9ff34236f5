"""Checks on uploaded agreement documents: PDF, ODT or DOCX only, size-limited, and the content must be what
the name says (a renamed executable or HTML page is refused). Files are stored under a random name outside
any served directory and only sent back as attachments (lifecycle.views.agreement_document)."""

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _is_pdf(head: bytes) -> bool:
    return head.startswith(b"%PDF-")


def _open_zip(upload: UploadedFile) -> zipfile.ZipFile | None:
    upload.seek(0)
    try:
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _is_odt(upload: UploadedFile) -> bool:
    archive = _open_zip(upload)
    if archive is None:
        return False
    with archive:
        names = set(archive.namelist())
        if "mimetype" not in names or "content.xml" not in names:
            return False
        info = archive.getinfo("mimetype")
        return info.file_size < 200 and archive.read("mimetype").strip() == ODT_MIMETYPE


def _is_docx(upload: UploadedFile) -> bool:
    archive = _open_zip(upload)
    if archive is None:
        return False
    with archive:
        names = set(archive.namelist())
        return "[Content_Types].xml" in names and "word/document.xml" in names


def validate_document(upload: UploadedFile) -> str:
    """Return the content type to store and serve, or raise ValidationError saying what is wrong."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in CONTENT_TYPES:
        raise ValidationError(
            _("Upload a PDF, ODT or DOCX file (this one is “%(name)s”).") % {"name": upload.name},
            code="type",
        )
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round((upload.size or 0) / 1_048_576, 1), "limit": limit // 1_048_576},
            code="size",
        )
    upload.seek(0)
    head = upload.read(8)
    matches = {
        ".pdf": lambda: _is_pdf(head),
        ".odt": lambda: _is_odt(upload),
        ".docx": lambda: _is_docx(upload),
    }
    ok = matches[suffix]()
    upload.seek(0)
    if not ok:
        raise ValidationError(
            _("The content of “%(name)s” is not a %(kind)s document; upload the real file.")
            % {"name": upload.name, "kind": suffix[1:].upper()},
            code="content",
        )
    return CONTENT_TYPES[suffix]
