from __future__ import annotations

import pytest

from models.policy import PolicyBook
from pipeline.policy import load_policy


@pytest.fixture(scope="session")
def policy() -> PolicyBook:
    return load_policy()
