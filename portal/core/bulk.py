"""Inserting many new rows at once: `bulk_insert`, PostgreSQL's COPY where it is available, bulk_create elsewhere.

The demo seed writes about a million residents for a city of 116 communities; a multi-row INSERT costs the
database a parse, a plan and a parameter list per thousand rows and Django a SQL string per batch, COPY streams
the rows as text in one statement. `bulk_insert(objs)` does what `bulk_create(objs)` does for the plain case
(new rows of one concrete model, every field from the object, primary keys set on the objects afterwards) and
the database sees the same rows: the primary keys are drawn from the table's own sequence first, each field's
value goes through the field's `pre_save` and `get_db_prep_save` as in an INSERT, and triggers fire as they do
for an INSERT (COPY fires row triggers). No signals are sent, as with bulk_create.

The plain path (SQLite, the embedded default, or a model COPY cannot take: multi-table inheritance, a database
default, a value of a type this module does not write) is `bulk_create` itself. `USE_COPY` turns COPY off (a test
compares the two paths).

Inside `copying_behind()` (the seed wraps each community in it) a COPY runs on a thread of its own, on the same
connection and in the same transaction, while the caller goes on building the next rows: Python and PostgreSQL
work at the same time. Every other statement on the connection first waits until the COPYs before it are done
(an execute wrapper), so the caller reads what it wrote; leaving the block waits too, and raises the error of a
COPY that failed (the transaction is then rolled back as for any error).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import io
import json
import queue
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connections, models, router

BATCH_SIZE = 1000  # rows per INSERT on the plain path
COPY_ROWS = 50_000  # rows per COPY statement (the text of one batch is held in memory)
USE_COPY = True

_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


class _NotCopyable(Exception):
    """A value or a model this module does not write by COPY: the caller takes the plain path."""


def bulk_insert(objs: Iterable[models.Model], *, batch_size: int = BATCH_SIZE) -> list[models.Model]:
    """Insert new model instances (all of one model) and return them with their primary keys, like bulk_create."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    db = router.db_for_write(model)
    connection = connections[db]
    if USE_COPY and connection.vendor == "postgresql" and _copyable(model):
        try:
            rows = _copy_rows(model, objs, connection)
        except _NotCopyable:
            pass
        else:
            writer = _writers.get(connection)
            if writer is not None:
                writer.submit(_copy_sql(connection, model), rows)
            else:
                _copy(connection, model, rows)
            for obj in objs:
                obj._state.adding = False
                obj._state.db = db
            return objs
    return model._default_manager.using(db).bulk_create(objs, batch_size=batch_size)


def _copyable(model: type[models.Model]) -> bool:
    meta = model._meta
    if meta.parents and not meta.proxy:  # multi-table inheritance: two tables
        return False
    pk = meta.concrete_model._meta.pk
    if not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
        return False
    return not any(getattr(f, "db_default", models.NOT_PROVIDED) is not models.NOT_PROVIDED for f in _fields(model))


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_model._meta.local_concrete_fields if not getattr(f, "generated", False)]


def _copy_rows(model: type[models.Model], objs: list[models.Model], connection) -> list[str]:
    """The COPY text of every object, one line each; the objects get their primary keys from the sequence."""
    writers = [_writer(f, connection) for f in _fields(model)]
    pk = model._meta.concrete_model._meta.pk
    if any(obj.pk is not None for obj in objs):
        raise _NotCopyable("an object with a primary key")  # bulk_create decides what that means
    for obj, pk_value in zip(objs, _next_ids(connection, model, len(objs)), strict=True):
        setattr(obj, pk.attname, pk_value)
    try:
        return ["\t".join([write(obj) for write in writers]) for obj in objs]
    except _NotCopyable:
        for obj in objs:
            setattr(obj, pk.attname, None)
        raise


def _writer(field: models.Field, connection) -> Callable[[models.Model], str]:
    """A function that gives one field of an object as COPY text, as an INSERT would store it. For the plain
    fields (text, numbers, booleans, dates, foreign keys) a value of a plain type (str, int, bool, date, Decimal,
    None) is written as it is: their `get_db_prep_save` hands it on unchanged. Every other field and value, and
    a field that computes its value on save (auto_now_add …), go through the field's `pre_save` and
    `get_db_prep_save`, as in an INSERT."""
    attname = field.attname

    def prepared(obj: models.Model) -> str:
        return _text(field.get_db_prep_save(field.pre_save(obj, True), connection))

    if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):

        def stamped(obj: models.Model) -> str:  # timezone.now() or today, as the field's pre_save gives it
            value = field.pre_save(obj, True)
            return value.isoformat() if _aware_or_date(value) else prepared(obj)

        return stamped
    if isinstance(field, models.DateTimeField):

        def moment(obj: models.Model) -> str:
            value = obj.__dict__[attname]
            if value is None:
                return "\\N"
            return value.isoformat() if type(value) is dt.datetime and value.tzinfo is not None else prepared(obj)

        return moment
    if not _plain_field(field):
        return prepared
    if field.is_relation:
        cache_name = field.name

        def foreign_key(obj: models.Model) -> str:
            value = obj.__dict__[attname]
            if value is None and obj._state.fields_cache.get(cache_name) is not None:
                # the related object was given before it had a primary key: bulk_create's rule and error
                obj._prepare_related_fields_for_save(operation_name="bulk_create")
                value = obj.__dict__[attname]
            write = _PLAIN.get(type(value))
            return write(value) if write is not None else prepared(obj)

        return foreign_key

    def plain(obj: models.Model) -> str:
        value = obj.__dict__[attname]
        write = _PLAIN.get(type(value))
        return write(value) if write is not None else prepared(obj)

    return plain


_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.DecimalField,
    models.FloatField,
    models.ForeignKey,
)


def _plain_field(field: models.Field) -> bool:
    return isinstance(field, _PLAIN_FIELDS) or type(field) is models.DateField


def _aware_or_date(value: Any) -> bool:
    if type(value) is dt.datetime:
        return value.tzinfo is not None
    return type(value) is dt.date


def _next_ids(connection, model: type[models.Model], count: int) -> list[int]:
    meta = model._meta.concrete_model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(meta.db_table), meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


_PLAIN: dict[type, Callable[[Any], str]] = {
    str: lambda v: v.translate(_ESCAPES),
    int: str,
    bool: lambda v: "t" if v else "f",
    type(None): lambda v: "\\N",
    dt.date: dt.date.isoformat,
    decimal.Decimal: str,
}


def _text(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, int | decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return f"{value.total_seconds()} seconds"
    adapted = getattr(value, "adapted", None)  # psycopg's Json / Jsonb wrapper of a JSONField value
    if adapted is not None or type(value).__name__ in ("Json", "Jsonb"):
        dumps = getattr(value, "dumps", None)
        return (dumps(adapted) if callable(dumps) else json.dumps(adapted)).translate(_ESCAPES)
    raise _NotCopyable(f"no COPY text for {type(value).__name__}")


def _copy_sql(connection, model: type[models.Model]) -> str:
    meta = model._meta.concrete_model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in _fields(model))
    return f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"


def _copy(connection, model: type[models.Model], rows: list[str]) -> None:
    with connection.cursor() as cursor:
        _copy_on(cursor.cursor, _copy_sql(connection, model), rows)


def _copy_on(raw_cursor, sql: str, rows: list[str]) -> None:
    for start in range(0, len(rows), COPY_ROWS):
        data = "\n".join(rows[start : start + COPY_ROWS]) + "\n"
        if hasattr(raw_cursor, "copy_expert"):  # psycopg2
            raw_cursor.copy_expert(sql, io.StringIO(data), size=1 << 20)
        else:  # psycopg 3
            with raw_cursor.copy(sql) as copy:
                copy.write(data)


class _Writer:
    """One thread that runs the COPYs of one connection in the order they were given."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.jobs: queue.Queue = queue.Queue()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="bulk-copy", daemon=True)
        self.thread.start()

    def submit(self, sql: str, rows: list[str]) -> None:
        if self.error is not None:
            self.wait()  # raises it
        self.jobs.put((sql, rows))

    def _work(self) -> None:
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.error is None:
                    with self.connection.connection.cursor() as raw:  # the driver's connection: no Django state
                        _copy_on(raw, *job)
            except BaseException as exc:  # noqa: BLE001 -- handed to the caller's thread by wait()
                self.error = exc
            finally:
                self.jobs.task_done()

    def wait(self) -> None:
        """Until every COPY given so far is done; then the first error, if one failed."""
        self.jobs.join()
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def stop(self, *, discard: bool) -> None:
        if discard:  # an error in the caller: what was not sent yet is not sent
            with contextlib.suppress(queue.Empty):
                while True:
                    self.jobs.get_nowait()
                    self.jobs.task_done()
        self.jobs.put(None)
        self.thread.join()


_writers: dict[Any, _Writer] = {}


@contextlib.contextmanager
def copying_behind(using: str = "default") -> Iterator[None]:
    """Run this block's COPYs on a thread of their own (see the module's docstring); a no-op off PostgreSQL."""
    connection = connections[using]
    if not USE_COPY or connection.vendor != "postgresql" or connection in _writers:
        yield
        return
    connection.ensure_connection()
    writer = _Writer(connection)

    def after_the_copies(execute, sql, params, many, context):
        with connection.wrap_database_errors:  # a failed COPY raises Django's error, as a failed INSERT would
            writer.wait()
        return execute(sql, params, many, context)

    _writers[connection] = writer
    try:
        with connection.execute_wrapper(after_the_copies):
            yield
            with connection.wrap_database_errors:
                writer.wait()
    except BaseException:
        writer.stop(discard=True)
        writer.error = None
        raise
    else:
        writer.stop(discard=False)
    finally:
        del _writers[connection]
