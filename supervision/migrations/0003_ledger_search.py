"""台账 keyword search (office.bigrams; FIELD_NOTES.md, "Chinese search in PostgreSQL"), on
PostgreSQL only — on SQLite, the embedded default, this migration does nothing and the ledger's
keyword is a substring check.

- office_bigrams(VARIADIC text[]): the bigram-cutting SQL function (office.bigrams.CREATE_FUNCTION);
- supervision_supervisionitem.search_vector: a STORED generated column over 督办编号, 事项名称 and
  来源文件 (item_number, title, source_label), kept right by PostgreSQL on every insert and update.
  It is not a model field: the ORM never selects it;
- item_search_idx: a GIN index on it;
- item_figures_idx: a narrow covering index of every column the ledger's figures read
  (supervision.measures.summary: lights and rates), so counting the whole ledger is an
  index-only scan of about 7 MB instead of a scan of the 85 MB table (most of a row is its
  search_vector). Measured at 100,000 items (bench/supervision_ledger.py): 85 ms → 47 ms.
  Not in the model's Meta: INCLUDE is PostgreSQL's.

A later migration that changes the type of one of those three columns (e.g. a longer
max_length) must first drop search_vector (PostgreSQL refuses to alter a column a generated
column uses) and then add it again.
"""

from django.db import migrations

from office import bigrams

TABLE = "supervision_supervisionitem"
FIELDS = ("item_number", "title", "source_label")
INDEX = "item_search_idx"
FIGURES_INDEX = (
    f"CREATE INDEX item_figures_idx ON {TABLE} (classification, state, deadline) "
    "INCLUDE (report_due_on, behind_on, opened_on, closed_on, original_deadline, lead_unit_id, id)"
)


def add_search(apps, schema_editor):
    bigrams.add_search_column(schema_editor, table=TABLE, fields=FIELDS, index=INDEX)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FIGURES_INDEX)


def remove_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS item_figures_idx")
    bigrams.remove_search_column(schema_editor, table=TABLE, index=INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0002_red_since_index"),
    ]

    operations = [
        migrations.RunPython(add_search, remove_search, elidable=False),
    ]
