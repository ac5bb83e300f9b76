"""Load and validate policy data (regions, disease catalog, institution registry) once at start-up.

Checks never open files: they receive the ``PolicyBook`` this returns.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from models.policy import DiseaseCatalog, HospitalRegistry, PolicyBook, RegionPolicy
from pipeline.errors import PolicyDataError

DEFAULT_POLICY_DIR = Path(__file__).resolve().parent.parent / "policy_data"


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PolicyDataError(f"{path}: file missing") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise PolicyDataError(f"{path}: not valid YAML: {exc}") from exc


def _describe(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"  {loc}: {err['msg']}")
    return "\n".join(lines)


def _validate(model: type, path: Path) -> object:
    try:
        return model.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise PolicyDataError(f"{path}: invalid policy data\n{_describe(exc)}") from exc


def load_policy(policy_dir: Path = DEFAULT_POLICY_DIR) -> PolicyBook:
    """Read every policy file under ``policy_dir`` and cross-validate them.

    Layout: ``disease_catalog.yaml``, ``hospitals.yaml`` and one
    ``regions/<code>.yaml`` per region; a new region is one more file.

    Raises:
        PolicyDataError: a file is missing or invalid; the message names the file and keys.
    """
    catalog = _validate(DiseaseCatalog, policy_dir / "disease_catalog.yaml")
    registry = _validate(HospitalRegistry, policy_dir / "hospitals.yaml")
    regions: dict[str, RegionPolicy] = {}
    region_files = sorted((policy_dir / "regions").glob("*.yaml"))
    if not region_files:
        raise PolicyDataError(f"{policy_dir / 'regions'}: no region policy files")
    for path in region_files:
        region = _validate(RegionPolicy, path)
        assert isinstance(region, RegionPolicy)
        if region.code != path.stem:
            raise PolicyDataError(f"{path}: code {region.code!r} does not match the file name")
        regions[region.code] = region
    try:
        return PolicyBook(catalog=catalog, registry=registry, regions=regions)
    except ValidationError as exc:
        raise PolicyDataError(f"{policy_dir}: policy files disagree\n{_describe(exc)}") from exc
