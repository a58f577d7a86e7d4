"""建议提案登记 through the office's eyes (issue 7 item 2): one item entered by hand with its
proposers and scans; a taken number comes back next to the field with the input kept and no file
left behind; many scans matched to a session's items by the number in their names; items on the
same subject found across the year's 人大 and 政协 sessions and handled together (并案办理); and
nobody outside the office's 建议提案 staff gets in."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals import scans, services, similar
from proposals.models import Author, Proposal, Scan
from tests.proposals import intake_helpers
from tests.proposals.intake_helpers import PDF, text
from tests.steps import events

# The intake tests' fixtures (sessions of one year, the office's client, files in tmp).
_files = intake_helpers._files
office_client = intake_helpers.office_client
sessions = intake_helpers.sessions

NEW = reverse("proposals:intake-new")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def entry_data(session, **extra):
    return {
        "session": session.pk,
        "kind": "suggestion",
        "number": "第0123号",
        "title": "关于加快老旧小区改造的建议",
        "content": "老旧小区加装电梯、改造管网。",
        "category": "城市建设",
        "lead_name": "张代表",
        "lead_delegation": "香洲区代表团",
        "lead_phone": "13800000001",
        "co_authors": "李四 金湾区代表团 13900000002\n王五",
        **extra,
    }


def register(session, number, title, *, actor, kind="suggestion", category="城市建设"):
    return services.register_proposal(
        services.ProposalEntry(
            session=session,
            kind=kind,
            number=number,
            title=title,
            category=category,
            authors=(services.AuthorEntry(name="张代表"),),
        ),
        actor=actor,
    )


def test_one_item_entered_by_hand_with_its_scans(office_client, sessions, personas):
    data = entry_data(
        sessions["npc"],
        is_key="on",
        key_leader=personas["leader"].pk,
        scans=[
            SimpleUploadedFile("原件.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("附件.png", PNG, content_type="image/png"),
        ],
    )
    response = office_client.post(NEW, data, follow=True)
    item = Proposal.objects.get()
    assert response.redirect_chain[-1][0] == reverse("proposals:intake-detail", args=[item.pk])
    assert "已登记十六届人大三次会议第0123号。" in text(response)
    assert (item.number, item.is_key, item.key_leader) == (123, True, personas["leader"])
    assert item.lead_author.delegation == "香洲区代表团"
    assert [(a.name, a.delegation, a.phone) for a in item.co_authors] == [
        ("李四", "金湾区代表团", "13900000002"),
        ("王五", "", ""),
    ]
    assert sorted(item.scans.values_list("name", "media_type")) == [
        ("原件.pdf", "application/pdf"),
        ("附件.png", "image/png"),
    ]
    assert events(item, "register").get().actor == personas["secretary"]
    assert "原件.pdf" in text(response) and "流转记录" in text(response)


def test_a_taken_number_is_refused_with_the_input_kept(office_client, sessions, settings):
    register(sessions["npc"], 123, "先登记的建议", actor=_secretary())
    data = entry_data(
        sessions["npc"],
        scans=[SimpleUploadedFile("原件.pdf", PDF, content_type="application/pdf")],
    )
    response = office_client.post(NEW, data)
    assert response.status_code == 400
    body = text(response)
    assert "十六届人大三次会议已有编号为第0123号的建议。" in body
    assert "关于加快老旧小区改造的建议" in body and "李四 金湾区代表团 13900000002" in body
    assert Proposal.objects.count() == 1 and Scan.objects.count() == 0
    assert not list(settings.MEDIA_ROOT.rglob("*.pdf"))  # the written scan was removed


def test_wrong_kind_for_the_session_and_a_non_scan_are_refused(office_client, sessions):
    response = office_client.post(NEW, entry_data(sessions["cppcc"]))
    assert response.status_code == 400
    assert "十三届政协三次会议是政协会次，类别应为提案。" in text(response)

    data = entry_data(
        sessions["npc"],
        scans=[SimpleUploadedFile("原件.pdf", b"just text", content_type="application/pdf")],
    )
    response = office_client.post(NEW, data)
    assert response.status_code == 400
    assert "不是可接受的文件类型" in text(response)
    assert Proposal.objects.count() == 0


def _secretary():
    from office.models import User

    return User.objects.get(username="mishu")


def test_scans_are_matched_by_the_number_in_their_names(office_client, sessions, personas):
    npc = sessions["npc"]
    one = register(npc, 1, "第一件", actor=personas["secretary"])
    twelve = register(npc, 123, "第一百二十三件", actor=personas["secretary"])
    bill = register(npc, 7, "一件议案", actor=personas["secretary"], kind="bill")
    register(npc, 7, "一件建议", actor=personas["secretary"])

    def pdf(name):
        return SimpleUploadedFile(name, PDF, content_type="application/pdf")

    files = [
        pdf("0123.pdf"),
        pdf("第0001号.pdf"),
        pdf("议案0007.pdf"),
        pdf("0007.pdf"),
        pdf("0999.pdf"),
        pdf("说明.pdf"),
        SimpleUploadedFile("建议0001.docx", b"PK\x03\x04not really", content_type="x"),
    ]
    response = office_client.post(reverse("proposals:scan-batch", args=[npc.pk]), {"scans": files})
    assert response.status_code == 200
    body = text(response)
    assert "已保存 3 个" in body and "未保存 4 个" in body
    assert list(twelve.scans.values_list("name", flat=True)) == ["0123.pdf"]
    assert list(one.scans.values_list("name", flat=True)) == ["第0001号.pdf"]
    assert list(bill.scans.values_list("name", flat=True)) == ["议案0007.pdf"]
    assert Scan.objects.count() == 3
    assert (
        "0007.pdf：十六届人大三次会议的第0007号有多件（议案、建议），请在文件名中注明类别" in body
    )
    assert "0999.pdf：十六届人大三次会议没有编号为第0999号的建议提案。" in body
    assert "说明.pdf：文件名中没有可识别的编号" in body
    assert "建议0001.docx：" in body and "不是可接受的文件类型" in body


def test_file_names_read_as_numbers():
    assert scans.read_name("0123.pdf") == (None, 123)
    assert scans.read_name("第0123号.pdf") == (None, 123)
    assert scans.read_name("建议0123.pdf") == (Proposal.Kind.SUGGESTION, 123)
    assert scans.read_name("2026年第12号提案.tif") == (Proposal.Kind.PROPOSAL, 12)
    assert scans.read_name("2026-0123.pdf") == (None, None)


def test_similar_items_across_npc_and_cppcc_are_merged(
    office_client, sessions, personas, django_assert_max_num_queries
):
    secretary = personas["secretary"]
    mine = register(sessions["npc"], 1, "关于加快老旧小区改造的建议", actor=secretary)
    theirs = register(
        sessions["cppcc"], 5, "关于加快推进老旧小区改造的提案", actor=secretary, kind="proposal"
    )
    register(sessions["cppcc"], 6, "关于发展夜间经济的提案", actor=secretary, kind="proposal")
    other_category = register(
        sessions["cppcc"],
        7,
        "关于加快老旧小区改造的提案",
        actor=secretary,
        kind="proposal",
        category="教育",
    )
    assert similar.title_similarity(mine.title, theirs.title) >= similar.MIN_SCORE
    assert [m.other for m in similar.similar_to(mine)] == [theirs]  # 教育 is not 城市建设

    detail = reverse("proposals:intake-detail", args=[mine.pk])
    body = text(office_client.get(detail))
    assert "十三届政协三次会议" in body and "关于加快推进老旧小区改造的提案" in body
    assert other_category.title not in body

    page = reverse("proposals:session-similar", args=[sessions["npc"].pk])
    with django_assert_max_num_queries(12):  # the same for a session of 600 items
        body = text(office_client.get(page))
    assert "关于加快推进老旧小区改造的提案" in body and "并案办理" in body

    response = office_client.post(
        reverse("proposals:merge"),
        {"proposals": [mine.pk, theirs.pk], "next": page},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.group_id is not None and mine.group_id == theirs.group_id
    body = text(response)
    assert "已并案办理：十六届人大三次会议第0001号、十三届政协三次会议第0005号" in body
    assert "已并案办理（1 组）" in body and "已并案" in body
    assert events(theirs, "merge").get().actor == secretary


def test_bigram_similarity_ignores_the_frame_of_a_title():
    assert similar.normalized("关于加快老旧小区改造的建议") == "加快老旧小区改造"
    assert similar.title_similarity("关于发展夜间经济的提案", "关于发展夜间经济的建议") == 1.0
    assert similar.title_similarity("关于发展夜间经济的提案", "关于增加中小学学位的建议") < 0.2


def test_only_the_office_enters_items(client, personas, sessions):
    item = register(sessions["npc"], 1, "一件建议", actor=personas["secretary"])
    for name in ("handler_a", "head_a", "leader", "outsider"):
        client.force_login(personas[name])
        assert client.get(NEW).status_code == 403
        assert client.post(NEW, entry_data(sessions["npc"])).status_code == 403
        assert client.get(reverse("proposals:intake-detail", args=[item.pk])).status_code == 403
        batch = reverse("proposals:scan-batch", args=[sessions["npc"].pk])
        assert client.get(batch).status_code == 403
        assert client.post(reverse("proposals:merge"), {"proposals": [item.pk]}).status_code == 403
    assert Proposal.objects.count() == 1 and Author.objects.count() == 1
