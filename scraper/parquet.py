"""Export articles, ticker items and revisions as typed Parquet, streamed in record batches.

Parquet is for analysts (pandas, DuckDB, Spark): columns carry types instead of
text, so times are UTC timestamps (microseconds, ``tz=UTC``), the JSON list
columns (authors, tags, images, missing_fields) ``list<string>``, counts
``int64``, ``paywalled`` a boolean and the rest strings. Rows are read lazily
through the archive and written ``BATCH_ROWS`` at a time with pyarrow's
``ParquetWriter``: memory is one batch, whatever the archive's size. A row with
a value that is not what its column holds (a list column that is not a JSON
list of strings, a time that is not stored UTC text) is passed over and named
through ``on_damaged``; the export goes on. pyarrow is an optional extra:
without it, a ``ConfigError`` says how to install it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scraper.errors import ConfigError

if TYPE_CHECKING:
    import pyarrow as pa

#: The tables ``--format parquet`` exports.
PARQUET_TABLES = ("articles", "ticker_items", "revisions")
#: Rows per record batch (one row group each).
BATCH_ROWS = 1_000

_LISTS = frozenset({"authors", "tags", "images", "missing_fields"})
_TIMES = frozenset(
    {"published_at", "updated_at", "first_seen", "last_seen", "last_fetched", "fetched_at",
     "reparsed_at"}
)  # fmt: skip
_INTEGERS = frozenset({"id", "article_id", "comment_count", "revisions"})
_BOOLEANS = frozenset({"paywalled"})


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet  # (the writer lives in this submodule)
    except ImportError:
        raise ConfigError("Parquet export needs pyarrow: pip install 'newsrack[parquet]'") from None
    return pyarrow


def schema_for(columns: list[str]) -> pa.Schema:
    """The Arrow schema of an export's columns, typed by column name."""
    pa = _pyarrow()
    fields = []
    for name in columns:
        if name in _LISTS:
            kind = pa.list_(pa.string())
        elif name in _TIMES:
            kind = pa.timestamp("us", tz="UTC")
        elif name in _INTEGERS:
            kind = pa.int64()
        elif name in _BOOLEANS:
            kind = pa.bool_()
        else:
            kind = pa.string()
        fields.append(pa.field(name, kind))
    return pa.schema(fields)


def _time(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a stored time")
    year, dash, rest = value.partition("-")
    if dash and year.isdigit() and len(year) < 4:
        value = f"{year:0>4}-{rest}"  # glibc's strftime writes year 1 as "1-01-01T..."
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _strings(value: Any) -> list[str] | None:
    if value is None or value == "":
        return None
    items = json.loads(value) if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"{str(value)[:40]!r} is not a JSON list of strings")
    return items


def _integer(value: Any) -> int | None:
    if value is None or isinstance(value, int):
        return value
    raise ValueError(f"{str(value)[:40]!r} is not an integer")


def _typed(row: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    typed: dict[str, Any] = {}
    for name in columns:
        value = row.get(name)
        try:
            if name in _LISTS:
                value = _strings(value)
            elif name in _TIMES:
                value = _time(value)
            elif name in _INTEGERS:
                value = _integer(value)
            elif name in _BOOLEANS:
                value = None if value is None else bool(_integer(value))
            elif value is not None and not isinstance(value, str):
                value = str(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name}: {exc}") from None
        typed[name] = value
    return typed


def write_parquet(
    path: str,
    columns: list[str],
    rows: Iterator[dict[str, Any]],
    on_damaged: Callable[[str], None] | None = None,
) -> int:
    """Write ``rows`` to the Parquet file ``path`` in record batches; the count written."""
    pa = _pyarrow()
    schema = schema_for(columns)
    count = 0
    batch: list[dict[str, Any]] = []
    with pa.parquet.ParquetWriter(path, schema, compression="zstd") as writer:
        for row in rows:
            try:
                batch.append(_typed(row, columns))
            except ValueError as exc:
                if on_damaged is not None:
                    on_damaged(f"row id {row.get('id', '?')}: {exc}")
                continue
            if len(batch) >= BATCH_ROWS:
                writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch:
            writer.write_batch(pa.RecordBatch.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
