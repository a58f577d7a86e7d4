"""Bigram search for incoming documents (documents/search.py; FIELD_NOTES.md, "Chinese search
in PostgreSQL"), on PostgreSQL only — on SQLite, the embedded default, this migration does nothing.

- documents_incoming_bigrams(VARIADIC text[]): IMMUTABLE; cuts each field at white space and
  gives every single character, every overlapping pair of characters and every whole ASCII word
  or number run as a lexeme, ASCII letters folded to lower case. The lexemes go straight into
  array_to_tsvector, so the text-search parser never sees (or mangles) Chinese or punctuation.
  `SET jit = off`: the planner cannot know how many rows the set-returning functions inside
  give, guesses a cost above jit_above_cost and compiled the body with LLVM on every call —
  0.2–1 s per inserted row; without JIT a row costs about 0.1–0.2 ms.
- documents_incomingdocument.search_vector: a STORED generated column over the registration
  number, title, sender and sender's number, so every insert and update (bulk_create included)
  keeps it right. It is not a model field: the ORM never selects it.
- incoming_search_idx: a GIN index on it.

A later migration that changes the type of one of those four columns (e.g. a longer max_length)
must first drop search_vector (PostgreSQL refuses to alter a column a generated column uses) and
then run this migration's `add_search` again.
"""

from django.db import migrations

TABLE = "documents_incomingdocument"

CREATE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION documents_incoming_bigrams(VARIADIC parts text[])
RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET jit = off
AS $$
  WITH words AS (
    SELECT word
    FROM unnest(parts) AS part,
         regexp_split_to_table(
           translate(coalesce(part, ''), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),
           '[ \t\n\r\f\v\u00a0\u3000]+'
         ) AS word
    WHERE word <> ''
  )
  SELECT coalesce(array_to_tsvector(array_agg(token)), ''::tsvector)
  FROM (
    SELECT substr(word, i, 1) AS token FROM words, generate_series(1, char_length(word)) AS i
    UNION ALL
    SELECT substr(word, i, 2) FROM words, generate_series(1, char_length(word) - 1) AS i
    UNION ALL
    SELECT run[1] FROM words, regexp_matches(word, '[a-z0-9]+', 'g') AS run
  ) AS tokens
$$
"""

ADD_COLUMN = f"""
ALTER TABLE {TABLE} ADD COLUMN search_vector tsvector
GENERATED ALWAYS AS (
  documents_incoming_bigrams(registration_number, title, sender_name, sender_number)
) STORED
"""

ADD_INDEX = f"CREATE INDEX incoming_search_idx ON {TABLE} USING gin (search_vector)"


def add_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    schema_editor.execute(ADD_COLUMN)
    schema_editor.execute(ADD_INDEX)


def remove_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS incoming_search_idx")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute("DROP FUNCTION IF EXISTS documents_incoming_bigrams(VARIADIC text[])")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_search, remove_search, elidable=False),
    ]
