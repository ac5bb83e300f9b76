"""Run settings shared by the flows and the command line. Imports no Prefect, so the command line can
configure Prefect's environment (API URL, logging) before Prefect is first imported."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from models.policy import PolicyBook
from pipeline.policy import DEFAULT_POLICY_DIR, load_policy
from pipeline.reading import ReadSettings


class RunSettings(BaseModel):
    """Operator settings for a run; they reach the flows as parameters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    policy_dir: Path = DEFAULT_POLICY_DIR
    read: ReadSettings = Field(default_factory=ReadSettings)
    max_workers: int = Field(default=2, ge=1, le=32)
    db_url: str | None = Field(default=None, description="None: $PRECHECK_DATABASE_URL, else OUT/precheck.sqlite3")



@lru_cache(maxsize=4)
def policy_book(policy_dir: Path) -> PolicyBook:
    """Policy is loaded once per process (start-up cost, validated before the first packet)."""
    return load_policy(policy_dir)
