"""Keyword search over incoming documents (documents/search.py): the bigram index finds
two-character words and number fragments, the substring recheck keeps results exact, and what a
user may not see is never a hit."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from documents.models import IncomingDocument
from documents.search import incoming_search, search_provider, term_lexemes, tsquery_text
from office.models import Clearance

from .conftest import make_incoming, make_sender

pytestmark = pytest.mark.django_db


def found(query, queryset=None):
    queryset = IncomingDocument.objects.all() if queryset is None else queryset
    return set(incoming_search(queryset, query).values_list("title", flat=True))


@pytest.fixture
def library(personas):
    """Five documents whose numbers are all given, so no generated number adds digits."""
    secretary = personas["secretary"]

    def add(title, registration_number, sender_number="", **fields):
        make_incoming(
            secretary,
            title=title,
            registration_number=registration_number,
            sender_number=sender_number,
            **fields,
        )

    add("关于督办防汛工作的通知", "收〔2019〕0701号")
    add("关于开展消防安全检查的通知", "收〔2019〕0702号")
    add("督查室关于办理群众来信的函", "收〔2019〕0703号")  # 督 and 办 apart
    add(
        "关于安全生产月活动的报告",
        "收〔2026〕0153号",
        "珠府办〔2026〕12号",
        sender=make_sender("珠海市人民政府办公室", "peer"),
    )
    add("关于GB/T 9704标准宣贯的函", "收〔2022〕0002号", "珠府〔2026〕120号")


def test_two_character_words_are_found_and_others_left_out(library):
    assert found("督办") == {"关于督办防汛工作的通知"}
    assert found("消防") == {"关于开展消防安全检查的通知"}
    assert found("防汛") == {"关于督办防汛工作的通知"}
    assert found("征兵") == set()


def test_characters_apart_do_not_match_a_word(library):
    # 「督查室关于办理…」 holds 督 and 办, and the bigram of neither pair: never a hit for 督办.
    assert "督查室关于办理群众来信的函" not in found("督办")


def test_a_document_with_every_bigram_but_not_the_term_is_rechecked_away(library):
    # The GB/T document holds "12" (in 120号) and "2号" (in 0002号) but not "12号".
    assert found("12号") == {"关于安全生产月活动的报告"}


@pytest.mark.parametrize("fragment", ["0153", "〔2026〕12", "12号", "收〔2026〕0153号", "2026"])
def test_number_fragments_are_found(library, fragment):
    assert "关于安全生产月活动的报告" in found(fragment)


def test_number_fragment_that_is_nowhere_finds_nothing(library):
    assert found("0154") == set()
    assert found("〔2025〕12") == set()


def test_sender_name_is_searched(library):
    assert found("人民政府办公室") == {"关于安全生产月活动的报告"}


def test_single_characters_and_ascii_case(library):
    assert found("汛") == {"关于督办防汛工作的通知"}
    assert found("gb/t") == {"关于GB/T 9704标准宣贯的函"}
    assert found("9704") == {"关于GB/T 9704标准宣贯的函"}


def test_every_term_of_a_query_must_match(library):
    assert found("安全 检查") == {"关于开展消防安全检查的通知"}
    assert found("安全　报告") == {"关于安全生产月活动的报告"}  # an ideographic space separates too
    assert found("消防 报告") == set()


def test_empty_query_narrows_nothing(library):
    assert len(found("   ")) == IncomingDocument.objects.count()


@pytest.mark.parametrize(
    "query", ["'", "\\", "&", "a|b", "!督办", "督办:*", "(办)", "''--", "%", "_"]
)
def test_operators_and_quotes_are_plain_text(library, query):
    # tsquery operators, SQL quotes and LIKE wildcards are searched for as characters.
    assert found(query) == set()


def test_like_wildcards_match_only_themselves(personas):
    make_incoming(personas["secretary"], title="完成率100%的通报")
    make_incoming(personas["secretary"], title="完成率100的通报")
    assert found("100%") == {"完成率100%的通报"}
    assert found("0_") == set()


def test_lexemes_and_tsquery_are_quoted():
    assert term_lexemes("督办") == ["督办"]
    assert term_lexemes("办") == ["办"]
    assert term_lexemes("GB/T") == ["/t", "b/", "gb"]
    # Lexemes it, t', 's, a\, \b: quotes doubled, backslashes escaped, each lexeme quoted.
    expected = r"'''s' & '\\b' & 'a\\' & 'it' & 't'''"
    assert tsquery_text(["it's", "a\\b"]) == expected


def test_the_database_cuts_text_into_the_same_lexemes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_to_string(tsvector_to_array(documents_incoming_bigrams(%s, %s)), ' ')",
            ["防汛GB 〔2026〕12号", "it's"],
        )
        lexemes = set(cursor.fetchone()[0].split(" "))
    assert lexemes == {
        # single characters
        "防", "汛", "g", "b", "〔", "2", "0", "6", "〕", "1", "号", "i", "t", "'", "s",
        # overlapping pairs, not across the space
        "防汛", "汛g", "gb", "〔2", "20", "02", "26", "6〕", "〕1", "12", "2号", "it", "t'", "'s",
        # whole ASCII word and number runs ("gb", "12", "it" and "s" are already above)
        "2026",
    }  # fmt: skip


def test_search_vector_follows_bulk_create_and_update(personas):
    secretary = personas["secretary"]
    sender = make_sender()
    IncomingDocument.objects.bulk_create(
        [
            IncomingDocument(
                year=2026,
                serial=9000 + n,
                registration_number=f"收〔2026〕{9000 + n}号",
                sender=sender,
                sender_name=sender.name,
                sender_level=sender.level,
                title=f"关于第{n}批防汛物资的请示",
                doc_type="request",
                registered_by=secretary,
            )
            for n in range(3)
        ]
    )
    assert len(found("防汛物资")) == 3
    IncomingDocument.objects.filter(serial=9000).update(title="关于森林防火的请示")
    assert found("防火") == {"关于森林防火的请示"}
    assert len(found("防汛物资")) == 2


def test_only_terms_longer_than_two_characters_are_rechecked():
    # A one- or two-character term is a lexeme itself: the index answers it exactly, and the
    # planner, not misled by a redundant LIKE, reads common words in date order.
    documents = IncomingDocument.objects.all()
    assert "LIKE" not in str(incoming_search(documents, "督办 汛").query)
    assert "LIKE" in str(incoming_search(documents, "督办件").query)


def test_search_works_inside_a_subquery(library):
    matches = incoming_search(IncomingDocument.objects.all(), "督办").values("pk")
    outer = IncomingDocument.objects.filter(pk__in=matches)
    assert set(outer.values_list("title", flat=True)) == {"关于督办防汛工作的通知"}


def test_the_gin_index_serves_the_search(library):
    # Unordered, and with sequential scans priced out: a handful of test rows would not need it.
    queryset = incoming_search(IncomingDocument.objects.order_by(), "督办")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
        cursor.execute("SET LOCAL enable_seqscan = on")
    assert "incoming_search_idx" in plan


# --- what the user may see ----------------------------------------------------------------------


def test_classified_documents_above_clearance_are_no_hits(personas):
    secretary, leader = personas["secretary"], personas["leader"]
    make_incoming(secretary, title="关于督办秘密事项的函", classification=Clearance.SECRET)
    make_incoming(secretary, title="关于督办机密事项的函", classification=Clearance.CONFIDENTIAL)
    secretary_hits = {hit.title for hit in search_provider(secretary, "督办")}
    assert secretary_hits == {"关于督办秘密事项的函"}
    leader_hits = {hit.title for hit in search_provider(leader, "督办")}
    assert leader_hits == {"关于督办秘密事项的函", "关于督办机密事项的函"}


def test_a_unit_handler_finds_only_their_units_documents(personas, units):
    secretary = personas["secretary"]
    make_incoming(secretary, title="关于督办学位建设的通知", lead_unit=units["a"])
    make_incoming(secretary, title="关于督办旧改项目的通知", lead_unit=units["b"])
    make_incoming(secretary, title="关于督办未交办事项的通知")
    hits = search_provider(personas["handler_a"], "督办")
    assert [hit.title for hit in hits] == ["关于督办学位建设的通知"]
    assert search_provider(personas["outsider"], "督办") == []
    assert search_provider(personas["auditor"], "督办") == []


def test_search_hits_link_to_the_document(personas):
    document = make_incoming(
        personas["secretary"],
        title="关于消防通道整治的通知",
        registration_number="收〔2026〕0042号",
        received_on=datetime.date(2026, 3, 2),
    )
    [hit] = search_provider(personas["secretary"], "消防", limit=5)
    assert hit.app_label == "收文"
    assert hit.title == "关于消防通道整治的通知"
    assert hit.url == reverse("documents:incoming-detail", args=[document.pk])
    assert hit.subtitle == "收〔2026〕0042号 · 广东省人民政府办公厅"


def test_search_provider_respects_the_limit_newest_first(personas):
    for day in range(1, 6):
        make_incoming(
            personas["secretary"],
            title=f"关于3月{day}日防汛值班的通知",
            received_on=datetime.date(2026, 3, day),
        )
    hits = search_provider(personas["secretary"], "防汛", limit=2)
    assert [hit.title for hit in hits] == ["关于3月5日防汛值班的通知", "关于3月4日防汛值班的通知"]
