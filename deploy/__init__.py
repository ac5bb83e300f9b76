"""Scripts that start the pre-check's services on one machine (PostgreSQL, a Prefect server, workers)."""
