"""The packet manifest (``application.json``, SPEC section 2), parsed as untrusted input.

``parse_manifest`` never raises on bad content: every field is validated on its
own, a bad field is dropped (left ``None``) and described in ``problems``, so the
checks can still run on whatever was valid and the reviewer is told what was not.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from models.slots import Slot

APPLICATION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
_APPLICATION_ID_RE = re.compile(APPLICATION_ID_PATTERN)


class Person(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str | None = None
    id_number: str | None = None


class Applicant(Person):
    insurance: Literal["employee", "resident"] | None = None
    retired: bool | None = None
    local_household: bool | None = None
    resides_offsite: bool | None = None


class Agent(Person):
    relation: str | None = None


class PreviousApproval(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    valid_until: date | None = None


class FileEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    path: str = Field(min_length=1, max_length=512)
    slot: Slot | None = None
    raw_slot: str | None = Field(default=None, description="slot as written, when not a known slot")


class ManifestProblem(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str
    message: str
    fatal: bool = False


class Manifest(BaseModel):
    """The valid part of a manifest. Fields that failed validation are ``None``."""

    model_config = ConfigDict(frozen=True)

    application_id: str
    region: str | None = None
    kind: Literal["new", "renewal"] | None = None
    submitted_on: date | None = None
    applicant: Applicant | None = None
    disease: str | None = None
    agent: Agent | None = None
    previous_approval: PreviousApproval | None = None
    files: list[FileEntry] = Field(default_factory=list)


class ManifestParse(BaseModel):
    model_config = ConfigDict(frozen=True)

    manifest: Manifest | None
    problems: list[ManifestProblem] = Field(default_factory=list)

    @property
    def fatal(self) -> bool:
        return self.manifest is None


_FIELD_TYPES: dict[str, Any] = {
    "region": str,
    "kind": Literal["new", "renewal"],
    "submitted_on": date,
    "applicant": Applicant,
    "disease": str,
    "agent": Agent | None,
    "previous_approval": PreviousApproval | None,
}
_ADAPTERS = {name: TypeAdapter(tp) for name, tp in _FIELD_TYPES.items()}
_FILE_ADAPTER = TypeAdapter(FileEntry)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else err["msg"]


def _parse_file_entry(index: int, raw: object, problems: list[ManifestProblem]) -> FileEntry | None:
    field = f"files[{index}]"
    if not isinstance(raw, dict):
        problems.append(ManifestProblem(field=field, message="文件条目不是对象"))
        return None
    path = raw.get("path")
    slot = raw.get("slot")
    known_slots = {s.value for s in Slot}
    data = {"path": path, "slot": slot if slot in known_slots else None}
    if slot not in known_slots:
        data["raw_slot"] = str(slot) if slot is not None else None
        problems.append(ManifestProblem(field=f"{field}.slot", message=f"未知的材料类型：{slot!r}"))
    try:
        return _FILE_ADAPTER.validate_python(data)
    except ValidationError as exc:
        problems.append(ManifestProblem(field=field, message=f"文件路径无效（{_first_error(exc)}）"))
        return None


def parse_manifest(raw: object) -> ManifestParse:
    """Validate a decoded ``application.json`` field by field.

    Args:
        raw: The JSON value as decoded (any type: it is untrusted).

    Returns:
        The valid part of the manifest and every problem found. ``manifest`` is
        ``None`` only when there is no usable application id to file a verdict under.
    """
    problems: list[ManifestProblem] = []
    if not isinstance(raw, dict):
        problems.append(ManifestProblem(field="$", message="清单不是 JSON 对象", fatal=True))
        return ManifestParse(manifest=None, problems=problems)

    app_id = raw.get("application_id")
    if not isinstance(app_id, str) or not _APPLICATION_ID_RE.match(app_id):
        problems.append(
            ManifestProblem(field="application_id", message=f"申请编号缺失或格式不符：{app_id!r}"[:120], fatal=True)
        )
        return ManifestParse(manifest=None, problems=problems)

    values: dict[str, Any] = {"application_id": app_id}
    for name, adapter in _ADAPTERS.items():
        if name not in raw:
            if name not in ("agent", "previous_approval"):
                problems.append(ManifestProblem(field=name, message="缺少必填字段"))
            continue
        try:
            values[name] = adapter.validate_python(raw[name])
        except ValidationError as exc:
            problems.append(ManifestProblem(field=name, message=f"字段无效（{_first_error(exc)}）"))

    files_raw = raw.get("files")
    files: list[FileEntry] = []
    if not isinstance(files_raw, list):
        problems.append(ManifestProblem(field="files", message="缺少文件清单或格式不符"))
    else:
        if not files_raw:
            problems.append(ManifestProblem(field="files", message="文件清单为空"))
        for index, entry in enumerate(files_raw):
            parsed = _parse_file_entry(index, entry, problems)
            if parsed is not None:
                files.append(parsed)
    values["files"] = files
    return ManifestParse(manifest=Manifest(**values), problems=problems)
