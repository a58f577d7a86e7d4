"""发文 pages through the browser's eyes (Django's test client): drafting with a .docx import,
revisions and their comparison, each step on the document's page, refusals that keep the input,
the 发文登记簿 with void numbers, the receiving unit's 签收, seals and attachments."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import OutgoingDocument, ReviewLevel, Seal
from documents.workflow import outgoing as flow
from office.models import Clearance, SerialNumber

S = OutgoingDocument.State


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def login(client, user):
    client.force_login(user)
    return client


def draft_data(units, **overrides):
    data = {
        "doc_type": "notice",
        "issuing_unit": str(units["government"].pk),
        "direction": "downward",
        "main_recipients": [str(units["a"].pk), str(units["b"].pk)],
        "cc_recipients": [],
        "classification": "0",
        "secrecy_period": "",
        "copy_number": "",
        "urgency": "normal",
        "title": "关于做好2027年元旦春节期间安全生产工作的通知",
        "body": "一、提高思想认识\n各区、各部门要高度重视。\n二、压实工作责任\n落实属地责任。",
        "attachment_note": "",
        "remarks": "此件公开发布",
        "print_copies": "40",
        "printing_unit": str(units["office"].pk),
        "save": "",
    }
    data.update(overrides)
    return data


def docx_upload(lines, name="稿件.docx"):
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def post_step(client, document, step, **fields):
    data = {f"{step}-{key}": value for key, value in fields.items()}
    return client.post(reverse("documents:outgoing-act", args=[document.pk, step]), data)


@pytest.fixture
def reviewer_level(units, personas):
    level = ReviewLevel.objects.create(unit=units["government"], level=1, label="科室核稿")
    level.reviewers.add(personas["supervisor"])
    return level


@pytest.fixture
def seal(units):
    return Seal.objects.create(unit=units["government"], name="珠海市人民政府印章")


def test_a_secretary_drafts_and_the_first_version_is_kept(client, personas, units):
    login(client, personas["secretary"])
    page = client.get(reverse("documents:outgoing-new"))
    assert page.status_code == 200 and "起草发文" in page.content.decode()
    response = client.post(reverse("documents:outgoing-new"), draft_data(units))
    document = OutgoingDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:outgoing-detail", args=[document.pk])
    assert document.state == S.DRAFT and document.versions.count() == 1
    assert set(document.main_recipients.all()) == {units["a"], units["b"]}
    detail = client.get(response["Location"]).content.decode()
    assert "正文（第1稿）" in detail and "压实工作责任" in detail and "送签发" in detail


def test_a_refused_draft_says_why_in_chinese_and_keeps_the_input(client, personas, units):
    login(client, personas["secretary"])
    response = client.post(
        reverse("documents:outgoing-new"),
        draft_data(units, classification=str(Clearance.SECRET), title="关于保密事项的通知"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "涉密公文须填写保密期限" in html
    assert "关于保密事项的通知" in html and "压实工作责任" in html
    response = client.post(reverse("documents:outgoing-new"), draft_data(units, doc_type="request"))
    assert "请示、报告是上行文" in response.content.decode()
    assert not OutgoingDocument.objects.exists()


def test_people_without_a_drafting_role_cannot_draft(client, personas):
    for who in ("leader", "auditor"):
        login(client, personas[who])
        assert client.get(reverse("documents:outgoing-new")).status_code == 403


def test_a_docx_fills_the_body_and_nothing_is_saved(client, personas, units):
    login(client, personas["handler_a"])
    upload = docx_upload(
        ["关于进一步规范校外培训的意见", "一、总体要求", "坚持以学生为本。", "（一）加强监管。"]
    )
    data = draft_data(units, title="", body="", docx=upload, **{"import": "1"})
    data.pop("save")
    response = client.post(reverse("documents:outgoing-new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="关于进一步规范校外培训的意见"' in html
    assert "坚持以学生为本。" in html and "（一）加强监管。" in html
    assert "已从 Word 文档导入正文" in html
    assert not OutgoingDocument.objects.exists()
    bad = draft_data(units, docx=SimpleUploadedFile("x.docx", b"not a zip"), **{"import": "1"})
    response = client.post(reverse("documents:outgoing-new"), bad)
    assert response.status_code == 400
    assert "请上传 Word 文档（.docx 格式）" in response.content.decode()


def test_returned_once_revised_compared_then_signed_numbered_sealed_dispatched_received(
    client, personas, units, reviewer_level, seal
):
    secretary, reviewer, leader = personas["secretary"], personas["supervisor"], personas["leader"]
    login(client, secretary)
    client.post(reverse("documents:outgoing-new"), draft_data(units))
    document = OutgoingDocument.objects.get()
    assert post_step(client, document, "submit").status_code == 302
    document.refresh_from_db()
    assert document.state == S.IN_REVIEW and document.review_level == 1

    login(client, reviewer)
    response = post_step(client, document, "return_for_revision", opinion="")
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    document.refresh_from_db()
    assert document.state == S.IN_REVIEW
    post_step(client, document, "return_for_revision", opinion="第二部分请写明责任单位。")
    document.refresh_from_db()
    assert document.state == S.RETURNED

    login(client, secretary)
    edited = draft_data(
        units,
        body="一、提高思想认识\n各区、各部门要高度重视。\n二、压实工作责任\n各区政府负属地责任。",
        note="按核稿意见写明责任单位",
    )
    assert (
        client.post(reverse("documents:outgoing-edit", args=[document.pk]), edited).status_code
        == 302
    )
    assert document.versions.count() == 2
    compare = client.get(reverse("documents:outgoing-compare", args=[document.pk])).content.decode()
    assert "<del>落实属地责任。</del>" in compare and "<ins>各区政府负属地责任。</ins>" in compare
    assert "正文 1 处改动" in compare and "按核稿意见写明责任单位" in compare
    post_step(client, document, "submit")

    login(client, reviewer)
    post_step(client, document, "review", opinion="已核。")
    login(client, leader)
    post_step(client, document, "sign_off", opinion="同意印发。")
    document.refresh_from_db()
    assert document.state == S.SIGNED and document.signer == leader

    login(client, secretary)
    post_step(client, document, "number")
    document.refresh_from_db()
    assert document.document_number == f"珠府〔{document.year}〕1号"
    response = post_step(client, document, "seal", seal=seal.pk, copies="40")
    assert response.status_code == 302
    post_step(client, document, "dispatch")
    document.refresh_from_db()
    assert document.state == S.DISPATCHED

    login(client, personas["handler_a"])
    inbox = client.get(reverse("documents:outgoing-receipts")).content.decode()
    assert document.title in inbox and "1 件待签收" in inbox
    assert post_step(client, document, "receive").status_code == 302

    login(client, secretary)
    page = client.get(reverse("documents:outgoing-detail", args=[document.pk])).content.decode()
    assert "1/2 个单位已签收" in page and "已签收 陈承办" in page


def test_a_wrong_person_or_a_stale_click_changes_nothing(client, personas, units, reviewer_level):
    login(client, personas["secretary"])
    client.post(reverse("documents:outgoing-new"), draft_data(units))
    document = OutgoingDocument.objects.get()
    post_step(client, document, "submit")
    response = post_step(client, document, "sign_off", opinion="同意。")  # not a leader
    assert response.status_code in (400, 403)
    login(client, personas["supervisor"])
    post_step(client, document, "review", opinion="已核。")
    response = post_step(client, document, "review", opinion="再点一次。")
    assert response.status_code in (400, 403)
    document.refresh_from_db()
    assert document.state == S.AWAITING_SIGN_OFF
    assert document.reviews.count() == 1


def test_units_see_only_what_concerns_them(client, personas, units):
    login(client, personas["secretary"])
    client.post(reverse("documents:outgoing-new"), draft_data(units))
    document = OutgoingDocument.objects.get()
    login(client, personas["handler_b"])
    assert client.get(reverse("documents:outgoing-detail", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:outgoing-pdf", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:outgoing-register")).status_code == 403


def test_register_lists_void_numbers_with_their_reason(client, personas, units):
    from documents import services

    document = services.outgoing_draft(
        services.Draft(
            doc_type="notice",
            issuing_unit=units["government"],
            direction="downward",
            title="关于开展防汛检查的通知",
            body="请各单位开展检查。",
            main_recipients=(units["a"],),
        ),
        actor=personas["secretary"],
    )
    flow.submit(document, actor=personas["secretary"])
    flow.sign_off(document, actor=personas["leader"])
    flow.number(document, actor=personas["secretary"])
    login(client, personas["secretary"])
    response = post_step(client, document, "void_number", opinion="误用了珠府字号，应为珠府办。")
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.state == S.SIGNED and document.document_number == ""
    post_step(client, document, "number")
    document.refresh_from_db()
    year = document.year
    assert document.document_number == f"珠府〔{year}〕2号"
    assert SerialNumber.objects.get(number=1, key="珠府").status == SerialNumber.Status.VOID
    html = client.get(reverse("documents:outgoing-register")).content.decode()
    assert f"<del>珠府〔{year}〕1号</del>" in html and "误用了珠府字号" in html
    assert f"珠府〔{year}〕2号" in html and "关于开展防汛检查的通知" in html


def test_draft_print_and_no_final_print_before_numbering(client, personas, units):
    login(client, personas["secretary"])
    client.post(reverse("documents:outgoing-new"), draft_data(units))
    document = OutgoingDocument.objects.get()
    response = client.get(reverse("documents:outgoing-pdf", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    final = client.get(reverse("documents:outgoing-pdf", args=[document.pk]) + "?final=1")
    assert final.status_code == 404


def test_attachments_are_added_numbered_and_removed_while_drafting(client, personas, units):
    login(client, personas["secretary"])
    client.post(reverse("documents:outgoing-new"), draft_data(units))
    document = OutgoingDocument.objects.get()
    for title in ("责任分工表", "检查清单"):
        response = post_step(client, document, "attach", title=title, body=f"{title}的内容。")
        assert response.status_code == 302
    response = post_step(client, document, "attach", title="空附件", body="")
    assert (
        response.status_code == 400 and "请填写附件正文或选择附件文件" in response.content.decode()
    )
    first = document.attachments.get(number=1)
    client.post(reverse("documents:outgoing-attachment-remove", args=[document.pk, first.pk]))
    assert list(document.attachments.values_list("number", "title")) == [(1, "检查清单")]


def test_the_security_administrator_uploads_seal_images_only_as_png(client, personas, units):
    from PIL import Image

    login(client, personas["secretary"])
    assert client.get(reverse("documents:seals")).status_code == 403
    login(client, personas["secadmin"])
    buffer = io.BytesIO()
    Image.new("RGBA", (120, 120), (200, 0, 0, 0)).save(buffer, "PNG")
    response = client.post(
        reverse("documents:seals"),
        {
            "unit": units["government"].pk,
            "name": "珠海市人民政府",
            "is_active": "on",
            "image": SimpleUploadedFile("seal.png", buffer.getvalue()),
        },
    )
    assert response.status_code == 302
    seal = Seal.objects.get()
    assert seal.image and seal.image.name.endswith(".png")
    response = client.post(
        reverse("documents:seal-edit", args=[seal.pk]),
        {
            "unit": units["government"].pk,
            "name": "珠海市人民政府",
            "is_active": "on",
            "image": SimpleUploadedFile("seal.png", b"<svg onload=alert(1)></svg>"),
        },
    )
    assert response.status_code == 400 and "须为 PNG 格式" in response.content.decode()
    image = client.get(reverse("documents:seal-image", args=[seal.pk]))
    assert image["Content-Type"] == "image/png"


def test_the_desk_and_lists_show_what_waits(client, personas, units, reviewer_level):
    login(client, personas["secretary"])
    client.post(reverse("documents:outgoing-new"), draft_data(units))
    document = OutgoingDocument.objects.get()
    post_step(client, document, "submit")
    login(client, personas["supervisor"])
    todo = client.get(reverse("documents:outgoing-todo")).content.decode()
    assert document.title in todo
    desk = client.get(reverse("office:desk")).content.decode()
    assert document.title in desk
    login(client, personas["leader"])
    assert document.title not in client.get(reverse("documents:outgoing-todo")).content.decode()


def test_global_search_finds_outgoing_documents_only_for_those_who_see_them(
    client, personas, units
):
    login(client, personas["secretary"])
    client.post(
        reverse("documents:outgoing-new"), draft_data(units, title="关于防御台风工作的通知")
    )
    found = client.get(reverse("office:search"), {"q": "防御台风"}).content.decode()
    assert "关于防御台风工作的通知" in found
    login(client, personas["handler_b"])
    hidden = client.get(reverse("office:search"), {"q": "防御台风"}).content.decode()
    assert "关于防御台风工作的通知" not in hidden


def test_an_unsigned_receipt_past_its_eight_working_hours_shows_red(client, personas, units, seal):
    import datetime

    from django.utils import timezone

    from documents import services
    from documents.models import Receipt

    document = services.outgoing_draft(
        services.Draft(
            doc_type="notice",
            issuing_unit=units["government"],
            direction="downward",
            title="关于做好寒潮防御工作的紧急通知",
            body="请立即部署。",
            main_recipients=(units["a"], units["b"]),
        ),
        actor=personas["secretary"],
    )
    flow.submit(document, actor=personas["secretary"])
    flow.sign_off(document, actor=personas["leader"])
    flow.number(document, actor=personas["secretary"])
    flow.seal(document, actor=personas["secretary"], seal=seal, copies=10)
    flow.dispatch(document, actor=personas["secretary"])
    flow.receive(document, actor=personas["handler_b"])
    # Unit A's deadline passed an hour ago (as if dispatched yesterday morning).
    Receipt.objects.filter(unit=units["a"]).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    login(client, personas["secretary"])
    page = client.get(reverse("documents:outgoing-detail", args=[document.pk])).content.decode()
    assert page.count("逾期未签收") == 1
    assert f'class="table-danger" data-unit="{units["a"].name}"' in page
    login(client, personas["handler_a"])
    inbox = client.get(reverse("documents:outgoing-receipts")).content.decode()
    assert "逾期未签收" in inbox and 'class="table-danger"' in inbox


def test_a_collective_addressee_is_printed_instead_of_every_units_name(client, personas, units):
    import pdfplumber

    login(client, personas["secretary"])
    client.post(
        reverse("documents:outgoing-new"),
        draft_data(units, addressee_text="各区人民政府，市政府各部门、各直属机构"),
    )
    document = OutgoingDocument.objects.get()
    page = client.get(reverse("documents:outgoing-detail", args=[document.pk])).content.decode()
    assert "各区人民政府，市政府各部门、各直属机构：" in page
    pdf = client.get(reverse("documents:outgoing-pdf", args=[document.pk]))
    with pdfplumber.open(io.BytesIO(pdf.content)) as read:
        text = "".join(read.pages[0].extract_text().split())
    assert "各区人民政府，市政府各部门、各直属机构：" in text
    assert units["a"].name not in text  # the chosen units still get it, but are not listed


def test_the_todo_list_says_what_each_document_waits_for(client, personas, units):
    login(client, personas["secretary"])
    client.post(reverse("documents:outgoing-new"), draft_data(units))
    todo = client.get(reverse("documents:outgoing-todo")).content.decode()
    assert "起草中" in todo and "待送审" in todo
    mine = client.get(reverse("documents:outgoing-mine")).content.decode()
    assert "起草中" in mine and "待送审" not in mine


def test_the_register_narrows_to_the_archive_the_open_and_the_void_numbers(
    client, personas, units, seal
):
    from documents import services

    def numbered(title):
        document = services.outgoing_draft(
            services.Draft(
                doc_type="notice",
                issuing_unit=units["government"],
                direction="downward",
                title=title,
                body="正文。",
                main_recipients=(units["a"],),
            ),
            actor=personas["secretary"],
        )
        flow.submit(document, actor=personas["secretary"])
        flow.sign_off(document, actor=personas["leader"])
        flow.number(document, actor=personas["secretary"])
        return document

    filed = numbered("关于已归档事项的通知")
    flow.seal(filed, actor=personas["secretary"], seal=seal, copies=3)
    flow.dispatch(filed, actor=personas["secretary"])
    flow.archive(filed, actor=personas["secretary"])
    numbered("关于在办事项的通知")
    wrong = numbered("关于错号事项的通知")
    flow.void_number(wrong, actor=personas["secretary"], reason="字号用错。")
    login(client, personas["secretary"])
    url = reverse("documents:outgoing-register")

    def shown(view):
        html = client.get(url, {"view": view}).content.decode()
        return [t for t in ("已归档事项", "在办事项", "字号用错") if t in html]

    assert shown("") == ["已归档事项", "在办事项", "字号用错"]
    assert shown("archived") == ["已归档事项"]
    assert "发文归档目录" in client.get(url, {"view": "archived"}).content.decode()
    assert shown("open") == ["在办事项"]
    assert shown("void") == ["字号用错"]


def test_the_secretary_records_the_receipt_of_a_unit_with_nobody_here(
    client, personas, units, seal
):
    from documents import services
    from tests.conftest import make_unit

    province = make_unit("广东省人民政府办公厅", "省府办公厅", "higher")
    document = services.outgoing_draft(
        services.Draft(
            doc_type="report",
            issuing_unit=units["government"],
            direction="upward",
            title="关于2026年安全生产工作情况的报告",
            body="现将有关情况报告如下。",
            main_recipients=(province,),
            cc_recipients=(units["a"],),
        ),
        actor=personas["secretary"],
    )
    flow.submit(document, actor=personas["secretary"])
    flow.sign_off(document, actor=personas["leader"])
    flow.number(document, actor=personas["secretary"])
    flow.seal(document, actor=personas["secretary"], seal=seal, copies=3)
    flow.dispatch(document, actor=personas["secretary"])
    login(client, personas["secretary"])
    page = client.get(reverse("documents:outgoing-detail", args=[document.pk])).content.decode()
    assert page.count("登记签收</button>") == 1  # the province's row, not unit A's
    outside = document.receipts.get(unit=province)
    own = document.receipts.get(unit=units["a"])
    url = "documents:outgoing-record-receipt"
    response = client.post(reverse(url, args=[document.pk, own.pk]), follow=True)
    assert "在本系统中签收，不能代为登记" in response.content.decode()
    client.post(reverse(url, args=[document.pk, outside.pk]))
    outside.refresh_from_db()
    own.refresh_from_db()
    assert outside.received_by == personas["secretary"] and own.received_at is None
    login(client, personas["handler_a"])
    response = client.post(reverse(url, args=[document.pk, outside.pk]), follow=True)
    assert "只有秘书可以登记签收" in response.content.decode()
