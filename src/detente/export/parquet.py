"""Events as a Parquet file: one row per event with the CSV export's flat columns (see
`detente.export`), typed, written in row groups as the events arrive."""

from __future__ import annotations

from typing import BinaryIO, Iterable

from detente.export import EVENT_COLUMNS, flatten

ROW_GROUP = 10_000
_INTEGER_COLUMNS = {"quad_class", "sources_count", "mention_count", "first_sentence", "first_start", "first_end"}
_FLOAT_COLUMNS = {"goldstein", "confidence"}
_BOOLEAN_COLUMNS = {"negated"}


def _schema():
    import pyarrow as pa

    def kind(name: str):
        if name in _INTEGER_COLUMNS:
            return pa.int64()
        if name in _FLOAT_COLUMNS:
            return pa.float64()
        if name in _BOOLEAN_COLUMNS:
            return pa.bool_()
        return pa.string()

    return pa.schema([(name, kind(name)) for name in EVENT_COLUMNS])


def _cell(name: str, value):
    if value is None or value == "":
        return None
    if name in _INTEGER_COLUMNS:
        return int(value)
    if name in _FLOAT_COLUMNS:
        return float(value)
    if name in _BOOLEAN_COLUMNS:
        return bool(value)
    return str(value)


def write_parquet(events: Iterable[dict], stream: BinaryIO) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schema()
    count = 0
    batch: list[dict] = []
    with pq.ParquetWriter(stream, schema) as writer:
        def flush() -> None:
            columns = {name: [_cell(name, row.get(name)) for row in batch] for name in EVENT_COLUMNS}
            writer.write_table(pa.table(columns, schema=schema))
            batch.clear()

        for event in events:
            batch.append(flatten(event, "events"))
            count += 1
            if len(batch) >= ROW_GROUP:
                flush()
        if batch or count == 0:
            flush()
    return count
