"""What the intake tests share: sessions of one year (人大 and 政协), an xlsx builder, the office's
client."""

import datetime
import io

import pytest
from openpyxl import Workbook

from proposals.models import Session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HEADER = [
    "编号",
    "类别",
    "标题",
    "内容",
    "分类",
    "重点",
    "领办领导",
    "领衔人",
    "领衔人代表团/界别",
    "领衔人工作单位及职务",
    "领衔人联系电话",
    "附议人",
    "通讯地址",
]


def make_session(body=Session.Body.NPC, name="十六届人大三次会议", year=2026):
    return Session.objects.create(
        body=body, name=name, year=year, opened_on=datetime.date(year, 1, 20)
    )


@pytest.fixture
def sessions(db):
    return {
        "npc": make_session(),
        "cppcc": make_session(Session.Body.CPPCC, "十三届政协三次会议"),
    }


def row(number, title, *, kind="建议", key="否", leader="", lead="张代表", co="", **extra):
    values = {
        "编号": number,
        "类别": kind,
        "标题": title,
        "内容": extra.get("content", f"{title}的具体内容。"),
        "分类": extra.get("category", "城市建设"),
        "重点": key,
        "领办领导": leader,
        "领衔人": lead,
        "领衔人代表团/界别": extra.get("delegation", "香洲区代表团"),
        "领衔人工作单位及职务": "珠海市第一中学校长",
        "领衔人联系电话": "13800000001",
        "附议人": co,
        "通讯地址": "珠海市香洲区人民东路1号",
    }
    return [values[h] for h in HEADER]


def workbook_bytes(rows, *, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "建议提案"
    if header:
        sheet.append(header)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def text(response):
    return response.content.decode()


@pytest.fixture
def office_client(client, personas):
    client.force_login(personas["secretary"])
    return client


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
