"""Fixtures of the reports tests: the cases tests' villages, household, agency and fund; messages in English."""

from pocketbook.cases.tests.conftest import agency, english_messages, fund, household, villages  # noqa: F401
