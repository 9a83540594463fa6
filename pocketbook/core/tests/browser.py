"""Helpers for the Playwright tests of every app (the `browser_page` fixture lives in conftest.py)."""

import os

from pocketbook.accounts.tests.factories import PASSWORD

# Set POCKETBOOK_SCREENSHOTS=/some/folder to keep a screenshot of each step for a person to look at.
SCREENSHOTS = os.environ.get("POCKETBOOK_SCREENSHOTS", "")


def shot(page, name: str) -> None:
    """Save a full-page screenshot when POCKETBOOK_SCREENSHOTS names a folder."""
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real sign-in page and wait for the next page."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_selector("h1")
