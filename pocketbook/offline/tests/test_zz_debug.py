import pytest
from pocketbook.assessments.tests.factories import couple_household
from pocketbook.core.tests.browser import sign_in
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
def test_debug(browser_page, volunteer):
    couple_household(volunteer=volunteer)
    page = browser_page
    logs = []
    page.on("console", lambda m: logs.append(m.type + ": " + m.text))
    page.on("pageerror", lambda e: logs.append("ERROR " + str(e)))
    page.on("response", lambda r: logs.append(f"{r.status} {r.url}"))
    sign_in(page, "vol")
    page.goto("/households/")
    page.wait_for_timeout(5000)
    print("\n".join(logs))
    print(page.evaluate("document.documentElement.outerHTML")[-1500:])
    assert 0
