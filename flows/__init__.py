"""Prefect flows and the ``precheck`` command: the edges where files, database and scheduling live."""
