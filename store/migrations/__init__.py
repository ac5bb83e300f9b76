"""Alembic migrations of the results database (configured in code by ``store.engine``; no alembic.ini)."""
