"""Chinese keyword search in PostgreSQL with a bigram index (FIELD_NOTES.md, "Chinese search in
PostgreSQL"), for any app's list: most Chinese search terms are two characters, which a trigram
index cannot serve, so a table keeps a generated `tsvector` column holding the bigrams of the
fields searched — every overlapping pair of characters, every single character and every whole
ASCII word or number run — with a GIN index.

A search term matches when all of its bigrams are in a row's vector (the index answers that); a
term longer than two characters is then rechecked as a plain case-insensitive substring of one of
the fields, so the result is exact: 「督办」 does not match a title with 「督」 and 「办」 apart, nor
「12号」 one with "12" and "2号" in different places. Several terms separated by spaces must all
match (`search`).

The column is not a model field (the ORM never reads or writes it; PostgreSQL computes it on every
insert and update, bulk_create included) and exists only on PostgreSQL: on SQLite, the embedded
default, `search` is the substring check alone. An app's migration adds it with
`add_search_column` (PostgreSQL only), over the SQL function `office_bigrams` that
`CREATE_FUNCTION` defines; `term_lexemes` cuts a search term exactly as that function cuts the
stored text. Migrations run this SQL as it is when they run: a change of the cutting rules is a
new function (and a new column), never an edit of this one.
"""

import operator
import string
from functools import reduce

from django.db import connections
from django.db.models import BooleanField, Expression, Q

MAX_QUERY_LENGTH = 100
MAX_TERMS = 5
FUNCTION = "office_bigrams"
COLUMN = "search_vector"

# Only ASCII letters are folded to lower case, identically here and in the SQL function, so
# both sides cut the same lexemes whatever the database's locale.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

# IMMUTABLE (a generated column may use it); each field cut at white space into single
# characters, overlapping pairs and whole ASCII word or number runs, ASCII letters folded to lower
# case. The lexemes go straight into array_to_tsvector, so the text-search parser never sees (or
# mangles) Chinese or punctuation. `SET jit = off`: the planner cannot know how many rows the
# set-returning functions inside give, guesses a cost above jit_above_cost and compiled the body
# with LLVM on every call — 0.2–1 s per inserted row; without JIT a row costs about 0.1–0.2 ms.
CREATE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION office_bigrams(VARIADIC parts text[])
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


def add_search_column(schema_editor, *, table, fields, index, column=COLUMN):
    """For a migration's RunPython: the function, a STORED generated `column` of the bigrams of
    `fields` on `table`, and a GIN index named `index` on it. Nothing on other databases.

    A later migration that changes the type of one of `fields` must first drop the column
    (PostgreSQL refuses to alter a column a generated column uses) and then add it again."""
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute(CREATE_FUNCTION)
    schema_editor.execute(
        f"ALTER TABLE {quote(table)} ADD COLUMN {quote(column)} tsvector GENERATED ALWAYS AS "
        f"({FUNCTION}({', '.join(quote(field) for field in fields)})) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX {quote(index)} ON {quote(table)} USING gin ({quote(column)})"
    )


def remove_search_column(schema_editor, *, table, index, column=COLUMN):
    """The reverse of add_search_column (the function stays: other tables may use it)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute(f"DROP INDEX IF EXISTS {quote(index)}")
    schema_editor.execute(f"ALTER TABLE {quote(table)} DROP COLUMN IF EXISTS {quote(column)}")


def search_terms(query):
    """The words of a query: split on white space, at most MAX_TERMS of them."""
    return (query or "")[:MAX_QUERY_LENGTH].split()[:MAX_TERMS]


def term_lexemes(term):
    """The lexemes a row must contain to contain `term`: its single character, or every
    overlapping pair of its characters (the index side cuts each field the same way)."""
    term = term.translate(_ASCII_LOWER)
    if len(term) == 1:
        return [term]
    return sorted({term[i : i + 2] for i in range(len(term) - 1)})


def _quoted(lexeme):
    """One lexeme in tsquery input syntax: quoted, with quotes doubled and backslashes escaped,
    so no character of the user's text can act as a tsquery operator."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_text(terms):
    """'督办' → "'督办'"; '〔2026〕12' → "'〔2' & '02' & …": all lexemes of all terms, ANDed."""
    lexemes = sorted({lexeme for term in terms for lexeme in term_lexemes(term)})
    return " & ".join(_quoted(lexeme) for lexeme in lexemes)


class BigramMatch(Expression):
    """`<table>.<column> @@ <tsquery>` on the query's own alias of the model's table.

    The tsquery travels as a query parameter (never spliced into the SQL). The table alias is
    taken when the expression joins a query and follows Django's relabelling, so the search stays
    right when its queryset is used as a subquery (`pk__in=…`).
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, tsquery, column=COLUMN, alias=None):
        super().__init__()
        self.tsquery = tsquery
        self.column = column
        self.alias = alias

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def get_group_by_cols(self):
        return []

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.alias)
        return f"{table}.{connection.ops.quote_name(self.column)} @@ %s::tsquery", [self.tsquery]


def _contains(term, fields):
    return reduce(operator.or_, (Q(**{f"{field}__icontains": term}) for field in fields))


def search(queryset, query, fields, *, column=COLUMN):
    """`queryset` narrowed to the rows matching every term of `query` in one of `fields` (the
    fields the bigram `column` was made of); an empty query narrows nothing.

    On PostgreSQL the bigram index finds the candidates and a substring check (icontains, which
    escapes % and _) keeps the exact matches of terms longer than two characters. A term of one
    or two characters is its own lexeme, so the index alone is exact for it; leaving out the
    redundant check also keeps the planner's estimate right: multiplied by the check's guessed
    selectivity, a common word such as 「督办」 looked rare, and the planner fetched and sorted
    all of its thousands of rows instead of reading the newest ones in order (measured at
    100,000 incoming documents: 69 ms against about 2 ms).
    """
    terms = search_terms(query)
    if not terms:
        return queryset
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(reduce(operator.and_, (_contains(term, fields) for term in terms)))
    qs = queryset.filter(BigramMatch(tsquery_text(terms), column=column))
    for term in terms:
        if len(term) > 2:
            qs = qs.filter(_contains(term, fields))
    return qs
