"""原件扫描件 of suggestions and proposals (issue 7 item 2): attached when an item is registered
by hand, added later on its intake page, or uploaded for a whole session at once after an import,
each file matched to its item by the number in its name (0123.pdf, 第0123号.pdf, 建议0123.pdf).

Scans are PDF, JPEG, PNG or TIFF — typed from their content (office.uploads), at most SCAN_MAX_MB
each. Files are written inside the transaction that records them and removed again if it does not
commit (office.uploads.StoredFiles): a refused registration leaves nothing on disk."""

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from office import trail
from office.uploads import StoredFiles, check_upload, save_file

from . import permissions as can
from . import services
from .models import Proposal, Scan

SCAN_MAX_MB = 20
SCAN_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/tiff"})
K = Proposal.Kind
NAME_KINDS = (("议案", K.BILL), ("建议", K.SUGGESTION), ("提案", K.PROPOSAL))


def check_scan(upload):
    """One scan's size and type; returns office.uploads.CheckedUpload or raises in Chinese."""
    info = check_upload(upload, max_mb=SCAN_MAX_MB)
    if info.media_type not in SCAN_TYPES:
        raise ValidationError(
            f"“{upload.name or '文件'}”不是 PDF、JPEG、PNG 或 TIFF 文件（按文件内容识别），"
            "原件扫描件只接受这四种格式。"
        )
    return info


def _save(stored, proposal, upload, info, actor):
    scan = Scan(
        proposal=proposal,
        name=(upload.name or "扫描件")[:200],
        media_type=info.media_type,
        size=info.size,
        sha256=info.sha256,
        uploaded_by=actor,
    )
    save_file(stored, scan.file, scan.name, upload)
    scan.save()
    return scan


def _checked(files):
    checked, errors = [], []
    for upload in files:
        try:
            checked.append((upload, check_scan(upload)))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"scans": errors})
    return checked


def add_scans(proposal, files, *, actor, ip=None):
    """上传原件扫描件 to one item (the office's staff); all or none."""
    if not can.can_manage(actor):
        raise PermissionDenied("只有建议提案办理人员可以上传原件扫描件。")
    files = list(files or [])
    if not files:
        raise ValidationError({"scans": ["请选择要上传的扫描件。"]})
    checked = _checked(files)
    with StoredFiles() as stored, transaction.atomic():
        scans = [_save(stored, proposal, upload, info, actor) for upload, info in checked]
        trail.record(
            action="add_scans",
            action_label="上传原件扫描件",
            actor=actor,
            obj=proposal,
            opinion="、".join(s.name for s in scans),
            ip=ip,
        )
    return scans


def register_with_scans(entry, files, *, actor, ip=None):
    """登记 one item by hand with its scans, in one transaction (services.register_proposal):
    a refused number or file leaves no item and no file behind."""
    files = list(files or [])
    checked = _checked(files)
    with StoredFiles() as stored, transaction.atomic():
        proposal = services.register_proposal(entry, actor=actor, ip=ip)
        scans = [_save(stored, proposal, upload, info, actor) for upload, info in checked]
        if scans:
            trail.record(
                action="add_scans",
                action_label="上传原件扫描件",
                actor=actor,
                obj=proposal,
                opinion="、".join(s.name for s in scans),
                ip=ip,
            )
    return proposal


# --- many scans for a session --------------------------------------------------------------------

_MARKED = re.compile(r"第\s*0*(\d{1,9})\s*号")
_DIGITS = re.compile(r"\d+")


def read_name(name):
    """(kind or None, number or None) from a scan's file name: 「第0123号」 wins; otherwise the
    name's only run of digits (0123.pdf, 建议0123.pdf); a kind word (建议/议案/提案) names the
    kind. Two runs of digits and no 第…号 is no number: 2026-0123.pdf is ambiguous."""
    stem = PurePath(name or "").stem
    kind = next((k for word, k in NAME_KINDS if word in stem), None)
    marked = _MARKED.search(stem)
    if marked:
        return kind, int(marked[1])
    runs = _DIGITS.findall(stem)
    if len(runs) == 1 and len(runs[0]) <= 9:
        return kind, int(runs[0])
    return kind, None


@dataclass
class BatchResult:
    saved: list = field(default_factory=list)  # (file name, proposal)
    unmatched: list = field(default_factory=list)  # (file name, reason)


def _match(session, names):
    """{file name: proposal} and {file name: reason} (one query)."""
    items = {}
    for item in Proposal.objects.filter(session=session).only("id", "kind", "number", "title"):
        items.setdefault(item.number, []).append(item)
    matched, reasons = {}, {}
    for name in names:
        kind, number = read_name(name)
        if number is None:
            reasons[name] = "文件名中没有可识别的编号（如 0123.pdf 或 第0123号.pdf）。"
            continue
        found = [i for i in items.get(number, []) if kind is None or i.kind == kind]
        text = f"第{number:04d}号"
        if len(found) == 1:
            matched[name] = found[0]
        elif found:
            kinds = "、".join(i.get_kind_display() for i in found)
            reasons[name] = (
                f"{session.name}的{text}有多件（{kinds}），请在文件名中注明类别，如 建议{number:04d}.pdf。"
            )
        else:
            what = K(kind).label if kind else "建议提案"
            reasons[name] = f"{session.name}没有编号为{text}的{what}。"
    return matched, reasons


def attach_scans(session, files, *, actor, ip=None):
    """批量上传扫描件: each file matched to the session's item by the number in its name and
    saved; files without a match, or not a PDF/JPEG/PNG/TIFF scan, are listed and nothing is
    saved for them. The matched files are saved in one transaction."""
    if not can.can_manage(actor):
        raise PermissionDenied("只有建议提案办理人员可以上传原件扫描件。")
    files = list(files or [])
    if not files:
        raise ValidationError("请选择要上传的扫描件。")
    result = BatchResult()
    matched, reasons = _match(session, [upload.name for upload in files])
    good = []
    for upload in files:
        if upload.name in reasons:
            result.unmatched.append((upload.name, reasons[upload.name]))
            continue
        try:
            good.append((upload, check_scan(upload), matched[upload.name]))
        except ValidationError as exc:
            result.unmatched.append((upload.name, " ".join(exc.messages)))
    if not good:
        return result
    with StoredFiles() as stored, transaction.atomic():
        by_item = {}
        for upload, info, proposal in good:
            scan = _save(stored, proposal, upload, info, actor)
            by_item.setdefault(proposal.pk, (proposal, []))[1].append(scan.name)
            result.saved.append((upload.name, proposal))
        for proposal, names in by_item.values():
            trail.record(
                action="add_scans",
                action_label="上传原件扫描件",
                actor=actor,
                obj=proposal,
                opinion="、".join(names),
                ip=ip,
            )
    return result
