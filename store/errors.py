"""Database failures, in the project's exception taxonomy (the CLI maps them to exit codes)."""

from __future__ import annotations

from pipeline.errors import ExitCode, PrecheckError


class DatabaseError(PrecheckError):
    """The results database cannot be opened, reached or migrated."""

    exit_code = ExitCode.MISSING_DEPENDENCY
    hint = "检查 --db-url 或 PRECHECK_DATABASE_URL，以及数据库服务是否在运行"


class DatabaseMissingError(DatabaseError):
    """A command that only reads (``precheck stats``) was pointed at a database that does not exist."""

    exit_code = ExitCode.BAD_ARGS
    hint = "先运行 precheck run 生成结果，或用 --out / --db-url 指向已有的数据库"
