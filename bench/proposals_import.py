"""Benchmark of 建议提案导入 (issue 7: "a good file of 1,000 rows imports in seconds"): run
`.venv/bin/python bench/proposals_import.py` or `make bench-proposals-import` (PostgreSQL must be
up: `make services`).

It works in its own database, `office_proposals_bench` (BENCH_DATABASE_URL overrides it;
DATABASE_URL is ignored so a real database is never touched): created from template0 with
C.UTF-8 when missing, and migrated. Each run makes a new 人大 session, builds an xlsx of ROWS
good rows with openpyxl (title, content, category, lead author with delegation, affiliation,
phone and address, two co-authors, every tenth row key with its leader) and times, as the pages
do them, reading and checking the file (`imports.parse_file`, the preview) and registering it
(`imports.import_rows`, the confirmation, which parses again first). Prints the seconds; exits 1
when the import (parse + register) takes more than TARGET_SECONDS or the counts are wrong."""

import io
import sys
import time

import common

BENCH_DATABASE_URL = common.configure(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/office_proposals_bench"
)

ROWS = 1000
TARGET_SECONDS = 5.0


def people():
    from django.contrib.auth.models import Group

    from office.models import Unit, User
    from office.roles import Role

    office, _ = Unit.objects.get_or_create(
        name="珠海市人民政府办公室", defaults={"short_name": "市府办", "kind": Unit.Kind.OFFICE}
    )
    clerk, _ = User.objects.get_or_create(
        username="bench_proposals_clerk", defaults={"real_name": "建议提案科", "unit": office}
    )
    clerk.groups.add(Group.objects.get_or_create(name=Role.SECRETARY)[0])
    leader, _ = User.objects.get_or_create(
        username="bench_proposals_leader", defaults={"real_name": "基准副市长", "unit": office}
    )
    leader.groups.add(Group.objects.get_or_create(name=Role.LEADER)[0])
    return clerk, leader


def workbook(leader_name):
    from openpyxl import Workbook

    from proposals.imports import COLUMNS

    book = Workbook()
    sheet = book.active
    sheet.append([c.label for c in COLUMNS])
    for n in range(1, ROWS + 1):
        key = n % 10 == 0
        sheet.append(
            [
                f"{n:04d}",
                "建议",
                f"关于推进第{n}项民生实事、提升城市精细化管理水平的建议",
                "近年来我市城市建设取得明显成效，但仍存在一些短板。建议：一是……二是……" * 5,
                ("教育", "城市建设", "交通", "医疗卫生", "社会保障")[n % 5],
                "是" if key else "否",
                leader_name if key else "",
                f"代表{n}",
                ("香洲区代表团", "金湾区代表团", "斗门区代表团")[n % 3],
                "珠海市某某公司总经理",
                f"138{n:08d}",
                f"附议甲{n}、附议乙{n}",
                "珠海市香洲区人民东路1号",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main():
    common.start_django(BENCH_DATABASE_URL)
    import datetime

    from proposals import imports
    from proposals.models import Author, Proposal, Session

    clerk, leader = people()
    session = Session.objects.create(
        body=Session.Body.NPC,
        name=f"基准人大会议{time.time_ns()}",
        year=2026,
        opened_on=datetime.date(2026, 1, 20),
    )
    content = workbook(leader.real_name)
    print(f"xlsx of {ROWS} rows: {len(content) / 1024:.0f} KB")

    started = time.perf_counter()
    parsed = imports.parse_file(io.BytesIO(content), session=session)
    preview = time.perf_counter() - started
    assert not parsed.problems, [str(p) for p in parsed.problems[:5]]

    started, cpu = time.perf_counter(), time.process_time()
    parsed = imports.parse_file(io.BytesIO(content), session=session)
    items = imports.import_rows(parsed, actor=clerk)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu

    count = Proposal.objects.filter(session=session).count()
    authors = Author.objects.filter(proposal__session=session).count()
    print(f"preview (read and check {ROWS} rows): {preview:.2f} s")
    print(f"import  (read, check and register {ROWS} rows): {seconds:.2f} s (CPU {cpu:.2f} s)")
    print(f"registered {count} items, {authors} authors; {common.load_average()}")
    ok = len(items) == count == ROWS and authors == 3 * ROWS and seconds <= TARGET_SECONDS
    print("OK" if ok else f"FAIL (target ≤ {TARGET_SECONDS} s, {ROWS} items)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
