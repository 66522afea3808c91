"""JSON Schema for every kind of data file, generated from the pydantic models.

The schemas are committed beside the data (``data/schemas/``) and every data file names its
schema on its first line (``# yaml-language-server: $schema=…``), so editors complete and
validate the YAML as it is typed and ``check-jsonschema`` can validate the same files.
"""

from __future__ import annotations

import json
from pathlib import Path

KINDS = {
    "programme": ("programme.yaml", "Programme"),
    "regions": ("regions.yaml", "RegionsFile"),
    "units": ("units.yaml", "UnitsFile"),
    "disagreements": ("disagreements.yaml", "DisagreementsFile"),
    "plan": ("plans/*.yaml", "Plan"),
    "quota": ("quotas/*.yaml", "QuotaTable"),
    # Progress reports live outside the data folder (see ``load.progress``); their schema is
    # generated with the others so editors and check-jsonschema can validate them too.
    "progress": ("<progress folder>/*.yaml", "ProgressReport"),
}


def schemas() -> dict[str, str]:
    """File name → JSON text of each schema (deterministic: sorted keys, fixed indent)."""
    from . import model, progress_model

    result = {}
    for kind, (pattern, class_name) in KINDS.items():
        schema = getattr(model if kind != "progress" else progress_model, class_name).model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"shiwanqian {kind} ({pattern})"
        result[f"{kind}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return result


def schema_for(data_file: Path, root: Path) -> str | None:
    """The schema file that a data file should name, relative to that file."""
    relative = data_file.relative_to(root).as_posix()
    for kind, (pattern, _) in KINDS.items():
        if Path(relative).match(pattern) and relative.count("/") == pattern.count("/"):
            prefix = "../" * relative.count("/")
            return f"{prefix}schemas/{kind}.schema.json"
    return None


def header(data_file: Path, root: Path) -> str | None:
    target = schema_for(data_file, root)
    return f"# yaml-language-server: $schema={target}" if target else None
