"""The 办会 configuration the demo keeps up to date on every run: the four meeting types with their
minutes series, default presiding leader and members, the rooms, and the legal adviser."""

from ..models import LegalAdviser, MeetingType, Room

K = MeetingType.Kind
VICE_MAYORS = (
    "executive_vice_mayor",
    "vice_mayor_social",
    "vice_mayor_construction",
    "vice_mayor_security",
)
EXECUTIVE_MEMBERS = ("mayor", *VICE_MAYORS, "secretary_general")
DEPUTY_SECRETARIES_GENERAL = (
    "deputy_secretary_general_1",
    "deputy_secretary_general_2",
    "deputy_secretary_general_3",
)

# (kind, name, minutes title, default presider, members)
TYPES = (
    (K.PLENARY, "市政府全体会议", "市政府全体会议纪要", "mayor", EXECUTIVE_MEMBERS),
    (K.EXECUTIVE, "市政府常务会议", "市政府常务会议纪要", "mayor", EXECUTIVE_MEMBERS),
    (
        K.MAYOR_OFFICE,
        "市长办公会议",
        "市长办公会议纪要",
        "mayor",
        ("mayor", "executive_vice_mayor", "secretary_general"),
    ),
    (
        K.SPECIAL,
        "专题会议",
        "市政府专题会议纪要",
        "executive_vice_mayor",
        (*VICE_MAYORS, *DEPUTY_SECRETARIES_GENERAL),
    ),
)

# (key, name, location, capacity)
ROOMS = (
    ("executive", "市政府常务会议室", "市政府1号楼三楼", 60),
    ("first", "市政府第一会议室", "市政府1号楼二楼", 30),
    ("second", "市政府第二会议室", "市政府1号楼五楼", 20),
    ("hall", "市政府多功能会议厅", "市政府2号楼一楼", 150),
)

# 法制科科长杨帆 is the office's legal adviser (office/seed/core.py: 法制科科长（法律顾问）).
LEGAL_ADVISERS = ("secretary_legal",)


def seed_configuration(users):
    """Returns ({kind: MeetingType}, {room key: Room}, [adviser users])."""
    types = {}
    for order, (kind, name, minutes_title, presider, members) in enumerate(TYPES, start=1):
        meeting_type, _ = MeetingType.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "minutes_title": minutes_title,
                "default_presider": users[presider],
                "sort_order": order * 10,
                "is_active": True,
            },
        )
        meeting_type.members.set([users[key] for key in members])
        types[kind] = meeting_type
    rooms = {}
    for key, name, location, capacity in ROOMS:
        rooms[key], _ = Room.objects.update_or_create(
            name=name, defaults={"location": location, "capacity": capacity, "is_active": True}
        )
    advisers = [users[key] for key in LEGAL_ADVISERS]
    for user in advisers:
        LegalAdviser.objects.update_or_create(user=user, defaults={"is_active": True})
    return types, rooms, advisers
