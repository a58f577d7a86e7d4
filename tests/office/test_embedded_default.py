"""README command 1 runs on a machine with nothing but Python: SQLite for the data and Celery's
SQLAlchemy transport on SQLite for the broker. These tests start the real processes on that
default in a scratch folder: a worker really relays the outbox, and every page of the shell
answers for the demo accounts."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY")


@pytest.fixture(scope="module")
def embedded_env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("embedded")
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(
        DEBUG="1", VAR_DIR=str(folder), MEDIA_ROOT=str(folder / "media"), PYTHONUNBUFFERED="1"
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    return env, folder


def django_script(env, code, timeout=120):
    prelude = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'office.settings'); django.setup()\n"
    result = subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_settings_choose_sqlite_and_the_sqlalchemy_broker(embedded_env):
    env, folder = embedded_env
    out = django_script(
        env,
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE']); print(s.CELERY_BROKER_URL)",
    )
    engine, broker = out.split()
    assert engine == "django.db.backends.sqlite3"
    assert broker == f"sqla+sqlite:///{folder / 'celery-broker.sqlite3'}"


def test_a_separate_worker_process_relays_the_outbox(embedded_env):
    env, _ = embedded_env
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "office", "worker", "--pool", "solo", "-l", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        django_script(
            env,
            "from django.db import transaction\n"
            "from office.models import User\n"
            "from office.notifications import notify\n"
            "leader = User.objects.get(username='chenliming')\n"
            "leader.email = 'mayor@zhuhai.example'; leader.save()\n"
            "with transaction.atomic():\n"
            "    notify([leader], title='嵌入式默认配置投递测试')\n",
        )
        check = (
            "from office.models import Delivery\n"
            "print(Delivery.objects.filter(notification__title='嵌入式默认配置投递测试', status='sent').count())\n"
        )
        deadline = time.monotonic() + 60
        sent = "0"
        while time.monotonic() < deadline and sent != "1":
            time.sleep(1)
            sent = django_script(env, check).strip()
        assert sent == "1", "the worker did not relay the outbox row"
    finally:
        worker.terminate()
        output, _ = worker.communicate(timeout=30)
    assert "office.tasks.relay_outbox" in output and "succeeded" in output


def test_every_shell_page_answers_for_the_demo_accounts(embedded_env):
    env, _ = embedded_env
    out = django_script(
        env,
        "from django.test import Client\n"
        "pages = {\n"
        "  'wangxiaoyan': ['/', '/notifications/', '/search/?q=%E9%80%9A%E7%9F%A5', '/password/'],\n"
        "  'chenliming': ['/'],\n"
        "  'tanxiaofang': ['/'],\n"
        "  'hanxue': ['/', '/manage/users/', '/manage/units/', '/manage/security-policy/'],\n"
        "  'jiangtao': ['/manage/calendar/', '/manage/calendar/?year=2027', '/operations/'],\n"
        "  'tangliang': ['/manage/trail/'],\n"
        "}\n"
        "for username, urls in pages.items():\n"
        "    client = Client(SERVER_NAME='localhost')\n"
        "    response = client.post('/login/', {'username': username, 'password': 'Demo@2026'})\n"
        "    assert response.status_code == 302, (username, response.status_code)\n"
        "    for url in urls:\n"
        "        print(username, url, client.get(url).status_code)\n",
    )
    lines = out.strip().splitlines()
    assert len(lines) == 14
    assert all(line.endswith(" 200") for line in lines), out


def test_incoming_document_pages_work_on_the_embedded_default(embedded_env):
    """收文 on SQLite: the lists, the register with a Chinese search, statistics, a document's
    page and its routing slip, and a registration from the form, for the demo accounts."""
    env, _ = embedded_env
    out = django_script(
        env,
        "from django.utils import timezone\n"
        "from django.test import Client\n"
        "from documents.models import IncomingDocument\n"
        "doc = IncomingDocument.objects.filter(state='archived').order_by('id').first()\n"
        "pages = {\n"
        "  'wangxiaoyan': ['/documents/incoming/', '/documents/incoming/done/',\n"
        "                  '/documents/incoming/mine/', '/documents/incoming/new/',\n"
        "                  '/documents/incoming/register/?q=%E6%B6%88%E9%98%B2',\n"
        "                  '/documents/incoming/statistics/', '/documents/incoming/archive/',\n"
        "                  f'/documents/incoming/{doc.pk}/', f'/documents/incoming/{doc.pk}/slip.pdf',\n"
        "                  '/search/?q=%E7%9D%A3%E5%8A%9E'],\n"
        "  'chenliming': ['/', '/documents/incoming/', '/documents/incoming/statistics/'],\n"
        "  'tanxiaofang': ['/', '/documents/incoming/', '/documents/incoming/register/'],\n"
        "  'jiangtao': ['/documents/incoming/settings/'],\n"
        "}\n"
        "for username, urls in pages.items():\n"
        "    client = Client(SERVER_NAME='localhost')\n"
        "    client.post('/login/', {'username': username, 'password': 'Demo@2026'})\n"
        "    for url in urls:\n"
        "        print(username, url, client.get(url).status_code)\n"
        "client = Client(SERVER_NAME='localhost')\n"
        "client.post('/login/', {'username': 'wangxiaoyan', 'password': 'Demo@2026'})\n"
        "response = client.post('/documents/incoming/new/', {\n"
        "  'sender_name': '嵌入式测试来文单位', 'sender_level': 'lower', 'sender_number': '测〔2026〕1号',\n"
        "  'title': '嵌入式默认配置登记测试', 'doc_type': 'notice', 'kind': 'action', 'urgency': 'normal',\n"
        "  'classification': '0', 'copies': '1', 'pages': '1', 'channel': 'paper',\n"
        "  'received_on': timezone.localdate().isoformat(), 'save': ''})\n"
        "print('register', response.status_code)\n",
    )
    lines = out.strip().splitlines()
    assert len(lines) == 18, out
    assert all(line.endswith(" 200") for line in lines[:-1]), out
    assert lines[-1] == "register 302", out
