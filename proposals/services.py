"""Writes of 建议提案办理 outside the item's state machine: sessions (届次/会次), registering an item
by hand with its proposers (`register_proposal`; the spreadsheet import builds on the same
checks), and 并案办理 (`merge`)."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from office import trail

from . import permissions as can
from .models import Author, MergeGroup, Proposal, Session

TITLE_MAX = 300


@dataclass(frozen=True)
class AuthorEntry:
    name: str
    role: str = Author.Role.LEAD
    delegation: str = ""
    affiliation: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class ProposalEntry:
    """One item as the intake has it (a form or a spreadsheet row)."""

    session: Session
    kind: str
    number: int
    title: str
    content: str = ""
    category: str = ""
    is_key: bool = False
    key_leader: object = None
    authors: tuple = field(default_factory=tuple)  # AuthorEntry, the lead first


def check_entry(entry):
    """{field: message} of what is wrong with an entry, in Chinese (empty when good)."""
    errors = {}
    if entry.kind not in Proposal.Kind.values:
        errors["kind"] = "类别应为建议、议案或提案。"
    if entry.number is None or entry.number <= 0:
        errors["number"] = "请填写编号（正整数）。"
    title = (entry.title or "").strip()
    if not title:
        errors["title"] = "请填写标题。"
    elif len(title) > TITLE_MAX:
        errors["title"] = f"标题过长（{len(title)} 字，最多 {TITLE_MAX} 字）。"
    leads = [a for a in entry.authors if a.role == Author.Role.LEAD]
    if len(leads) != 1 or not (leads[0].name or "").strip():
        errors["authors"] = "须有一位领衔人。"
    if entry.is_key is False and entry.key_leader is not None:
        errors["key_leader"] = "只有重点建议提案需要领办领导。"
    return errors


def register_proposal(entry: ProposalEntry, *, actor, ip=None):
    """登记 one item by hand (the office's staff); its number is unique within the session and
    kind (第0123号 as the NPC/CPPCC gave it)."""
    if not can.can_manage(actor):
        raise PermissionDenied("只有建议提案办理人员可以登记。")
    errors = check_entry(entry)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                session=entry.session,
                kind=entry.kind,
                number=entry.number,
                title=entry.title.strip(),
                content=(entry.content or "").strip(),
                category=(entry.category or "").strip(),
                is_key=entry.is_key,
                key_leader=entry.key_leader,
                registered_by=actor,
            )
            save_authors(proposal, entry.authors)
            trail.record(
                action="register",
                action_label="登记",
                actor=actor,
                obj=proposal,
                to_state=Proposal.State.REGISTERED.label,
                ip=ip,
            )
    except IntegrityError:
        raise ValidationError(
            {
                "number": f"{entry.session.name}已有编号为第{entry.number:04d}号的{Proposal.Kind(entry.kind).label}。"
            }
        ) from None
    return proposal


def save_authors(proposal, authors):
    positions = {Author.Role.LEAD: 0, Author.Role.CO: 0}
    rows = []
    for a in authors:
        positions[a.role] += 1
        rows.append(
            Author(
                proposal=proposal,
                role=a.role,
                position=positions[a.role],
                name=a.name.strip(),
                delegation=(a.delegation or "").strip(),
                affiliation=(a.affiliation or "").strip(),
                phone=(a.phone or "").strip(),
                address=(a.address or "").strip(),
            )
        )
    Author.objects.bulk_create(rows)


def merge(proposals, *, actor, ip=None):
    """并案办理: items on the same subject (across 人大 and 政协 too) handled together — each
    still gets its own reply. Returns the group."""
    proposals = list(proposals)
    if not can.can_manage(actor):
        raise PermissionDenied("只有建议提案办理人员可以并案。")
    if len(proposals) < 2:
        raise ValidationError("请至少选择两件建议提案。")
    with transaction.atomic():
        groups = {p.group_id for p in proposals if p.group_id}
        group = MergeGroup.objects.create(created_by=actor)
        Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(group=group)
        if groups:
            Proposal.objects.filter(group_id__in=groups).update(group=group)
        names = "、".join(f"{p.session.name}{p.number_text}" for p in proposals)
        for p in proposals:
            trail.record(
                action="merge",
                action_label="并案办理",
                actor=actor,
                obj=p,
                opinion=f"与 {names} 并案办理",
                ip=ip,
            )
    return group


SESSION_FIELDS = (
    "body",
    "name",
    "year",
    "opened_on",
    "closed_on",
    "reply_months",
    "key_reply_months",
    "reassignment_working_days",
    "rehandle_months",
    "reply_classes",
    "liaison_body",
    "is_active",
)


def session_save(*, actor, session=None, ip=None, **fields):
    """新建或修改届次会次 (the office's staff)."""
    if not can.can_manage(actor):
        raise PermissionDenied("只有建议提案办理人员可以设置届次会次。")
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"session_save: unknown fields {sorted(unknown)}")
    classes = fields.get("reply_classes")
    if classes is not None:
        codes = [c.get("code", "").strip() for c in classes]
        if not codes or any(not c for c in codes) or len(set(codes)) != len(codes):
            raise ValidationError({"reply_classes": "答复分类须有代码且互不相同，如 A、B、C。"})
    session = session or Session()
    for name, value in fields.items():
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    session.full_clean()
    with transaction.atomic():
        created = session.pk is None
        session.save()
        trail.record(
            action="session_create" if created else "session_update",
            action_label="新建届次" if created else "修改届次",
            actor=actor,
            obj=session,
            ip=ip,
        )
    return session
