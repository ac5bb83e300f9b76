from __future__ import annotations

import pytest

from models.policy import PolicyBook
from pipeline.policy import load_policy


@pytest.fixture(scope="session")
def policy() -> PolicyBook:
    return load_policy()


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test API for every flow test (starting one costs seconds)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
