"""A real Chromium on a 360 × 740 phone: sign in as the volunteer, start page, Thai overview, English, sign out."""

import pytest
from playwright.sync_api import expect

from pocketbook.accounts.tests.factories import PASSWORD
from pocketbook.core.tests.browser import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_volunteer_signs_in_sees_thai_switches_to_english_and_signs_out(browser_page, volunteer):
    page = browser_page
    # given
    page.goto("/")
    assert "/accounts/login/" in page.url
    # when
    page.fill("input[name=username]", "vol")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    # then: the home page sent the volunteer on to My visits; their overview is in the account menu, in Thai
    page.wait_for_url("**/volunteers/visits/")
    page.click(".usermenu summary")
    page.click("[data-testid=overview]")
    page.wait_for_url("**/overview/")
    assert page.inner_text("h1").startswith("สวัสดี")
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # when: switch to English
    page.click("[data-testid=switch-language]")
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("h1").startswith("Hello")
    # when: sign out
    page.click(".usermenu summary")
    page.click("[data-testid=logout]")
    page.wait_for_url("**/accounts/login/")
    assert page.locator("input[name=username]").is_visible()


def test_the_area_picker_searches_and_cascades(browser_page, administrator):
    page = browser_page
    sign_in(page, "administrator")
    page.goto("/areas/villages/new/")
    page.wait_for_selector(".area-picker__levels select")  # the picker has loaded the provinces
    # search by Thai name, choose
    page.fill(".area-picker__search", "ทับเที่ยง")
    page.click(".area-picker__result >> nth=0")
    assert page.input_value("input[name=subdistrict_code]") == "920101"
    # the chain of selects is rebuilt down to the chosen subdistrict
    expect(page.locator(".area-picker__levels select")).to_have_count(3)
    assert page.input_value(".area-picker__levels select >> nth=2") == "920101"
    page.fill("input[name=number]", "5")
    page.fill("input[name=name]", "บ้านทดสอบ")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('หมู่ 5 บ้านทดสอบ')")


MENU_LINKS = "nav.mainnav .mainnav__list a"


def test_a_managers_whole_menu_is_reachable_on_a_phone_and_shows_in_a_row_on_a_desktop(browser_page, manager):
    # given a manager, who has the longest menu, on a 360-pixel phone
    page = browser_page
    sign_in(page, "mgr")
    page.goto("/overview/")
    entries = page.locator(MENU_LINKS)
    count = entries.count()
    assert count >= 10
    # then the menu is one 44-pixel row with its button, the entries folded away, nothing wider than the screen
    button = page.locator("[data-testid=menu-button]")
    assert button.inner_text().split()[:2] == ["☰", "เมนู"]
    assert 44 <= button.bounding_box()["height"] <= 52
    assert page.locator("nav.mainnav").bounding_box()["height"] <= 52
    assert not entries.first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # when the button is tapped
    button.click()
    # then every entry shows, each a full-width tap target of at least 44 pixels, still without a sideways scroll
    for index in range(count):
        box = entries.nth(index).bounding_box()
        assert entries.nth(index).is_visible()
        assert box["height"] >= 44
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "menu-360-open")
    # and an entry leads to its page, where the closed menu names it
    page.click(f"{MENU_LINKS} >> text=ครัวเรือน")
    page.wait_for_url("**/households/")
    assert "ครัวเรือน" in page.inner_text("[data-testid=menu-button]")
    shot(page, "menu-360-closed")
    # when the same pages are seen on a desktop screen
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    # then every entry is in view without the button, in a few rows at most
    assert not button.is_visible()
    tops = {round(entries.nth(index).bounding_box()["y"]) for index in range(count)}
    assert all(entries.nth(index).is_visible() for index in range(count))
    assert len(tops) <= 2
    shot(page, "menu-1280")
