"""建议提案导入 through the office's eyes (issue 7 item 2): a good file is previewed, then
registered in one go; every kind of bad row is named by row and column and nothing is imported —
unless the user chooses to import only the good rows; an empty file and a renamed non-xlsx are
refused; the template downloaded from the page imports once filled in; 1,000 rows import at
once; only the office's 建议提案 staff may import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from office.models import TrailEvent
from proposals import imports
from proposals.models import Author, Proposal
from proposals.views.intake import SESSION_KEY
from tests.proposals import intake_helpers
from tests.proposals.intake_helpers import PDF, XLSX, row, text, workbook_bytes
from tests.steps import events

# The intake tests' fixtures (sessions of one year, the office's client, files in tmp).
_files = intake_helpers._files
office_client = intake_helpers.office_client
sessions = intake_helpers.sessions

UPLOAD = reverse("proposals:import-upload")
PREVIEW = reverse("proposals:import-preview")
CONFIRM = reverse("proposals:import-confirm")
TEMPLATE = reverse("proposals:import-template")


def upload(client, content, session, *, name="建议清单.xlsx"):
    data = {"session": session.pk, "file": SimpleUploadedFile(name, content, content_type=XLSX)}
    return client.post(UPLOAD, data)


def confirm(client, **extra):
    token = client.session[SESSION_KEY]["token"]
    return client.post(CONFIRM, {"token": token, **extra}, follow=True)


def test_good_file_is_previewed_then_registered_in_one_go(office_client, sessions, personas):
    npc = sessions["npc"]
    rows = [
        row(1, "关于加快老旧小区改造的建议", co="李四、王五"),
        row("0002", "关于增加中小学学位的建议", key="是", leader="李副市长"),
        row("第0003号", "关于修改物业管理条例的议案", kind="议案"),
    ]
    response = upload(office_client, workbook_bytes(rows), npc)
    assert response.status_code == 302 and response["Location"] == PREVIEW
    page = office_client.get(PREVIEW)
    body = text(page)
    assert "无误 3 行" in body and "错误 0 处" in body and "全部导入" in body
    assert "只导入无误" not in body
    assert Proposal.objects.count() == 0  # the preview registers nothing

    response = confirm(office_client)
    assert response.redirect_chain[-1][0] == reverse("proposals:scan-batch", args=[npc.pk])
    assert "已导入十六届人大三次会议 3 件" in text(response)
    items = list(Proposal.objects.order_by("kind", "number"))
    assert [(p.kind, p.number_text) for p in items] == [
        ("bill", "第0003号"),
        ("suggestion", "第0001号"),
        ("suggestion", "第0002号"),
    ]
    key = Proposal.objects.get(number=2)
    assert key.is_key and key.key_leader == personas["leader"]
    first = Proposal.objects.get(number=1, kind="suggestion")
    assert first.lead_author.name == "张代表"
    assert first.lead_author.delegation == "香洲区代表团"
    assert [a.name for a in first.co_authors] == ["李四", "王五"]
    assert first.state == Proposal.State.REGISTERED
    assert events(first, "register").get().actor == personas["secretary"]
    assert SESSION_KEY not in office_client.session
    assert not list(imports.STORE.directory().glob("*.xlsx"))


def test_every_bad_row_is_named_and_nothing_is_imported(office_client, sessions, personas):
    npc = sessions["npc"]
    office_client.post(
        reverse("proposals:intake-new"),
        {
            "session": npc.pk,
            "kind": "suggestion",
            "number": "9",
            "title": "已登记的建议",
            "lead_name": "赵代表",
        },
    )
    assert Proposal.objects.count() == 1
    rows = [
        row(1, "一件无误的建议"),  # line 2
        row(None, "没有编号的建议"),  # line 3
        row(1, "编号与第2行重复的建议"),  # line 4
        row(9, "本届次已有编号的建议"),  # line 5
        row(5, "领办领导不存在的建议", key="是", leader="钱副市长"),  # line 6
        row(6, "类别写错的建议", kind="意见"),  # line 7
        row(7, "长" * 5000),  # line 8
        row(8, "=A2", content="正文"),  # line 9: a formula
        row(10, "政协的提案不属人大会次", kind="提案"),  # line 10
    ]
    upload(office_client, workbook_bytes(rows), npc)
    body = text(office_client.get(PREVIEW))
    for message in (
        "第3行“编号”：请填写编号。",
        "第4行“编号”：与第2行的编号重复（第0001号建议）。",
        "第5行“编号”：十六届人大三次会议已有第0009号建议，不能重复登记。",
        "第6行“领办领导”：未找到在职领导“钱副市长”，请填写市政府领导的姓名。",
        "第7行“类别”：类别应为建议、议案或提案，不能是“意见”。",
        f"第8行“标题”：不超过 {imports.services.TITLE_MAX} 字（现 5000 字）。",
        "第9行“标题”：不接受公式，请粘贴为数值。",
        "第10行“类别”：十六届人大三次会议是人大会次，类别应为建议或议案。",
    ):
        assert message in body, message
    assert "无误 1 行" in body and "有误 8 行" in body
    assert "全部导入" not in body and "只导入无误的 1 行" in body

    # Confirming without choosing 只导入无误的行 imports nothing.
    response = confirm(office_client)
    assert "文件中有 8 处错误" in text(response)
    assert Proposal.objects.count() == 1


def test_only_the_good_rows_when_the_user_chooses_so(office_client, sessions):
    rows = [row(1, "无误的第一件"), row(None, "没有编号"), row(3, "无误的第三件")]
    upload(office_client, workbook_bytes(rows), sessions["npc"])
    assert "只导入无误的 2 行" in text(office_client.get(PREVIEW))
    response = confirm(office_client, only_good="1")
    assert "已导入十六届人大三次会议 2 件，有错误的 1 行未导入" in text(response)
    assert sorted(Proposal.objects.values_list("number", flat=True)) == [1, 3]


def test_a_formula_cell_anywhere_is_refused(office_client, sessions):
    rows = [row(1, "标题", co='=CONCAT("张","三")'), row("=1+1", "另一件")]
    upload(office_client, workbook_bytes(rows), sessions["npc"])
    body = text(office_client.get(PREVIEW))
    assert "第2行“附议人”：不接受公式，请粘贴为数值。" in body
    assert "第3行“编号”：不接受公式，请粘贴为数值。" in body
    assert "请填写编号" not in body  # one message per cell


def test_empty_files_and_renamed_non_xlsx_are_refused(office_client, sessions):
    npc = sessions["npc"]
    response = upload(office_client, b"", npc)
    assert response.status_code == 400 and "是空文件" in text(response)

    response = upload(office_client, PDF, npc, name="建议清单.xlsx")
    assert response.status_code == 400 and "请上传 Excel 文件（.xlsx 格式）。" in text(response)
    assert SESSION_KEY not in office_client.session

    upload(office_client, workbook_bytes([], header=None), npc)
    assert "文件是空的，请按导入模板填写后再上传。" in text(office_client.get(PREVIEW))

    upload(office_client, workbook_bytes([]), npc)
    body = text(office_client.get(PREVIEW))
    assert "表头下面没有数据行" in body and "全部导入" not in body
    assert Proposal.objects.count() == 0


def test_the_downloaded_template_imports_once_filled_in(office_client, sessions):
    cppcc = sessions["cppcc"]
    response = office_client.get(TEMPLATE, {"session": cppcc.pk})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["建议提案", "填写说明", "领导名单"]
    sheet = workbook["建议提案"]
    header = [cell.value for cell in sheet[1]]
    assert header == [c.label for c in imports.COLUMNS]
    guide = "\n".join(str(c.value) for r in workbook["填写说明"].iter_rows() for c in r if c.value)
    assert "不接受公式" in guide and "领衔人代表团/界别" in guide
    assert [c.value for c in workbook["领导名单"]["A"]] == ["领导姓名", "李副市长"]
    values = dict.fromkeys(header, None)
    values.update(
        {"编号": "0012", "类别": "提案", "标题": "关于发展夜间经济的提案", "领衔人": "陈委员"}
    )
    sheet.append([values[h] for h in header])
    out = io.BytesIO()
    workbook.save(out)

    upload(office_client, out.getvalue(), cppcc)
    assert "无误 1 行" in text(office_client.get(PREVIEW))
    confirm(office_client)
    item = Proposal.objects.get()
    assert (item.session, item.kind, item.number_text) == (cppcc, "proposal", "第0012号")
    assert item.lead_author.name == "陈委员"


def test_a_thousand_rows_import_at_once(office_client, sessions):
    """The speed is measured by bench/proposals_import.py (make bench-proposals-import)."""
    rows = [
        row(n, f"关于第{n}项民生实事的建议", co="李四、王五", category=f"分类{n % 12}")
        for n in range(1, 1001)
    ]
    upload(office_client, workbook_bytes(rows), sessions["npc"])
    assert "无误 1000 行" in text(office_client.get(PREVIEW))
    response = confirm(office_client)
    assert "已导入十六届人大三次会议 1000 件" in text(response)
    assert Proposal.objects.count() == 1000
    assert Author.objects.filter(role=Author.Role.LEAD).count() == 1000
    assert Author.objects.filter(role=Author.Role.CO).count() == 2000
    assert TrailEvent.objects.filter(action="register").count() == 1000


@pytest.mark.parametrize("name", ["handler_a", "head_a", "leader", "outsider"])
def test_only_the_office_imports(client, personas, sessions, name):
    client.force_login(personas[name])
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, workbook_bytes([row(1, "标题")]), sessions["npc"]).status_code == 403
    assert client.get(PREVIEW).status_code == 403
    assert client.post(CONFIRM, {"token": "0" * 32}).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert Proposal.objects.count() == 0


def test_import_rows_refuses_a_unit(personas, sessions):
    from django.core.exceptions import PermissionDenied

    parsed = imports.parse_file(
        io.BytesIO(workbook_bytes([row(1, "标题")])), session=sessions["npc"]
    )
    with pytest.raises(PermissionDenied):
        imports.import_rows(parsed, actor=personas["handler_a"])
