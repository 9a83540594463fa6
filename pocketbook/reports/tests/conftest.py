"""Fixtures of the reports tests: the cases tests' villages, household, agency and fund."""

import pytest
from django.utils import translation

from pocketbook.cases.tests.conftest import agency, fund, household, villages  # noqa: F401 - fixtures


@pytest.fixture
def english():
    """Service messages and labels in English, for the tests that assert them."""
    with translation.override("en"):
        yield
