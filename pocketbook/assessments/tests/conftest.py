"""Fixtures of the assessments tests: the TPMAP indicator set shipped with the app, as data and parsed."""

from pathlib import Path

import pytest
import yaml

from pocketbook.assessments.scoring import parse_set

DATA = Path(__file__).resolve().parents[1] / "data" / "bmn-2560-2564-tpmap17.yaml"


@pytest.fixture(scope="module")
def raw_set():
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tpmap(raw_set):
    return parse_set(raw_set)
