"""The bot's Thai catalogue is complete, and every quick reply keeps within LINE's limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils.translation import override

from pocketbook.incidents.channels.line import messages, texts
from pocketbook.incidents.channels.line.flow import TYPE_WORDS, _type_from_text

CATALOGUE = Path(texts.__file__).parent / "locale" / "th" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
THAI = re.compile(r"[\u0e00-\u0e7f]")


def test_the_catalogue_is_complete_and_keeps_placeholders():
    with CATALOGUE.open("rb") as handle:
        catalog = read_po(handle)
    entries = [message for message in catalog if message.id]
    assert len(entries) >= 30
    assert [m.id for m in entries if not m.string or m.fuzzy] == []
    for message in entries:
        assert set(PLACEHOLDER.findall(message.id)) == set(PLACEHOLDER.findall(message.string)), message.id


def all_quick_replies():
    return [
        [messages.report_item(), messages.status_item(), messages.location_item()],
        [*messages.type_items(), messages.cancel_item()],
        [messages.submit_item(), *messages.camera_items(), messages.cancel_item()],
    ]


@pytest.mark.parametrize("language", ["th", "en"])
def test_quick_replies_keep_within_line_limits(language):
    with override(language):
        for items in all_quick_replies():
            assert len(items) <= 13
            for item in items:
                assert 1 <= len(item.action.label) <= 20, item.action.label


def test_the_bot_speaks_thai():
    with override("th"):
        for name in ("GREETING", "HELP", "ASK_TYPE", "ASK_LOCATION", "ASK_DETAILS", "STATUS_NONE", "GROUP_JOIN"):
            assert THAI.search(str(getattr(texts, name))), name
        for _key, label in texts.TYPE_LABELS:
            assert THAI.search(str(label))


def test_each_type_can_be_typed_as_its_number_or_its_button_label():
    with override("th"):
        for number, (key, label) in enumerate(texts.TYPE_LABELS, start=1):
            assert _type_from_text(str(number)) == key
            assert _type_from_text(str(label)) == key
    assert set(TYPE_WORDS) == {key for key, _label in texts.TYPE_LABELS}
