"""Write a parsed indicator set into the tables; shared by the data migration and `load_indicator_set`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pocketbook.assessments.scoring import IndicatorSetSpec, parse_set

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_SET = DATA_DIR / "bmn-2560-2564-tpmap17.yaml"


def read_set_file(path: Path | str) -> IndicatorSetSpec:
    """Read a YAML (or JSON, which YAML reads too) indicator set file and check it; raise SpecError."""
    with open(path, encoding="utf-8-sig") as handle:
        data = yaml.safe_load(handle)
    return parse_set(data)


def set_fields(spec: IndicatorSetSpec) -> dict[str, Any]:
    return {
        "name_th": spec.name_th,
        "name_en": spec.name_en,
        "valid_from": spec.valid_from,
        "valid_until": spec.valid_until,
        "dimensions": [{"key": d.key, "name_th": d.name_th, "name_en": d.name_en} for d in spec.dimensions],
        "thresholds": dict(spec.thresholds),
    }


# What an indicator row holds besides its set and position: the same names in the file and in the table.
INDICATOR_FIELDS = (
    "code",
    "number",
    "dimension",
    "text_th",
    "text_en",
    "applies_to_th",
    "applies_to_en",
    "question_th",
    "question_en",
    "help_th",
    "help_en",
    "rule",
    "params",
)


def indicator_row(indicator: Any, position: int) -> dict[str, Any]:
    """One indicator as a plain row, from a set file's spec or from a stored Indicator alike."""
    row = {"position": position, **{name: getattr(indicator, name) for name in INDICATOR_FIELDS}}
    row["params"] = dict(row["params"])
    return row


def indicator_rows(spec: IndicatorSetSpec) -> list[dict[str, Any]]:
    return [indicator_row(indicator, position) for position, indicator in enumerate(spec.indicators, start=1)]


def write_set(set_model: Any, indicator_model: Any, spec: IndicatorSetSpec, *, current: bool) -> Any:
    """Create the set and its indicators with the given model classes (historical ones in migrations)."""
    if current:
        set_model.objects.filter(is_current=True).update(is_current=False)
    indicator_set = set_model.objects.create(code=spec.code, is_current=current, **set_fields(spec))
    indicator_model.objects.bulk_create(
        [indicator_model(indicator_set=indicator_set, **row) for row in indicator_rows(spec)]
    )
    return indicator_set
