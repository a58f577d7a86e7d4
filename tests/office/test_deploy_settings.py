"""Production settings (issue 2): `check --deploy` reports nothing, production refuses to start
without its secret key, and the database is created with a UTF-8 ctype (FIELD_NOTES.md: with
locale C, pg_trgm sees no Chinese at all)."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

MANAGE = settings.BASE_DIR / "manage.py"

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-key-of-more-than-fifty-characters-5f3a9c1e7b2d",
    "ALLOWED_HOSTS": "oa.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://oa.example.gov.cn",
    "SECURE_SSL_REDIRECT": "1",
}

# Variables in .env.example that docker-compose.yml reads and settings.py does not.
COMPOSE_ONLY = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "HTTP_PORT"}


def manage(*args, **env):
    """Run manage.py in a fresh process with this environment plus `env` (None unsets).

    Django switches other tests set in this process (e.g. DJANGO_ALLOW_ASYNC_UNSAFE for the
    browser tests) are not passed on: a deployment would not have them."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") or name == "DJANGO_SETTINGS_MODULE"
    }
    environment.update(env)
    for name in [name for name, value in env.items() if value is None]:
        environment.pop(name)
    return subprocess.run(  # noqa: S603  (our own manage.py, a fixed argument list)
        [sys.executable, str(MANAGE), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )


def test_check_deploy_reports_nothing():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


@pytest.mark.parametrize("secret_key", ["", None], ids=["empty", "unset"])
def test_production_refuses_to_start_without_a_secret_key(secret_key):
    if secret_key is None and (settings.BASE_DIR / ".env").exists():
        pytest.skip("a local .env file may supply SECRET_KEY")
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": secret_key})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_database_has_a_utf8_ctype():
    with connection.cursor() as cursor:
        cursor.execute("SHOW lc_ctype")
        (ctype,) = cursor.fetchone()
        cursor.execute("SHOW server_encoding")
        (encoding,) = cursor.fetchone()
    assert encoding == "UTF8"
    assert ctype.replace("-", "").lower().endswith(".utf8"), ctype


def test_env_example_lists_every_variable_settings_read():
    """STYLE.md: `.env.example` lists every variable."""
    source = (settings.BASE_DIR / "office" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))
    example = (settings.BASE_DIR / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    assert read, "no env reads found in settings.py"
    assert read <= listed, sorted(read - listed)
    # Nothing stale either: the rest are docker-compose.yml's own.
    assert listed - read == COMPOSE_ONLY, sorted(listed - read)
