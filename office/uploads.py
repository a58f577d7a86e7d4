"""Attachment intake: the type comes from the content, never from the file name or the browser's
claim; only the formats an office receives are accepted (scans, PDF, OFD, Word, images); the
SHA-256 is kept. Nothing uploaded is ever executed or served inline as HTML (the download view
sends it as an attachment with `nosniff`).
"""

import hashlib
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError

# media type → what the secretary calls it
ACCEPTED = {
    "application/pdf": "PDF",
    "application/ofd": "OFD 版式文件",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word 文档",
    "application/msword": "Word 97-2003 文档",
    "image/jpeg": "JPEG 图片",
    "image/png": "PNG 图片",
    "image/tiff": "TIFF 扫描件",
}
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    media_type: str
    size: int
    sha256: str


def _is_ofd(upload):
    """OFD (GB/T 33190) is a ZIP package with OFD.xml at its root."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            return "OFD.xml" in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def sniff(upload):
    """The media type read from the file's bytes, or None for anything not accepted."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04") and _is_ofd(upload):
        return "application/ofd"
    kind = filetype.guess(head)
    if kind is None:
        return None
    return kind.mime if kind.mime in ACCEPTED else None


def check_upload(upload, *, max_mb):
    """Validate one uploaded file; returns its media type, size and SHA-256 or raises a
    ValidationError in Chinese naming the file."""
    name = upload.name or "附件"
    if upload.size == 0:
        raise ValidationError(f"“{name}”是空文件。")
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(f"“{name}”超过 {max_mb} MB 的大小上限。")
    media_type = sniff(upload)
    if media_type is None:
        allowed = "、".join(dict.fromkeys(ACCEPTED.values()))
        raise ValidationError(
            f"“{name}”不是可接受的文件类型（按文件内容识别）。可上传：{allowed}。"
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(media_type=media_type, size=upload.size, sha256=digest.hexdigest())


class StoredFiles:
    """Files written during a transaction, deleted again if the transaction does not commit:
    a failed registration leaves nothing behind, on disk or in the database."""

    def __init__(self):
        self.names, self.storage = [], None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and self.storage is not None:
            for name in self.names:
                self.storage.delete(name)
        return False


def save_file(stored, field_file, name, content):
    """Write an upload into a FileField and remember it, so a failed transaction removes it."""
    field_file.save(name, content, save=False)
    stored.storage = field_file.storage
    stored.names.append(field_file.name)
