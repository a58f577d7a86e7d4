"""收文办理's writes outside the state machines (documents/services.py, office/uploads.py):
registration and its numbers (no gaps, DOMAIN.md §2), duplicates, senders, corrections,
attachments typed by their content, progress notes, urging (催办), who holds a document, and the
handling policy (办文办事限时制)."""

import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents import services, workflow
from documents.models import (
    Assignment,
    Attachment,
    HandlingPolicy,
    IncomingDocument,
    ProgressNote,
    Sender,
)
from office.calendar import add_working_days
from office.models import Clearance, TrailEvent, Urgency
from tests.documents.conftest import registration
from tests.documents.test_workflow import Build, nothing_changes
from tests.steps import events, fresh, told

S = IncomingDocument.State

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(20) + b"\xff\xd9"
HTML = b"<!DOCTYPE html><html><body><script>alert('x')</script></body></html>"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def zipped(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name in names:
            package.writestr(name, "<?xml version='1.0' encoding='UTF-8'?><x/>")
    return buffer.getvalue()


DOCX = zipped("[Content_Types].xml", "word/document.xml")
OFD = zipped("OFD.xml", "Doc_0/Document.xml")


def upload(name, content):
    return SimpleUploadedFile(name, content)


def files_in(root):
    return sorted(path for path in root.rglob("*") if path.is_file())


def register(actor, files=(), **fields):
    """Register the typical document again and again: these tests are not about duplicates, so
    the secretary has confirmed each one (test_a_likely_duplicate_needs_confirmation is)."""
    return services.incoming_register(
        registration(**fields), actor=actor, files=files, confirmed_duplicate=True
    )


def document_of(target):
    return target.document if isinstance(target, Assignment) else target


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def build(personas, units):
    return Build(personas, units)


# --- registration (登记) and its number ---------------------------------------------------------


def test_registration_numbers_run_on_per_year_without_gaps(personas):
    secretary = personas["secretary"]
    docs = [register(secretary, sender_number=f"粤应急函〔2026〕{n}号") for n in (1, 2, 3)]
    assert [(d.registration_number, d.year, d.serial) for d in map(fresh, docs)] == [
        ("收〔2026〕0001号", 2026, 1),
        ("收〔2026〕0002号", 2026, 2),
        ("收〔2026〕0003号", 2026, 3),
    ]
    last_year = register(secretary, received_on=datetime.date(2025, 12, 31))
    assert (last_year.registration_number, last_year.year) == ("收〔2025〕0001号", 2025)
    assert register(secretary).registration_number == "收〔2026〕0004号"
    event = events(docs[0], "register").get()
    assert (event.actor, event.to_state, event.opinion) == (
        secretary,
        "待初审",
        "广东省应急管理厅 粤应急函〔2026〕1号",
    )
    assert fresh(docs[0]).state == S.REGISTERED


FAILED_REGISTRATIONS = [
    pytest.param(
        {"classification": Clearance.CONFIDENTIAL, "secrecy_period": "10年"},
        lambda: [],
        ValidationError,
        "您的涉密等级为“秘密”，不能登记“机密”文件",
        id="above-the-secretarys-clearance",
    ),
    pytest.param(
        {},
        lambda: [upload("来文.pdf", HTML)],
        ValidationError,
        "不是可接受的文件类型",
        id="html-renamed-pdf",
    ),
    # The first file is already on disk when the database refuses the second one's name
    # (PostgreSQL stores no NUL): the stored file must go too.
    pytest.param(
        {},
        lambda: [upload("正文.pdf", PDF), upload("附件\x00.pdf", PDF)],
        ValueError,
        "NUL",
        id="refused-after-a-file-was-stored",
    ),
]


@pytest.mark.parametrize("fields, files, error, message", FAILED_REGISTRATIONS)
def test_a_failed_registration_leaves_nothing_behind(
    personas, media, fields, files, error, message
):
    secretary = personas["secretary"]
    register(secretary)
    with nothing_changes(), pytest.raises(error, match=message):
        services.incoming_register(
            registration(sender_name="广东省公安厅", **fields), actor=secretary, files=files()
        )
    assert not Sender.objects.filter(name="广东省公安厅").exists()
    assert not Attachment.objects.exists() and files_in(media) == []
    assert register(secretary).registration_number == "收〔2026〕0002号"  # no number lost


def test_registration_stores_the_scans_with_the_document(personas, media):
    doc = register(personas["secretary"], files=[upload("来文.pdf", PDF), upload("附件.png", PNG)])
    assert sorted(doc.attachments.values_list("name", "media_type")) == [
        ("来文.pdf", "application/pdf"),
        ("附件.png", "image/png"),
    ]
    assert len(files_in(media)) == 2


@pytest.mark.parametrize("who", ["leader", "supervisor", "handler_a", "sysadmin", "outsider"])
def test_only_secretaries_register(personas, who):
    with nothing_changes(), pytest.raises(ValidationError, match="只有秘书（文书）可以登记收文"):
        register(personas[who])


def test_duplicates_are_the_same_sender_and_number_in_the_same_year(personas):
    secretary = personas["secretary"]
    original = register(secretary)  # 广东省应急管理厅 粤应急函〔2026〕15号, received 2026
    earlier = register(secretary, received_on=datetime.date(2025, 6, 1))
    register(secretary, sender_name="广东省公安厅")
    register(secretary, sender_number="粤应急函〔2026〕16号")

    def find(**kwargs):
        values = dict(sender_name=" 广东省应急管理厅 ", sender_number="粤应急函〔2026〕15号 ")
        return list(services.find_duplicates(**{**values, **kwargs}))

    assert find(year=2026) == [original]
    assert find(year=2025) == [earlier]
    assert find(year=2026, exclude_pk=original.pk) == []
    assert find(year=2026, sender_name="广东省人民政府办公厅") == []
    assert find(year=2026, sender_number="") == []


def test_a_new_sender_is_added_with_its_level_and_a_known_one_is_reused(personas):
    secretary = personas["secretary"]
    doc = register(secretary, sender_name=" 珠海市香洲区人民政府 ", sender_level="lower")
    sender = Sender.objects.get(name="珠海市香洲区人民政府")
    assert sender.level == Sender.Level.LOWER
    assert (doc.sender, doc.sender_name, doc.sender_level) == (sender, sender.name, "lower")
    again = register(
        secretary,
        sender_name="珠海市香洲区人民政府",
        sender_level="peer",
        sender_number="香府函〔2026〕3号",
    )
    assert (again.sender, again.sender_level) == (sender, Sender.Level.LOWER)
    assert Sender.objects.filter(name="珠海市香洲区人民政府").count() == 1


# --- corrections to the registration ----------------------------------------------------------


def test_a_correction_keeps_the_number_and_is_kept_in_the_trail(build):
    doc = build.accepted()
    data = registration(title="关于开展消防安全专项检查的通知", urgency=Urgency.EXTRA_URGENT)
    updated = services.incoming_update_registration(doc, data, actor=build.secretary, ip="10.0.0.9")
    assert (updated.title, updated.urgency, updated.registration_number, updated.state) == (
        "关于开展消防安全专项检查的通知",
        Urgency.EXTRA_URGENT,
        doc.registration_number,
        S.ACCEPTED,
    )
    event = events(doc, "edit_registration").get()
    assert (event.actor, event.action_label, event.ip) == (
        build.secretary,
        "修改登记信息",
        "10.0.0.9",
    )
    assert event.opinion == (
        "标题：关于开展消防安全专项督办的通知 → 关于开展消防安全专项检查的通知；"
        "紧急程度：加急 → 特急"
    )
    # the same data again changes nothing and records nothing
    with nothing_changes():
        services.incoming_update_registration(updated, data, actor=build.secretary)


@pytest.mark.parametrize("stage", ["completed", "archived"])
def test_completed_and_filed_documents_keep_their_registration(build, stage):
    doc = getattr(build, stage)()
    with (
        nothing_changes(),
        pytest.raises(ValidationError, match="已办结或已归档的收文只读"),
    ):
        services.incoming_update_registration(
            doc, registration(title="改个标题"), actor=build.secretary
        )


@pytest.mark.parametrize(
    "who, fields, message",
    [
        ("leader", {"title": "改个标题"}, None),
        ("secretary", {"kind": "reading"}, "已拟办或传阅的收文不能改变办件/阅件"),
        (
            "secretary",
            {"classification": Clearance.CONFIDENTIAL, "secrecy_period": "10年"},
            "不能登记“机密”文件",
        ),
    ],
)
def test_other_corrections_are_refused(build, who, fields, message):
    doc = build.instructing()
    with nothing_changes(), pytest.raises(ValidationError, match=message):
        services.incoming_update_registration(doc, registration(**fields), actor=build.who(who))


# --- attachments: the type comes from the content ---------------------------------------------


@pytest.mark.parametrize(
    "name, content, media_type",
    [
        ("扫描件.pdf", PDF, "application/pdf"),
        ("照片.png", PNG, "image/png"),
        ("照片.jpg", JPEG, "image/jpeg"),
        ("正文.docx", DOCX, DOCX_TYPE),
        ("正文.ofd", OFD, "application/ofd"),
        ("扫描件.pdf", PNG, "image/png"),  # the name does not decide the type
    ],
    ids=["pdf", "png", "jpeg", "docx", "ofd", "png-named-pdf"],
)
def test_accepted_files_are_typed_by_content_and_hashed(build, media, name, content, media_type):
    doc = build.registered()
    [attachment] = services.add_attachments(doc, [upload(name, content)], actor=build.secretary)
    attachment = fresh(attachment)
    assert (attachment.name, attachment.media_type, attachment.size, attachment.sha256) == (
        name,
        media_type,
        len(content),
        hashlib.sha256(content).hexdigest(),
    )
    assert attachment.purpose == Attachment.Purpose.ORIGINAL
    assert name not in attachment.file.name  # stored under a random name
    assert (media / attachment.file.name).read_bytes() == content
    assert events(doc, "attach").get().opinion == name


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("通知.pdf", HTML, "“通知.pdf”不是可接受的文件类型（按文件内容识别）"),
        ("正文.ofd", zipped("Doc_0/Document.xml"), "“正文.ofd”不是可接受的文件类型"),
        ("空白.pdf", b"", "“空白.pdf”是空文件"),
    ],
    ids=["html-renamed-pdf", "zip-without-OFD.xml", "empty"],
)
def test_refused_files_leave_nothing(build, media, name, content, message):
    doc = build.registered()
    with nothing_changes(), pytest.raises(ValidationError, match=message):
        services.add_attachments(doc, [upload(name, content)], actor=build.secretary)
    assert not Attachment.objects.exists() and files_in(media) == []


def test_files_over_the_size_limit_are_refused(build, media):
    HandlingPolicy.objects.filter(pk=HandlingPolicy.current().pk).update(max_attachment_mb=1)
    doc = build.registered()
    limit = 1024 * 1024
    with nothing_changes(), pytest.raises(ValidationError, match="超过 1 MB 的大小上限"):
        services.add_attachments(
            doc, [upload("大文件.pdf", PDF + bytes(limit - len(PDF) + 1))], actor=build.secretary
        )
    assert files_in(media) == []
    [at_limit] = services.add_attachments(
        doc, [upload("正好.pdf", PDF + bytes(limit - len(PDF)))], actor=build.secretary
    )
    assert at_limit.size == limit


def test_result_materials_come_from_the_units_handler_while_handling(build, personas):
    part = build.accepted_part()
    [material] = services.add_attachments(
        part.document, [upload("整改报告.pdf", PDF)], actor=personas["handler_a"], assignment=part
    )
    assert (material.purpose, material.assignment) == (Attachment.Purpose.RESULT, part)
    with pytest.raises(ValidationError, match="只有承办人在办理中可以上传办理结果材料"):
        services.add_attachments(
            part.document, [upload("材料.pdf", PDF)], actor=personas["handler_b"], assignment=part
        )


@pytest.mark.parametrize("stage, who", [("registered", "leader"), ("archived", "secretary")])
def test_originals_are_added_by_secretaries_until_filed(build, stage, who):
    doc = getattr(build, stage)()
    with (
        nothing_changes(),
        pytest.raises(ValidationError, match="只有秘书可以为未归档的收文添加附件"),
    ):
        services.add_attachments(doc, [upload("扫描件.pdf", PDF)], actor=build.who(who))


# --- progress notes (办理进展) -------------------------------------------------------------------


def test_the_units_handler_records_progress_while_handling(build, personas):
    part, handler = build.accepted_part(), personas["handler_a"]
    note = services.record_progress(part, actor=handler, text=" 已召开专题会研究。 ")
    assert (note.text, note.author, note.assignment) == ("已召开专题会研究。", handler, part)
    event = events(part.document, "progress").get()
    assert (event.action_label, event.actor, event.opinion) == (
        "市教育局填报进展",
        handler,
        "已召开专题会研究。",
    )


@pytest.mark.parametrize(
    "stage, who, text, message",
    [
        ("accepted_part", "handler_b", "进展", "只有本单位承办人可以填报办理进展"),
        ("accepted_part", "head_a", "进展", "只有本单位承办人可以填报办理进展"),
        ("accepted_part", "secretary", "进展", "只有本单位承办人可以填报办理进展"),
        ("assigned_part", "handler_a", "进展", "接收后、提交办理结果前才能填报办理进展"),
        ("submitted_part", "handler_a", "进展", "接收后、提交办理结果前才能填报办理进展"),
        ("approved_part", "handler_a", "进展", "接收后、提交办理结果前才能填报办理进展"),
        ("accepted_part", "handler_a", "  ", "请填写办理进展"),
    ],
)
def test_progress_is_refused_otherwise(build, stage, who, text, message):
    part = getattr(build, stage)()
    with nothing_changes(), pytest.raises(ValidationError, match=message):
        services.record_progress(part, actor=build.who(who), text=text)
    assert not ProgressNote.objects.exists()


# --- who holds it, and urging (催办) -----------------------------------------------------------

HOLDERS = [
    ("registered", ["secretary"]),
    ("accepted", ["secretary"]),
    ("instructing_ordered", ["l1"]),
    ("instructing_parallel", ["l1", "l2"]),
    ("instructed", ["secretary"]),
    ("handling_with_co", ["handler_a", "handler_b"]),
    ("submitted_part", ["head_a"]),  # the lead unit's result waits for its head
    ("awaiting_completion", ["secretary"]),
    ("circulating_ordered", ["l1"]),
    ("circulating_parallel", ["l1", "l2"]),
    ("returned", []),
    ("completed", []),
    ("archived", []),
]


@pytest.mark.parametrize("stage, expected", HOLDERS)
def test_holders_per_state(build, stage, expected):
    doc = document_of(getattr(build, stage)())
    assert {u.username for u in services.holders(doc)} == {
        build.who(name).username for name in expected
    }


def test_the_next_leader_holds_it_once_the_first_has_instructed(build):
    doc = build.instructing_ordered()
    workflow.instruct(doc, actor=build.l1, instruction="请张秘书长阅处。")
    assert services.holders(fresh(doc)) == [build.l2]


@pytest.mark.parametrize(
    "stage, expected",
    [
        ("instructing_ordered", ["l1"]),
        ("instructing_parallel", ["l1", "l2"]),
        ("instructed", ["secretary"]),
        ("circulating_ordered", ["l1"]),
        ("handling_with_co", ["handler_a", "handler_b"]),
        ("submitted_part", ["head_a"]),
    ],
)
def test_urging_tells_whoever_holds_it_and_is_kept_in_the_trail(build, personas, stage, expected):
    doc = document_of(getattr(build, stage)())
    holders = [build.who(name) for name in expected]
    supervisor, message = personas["supervisor"], "请抓紧办理，本周五前反馈。"
    recipients = services.urge(doc, actor=supervisor, message=message)
    assert set(recipients) == set(holders)
    everyone = [build.secretary, build.l1, build.l2, build.l3, build.head_b]
    everyone += [personas[name] for name in ("handler_a", "handler_b", "head_a")]
    assert {user for user in everyone if told(user, doc, "催办：")} == set(holders)
    event = events(doc, "urge").get()
    assert (event.action_label, event.actor) == ("催办", supervisor)
    assert event.opinion.startswith(f"{message}（催办：")
    assert all(user.real_name in event.opinion for user in holders)


@pytest.mark.parametrize(
    "stage, who, message, text",
    [
        ("completed", "secretary", "请抓紧。", "该收文当前不能催办"),
        ("archived", "supervisor", "请抓紧。", "该收文当前不能催办"),
        ("handling", "handler_a", "请抓紧。", "该收文当前不能催办"),
        ("handling", "head_a", "请抓紧。", "该收文当前不能催办"),
        ("handling", "outsider", "请抓紧。", "该收文当前不能催办"),
        ("handling", "supervisor", " ", "请填写催办内容"),
    ],
)
def test_urging_is_refused_otherwise(build, stage, who, message, text):
    doc = getattr(build, stage)()
    with nothing_changes(), pytest.raises(ValidationError, match=text):
        services.urge(doc, actor=build.who(who), message=message)


# --- the handling policy (收文办理设置) ----------------------------------------------------------


def test_the_system_administrator_changes_the_policy_and_the_trail_keeps_the_change(
    build, personas, units
):
    sysadmin = personas["sysadmin"]
    services.handling_policy_update(
        actor=sysadmin, values={"normal_days": 15, "warning_days": 3}, ip="10.0.0.7"
    )
    assert HandlingPolicy.current().normal_days == 15
    event = TrailEvent.objects.get(action="handling_policy")
    assert (event.actor, event.action_label, event.opinion, event.ip) == (
        sysadmin,
        "修改收文办理设置",
        "平件办理期限（工作日）：10 → 15",
        "10.0.0.7",
    )
    with nothing_changes():  # the same values again: nothing to record
        services.handling_policy_update(actor=sysadmin, values={"normal_days": 15})
    doc = build.accepted(urgency=Urgency.NORMAL)
    workflow.assign(doc, actor=build.secretary, lead_unit=units["a"])
    assert fresh(doc).deadline == add_working_days(timezone.localdate(), 15)


def test_the_registration_pattern_comes_from_the_policy(personas):
    services.handling_policy_update(
        actor=personas["sysadmin"], values={"registration_pattern": "市府办收〔{year}〕{number}号"}
    )
    assert register(personas["secretary"]).registration_number == "市府办收〔2026〕1号"


@pytest.mark.parametrize("who", ["secretary", "secadmin", "auditor", "leader"])
def test_only_the_system_administrator_changes_the_policy(personas, who):
    with (
        nothing_changes(),
        pytest.raises(ValidationError, match="只有系统管理员可以修改收文办理设置"),
    ):
        services.handling_policy_update(actor=personas[who], values={"normal_days": 5})
    assert HandlingPolicy.current().normal_days == 10


def test_a_likely_duplicate_needs_confirmation(personas):
    secretary = personas["secretary"]
    original = services.incoming_register(registration(), actor=secretary)
    with nothing_changes(), pytest.raises(services.PossibleDuplicate) as refused:
        services.incoming_register(registration(title="再次登记"), actor=secretary)
    assert refused.value.duplicates == [original]
    again = services.incoming_register(
        registration(title="再次登记"), actor=secretary, confirmed_duplicate=True
    )
    assert again.registration_number == "收〔2026〕0002号"
