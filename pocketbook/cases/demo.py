"""Demo data of the cases app (filled in below)."""

from typing import Any


def seed(context: Any) -> None:
    """Add agencies, the provincial fund and cases for the demo households."""
