"""Fixtures of the incidents tests: Trang's units, a responder in a unit, and a fake LINE push."""

from __future__ import annotations

import importlib
import sys
import types
from contextlib import contextmanager
from datetime import datetime
from unittest import mock

import pytest
from django.utils import timezone

from pocketbook.incidents.choices import UnitKind
from pocketbook.incidents.tests.factories import ResponderFactory, UnitFactory

LINE_CLIENT = "pocketbook.incidents.channels.line.client"


@pytest.fixture
def province_unit(db):
    return UnitFactory(name="พมจ.ตรัง", kind=UnitKind.SOCIAL_DEVELOPMENT_OFFICE, areas=["92"], is_province_default=True)


@pytest.fixture
def district_unit(db):
    return UnitFactory(name="สภ.เมืองตรัง", kind=UnitKind.POLICE_STATION, areas=["9201"])


@pytest.fixture
def unit_responder(responder, district_unit):
    """The shared `responder` user, as a responder of the district unit."""
    return ResponderFactory(user=responder, unit=district_unit)


@pytest.fixture
def pushed(monkeypatch):
    """Replace the LINE client's push_text; the list collects (line_user_id, text, retry_key)."""
    calls: list[tuple[str, str, str]] = []

    def push_text(line_user_id: str, text: str, retry_key: str) -> None:
        calls.append((line_user_id, text, retry_key))

    try:
        module = importlib.import_module(LINE_CLIENT)
    except ImportError:
        module = types.ModuleType(LINE_CLIENT)
        monkeypatch.setitem(sys.modules, LINE_CLIENT, module)
    monkeypatch.setattr(module, "push_text", push_text, raising=False)
    return calls


@contextmanager
def frozen(moment: datetime):
    """Make timezone.now() answer `moment` (aware) inside the block."""
    with mock.patch.object(timezone, "now", return_value=moment):
        yield
