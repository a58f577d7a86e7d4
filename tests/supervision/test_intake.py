"""待立项批示件 (supervision/intake.py, views/intake.py): a leader's instruction marked 转督办 waits
for the supervision office, which opens it as an item pre-filled from the instruction and its
document; the item links back to the instruction, and the instruction leaves the list."""

import pytest

from documents import services as documents_services
from documents import workflow as documents_workflow
from documents.models import LeaderInstruction
from supervision.models import Source, SupervisionItem
from tests.documents.conftest import registration


@pytest.fixture
def instruction(personas, units):
    secretary, leader = personas["secretary"], personas["leader"]
    doc = documents_services.incoming_register(
        registration(title="关于加快推进校园安全设施建设的报告"), actor=secretary
    )
    documents_workflow.screen(doc, actor=secretary)
    documents_workflow.propose_handling(
        doc, actor=secretary, opinion="拟请李副市长阅示。", leaders=[leader], lead_unit=units["a"]
    )
    doc.refresh_from_db()
    documents_workflow.instruct(
        doc, actor=leader, instruction="请市教育局抓紧落实，督查室跟踪督办。", to_supervise=True
    )
    return LeaderInstruction.objects.get(document=doc, to_supervise=True)


def test_the_supervisor_opens_an_item_from_an_instruction_once(
    client, personas, units, instruction
):
    client.force_login(personas["supervisor"])
    listing = client.get("/supervision/instructions/").content.decode()
    assert "关于加快推进校园安全设施建设的报告" in listing
    assert f"/supervision/instructions/{instruction.pk}/open/" in listing

    form = client.get(f"/supervision/instructions/{instruction.pk}/open/")
    page = form.content.decode()
    assert form.status_code == 200
    assert "请市教育局抓紧落实，督查室跟踪督办。" in page  # the requirement, pre-filled
    initial = form.context["form"].initial
    assert (
        initial["lead_unit"] == units["a"] and initial["responsible_leader"] == personas["leader"]
    )
    assert initial["source"] == Source.INSTRUCTION

    data = {
        "source": "other",  # disabled: the instruction stays the source whatever is posted
        "title": "校园安全设施建设",
        "requirement": "请市教育局抓紧落实。",
        "lead_unit": units["a"].pk,
        "responsible_leader": personas["leader"].pk,
        "deadline": initial["deadline"].isoformat(),
        "report_cadence": "monthly",
        "report_day": 25,
        "classification": 0,
    }
    response = client.post(f"/supervision/instructions/{instruction.pk}/open/", data)
    item = SupervisionItem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/items/{item.pk}/"
    assert item.source == Source.INSTRUCTION and item.source_id == instruction.pk
    assert item.source_label.startswith("李副市长批示（")
    assert item.source_url == f"/documents/incoming/{instruction.document_id}/"
    # Gone from the list; opening it again gives the same item, no second number.
    assert (
        "关于加快推进校园安全设施建设的报告"
        not in client.get("/supervision/instructions/").content.decode()
    )
    client.post(f"/supervision/instructions/{instruction.pk}/open/", data)
    assert SupervisionItem.objects.count() == 1


def test_only_the_supervision_office_opens_items_from_instructions(client, personas, instruction):
    for persona in ("handler_a", "leader", "secretary"):
        client.force_login(personas[persona])
        assert client.get("/supervision/instructions/").status_code == 403
        assert client.get(f"/supervision/instructions/{instruction.pk}/open/").status_code == 403
    client.force_login(personas["supervisor"])
    assert client.get("/supervision/instructions/999999/open/").status_code == 404
