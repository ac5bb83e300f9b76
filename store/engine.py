"""Open the results database: pick the URL, create the engine, bring the schema to the latest migration.

The default is an embedded SQLite file under OUT (``OUT/precheck.sqlite3``); a URL given on the command
line (``--db-url``) or in ``PRECHECK_DATABASE_URL`` selects another database, e.g. PostgreSQL
(``postgresql+psycopg://user@host:5432/precheck``). Alembic is configured here in code, so migrations
run the same from any working directory.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from store.errors import DatabaseError, DatabaseMissingError
from store.settings import DEFAULT_FILENAME, ENV_URL

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK_ID = 7_301_007  # PostgreSQL advisory lock key held while migrating
SQLITE_IMMEDIATE = "precheck_sqlite_immediate"  # execution option: take SQLite's write lock at BEGIN

_open_lock = threading.Lock()
_engines: dict[str, Engine] = {}


def resolve_url(url: str | None, out_dir: Path | None, environ: Mapping[str, str] | None = None) -> str:
    """The database URL to use: the explicit one, else ``PRECHECK_DATABASE_URL``, else SQLite under OUT.

    Args:
        url: A SQLAlchemy URL from the command line or configuration, or None.
        out_dir: The run's OUT folder, home of the default SQLite file.
        environ: Environment to read (defaults to ``os.environ``).

    Returns:
        A SQLAlchemy URL string. A bare ``postgresql://`` URL is given the psycopg 3 driver.

    Raises:
        ValueError: No URL was given and there is no OUT folder to put the SQLite file in.
    """
    environ = os.environ if environ is None else environ
    chosen = url or environ.get(ENV_URL) or None
    if chosen is None:
        if out_dir is None:
            raise ValueError(f"no database: give --db-url, set {ENV_URL}, or name the OUT folder")
        return f"sqlite:///{(Path(out_dir).resolve() / DEFAULT_FILENAME).as_posix()}"
    parsed = make_url(chosen)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic configuration built in code (no alembic.ini), pointing at ``store/migrations``."""
    from alembic.config import Config  # imported here: Alembic is only needed when opening a database

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Apply every pending migration (idempotent: a database at ``head`` is left as it is).

    Safe when several processes open a new database at once: the migration runs in one transaction
    that first takes a database-wide lock (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on
    PostgreSQL), so the others wait and then find the schema already at ``head``.
    """
    from alembic import command

    config = alembic_config(engine)
    with engine.connect() as connection:
        connection = connection.execution_options(**{SQLITE_IMMEDIATE: True})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
            config.attributes["connection"] = connection
            command.upgrade(config, revision)


def _sqlite_connect(dbapi_connection, _record) -> None:
    # SQLAlchemy's documented recipe for real SQLite transactions: the driver stops opening them
    # implicitly and _sqlite_begin emits BEGIN, so DDL is transactional and IMMEDIATE is possible.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # wait for another writer instead of failing at once
    _set_wal(cursor)  # readers never block the writer (persistent; cheap to repeat)
    cursor.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE needs it
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable except the last commits on power loss
    cursor.close()


def _set_wal(cursor, attempts: int = 50) -> None:
    """Switch to WAL; a new file opened by several processes at once may report it locked.

    Changing the journal mode needs the file to itself, and SQLite answers "database is locked"
    at once rather than through the busy handler when another connection is opening it at the
    same moment (seen with four workers starting together on a loaded machine): try again.
    """
    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1 + 0.05 * attempt)


def _sqlite_begin(connection) -> None:
    immediate = connection.get_execution_options().get(SQLITE_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_db_engine(url: str) -> Engine:
    """A SQLAlchemy engine for ``url`` with the settings this project relies on (no schema work)."""
    path = sqlite_path(url)
    if make_url(url).get_backend_name() == "sqlite":
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def open_database(url: str | None, out_dir: Path | None) -> Engine:
    """Open (and create or migrate to the latest schema) the results database.

    Args:
        url: SQLAlchemy URL, or None for ``PRECHECK_DATABASE_URL`` / the default SQLite file.
        out_dir: The OUT folder; the default SQLite file is ``OUT/precheck.sqlite3``.

    Returns:
        An engine on a database whose schema is at the latest migration.

    Raises:
        ValueError: No URL and no OUT folder.
        DatabaseError: The database cannot be created, reached or migrated.
    """
    return _open_migrated(resolve_url(url, out_dir))


def _open_migrated(url: str) -> Engine:
    engine = None
    try:
        engine = create_db_engine(url)
        upgrade_database(engine)
        return engine
    except (SQLAlchemyError, OSError) as exc:
        if engine is not None:
            engine.dispose()
        shown = make_url(url).render_as_string(hide_password=True)
        raise DatabaseError(f"数据库无法打开或升级（{shown}）：{type(exc).__name__}: {exc}".splitlines()[0]) from exc


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def open_existing_database(url: str | None, out_dir: Path | None) -> Engine:
    """Like ``open_database``, but a SQLite file that does not exist yet is an error, not created.

    Raises:
        DatabaseMissingError: The SQLite file is missing (nothing has been pre-checked there).
        DatabaseError: The database cannot be reached or migrated.
        ValueError: No URL and no OUT folder.
    """
    resolved = resolve_url(url, out_dir)
    path = sqlite_path(resolved)
    if path is not None and not path.is_file():
        raise DatabaseMissingError(f"数据库文件不存在：{path}")
    return open_database(resolved, out_dir)


def database_for(url: str | None, out_dir: Path | None) -> Engine:
    """Like ``open_database`` but one engine per URL per process (cheap to call from every task)."""
    resolved = resolve_url(url, out_dir)
    with _open_lock:
        engine = _engines.get(resolved)
        if engine is None:
            engine = _open_migrated(resolved)
            _engines[resolved] = engine
        return engine


def dispose_cached_engines() -> None:
    """Close every engine ``database_for`` opened (tests, and before a process forks)."""
    with _open_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def table_names(engine: Engine) -> set[str]:
    """Names of the tables that exist in the database."""
    return set(inspect(engine).get_table_names())


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any exception."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session
