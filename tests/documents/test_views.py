"""收文 pages through the browser's eyes (Django's test client): registration with the duplicate
warning, the document page's steps, refusals that keep the input, attachments, my lists."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents.models import Assignment, IncomingDocument, Sender
from office.models import TrailEvent

S = IncomingDocument.State
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def form_data(**overrides):
    data = {
        "sender_name": "广东省应急管理厅",
        "sender_level": "higher",
        "sender_number": "粤应急函〔2026〕15号",
        "title": "关于开展消防安全专项督办的通知",
        "doc_type": "notice",
        "kind": "action",
        "urgency": "urgent",
        "classification": "0",
        "secrecy_period": "",
        "copies": "2",
        "pages": "3",
        "received_on": timezone.localdate().isoformat(),
        "channel": "paper",
        "remarks": "",
        "save": "",
    }
    data.update(overrides)
    return data


def login(client, user):
    client.force_login(user)
    return client


def register(client, **overrides):
    return client.post(reverse("documents:incoming-new"), form_data(**overrides))


class TestRegistration:
    def test_secretary_registers_and_gets_the_next_number(self, client, personas):
        login(client, personas["secretary"])
        scan = SimpleUploadedFile("扫描件.pdf", PDF, content_type="application/pdf")
        response = client.post(reverse("documents:incoming-new"), form_data(attachments=[scan]))
        document = IncomingDocument.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("documents:incoming-detail", args=[document.pk])
        assert document.registration_number == f"收〔{timezone.localdate().year}〕0001号"
        assert document.attachments.get().media_type == "application/pdf"
        assert Sender.objects.get(name="广东省应急管理厅").level == "higher"
        page = client.get(response["Location"])
        assert "收〔" in page.content.decode() and "扫描件.pdf" in page.content.decode()

    def test_duplicate_is_flagged_before_saving_and_saved_only_when_confirmed(
        self, client, personas
    ):
        login(client, personas["secretary"])
        register(client)
        response = register(client, title="同一文件再次登记")
        assert response.status_code == 200
        assert "可能重复登记" in response.content.decode()
        assert "同一文件再次登记" in response.content.decode()  # what was typed is kept
        assert IncomingDocument.objects.count() == 1
        response = register(client, title="同一文件再次登记", confirm_duplicate="on")
        assert response.status_code == 302
        assert IncomingDocument.objects.count() == 2

    def test_duplicate_check_while_typing(self, client, personas):
        login(client, personas["secretary"])
        register(client)
        response = client.get(
            reverse("documents:incoming-duplicates"),
            {
                "sender_name": "广东省应急管理厅",
                "sender_number": "粤应急函〔2026〕15号",
                "received_on": timezone.localdate().isoformat(),
            },
        )
        assert "可能重复登记" in response.content.decode()

    def test_bad_input_gets_chinese_messages_and_keeps_the_input(self, client, personas):
        login(client, personas["secretary"])
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        response = register(client, received_on=tomorrow, copies="0", title="保留这个标题")
        text = response.content.decode()
        assert response.status_code == 200
        assert "收文日期不能晚于今天" in text
        assert "保留这个标题" in text
        assert IncomingDocument.objects.count() == 0

    def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_saved(
        self, client, personas
    ):
        login(client, personas["secretary"])
        fake = SimpleUploadedFile("通知.pdf", b"<html><script>alert(1)</script></html>")
        response = client.post(reverse("documents:incoming-new"), form_data(attachments=[fake]))
        assert "不是可接受的文件类型" in response.content.decode()
        assert IncomingDocument.objects.count() == 0

    def test_only_secretaries_register(self, client, personas):
        login(client, personas["handler_a"])
        assert client.get(reverse("documents:incoming-new")).status_code == 403

    def test_classification_choices_stop_at_the_users_clearance(self, client, personas):
        login(client, personas["secretary"])  # clearance 秘密
        text = client.get(reverse("documents:incoming-new")).content.decode()
        assert ">秘密<" in text and ">机密<" not in text


def _document(client, personas, units, **overrides):
    login(client, personas["secretary"])
    register(client, **overrides)
    return IncomingDocument.objects.latest("id")


class TestSteps:
    def test_the_whole_way_through_the_pages(self, client, personas, units):
        document = _document(client, personas, units)
        base = reverse("documents:incoming-detail", args=[document.pk])
        assert client.post(base + "screen/", {"screen-opinion": ""}).status_code == 302
        response = client.post(
            base + "propose_handling/",
            {
                "propose_handling-opinion": "拟请李副市长阅示，由市教育局办理。",
                "propose_handling-leaders": [personas["leader"].pk],
                "propose_handling-lead_unit": units["a"].pk,
            },
        )
        assert response.status_code == 302
        login(client, personas["leader"])
        page = client.get(base).content.decode()
        assert "批示" in page and "拟请李副市长阅示" in page
        client.post(base + "instruct/", {"instruct-instruction": "请市教育局抓紧办理。"})
        document.refresh_from_db()
        assert document.state == S.HANDLING
        part = document.assignments.get()
        login(client, personas["handler_a"])
        part_base = f"{base}part/{part.pk}/"
        assert client.post(part_base + "accept/", {}).status_code == 302
        result_file = SimpleUploadedFile("整改报告.pdf", PDF)
        client.post(
            part_base + "submit/",
            {
                f"part{part.pk}-submit-result": "已完成整改。",
                f"part{part.pk}-submit-files": [result_file],
            },
        )
        part.refresh_from_db()
        assert part.state == Assignment.State.SUBMITTED
        assert part.attachments.get().name == "整改报告.pdf"
        login(client, personas["head_a"])
        client.post(part_base + "approve/", {f"part{part.pk}-approve-opinion": "同意。"})
        login(client, personas["secretary"])
        client.post(base + "complete/", {"complete-opinion": ""})
        client.post(base + "archive/", {"archive-opinion": ""})
        document.refresh_from_db()
        assert document.state == S.ARCHIVED
        page = client.get(base).content.decode()
        assert "已归档" in page and "确认办结" not in page and "修改登记信息" not in page

    def test_a_refused_step_keeps_the_text_and_says_why(self, client, personas, units):
        document = _document(client, personas, units)
        base = reverse("documents:incoming-detail", args=[document.pk])
        response = client.post(base + "return_to_sender/", {"return_to_sender-opinion": ""})
        assert response.status_code == 400
        assert (
            "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
        )
        # A step from the wrong state: complete a document still waiting for review.
        response = client.post(base + "complete/", {"complete-opinion": "已办完，保留这段话"})
        assert response.status_code == 400
        text = response.content.decode()
        assert "不能执行“办结”" in text and "已办完，保留这段话" in text
        document.refresh_from_db()
        assert document.state == S.REGISTERED

    def test_steps_of_others_are_forbidden(self, client, personas, units):
        document = _document(client, personas, units)
        base = reverse("documents:incoming-detail", args=[document.pk])
        client.post(base + "screen/", {})
        client.post(
            base + "assign/",
            {
                "assign-lead_unit": units["a"].pk,
                "assign-deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
            },
        )
        part = document.assignments.get()
        login(client, personas["handler_a"])
        assert client.post(base + "complete/", {}).status_code == 403
        login(client, personas["handler_b"])
        assert client.get(base).status_code == 404
        assert client.post(f"{base}part/{part.pk}/accept/", {}).status_code == 404

    def test_above_clearance_is_not_found(self, client, personas, units, incoming_factory):
        secret = incoming_factory(personas["secretary"], classification=2)
        login(client, personas["secretary"])  # 秘密 clearance, document 机密
        assert client.get(reverse("documents:incoming-detail", args=[secret.pk])).status_code == 404

    def test_opening_a_classified_document_is_audited(self, client, personas, incoming_factory):
        secret = incoming_factory(personas["secretary"], classification=1)
        login(client, personas["secretary"])
        client.get(reverse("documents:incoming-detail", args=[secret.pk]))
        assert TrailEvent.objects.filter(action="open", object_id=secret.pk).exists()

    def test_detail_page_query_budget(
        self, client, personas, units, incoming_factory, django_assert_max_num_queries
    ):
        """The page's queries do not grow with its instructions and handling units."""
        document = incoming_factory(personas["secretary"], lead_unit=units["a"], state=S.HANDLING)
        for leader in (personas["leader"], personas["supervisor"]):
            document.instructions.create(
                leader=leader,
                requested_by=personas["secretary"],
                instruction="请办理。",
                instructed_at=timezone.now(),
            )
        Assignment.objects.create(
            document=document,
            unit=units["b"],
            role="co",
            deadline=document.deadline,
            assigned_by=personas["secretary"],
        )
        login(client, personas["secretary"])
        with django_assert_max_num_queries(36):
            assert (
                client.get(reverse("documents:incoming-detail", args=[document.pk])).status_code
                == 200
            )


class TestAttachments:
    def test_download_is_permission_checked_and_never_inline_html(self, client, personas, units):
        document = _document(client, personas, units)
        docx = io.BytesIO()
        with zipfile.ZipFile(docx, "w") as package:
            package.writestr("[Content_Types].xml", "<Types/>")
            package.writestr("word/document.xml", "<w:document/>")
        upload = SimpleUploadedFile("来文.docx", docx.getvalue())
        base = reverse("documents:incoming-detail", args=[document.pk])
        assert client.post(base + "upload/", {"upload-files": [upload]}).status_code == 302
        item = document.attachments.get()
        response = client.get(reverse("documents:incoming-attachment", args=[item.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        login(client, personas["handler_b"])
        assert (
            client.get(reverse("documents:incoming-attachment", args=[item.pk])).status_code == 404
        )


class TestMyLists:
    def test_todo_done_and_mine(
        self, client, personas, units, incoming_factory, django_assert_max_num_queries
    ):
        waiting = incoming_factory(personas["secretary"], lead_unit=units["a"], state=S.HANDLING)
        incoming_factory(personas["secretary"], lead_unit=units["b"], state=S.HANDLING)
        login(client, personas["handler_a"])
        with django_assert_max_num_queries(20):
            text = client.get(reverse("documents:incoming-todo")).content.decode()
        assert waiting.title in text
        assert text.count("关于做好第") == 1  # unit B's document is not on unit A's list
        login(client, personas["secretary"])
        register(client, title="我登记的一件来文")
        assert "我登记的一件来文" in client.get(reverse("documents:incoming-mine")).content.decode()
        assert "我登记的一件来文" in client.get(reverse("documents:incoming-done")).content.decode()

    def test_leader_sees_only_documents_on_their_turn(self, client, personas, units):
        document = _document(client, personas, units)
        base = reverse("documents:incoming-detail", args=[document.pk])
        client.post(base + "screen/", {})
        client.post(
            base + "propose_handling/",
            {
                "propose_handling-opinion": "请阅示。",
                "propose_handling-leaders": [personas["leader"].pk],
            },
        )
        login(client, personas["leader"])
        assert document.title in client.get(reverse("documents:incoming-todo")).content.decode()

    def test_archive_list_and_settings(self, client, personas, units):
        login(client, personas["secretary"])
        assert client.get(reverse("documents:incoming-archive")).status_code == 200
        assert client.get(reverse("documents:incoming-settings")).status_code == 403
        login(client, personas["sysadmin"])
        response = client.post(
            reverse("documents:incoming-settings"),
            {
                "extra_urgent_days": 1,
                "urgent_days": 2,
                "normal_days": 10,
                "warning_days": 3,
                "escalate_after_days": 3,
                "registration_pattern": "收〔{year}〕{number:04d}号",
                "max_attachment_mb": 50,
            },
        )
        assert response.status_code == 302
        from documents.models import HandlingPolicy

        assert HandlingPolicy.current().urgent_days == 2


def test_not_found_is_a_chinese_page_with_a_way_back(client, personas, units, incoming_factory):
    document = incoming_factory(personas["secretary"], lead_unit=units["a"])
    login(client, personas["handler_b"])
    response = client.get(reverse("documents:incoming-detail", args=[document.pk]))
    text = response.content.decode()
    assert response.status_code == 404
    assert "没有找到该页面或记录" in text and reverse("office:desk") in text
    assert document.title not in text


def test_the_sidebar_highlights_one_entry(client, personas):
    login(client, personas["secretary"])
    text = client.get(reverse("documents:incoming-archive")).content.decode()
    assert text.count('aria-current="page"') == 1
    text = client.get(reverse("documents:incoming-todo")).content.decode()
    sidebar = text.split('class="shell-sidebar"', 1)[1].split("</nav>", 1)[0]
    assert sidebar.count(" active") == 1


def test_the_desk_lists_the_users_incoming_work(client, personas, units, incoming_factory):
    overdue = incoming_factory(
        personas["secretary"],
        lead_unit=units["a"],
        state=S.HANDLING,
        deadline=timezone.localdate() - datetime.timedelta(days=3),
        title="逾期未办的来文",
    )
    incoming_factory(
        personas["secretary"], lead_unit=units["b"], state=S.HANDLING, title="别人的来文"
    )
    login(client, personas["handler_a"])
    text = client.get(reverse("office:desk")).content.decode()
    assert overdue.title in text and "别人的来文" not in text
    assert "逾期" in text


def test_the_shells_search_finds_incoming_documents_within_reach(
    client, personas, units, incoming_factory
):
    mine = incoming_factory(
        personas["secretary"], lead_unit=units["a"], title="关于消防通道整治的通知"
    )
    incoming_factory(personas["secretary"], lead_unit=units["b"], title="关于消防演练的通知")
    login(client, personas["handler_a"])
    text = client.get(reverse("office:search"), {"q": "消防"}).content.decode()
    assert mine.title in text and "关于消防演练的通知" not in text
    assert reverse("documents:incoming-detail", args=[mine.pk]) in text
