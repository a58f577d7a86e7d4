"""The database the suite runs on is the one the office runs on: PostgreSQL with a UTF-8 ctype
(FIELD_NOTES.md: with locale C, pg_trgm extracts nothing from Chinese text)."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_with_utf8_ctype():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datctype, pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"
        )
        ctype, encoding = cursor.fetchone()
    assert encoding == "UTF8"
    assert "UTF-8" in ctype.upper() or "UTF8" in ctype.upper()
    with connection.cursor() as cursor:
        cursor.execute("SELECT upper('政务办公abc'), length('收〔2026〕0153号')")
        assert cursor.fetchone() == ("政务办公ABC", 12)
