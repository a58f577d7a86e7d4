"""办会 prints, rendered by office.pdf.render_pdf on templates/meetings/pdf/*.html:

- minutes_context(minutes) → meetings/pdf/minutes.html: the 会议纪要 in the 纪要格式 of GB/T 9704
  10.3 (OFFICIAL_FORMAT.md "Special formats"): the red 小标宋 mark 「××××纪要」 (the meeting
  type's minutes_title) 35 mm below the top of the type area; the issue line 「第12期」 under it
  (the year is not repeated there: it is the year of the date printed on the next line); the
  issuing office at the left and the date at the right; the red rule; the text with its heading
  levels (documents' paragraphs()); the decided items; then, after one blank line, 出席 / 请假 /
  列席 in 三号黑体 with the names in 三号仿宋, continuation lines aligned after the colon.
  A print before sign-off carries a watermark and no issue number, and is dated today.
- agenda_context(meeting) → meetings/pdf/agenda.html: the 议程, a plain A4 table.
- sign_in_context(meeting) → meetings/pdf/sign_in_sheet.html: the 签到表 (name, unit, 出席/列席,
  a blank column to sign in), for everyone expected — those on leave are left out, their
  代会人员 are listed instead.
- notice_context(meeting) → meetings/pdf/notice.html: the printable 会议通知 as an official
  notice (GB/T 9704 7.3): the title 「关于召开××的通知」 in 二号小标宋, the 主送 line (the units of
  everyone invited), the text in 三号仿宋 with its 一、 headings in 黑体 — 时间 (with the weekday,
  上午9:00), 地点, 主持, the 议题 in agenda order with their 汇报单位, 出席 / 列席, 有关要求 (answer
  in the system before the meeting, 请假 with a 代会人员, bring the materials), 联系人 (the
  secretary who scheduled it, with the phone when recorded) — then the issuing office and the
  date it was scheduled, at the right without a seal (7.3.5).
"""

from django.utils import timezone

from office.official_text import chinese_date, paragraphs
from office.pdf import authority_mark_size, render_pdf
from office.selectors import issuing_office_name

from .minutes import _chinese
from .models import Attendance, Minutes

MINUTES_TEMPLATE = "meetings/pdf/minutes.html"
AGENDA_TEMPLATE = "meetings/pdf/agenda.html"
SIGN_IN_TEMPLATE = "meetings/pdf/sign_in_sheet.html"
NOTICE_TEMPLATE = "meetings/pdf/notice.html"

M = Minutes.State
ISSUED = (M.SIGNED, M.DISPATCHED, M.FILED)
# A print before sign-off must never pass for the issued minutes.
WATERMARKS = {M.DRAFT: "征求意见稿", M.RETURNED: "征求意见稿", M.IN_REVIEW: "送审稿"}


def is_issued(minutes):
    return minutes.state in ISSUED


def _name(user):
    return user.real_name or user.username


def _unit_name(user):
    unit = user.unit
    return (unit.short_name or unit.name) if unit else ""


def attendance_lines(meeting):
    """[(label, names)] for 出席, 请假, 列席 in that order, leaving out empty ones.

    出席: invited members who are not on leave; 请假: everyone on leave, with 「（由××代会）」
    when a substitute came; 列席: observers not on leave, each after their unit. A substitute is
    named only in the 请假 line of the person they stood in for."""
    rows = list(meeting.attendances.select_related("person__unit", "substitute").order_by("id"))
    on_leave = [a for a in rows if a.answer == Attendance.Answer.LEAVE]
    substitutes = {a.substitute_id for a in on_leave if a.substitute_id}
    present = [
        a for a in rows if a.answer != Attendance.Answer.LEAVE and a.person_id not in substitutes
    ]
    attendees = [_name(a.person) for a in present if a.role == Attendance.Role.ATTENDEE]
    leave = [
        _name(a.person) + (f"（由{_name(a.substitute)}代会）" if a.substitute_id else "")
        for a in on_leave
    ]
    observers = [
        f"{_unit_name(a.person)}{_name(a.person)}"
        for a in present
        if a.role == Attendance.Role.OBSERVER
    ]
    lines = [("出席", "、".join(attendees)), ("请假", "、".join(leave))]
    lines.append(("列席", "，".join(observers)))
    return [{"label": label, "names": names} for label, names in lines if names]


def decided_items(minutes):
    items = minutes.decided_items.select_related("lead_unit", "leader").prefetch_related("co_units")
    result = []
    for item in items.order_by("position"):
        parts = [f"责任单位：{item.lead_unit.name}"]
        co_units = "、".join(unit.name for unit in item.co_units.all())
        if co_units:
            parts.append(f"协办单位：{co_units}")
        parts.append(f"责任领导：{_name(item.leader)}")
        parts.append(f"完成时限：{chinese_date(item.deadline)}前")
        result.append(
            {
                "heading": f"{item.position}.",
                "text": f"{item.content.rstrip('。')}。（{'；'.join(parts)}）",
            }
        )
    return result


def minutes_context(minutes):
    meeting = minutes.meeting
    issued = is_issued(minutes)
    mark = meeting.meeting_type.minutes_title
    on = minutes.signed_at if issued and minutes.signed_at else timezone.localdate()
    return {
        "title": f"{mark} {minutes.issue_text}" if issued else f"{mark}（{meeting.title}）",
        "authority_mark": mark,
        "mark_size": authority_mark_size(mark),
        "issue": f"第{minutes.issue_number}期" if issued and minutes.issue_number else "",
        "issuer": issuing_office_name(),
        "date": chinese_date(on),
        "paragraphs": paragraphs(minutes.body),
        "decided_items": decided_items(minutes),
        "attendance": attendance_lines(meeting),
        "watermark": "" if issued else WATERMARKS.get(minutes.state, "征求意见稿"),
    }


def render_minutes(minutes):
    return render_pdf(MINUTES_TEMPLATE, minutes_context(minutes))


def _when(meeting):
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return f"{chinese_date(start)} {start:%H:%M}—{end:%H:%M}"


def _particulars(meeting):
    return {
        "when": _when(meeting),
        "room": meeting.room.name,
        "presider": _name(meeting.presider),
        "printed_on": chinese_date(timezone.localdate()),
    }


def agenda_context(meeting):
    items = meeting.agenda.select_related("topic", "reporting_unit").order_by("position")
    return {
        "title": f"{meeting.title}议程",
        **_particulars(meeting),
        "items": [
            {
                "position": item.position,
                "topic": item.topic.title,
                "unit": item.reporting_unit.name,
                "minutes": item.minutes_allotted,
            }
            for item in items
        ],
    }


def render_agenda(meeting):
    return render_pdf(AGENDA_TEMPLATE, agenda_context(meeting))


def sign_in_context(meeting):
    rows = list(meeting.attendances.select_related("person__unit").order_by("role", "id"))
    stood_in = {
        a.substitute_id: _name(a.person)
        for a in rows
        if a.answer == Attendance.Answer.LEAVE and a.substitute_id
    }
    people = []
    for a in rows:
        if a.answer == Attendance.Answer.LEAVE:
            continue
        role = a.get_role_display()
        if a.person_id in stood_in:
            role = f"{role}（代{stood_in[a.person_id]}）"
        unit = a.person.unit
        people.append({"name": _name(a.person), "unit": unit.name if unit else "", "role": role})
    return {
        "title": f"{meeting.title}签到表",
        **_particulars(meeting),
        "people": [dict(row, number=n) for n, row in enumerate(people, 1)],
    }


def render_sign_in_sheet(meeting):
    return render_pdf(SIGN_IN_TEMPLATE, sign_in_context(meeting))


WEEKDAYS = "一二三四五六日"


def notice_time(moment):
    """2026年11月24日（星期二）上午9:00 — the date, the weekday, and the clock with 上午 / 中午 /
    下午 / 晚上 as a notice writes it."""
    local = timezone.localtime(moment)
    hour = local.hour
    if hour < 12:
        period, shown = "上午", hour
    elif hour < 13:
        period, shown = "中午", hour
    elif hour < 18:
        period, shown = "下午", hour - 12
    else:
        period, shown = "晚上", hour - 12
    weekday = WEEKDAYS[local.weekday()]
    return f"{chinese_date(local)}（星期{weekday}）{period}{shown}:{local.minute:02d}"


def _addressees(rows):
    """主送: the units of everyone invited, in the order of the invitations, each once."""
    names = [a.person.unit.name for a in rows if a.person.unit_id]
    return "、".join(dict.fromkeys(names)) + "：" if names else ""


def _with_title(user):
    return f"{user.title}{_name(user)}" if user.title else _name(user)


def notice_context(meeting):
    """The 会议通知 of a meeting (see the module docstring)."""
    rows = list(meeting.attendances.select_related("person__unit").order_by("role", "id"))
    attendees = [_name(a.person) for a in rows if a.role == Attendance.Role.ATTENDEE]
    observers = [
        f"{_unit_name(a.person)}{_name(a.person)}"
        for a in rows
        if a.role == Attendance.Role.OBSERVER
    ]
    if meeting.press_invited:
        observers.append("新闻媒体记者")
    items = meeting.agenda.select_related("topic", "reporting_unit").order_by("position")
    room = meeting.room
    secretary = meeting.created_by
    contact = (
        f"{_name(secretary)}（{_unit_name(secretary)}）" if secretary.unit_id else _name(secretary)
    )
    if secretary.phone:
        contact += f"，联系电话：{secretary.phone}"
    lines = [
        f"经研究，定于{notice_time(meeting.starts_at)}召开{meeting.title}。现将有关事项通知如下："
    ]
    sections = [
        ("会议时间", [f"{notice_time(meeting.starts_at)}。"]),
        ("会议地点", [f"{room.name}（{room.location}）。" if room.location else f"{room.name}。"]),
        ("主持人", [f"{_with_title(meeting.presider)}。"]),
        (
            "会议议题",
            [
                f"{item.position}.{item.topic.title}（汇报单位：{item.reporting_unit.name}）"
                for item in items
            ]
            or ["另行通知。"],
        ),
        (
            "参会人员",
            [f"出席：{'、'.join(attendees)}。"]
            + ([f"列席：{'，'.join(observers)}。"] if observers else []),
        ),
        (
            "有关要求",
            [
                "1.请参会人员于会前在系统中确认参加；因故不能参加的，请于会前在系统中请假，"
                "写明事由，并指定代会人员。",
                "2.请各汇报单位做好汇报准备，参会人员携带会议材料，按时到会签到。",
            ],
        ),
        ("联系人", [f"{contact}。"]),
    ]
    for number, (heading, texts) in enumerate(sections, 1):
        lines.append(f"{_chinese(number)}、{heading}")
        lines.extend(texts)
    return {
        "title": f"关于召开{meeting.title}的通知",
        "addressee": _addressees(rows),
        "paragraphs": paragraphs("\n".join(lines)),
        "signatory": issuing_office_name(),
        "date": chinese_date(meeting.created_at),
        "unsealed": True,
    }


def render_notice(meeting):
    return render_pdf(NOTICE_TEMPLATE, notice_context(meeting))
