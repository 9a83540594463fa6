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


def indicator_rows(spec: IndicatorSetSpec) -> list[dict[str, Any]]:
    return [
        {
            "position": position,
            "code": i.code,
            "number": i.number,
            "dimension": i.dimension,
            "text_th": i.text_th,
            "text_en": i.text_en,
            "applies_to_th": i.applies_to_th,
            "applies_to_en": i.applies_to_en,
            "question_th": i.question_th,
            "question_en": i.question_en,
            "help_th": i.help_th,
            "help_en": i.help_en,
            "rule": i.rule,
            "params": dict(i.params),
        }
        for position, i in enumerate(spec.indicators, start=1)
    ]


def write_set(set_model: Any, indicator_model: Any, spec: IndicatorSetSpec, *, current: bool) -> Any:
    """Create the set and its indicators with the given model classes (historical ones in migrations)."""
    if current:
        set_model.objects.filter(is_current=True).update(is_current=False)
    indicator_set = set_model.objects.create(code=spec.code, is_current=current, **set_fields(spec))
    indicator_model.objects.bulk_create(
        [indicator_model(indicator_set=indicator_set, **row) for row in indicator_rows(spec)]
    )
    return indicator_set
