"""A throw-away PostgreSQL server for the test session, plus the ``db_url`` fixtures over both backends.

Debian's ``postgresql`` package provides the binaries (``/usr/lib/postgresql/<version>/bin``); the
server is initialised in a temporary directory, listens on a free loopback port with its socket in
that directory, and is stopped and deleted at the end of the session. PostgreSQL refuses to run as
root, so under root the server runs as the ``postgres`` system user the package creates.

Load as a plugin (``pytest_plugins = ["tests.pg"]``) to get the fixtures:

- ``pg_server`` (session): the running server, or a skip when PostgreSQL is not installed
  (set ``PRECHECK_REQUIRE_POSTGRES=1``, as CI does, to fail instead of skipping);
- ``db_url`` (function, parametrised ``sqlite`` / ``postgresql``): a fresh, empty database URL.
"""


from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from deploy.postgres import PgServer, PostgresUnavailable, postgres_server

REQUIRE_ENV = "PRECHECK_REQUIRE_POSTGRES"

@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        with postgres_server() as server:
            yield server
    except PostgresUnavailable as exc:
        if os.environ.get(REQUIRE_ENV):
            raise
        pytest.skip(str(exc))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """An empty database on each backend: a SQLite file under tmp_path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'precheck.sqlite3').as_posix()}"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create_database()
