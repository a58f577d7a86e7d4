"""What the database benchmarks in bench/ share (imported as `common`: a script's own folder is
first on sys.path): the environment set before django.setup() — always their own database, never
DATABASE_URL — creating and migrating that database, timing a page through Django's test Client,
the nearest-rank p95, terminal padding for Chinese labels and the load-average line.

pdf_bench.py needs no database and uses none of this."""

import math
import os
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


def configure(url_variable, default_url, *, test_client=False, memory_broker=False, eager=False):
    """Point Django at the benchmark's own database before django.setup() and return its URL:
    `url_variable` (e.g. BENCH_DATABASE_URL) or `default_url`; DATABASE_URL is overwritten, so a
    real database is never touched. DEBUG is off (it would record every query in memory).
    `test_client`: pages are requested through the test Client with persistent connections, as
    behind a long-running application server. `memory_broker`: queued tasks go to Celery's
    in-memory transport. `eager`: tasks run in this process (no broker is touched)."""
    sys.path.insert(0, str(ROOT))
    url = os.environ.get(url_variable, default_url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "office.settings"
    if memory_broker:
        os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    if test_client:
        os.environ.setdefault("SECURE_COOKIES", "0")
        os.environ.setdefault("ALLOWED_HOSTS", "testserver")
        os.environ.setdefault("CONN_MAX_AGE", "600")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if eager:
        os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"
    return url


def prepare_database(url, *, rebuild=False):
    """Create the database at `url` (UTF-8, C.UTF-8 from template0: FIELD_NOTES.md) when missing;
    with `rebuild`, drop and recreate it."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = psycopg2.connect(
        dbname="postgres",
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and rebuild:
            cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = False
        if not exists:
            cursor.execute(
                sql.SQL(
                    "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' "
                    "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                ).format(sql.Identifier(name))
            )
            print(f"created database {name} (UTF8, C.UTF-8)")
    server.close()


def start_django(url, *, rebuild=False):
    """Prepare the database at `url`, set Django up and migrate it (after `configure`)."""
    prepare_database(url, rebuild=rebuild)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


# --- the measurements --------------------------------------------------------------------------


def p95(samples):
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


NEXT_CURSOR = re.compile(r'href="[^"]*after=([A-Za-z0-9_-]+)"[^>]*>下一页')


def table_rows(html):
    """Rows of the page's table body, the empty-state row excluded."""
    body = html.partition("<tbody>")[2].partition("</tbody>")[0]
    return body.count("<tr") - body.count("colspan=")


def time_page(client, url, params, *, label, page=1, warmup, runs):
    """Time GET `url` with `params`: first follow the "下一页" cursor page − 1 times, then
    `warmup` untimed and `runs` timed requests. (median ms, p95 ms, median CPU ms of this
    process, the last response's HTML). The pages are parsed, not instrumented: the test
    environment's template signals would add their own cost."""
    params = dict(params)
    for _ in range(page - 1):
        found = NEXT_CURSOR.search(client.get(url, params).content.decode())
        if found is None:
            break
        params["after"] = found[1]
    for _ in range(warmup):
        response = client.get(url, params)
        assert response.status_code == 200, (label, response.status_code)
    samples, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (label, response.status_code)
    html = response.content.decode()
    return statistics.median(samples), p95(samples), statistics.median(cpu), html


def pad(text, width):
    """Left-align in a terminal, where a Chinese character takes two columns."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def load_average():
    """The load-average line each benchmark prints: wall ≫ CPU on a busy machine."""
    return "load average: " + ", ".join(f"{load:.2f}" for load in os.getloadavg())
