"""Export the JSON Schemas of the written records to ``docs/`` (``python -m models.schema``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from models.verdict import PacketRejection, Verdict

DOCS = Path(__file__).resolve().parent.parent / "docs"
SCHEMAS = {"verdict.schema.json": Verdict, "rejection.schema.json": PacketRejection}


def schema_text(model: type) -> str:
    schema = model.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> int:
    for name, model in SCHEMAS.items():
        (DOCS / name).write_text(schema_text(model), encoding="utf-8")
        print(f"wrote docs/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
