"""How 督查督办 shows on the shell's desk (工作台), per role:
- supervisor (督查员): items 已立项 waiting to be assigned (待交办), applications for completion
  to verify (待核验销号), and the red items they supervise;
- a unit's handlers and head: their unit's items assigned or in progress, with the next report's
  due date (下次报送时限) and the item's light;
- a unit head: progress reports waiting for their approval (待审核进展反馈);
- a responsible leader: extension requests waiting for their decision (待审批延期);
- bulletins (督查通报/专报): the leader they were submitted to signs them (待签发); the
  supervisors redraft returned ones and dispatch signed ones (退回修改, 待印发).
Every list is one bounded query, through selectors.items_visible_to."""

from django.urls import reverse
from django.utils import timezone

from office.calendar import Light
from office.permissions import scope_for
from office.registry import DeskItem
from office.roles import Role

from . import measures
from .models import Bulletin, Extension, ProgressReport, SupervisionItem
from .selectors import items_visible_to

DESK_LIMIT = 20
S = SupervisionItem.State
APP_LABEL = "督办"


def _url(pk):
    return reverse("supervision:item-detail", args=[pk])


def _row(item, state_label, *, due=None, light=None):
    return DeskItem(
        app_label=APP_LABEL,
        title=f"{item.item_number} {item.title}",
        url=_url(item.pk),
        due=due if due is not None else item.deadline,
        light=light or item.light or Light.GREEN,
        state_label=state_label,
    )


def _visible(user, today):
    return measures.with_light(items_visible_to(user).only(*ROW_FIELDS), today)


ROW_FIELDS = (
    "id",
    "item_number",
    "title",
    "state",
    "deadline",
    "report_due_on",
    "behind_on",
    "supervisor_id",
    "lead_unit_id",
)


def supervision_desk_items(user):
    scope = scope_for(user)
    if not scope.has_business_role:
        return []
    today = timezone.localdate()
    rows = []
    if scope.has(Role.SUPERVISOR):
        rows += _supervisor_rows(user, today)
    if scope.unit_ids and scope.roles & {Role.UNIT_HANDLER, Role.UNIT_HEAD}:
        rows += _unit_rows(user, scope, today)
    if scope.unit_ids and scope.has(Role.UNIT_HEAD):
        rows += _reports_to_review(user, scope, today)
    if scope.has(Role.LEADER):
        rows += _extensions_to_decide(user)
    rows += _bulletins_to_handle(user, scope)
    return rows


def _bulletins_to_handle(user, scope):
    B = Bulletin.State
    waiting = Bulletin.objects.none()
    if scope.has(Role.LEADER):
        waiting = Bulletin.objects.filter(state=B.IN_REVIEW, signer=user)
    if scope.has(Role.SUPERVISOR):
        waiting = waiting | Bulletin.objects.filter(state__in=(B.RETURNED, B.SIGNED))
    labels = {B.IN_REVIEW: "待签发", B.RETURNED: "退回修改", B.SIGNED: "已签发，待印发"}
    bulletins = waiting.only("id", "kind", "title", "state", "period_end").order_by(
        "period_end", "id"
    )[:DESK_LIMIT]
    return [
        DeskItem(
            app_label=APP_LABEL,
            title=f"{b.get_kind_display()}：{b.title}",
            url=reverse("supervision:bulletin-detail", args=[b.pk]),
            due=None,
            light=Light.YELLOW if b.state == B.RETURNED else Light.GREEN,
            state_label=labels[b.state],
        )
        for b in bulletins
    ]


def _supervisor_rows(user, today):
    visible = _visible(user, today)
    rows = [
        _row(item, "待交办")
        for item in visible.filter(state=S.OPENED).order_by("deadline", "id")[:DESK_LIMIT]
    ]
    rows += [
        _row(item, "申请办结，待核验销号")
        for item in visible.filter(state=S.CLOSE_REQUESTED).order_by("deadline", "id")[:DESK_LIMIT]
    ]
    red = visible.filter(measures.light_q(Light.RED, today), supervisor=user)
    rows += [
        _row(item, f"红灯（{S(item.state).label}）")
        for item in red.order_by("deadline", "id")[:DESK_LIMIT]
    ]
    return rows


def _unit_rows(user, scope, today):
    """The unit's items to report on, the most urgent first (red, then by next report due)."""
    items = (
        _visible(user, today)
        .filter(lead_unit_id__in=scope.unit_ids, state__in=(S.ASSIGNED, S.IN_PROGRESS))
        .order_by("report_due_on", "deadline", "id")[:DESK_LIMIT]
    )
    rows = []
    for item in items:
        due = item.report_due_on
        label = f"待报送进展（{due:%m-%d} 前）" if due else S(item.state).label
        rows.append(_row(item, label, due=due or item.deadline))
    return rows


def _reports_to_review(user, scope, today):
    reports = (
        ProgressReport.objects.filter(
            state=ProgressReport.State.SUBMITTED,
            item__in=items_visible_to(user).filter(lead_unit_id__in=scope.unit_ids),
        )
        .select_related("item")
        .only(
            "id",
            "kind",
            "submitted_at",
            "item__id",
            "item__item_number",
            "item__title",
            "item__deadline",
        )
        .order_by("submitted_at", "id")[:DESK_LIMIT]
    )
    return [
        DeskItem(
            app_label=APP_LABEL,
            title=f"{r.item.item_number} {r.item.title}",
            url=_url(r.item.pk) + f"#report-{r.pk}",
            due=r.item.deadline,
            light=Light.YELLOW,
            state_label=f"待审核{r.get_kind_display()}",
        )
        for r in reports
    ]


def _extensions_to_decide(user):
    extensions = (
        Extension.objects.filter(state=Extension.State.PENDING, item__responsible_leader=user)
        .filter(item__in=items_visible_to(user))
        .select_related("item")
        .only(
            "id",
            "requested_deadline",
            "item__id",
            "item__item_number",
            "item__title",
            "item__deadline",
        )
        .order_by("requested_at", "id")[:DESK_LIMIT]
    )
    return [
        DeskItem(
            app_label=APP_LABEL,
            title=f"{e.item.item_number} {e.item.title}",
            url=_url(e.item.pk) + f"#extension-{e.pk}",
            due=e.item.deadline,
            light=Light.YELLOW,
            state_label=f"待审批延期（申请延至 {e.requested_deadline:%Y-%m-%d}）",
        )
        for e in extensions
    ]
