"""Run settings shared by the flows and the command line. Imports no Prefect, so the command line can
configure Prefect's environment (API URL, logging) before Prefect is first imported."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from models.policy import PolicyBook
from pipeline.errors import PrecheckError
from pipeline.packet import PacketLimits
from pipeline.policy import DEFAULT_POLICY_DIR, load_policy
from pipeline.reading import ReadSettings


class RunSettings(BaseModel):
    """Operator settings for a run; they reach the flows as parameters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    policy_dir: Path = DEFAULT_POLICY_DIR
    read: ReadSettings = Field(default_factory=ReadSettings)
    packet_limits: PacketLimits = Field(default_factory=PacketLimits)
    max_workers: int = Field(default=2, ge=1, le=32)
    db_url: str | None = Field(default=None, description="None: $PRECHECK_DATABASE_URL, else OUT/precheck.sqlite3")



@lru_cache(maxsize=4)
def policy_book(policy_dir: Path) -> PolicyBook:
    """Policy is loaded once per process (start-up cost, validated before the first packet)."""
    return load_policy(policy_dir)


class SettingsFileError(PrecheckError):
    hint = "检查设置文件：错误信息给出字段名"


def load_settings_file(path: Path | None, **overrides: object) -> RunSettings:
    """Settings from a YAML file (limits on bytes, pixels, pages and time per file, engine, workers...),
    with command-line values on top. Unknown keys are errors naming the key."""
    import yaml
    from pydantic import ValidationError

    data: dict = {}
    if path is not None:
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise SettingsFileError(f"{path}: cannot read settings ({exc})") from exc
        if not isinstance(loaded, dict):
            raise SettingsFileError(f"{path}: settings must be a mapping")
        data = loaded
    engine = overrides.pop("ocr_engine", None)
    read = {**data.get("read", {}), **({"ocr_engine": engine} if engine else {})}
    merged = {**data, **{k: v for k, v in overrides.items() if v is not None}, "read": read}
    try:
        return RunSettings.model_validate(merged)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise SettingsFileError(f"{path}: invalid settings: {problems}") from exc

