"""Benchmark of 督查台账 (the supervision ledger) at 100,000 items: run
`.venv/bin/python bench/supervision_ledger.py` or `make bench-supervision-ledger` (PostgreSQL must
be up: `make services`).

It works in its own database, `office_bench_supervision_ledger` (BENCH_DATABASE_URL overrides it;
DATABASE_URL is ignored so a real database is never touched): created from template0 with
C.UTF-8 when missing, and migrated. It fills it once — `--rebuild` drops and refills it — with
60 units, 10 leaders, a supervisor and a unit handler, then ITEMS items written with COPY in one
transaction: three years of 督办编号, every source with its 来源文件, titles from templates
(老旧小区改造、消防安全、学位建设…), deadlines across each year, about 70 % closed (most on time),
1 in 40 suspended, the rest open in every open state — overdue, due soon, behind schedule or a
progress report missing — so every light has thousands of items; half of the items have one or two
co-units and most an approved progress report (the ledger's 最新进展 column).

Then, for the supervisor (every item within clearance 秘密) and a handler of one unit (the items
that unit leads or co-operates on), it times each case of `cases()` in-process through Django's
test Client (force_login; middleware, view, template and database, no network), with persistent
connections and DEBUG off: WARMUP requests, then RUNS timed ones, printing the median and p95 of
wall time and the median CPU time of this process (the database's own work is not in it).
Target: p95 < 150 ms for each case; exits 1 when one misses it.
"""

import argparse
import datetime
import io
import random
import re
import sys
import time
from dataclasses import dataclass, field

import common

BENCH_DATABASE_URL = common.configure(
    "BENCH_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/office_bench_supervision_ledger",
    test_client=True,
    memory_broker=True,
)

ITEMS = 100_000
YEARS = 3
UNITS = 60
LEADERS = 10
WARMUP = 5
RUNS = 30
TARGET_P95_MS = 150.0
URL_NAME = "supervision:ledger"


@dataclass(frozen=True)
class Case:
    """One ledger query to time; `page` > 1 follows the "下一页" cursor that many times minus one
    before timing."""

    label: str
    params: dict = field(default_factory=dict)
    page: int = 1
    url_name: str = ""  # another page than the ledger, timed for reference (no target)


def cases(handler_unit, today):
    quarter_end = today + datetime.timedelta(days=90)
    return [
        Case("全部（无筛选）"),
        Case("红灯", {"light": "red"}),
        Case("牵头单位", {"lead_unit": handler_unit}),
        Case(
            "在办·时限在90天内",
            {"state": "open", "deadline_from": today.isoformat(), "deadline_to": quarter_end},
        ),
        Case("关键词「消防」", {"q": "消防"}),
        Case("关键词「征兵」（很少）", {"q": "征兵"}),
        Case("关键词「安全生产」", {"q": "安全生产"}),
        Case("关键词「老旧小区」", {"q": "老旧小区"}),
        Case("按办结时限排序", {"sort": "deadline"}),
        Case("红灯·按办结时限", {"light": "red", "sort": "deadline"}),
        Case("第2页（游标）", page=2),
        Case("督查统计（参考）", url_name="supervision:dashboard"),
    ]


# --- the data -------------------------------------------------------------------------------------

UNIT_NAMES = (
    "发展改革局", "教育局", "科技创新局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局",
    "人力资源社会保障局", "自然资源局", "生态环境局", "住房城乡建设局", "交通运输局", "水务局",
    "农业农村局", "商务局", "文化广电旅游体育局", "卫生健康局", "退役军人事务局", "应急管理局",
    "审计局", "国资委", "市场监管局", "统计局", "医疗保障局", "城市管理综合执法局", "林业局",
    "政务服务数据管理局", "信访局", "海洋发展局", "口岸局", "金融工作局", "港澳事务局", "体育局",
    "气象局", "消防救援支队", "供销社", "公共资源交易中心", "住房公积金中心", "地震局",
    "香洲区政府", "金湾区政府", "斗门区政府", "高新区管委会", "高栏港经济区管委会",
    "万山海洋开发试验区管委会", "保税区管委会", "横琴新区管委会", "市城投集团", "市交通集团",
    "市水务集团", "市港控集团", "市免税集团", "市农控集团", "市科技集团", "市文旅集团",
    "市华发集团", "市格力集团", "市国资集团", "市公交集团",
)  # fmt: skip
VERBS = ("加快", "推进", "落实", "做好", "开展", "加强", "抓好", "完成", "研究解决", "协调推动")
TOPICS = (
    "老旧小区改造", "城市更新重点片区建设", "中小学学位建设", "消防安全专项整治", "安全生产大检查",
    "安全生产专项整治三年行动", "防汛防台风准备", "河湖长制落实", "森林防火", "食品安全抽检",
    "营商环境优化", "招商引资项目落地", "民生实事项目推进", "政务服务一网通办", "数字政府建设",
    "基层医疗服务能力提升", "重大项目建设进度", "就业创业扶持", "社会救助资金管理", "耕地保护",
    "生态环境保护督察整改", "审计发现问题整改", "信访积案化解", "港珠澳大桥经济区建设",
    "公共交通出行分担率提升", "课后服务提质扩面", "养老服务设施建设", "燃气管道老化更新改造",
    "农村人居环境整治", "市政府督办件办理",
)  # fmt: skip
# (source, weight, label template)
SOURCES = (
    ("instruction", 20, "{leader}批示（{year}）第{n}号"),
    ("meeting_decision", 30, "市政府常务会议纪要 {year}年第{period}期 第{n}项"),
    ("work_report_task", 10, "{year}年政府工作报告目标任务分解 第{n}项"),
    ("livelihood_project", 5, "{year}年十件民生实事 第{n}项"),
    ("higher_assignment", 10, "省政府督查室交办单 粤督〔{year}〕{n}号"),
    ("public_appeal", 20, "珠海市12345政务服务便民热线 工单 {year}{n:06d}"),
    ("other", 5, ""),
)
OPEN_STATES = (("opened", 5), ("assigned", 25), ("in_progress", 60), ("close_requested", 10))
CADENCES = (("monthly", 60), ("weekly", 10), ("quarterly", 15), ("none", 15))
PROGRESS_TEXTS = (
    "已完成前期摸底调查，形成工作方案初稿，正在征求相关部门意见，计划下月提请审议。",
    "项目已完成立项和用地预审，正在开展施工图设计，同步推进招标准备工作。",
    "已召开专题协调会研究推进，明确责任分工和时间节点，各项工作有序推进。",
    "已按要求完成整改，相关佐证材料已整理归档，申请销号。",
)
COLUMNS = (
    "id", "item_number", "year", "title", "requirement", "source", "source_label", "source_url",
    "classification", "lead_unit_id", "responsible_leader_id", "supervisor_id", "opened_by_id",
    "state", "opened_on", "assigned_on", "deadline", "original_deadline", "report_cadence",
    "report_day", "report_due_on", "behind_on", "progress", "latest_report_id", "red_since",
    "escalated_on", "closed_on", "closed_by_id", "suspended_reason", "created_at",
)  # fmt: skip
REPORT_COLUMNS = (
    "id", "item_id", "kind", "text", "progress", "unit_id", "author_id", "submitted_at", "state",
    "reviewed_at", "review_opinion", "flag", "reviewed_by_id",
)  # fmt: skip


def _pick(rng, weighted):
    return rng.choices([item for item, *_ in weighted], weights=[w for _, w, *_ in weighted])[0]


def people():
    """60 units, 10 leaders (each serving six units), the supervisor and one unit's handler."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from office.models import Clearance, Unit, User
    from office.roles import Role

    def user(username, real_name, role, **extra):
        person, _ = User.objects.update_or_create(
            username=username,
            defaults={"real_name": real_name, "password_changed_at": timezone.now(), **extra},
        )
        person.set_unusable_password()
        person.save()
        person.groups.set([Group.objects.get_or_create(name=role)[0]])
        return person

    government, _ = Unit.objects.get_or_create(
        name="珠海市人民政府", defaults={"short_name": "市政府", "kind": Unit.Kind.GOVERNMENT}
    )
    units = [
        Unit.objects.get_or_create(
            name=f"珠海{name}" if name.startswith("市") else f"珠海市{name}",
            defaults={"short_name": name, "kind": Unit.Kind.DEPARTMENT, "sort_order": n},
        )[0]
        for n, name in enumerate(UNIT_NAMES[:UNITS])
    ]
    leaders = [
        user(
            f"bench_ledger_leader{n}",
            f"第{n}副市长",
            Role.LEADER,
            unit=government,
            title="副市长",
            leader_order=n,
        )
        for n in range(1, LEADERS + 1)
    ]
    supervisor = user(
        "bench_ledger_supervisor",
        "赵督查",
        Role.SUPERVISOR,
        unit=government,
        clearance=Clearance.SECRET,
    )
    handler = user("bench_ledger_handler", "钱承办", Role.UNIT_HANDLER, unit=units[1])
    return units, leaders, supervisor, handler


def _copy(cursor, table, columns, rows):
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(r"\N" if value is None else str(value) for value in row) + "\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _items(rng, today, units, leaders, supervisor):
    """(items, reports, co-unit pairs) as rows for COPY."""
    unit_weights = [1 / (1 + n / 8) for n in range(len(units))]  # a few units lead many items
    first_year = today.year - YEARS + 1
    now = f"{today.isoformat()} 09:00:00+08"
    per_year = [ITEMS // YEARS] * YEARS
    per_year[-1] += ITEMS - sum(per_year)
    items, reports, co_units = [], [], []
    item_id = 0
    for year, count in zip(range(first_year, today.year + 1), per_year, strict=True):
        last = today if year == today.year else datetime.date(year, 12, 31)
        span = (last - datetime.date(year, 1, 1)).days
        days = sorted(rng.randint(0, span) for _ in range(count))
        for serial, offset in enumerate(days, start=1):
            item_id += 1
            opened_on = datetime.date(year, 1, 1) + datetime.timedelta(days=offset)
            source = _pick(rng, SOURCES)
            unit_index = rng.choices(range(len(units)), weights=unit_weights)[0]
            leader = leaders[unit_index % len(leaders)]
            template = dict((s, t) for s, _, t in SOURCES)[source]
            label = template.format(
                leader=f"{leader.real_name}", year=year, n=serial % 500 + 1, period=serial % 52 + 1
            )
            title = f"{rng.choice(VERBS)}{rng.choice(TOPICS)}"
            if source == "public_appeal":
                title = f"关于{rng.choice(TOPICS)}问题的群众诉求"
                deadline = opened_on + datetime.timedelta(days=rng.randint(5, 20))
            elif source == "work_report_task":
                deadline = datetime.date(year, 12, 31)
            else:
                deadline = opened_on + datetime.timedelta(days=rng.randint(15, 180))
            original = deadline
            if rng.random() < 0.08:
                original = deadline - datetime.timedelta(days=rng.randint(15, 60))
            state, closed_on, report_due_on, behind_on = _life(rng, today, opened_on, deadline)
            cadence = _pick(rng, CADENCES)
            if state not in ("assigned", "in_progress") or cadence == "none":
                report_due_on = None
            progress = 100 if state == "closed" else rng.randint(0, 19) * 5
            report_id = None
            if state not in ("opened", "suspended") and rng.random() < 0.9:
                report_id = item_id
                submitted = min(closed_on or today, opened_on + datetime.timedelta(days=20))
                reports.append(
                    (
                        report_id, item_id, "completion" if state == "closed" else "progress",
                        rng.choice(PROGRESS_TEXTS), progress, units[unit_index].pk,
                        supervisor.pk, f"{submitted.isoformat()} 10:00:00+08", "approved",
                        f"{submitted.isoformat()} 16:00:00+08", "", "", supervisor.pk,
                    )
                )  # fmt: skip
            items.append(
                (
                    item_id, f"督〔{year}〕{serial}号", year, title, "", source, label, "",
                    _pick(rng, ((0, 95), (1, 4), (2, 1))), units[unit_index].pk, leader.pk,
                    supervisor.pk, supervisor.pk, state, opened_on,
                    None if state == "opened" else opened_on + datetime.timedelta(days=1),
                    deadline, original, cadence, 25, report_due_on, behind_on, progress,
                    report_id, None, None, closed_on,
                    supervisor.pk if state == "closed" else None,
                    "上级政策调整，暂缓办理" if state == "suspended" else "", now,
                )
            )  # fmt: skip
            if rng.random() < 0.5:
                others = rng.sample(range(len(units)), 2)[: rng.randint(1, 2)]
                co_units.extend(
                    (item_id, units[i].pk) for i in dict.fromkeys(others) if i != unit_index
                )
    return items, reports, co_units


def _life(rng, today, opened_on, deadline):
    """(state, closed_on, report_due_on, behind_on) of one item: the longer past its deadline,
    the likelier closed; open items overdue, due soon, behind schedule or late with a report."""
    if rng.random() < 0.025:
        return "suspended", None, None, None
    age = (today - deadline).days
    closed_share = 0.95 if age > 30 else 0.6 if age > 0 else 0.12
    if rng.random() < closed_share:
        late = rng.random() < 0.1
        closed_on = deadline + datetime.timedelta(
            days=rng.randint(1, 20) if late else -rng.randint(0, 30)
        )
        return "closed", max(opened_on, min(closed_on, today)), None, None
    state = _pick(rng, OPEN_STATES)
    report_due_on = today + datetime.timedelta(days=rng.randint(-8, 30))
    behind_on = today - datetime.timedelta(days=rng.randint(0, 20)) if rng.random() < 0.1 else None
    return state, None, report_due_on, behind_on


def fill(today):
    from django.db import connection, transaction

    units, leaders, supervisor, handler = people()
    rng = random.Random(2026)  # reproducible synthetic data
    started = time.perf_counter()
    items, reports, co_units = _items(rng, today, units, leaders, supervisor)
    built = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE supervision_supervisionitem, supervision_progressreport, "
            "supervision_supervisionitem_co_units CASCADE"
        )
        _copy(cursor, "supervision_supervisionitem", COLUMNS, items)
        _copy(cursor, "supervision_progressreport", REPORT_COLUMNS, reports)
        _copy(
            cursor,
            "supervision_supervisionitem_co_units",
            ("supervisionitem_id", "unit_id"),
            co_units,
        )
        for table, rows in (
            ("supervision_supervisionitem", items),
            ("supervision_progressreport", reports),
        ):
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, rows[-1][0]]
            )
    loaded = time.perf_counter()
    with connection.cursor() as cursor:
        for table in (
            "supervision_supervisionitem",
            "supervision_progressreport",
            "supervision_supervisionitem_co_units",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(
        f"filled {len(items):,} items, {len(reports):,} reports, {len(co_units):,} co-units: "
        f"built {built - started:.1f} s, COPY {loaded - built:.1f} s, "
        f"VACUUM ANALYZE {time.perf_counter() - loaded:.1f} s"
    )


def filled():
    from django.db import connection

    from office.models import User
    from supervision.models import SupervisionItem

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('supervision_supervisionitem') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return False
    users = User.objects.filter(
        username__in=["bench_ledger_supervisor", "bench_ledger_handler"]
    ).count()
    return users == 2 and SupervisionItem.objects.count() >= ITEMS


# --- the measurements --------------------------------------------------------------------------


SUMMARY_TOTAL = re.compile(r'<div class="desk-stat-count">(\d+)</div>')


def measure(client, case, url):
    """(median ms, p95 ms, median CPU ms, rows shown, items in the summary strip)."""
    median, high, cpu, html = common.time_page(
        client, url, case.params, label=case.label, page=case.page, warmup=WARMUP, runs=RUNS
    )
    total = SUMMARY_TOTAL.search(html)
    return median, high, cpu, common.table_rows(html), int(total[1]) if total else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="drop and refill the database")
    parser.add_argument("-k", default="", help="only the cases whose label contains this")
    args = parser.parse_args()

    common.start_django(BENCH_DATABASE_URL, rebuild=args.rebuild)
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from office.models import User
    from supervision.selectors import items_visible_to

    today = timezone.localdate()
    if filled():
        print(f"reusing {BENCH_DATABASE_URL} (run with --rebuild to start afresh)")
    else:
        fill(today)

    people = {
        "督查员": User.objects.get(username="bench_ledger_supervisor"),
        "承办人": User.objects.get(username="bench_ledger_handler"),
    }
    print(
        f"visible to the supervisor {items_visible_to(people['督查员']).count():,} items, "
        f"to the unit handler {items_visible_to(people['承办人']).count():,}"
    )
    print(
        f"warm-up {WARMUP}, timed runs {RUNS}; in-process (Django test Client), ms; median and p95 "
        "of wall time, and the median CPU time of this process (the database's work excluded)"
    )
    print()
    print(
        f"{common.pad('case', 28)}{common.pad('user', 8)}{'items':>7}{'rows':>5}{'median':>9}{'p95':>9}"
        f"{'CPU':>7}  result"
    )
    url = reverse(URL_NAME)
    failed = False
    for case in cases(people["承办人"].unit_id, today):
        if args.k not in case.label:
            continue
        for who, user in people.items():
            client = Client()
            client.force_login(user)
            target = reverse(case.url_name) if case.url_name else url
            median, high, cpu, shown, total = measure(client, case, target)
            passed = high < TARGET_P95_MS or bool(case.url_name)
            failed |= not passed
            print(
                f"{common.pad(case.label, 28)}{common.pad(who, 8)}{total:>7}{shown:>5}{median:>9.1f}"
                f"{high:>9.1f}{cpu:>7.1f}  {'—' if case.url_name else 'PASS' if passed else 'FAIL'}"
            )
    print()
    print(common.load_average())
    print(f"target: p95 < {TARGET_P95_MS:.0f} ms")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
