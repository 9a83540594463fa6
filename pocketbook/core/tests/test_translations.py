"""Every app's Thai catalogue is complete: no empty and no fuzzy translation, placeholders kept."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(PACKAGE.glob("*/locale/th/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_there_are_catalogues():
    assert {path.parts[-5] for path in CATALOGUES} >= {"core", "geo", "accounts", "audit"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_the_thai_catalogue_is_complete(path):
    with path.open("rb") as handle:
        catalog = read_po(handle)
    empty = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert empty == []
    assert fuzzy == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_translations_keep_their_placeholders(path):
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and isinstance(message.id, str):
            assert set(PLACEHOLDER.findall(message.id)) == set(PLACEHOLDER.findall(message.string)), message.id
