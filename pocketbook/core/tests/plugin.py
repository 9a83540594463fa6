"""A pretend higher app for the registry tests: its templates, found through `plugin_templates`."""

from __future__ import annotations

from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent / "plugin_templates"


@pytest.fixture
def plugin_templates(settings):
    """Let the pages find the pretend app's templates (plugin/...)."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(TEMPLATES)]}]
