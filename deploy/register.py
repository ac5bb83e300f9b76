"""Register the ingestion flow as a deployment on the process work pool (run with PREFECT_API_URL set).

    python -m deploy.register INBOX OUT RESULTS_DB_URL INTERVAL_S [THREADS]

THREADS: packets each flow run pre-checks at once (``RunSettings.max_workers``, default 2).
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from flows.ingest import IngestSettings, ingest_inbox_flow
from flows.settings import RunSettings

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    inbox, out, db_url, interval_s, *rest = argv
    settings = RunSettings(db_url=db_url, max_workers=int(rest[0]) if rest else RunSettings().max_workers)
    parameters = {"inbox": inbox, "out_root": out, "settings": settings.model_dump(mode="json"),
                  "ingest": IngestSettings(settle_s=2.0).model_dump(mode="json")}
    flow = ingest_inbox_flow.from_source(source=str(ROOT), entrypoint="flows/ingest.py:ingest_inbox_flow")
    flow.deploy(name="precheck-ingest-pool", work_pool_name="precheck-pool", parameters=parameters,
                interval=timedelta(seconds=float(interval_s)), build=False, push=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
