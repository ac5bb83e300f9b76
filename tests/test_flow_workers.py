"""The flows run as many packets at once as the run's settings ask for, also when loaded as a deployment.

``precheck serve`` and the cluster's workers load the ingestion flow from its entrypoint, so a
task runner chosen with ``Flow.with_options`` would not reach them; the flows build their runner
in their body from ``RunSettings.max_workers``.
"""

from __future__ import annotations

import pytest

import flows.ingest
import flows.precheck_flow
from flows.settings import RunSettings


@pytest.fixture
def runner_sizes(monkeypatch) -> list[int]:
    """The worker counts the flows ask ``packet_runner`` for, in order."""
    asked: list[int] = []
    real_runner = flows.precheck_flow.packet_runner

    def recording_runner(max_workers: int = 2):
        asked.append(max_workers)
        return real_runner(max_workers)

    monkeypatch.setattr(flows.ingest, "packet_runner", recording_runner)
    monkeypatch.setattr(flows.precheck_flow, "packet_runner", recording_runner)
    return asked


@pytest.mark.parametrize("workers", [1, 3])
def test_ingest_flow_uses_the_settings_worker_count(tmp_path, prefect_harness, runner_sizes, workers):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    report = flows.ingest.ingest_inbox_flow(str(inbox), str(tmp_path / "out"), RunSettings(max_workers=workers))
    assert report.seen == 0
    assert runner_sizes == [workers]


def test_batch_flow_uses_the_settings_worker_count(tmp_path, prefect_harness, runner_sizes):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    results = flows.precheck_flow.run_inbox(inbox, tmp_path / "out", RunSettings(max_workers=1))
    assert results == []
    assert runner_sizes == [1]
