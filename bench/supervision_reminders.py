"""Benchmark of 督查督办's reminder sweep at 1,000,000 supervision items: run
`.venv/bin/python bench/supervision_reminders.py` or `make bench-supervision` (PostgreSQL must be
up: `make services`).

It works in its own database, `office_supervision_bench` (BENCH_DATABASE_URL overrides it;
DATABASE_URL is ignored so a real database is never touched): created from template0 with
C.UTF-8 when missing, and migrated. Each run refills it: 30 units with a handler and a head each
(e-mail and mobile set, so urgent reminders also write SMS deliveries), 5 leaders with a liaison,
then 1,000,000 items in one INSERT … SELECT generate_series — 85% closed, 14% open and on track,
and 1% (10,000) due on the sweep day, in four equal parts:

- 临期 due soon: deadline within the warning window;
- 逾期 overdue and red for 10 days: also 报责任领导;
- 催报 a progress report due yesterday;
- 逾期 overdue, newly red.

After VACUUM ANALYZE it times `supervision.reminders.sweep()` on the next working day at 10:00,
then a second run the same day (which must send nothing), then `track_red` alone (the red_since
upkeep every run pays), and prints the plans of the due queries. Target: a run completes in
seconds (FIELD_NOTES.md: the cost grows with the items due, not with all items); exits 1 when
the first run takes more than TARGET_SECONDS or the counts are wrong.

Celery's broker is the in-memory transport here: the outbox relay each notification queues goes
nowhere (the rows are written; sending them is the relay's bench, not this one).
"""

import datetime
import sys
import time

import common

BENCH_DATABASE_URL = common.configure(
    "BENCH_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/office_supervision_bench",
    memory_broker=True,
)

ITEMS = 1_000_000
UNITS = 30
LEADERS = 5
TARGET_SECONDS = 10.0


def people():
    """Units with a handler and a head each; leaders, each with a liaison (联线副秘书长)."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from office.models import Unit, User
    from office.roles import Role

    def user(username, real_name, unit, role, **extra):
        person, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "real_name": real_name,
                "unit": unit,
                "email": f"{username}@zhuhai.example",
                "phone": "13800000000",
                "password_changed_at": timezone.now(),
                **extra,
            },
        )
        person.groups.add(Group.objects.get_or_create(name=role)[0])
        return person

    government, _ = Unit.objects.get_or_create(
        name="珠海市人民政府", defaults={"short_name": "市政府", "kind": Unit.Kind.GOVERNMENT}
    )
    units = []
    for i in range(UNITS):
        unit, _ = Unit.objects.get_or_create(
            name=f"珠海市测试局{i:02d}", defaults={"short_name": f"测试局{i:02d}"}
        )
        user(f"bench_handler_{i}", f"承办人{i}", unit, Role.UNIT_HANDLER)
        user(f"bench_head_{i}", f"局长{i}", unit, Role.UNIT_HEAD)
        units.append(unit.pk)
    leaders = []
    for i in range(LEADERS):
        liaison = user(f"bench_liaison_{i}", f"副秘书长{i}", government, Role.LEADER)
        leader = user(f"bench_leader_{i}", f"副市长{i}", government, Role.LEADER, liaison=liaison)
        leaders.append(leader.pk)
    supervisor = user("bench_supervisor", "督查员", government, Role.SUPERVISOR)
    return units, leaders, supervisor.pk


FILL = """
INSERT INTO supervision_supervisionitem (
    item_number, year, title, requirement, source, source_label, source_url, classification,
    lead_unit_id, responsible_leader_id, supervisor_id, opened_by_id, state, opened_on,
    assigned_on, deadline, original_deadline, report_cadence, report_day, report_due_on,
    behind_on, progress, red_since, escalated_on, closed_on, closed_by_id, suspended_reason,
    created_at)
SELECT
    '督〔' || (2000 + g / 50000) || '〕' || g || '号', 2000 + g / 50000,
    '关于推进第' || g || '项重点工作的批示', '', 'instruction', '', '', 0,
    (%(units)s::bigint[])[1 + g %% %(n_units)s], (%(leaders)s::bigint[])[1 + g %% %(n_leaders)s],
    %(supervisor)s, %(supervisor)s,
    CASE WHEN g %% 100 BETWEEN 15 AND 99 THEN 'closed' ELSE 'in_progress' END,
    %(today)s::date - 200, %(today)s::date - 199,
    d.deadline, d.deadline, 'monthly', 25, d.report_due_on, NULL,
    CASE WHEN g %% 100 BETWEEN 15 AND 99 THEN 100 ELSE 50 END,
    d.red_since, NULL,
    CASE WHEN g %% 100 BETWEEN 15 AND 99 THEN %(today)s::date - 30 END,
    CASE WHEN g %% 100 BETWEEN 15 AND 99 THEN %(supervisor)s END,
    '', now()
FROM generate_series(1, %(items)s) AS g
CROSS JOIN LATERAL (
    SELECT
        CASE
            WHEN g %% 100 = 0 AND (g / 100) %% 4 = 0 THEN %(soon)s::date
            WHEN g %% 100 = 0 AND (g / 100) %% 4 IN (1, 3) THEN %(today)s::date - 20
            WHEN g %% 100 = 0 THEN %(today)s::date + 100
            WHEN g %% 100 < 15 THEN %(today)s::date + 30 + g %% 170
            ELSE %(today)s::date - 20 - g %% 300
        END AS deadline,
        CASE
            WHEN g %% 100 = 0 AND (g / 100) %% 4 = 2 THEN %(today)s::date - 1
            WHEN g %% 100 = 0 AND (g / 100) %% 4 IN (1, 3) THEN NULL
            WHEN g %% 100 < 15 THEN %(today)s::date + 5 + g %% 25
        END AS report_due_on,
        CASE WHEN g %% 100 = 0 AND (g / 100) %% 4 = 1 THEN %(today)s::date - 10 END AS red_since
) AS d
"""


def fill(day):
    from django.db import connection

    from office import calendar

    units, leaders, supervisor = people()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE supervision_urging, supervision_supervisionitem, "
            "supervision_supervisionitem_co_units, office_notification, office_delivery CASCADE"
        )
        started = time.perf_counter()
        # The rows reference the units and people just made: skip the per-row foreign-key
        # triggers while filling (superuser only; the bench runs as postgres).
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            FILL,
            {
                "units": units,
                "leaders": leaders,
                "supervisor": supervisor,
                "n_units": len(units),
                "n_leaders": len(leaders),
                "today": day,
                "soon": calendar.add_working_days(day, 2),
                "items": ITEMS,
            },
        )
        cursor.execute("SET session_replication_role = DEFAULT")
        print(f"inserted {ITEMS:,} items in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ("supervision_supervisionitem", "supervision_urging", "office_notification"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")


def plans(day):
    """The plan of each kind's chunk query: an index range scan, never a scan of all items."""
    from django.db import connection

    from supervision import reminders

    for kind in reminders.KINDS:
        queryset, key = reminders.due(kind, day)
        order = (key, "id") if key != "id" else ("id",)
        sql, params = queryset.order_by(*order)[: reminders.CHUNK_SIZE].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql} FOR UPDATE SKIP LOCKED", params)
            lines = [row[0] for row in cursor.fetchall()]
        scans = [line.strip() for line in lines if "Scan" in line]
        print(f"  {kind.label:<6} {' / '.join(scans)}")


def main():
    common.start_django(BENCH_DATABASE_URL)
    from django.utils import timezone

    from office import calendar
    from supervision import reminders
    from supervision.models import SupervisionItem, Urging

    day = calendar.add_working_days(timezone.localdate(), 0)
    now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    fill(day)
    due = ITEMS // 100
    expected = {"due_soon": due // 4, "overdue": due // 2, "report_missing": due // 4}
    expected["escalated"] = due // 4
    print(f"{SupervisionItem.objects.count():,} items; {due:,} due on {day} (the sweep day)")
    print("plans of the chunk queries:")
    plans(day)

    started = time.perf_counter()
    first = reminders.sweep(now)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = reminders.sweep(now)
    second_s = time.perf_counter() - started
    started = time.perf_counter()
    reminders.track_red(day)
    red_s = time.perf_counter() - started

    from office.models import Delivery, Notification

    sent = sum(first.values())
    print(f"first run:  {first_s:.2f} s, {sent:,} reminders {first}")
    print(
        f"            {Urging.objects.count():,} urgings, {Notification.objects.count():,} "
        f"notifications, {Delivery.objects.count():,} deliveries; {sent / first_s:,.0f} reminders/s"
    )
    print(f"second run: {second_s:.2f} s, {sum(second.values())} reminders {second}")
    print(f"track_red alone (every run's red_since upkeep): {red_s:.2f} s")
    ok = first == expected and not any(second.values()) and first_s <= TARGET_SECONDS
    print(f"{'PASS' if ok else 'FAIL'}: target {TARGET_SECONDS:.0f} s, expected {expected}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
