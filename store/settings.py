"""Names of the database settings, importable without SQLAlchemy (the command-line parser uses them)."""

ENV_URL = "PRECHECK_DATABASE_URL"
DEFAULT_FILENAME = "precheck.sqlite3"
