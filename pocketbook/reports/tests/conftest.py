"""Fixtures of the reports tests: the cases tests' villages, household, agency and fund."""

from pocketbook.cases.tests.conftest import agency, fund, household, villages  # noqa: F401 - fixtures
