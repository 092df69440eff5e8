"""PostgreSQL COPY for the benchmark's data set: several times faster than bulk_create for the
hundreds of thousands of rows it writes, because no model instance is ever built."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, datetime.date):  # datetime too: isoformat keeps the offset
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
    return str(value)


def copy_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY ``rows`` (tuples in the order of ``fields``, model field names or attnames)
    into the model's table; returns the number of rows written."""
    opts = model._meta
    columns = ", ".join(connection.ops.quote_name(opts.get_field(f).column) for f in fields)
    buffer = io.StringIO()
    count = 0
    for row in rows:
        buffer.write("\t".join(_text(v) for v in row))
        buffer.write("\n")
        count += 1
    if not count:
        return 0
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN", buffer
        )
    return count


def next_id(model: type[Model]) -> int:
    """The first free primary key: the generator assigns ids itself so that rows written
    later (links, sources) can point at rows written earlier without reading them back."""
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) + 1 "
            f"FROM {connection.ops.quote_name(model._meta.db_table)}"
        )
        return cursor.fetchone()[0]


def reset_sequences(models: Iterable[type[Model]]) -> None:
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(statement)
