"""`pocketbook line_setup` against a fake LINE API that keeps the channel's rich menus and webhook as LINE does."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from PIL import Image
from werkzeug import Request, Response

from pocketbook.incidents.channels.line import richmenu
from pocketbook.incidents.tests.line.conftest import TEST_SECRET, TEST_TOKEN, WEBHOOK_URL, line_sign

pytestmark = pytest.mark.django_db


class FakeChannel:
    """A LINE channel's rich menus, default menu and webhook, behind LINE's endpoints."""

    def __init__(self) -> None:
        self.menus: dict[str, dict] = {"richmenu-other": {"name": "made-by-someone-else"}}
        self.images: dict[str, tuple[str, bytes]] = {}
        self.default = "richmenu-other"
        self.webhook = ""
        self.tested: list[int] = []
        self.created = 0

    def __call__(self, request: Request) -> Response:
        if request.headers.get("Authorization") != f"Bearer {TEST_TOKEN}":
            return self._json({"message": "Authentication failed"}, 401)
        path, method = request.path, request.method
        if (method, path) == ("GET", "/v2/bot/richmenu/list"):
            return self._json({"richmenus": [self._menu(menu_id) for menu_id in self.menus]})
        if (method, path) == ("POST", "/v2/bot/richmenu"):
            self.created += 1
            menu_id = f"richmenu-{self.created}"
            self.menus[menu_id] = json.loads(request.get_data())
            return self._json({"richMenuId": menu_id})
        if match := re.fullmatch(r"/v2/bot/richmenu/([\w-]+)/content", path):
            if match[1] not in self.menus:
                return self._json({"message": "Not found"}, 404)
            self.images[match[1]] = (request.headers.get("Content-Type", ""), request.get_data())
            return self._json({})
        if match := re.fullmatch(r"/v2/bot/user/all/richmenu/([\w-]+)", path):
            if match[1] not in self.images:  # LINE: a menu without an image cannot be the default
                return self._json({"message": "An image has not been uploaded to the rich menu"}, 400)
            self.default = match[1]
            return self._json({})
        if method == "DELETE" and (match := re.fullmatch(r"/v2/bot/richmenu/([\w-]+)", path)):
            self.menus.pop(match[1])
            return self._json({})
        if (method, path) == ("PUT", "/v2/bot/channel/webhook/endpoint"):
            self.webhook = json.loads(request.get_data())["endpoint"]
            return self._json({})
        if (method, path) == ("POST", "/v2/bot/channel/webhook/test"):
            return self._webhook_test()
        return self._json({"message": "Not found"}, 404)

    def _webhook_test(self) -> Response:
        # LINE posts a signed body without events to the endpoint and reports what it answered.
        body = json.dumps({"destination": "Ubot", "events": []}).encode()
        answer = Client().post(
            WEBHOOK_URL, data=body, content_type="application/json", HTTP_X_LINE_SIGNATURE=line_sign(TEST_SECRET, body)
        )
        self.tested.append(answer.status_code)
        ok = answer.status_code == 200
        return self._json(
            {
                "success": ok,
                "timestamp": "2026-12-05T00:00:00Z",
                "statusCode": answer.status_code,
                "reason": "OK" if ok else "ERROR_STATUS_CODE",
                "detail": str(answer.status_code),
            }
        )

    def _menu(self, menu_id: str) -> dict:
        menu = self.menus[menu_id]
        return {
            "richMenuId": menu_id,
            "name": menu["name"],
            "size": menu.get("size", {"width": 2500, "height": 1686}),
            "selected": menu.get("selected", False),
            "chatBarText": menu.get("chatBarText", "menu"),
            "areas": menu.get("areas", []),
        }

    @staticmethod
    def _json(data: dict, status: int = 200) -> Response:
        return Response(json.dumps(data), status=status, content_type="application/json")


@pytest.fixture
def channel(fake_line) -> FakeChannel:
    state = FakeChannel()
    fake_line.expect_request(re.compile(r"/v2/.*")).respond_with_handler(state)
    return state


def test_line_setup_makes_the_menu_the_default_and_sets_and_tests_the_webhook(channel):
    # given
    out = io.StringIO()
    url = "https://ess.example.go.th/ess/line/webhook"

    # when
    call_command("line_setup", webhook_url=url, stdout=out)

    # then
    assert channel.default == "richmenu-1"
    menu = channel.menus["richmenu-1"]
    assert (menu["name"], menu["chatBarText"], menu["size"]) == (
        richmenu.MENU_NAME,
        "เมนู ESS",
        {"width": 2500, "height": 1686},
    )
    actions = [area["action"] for area in menu["areas"]]
    assert [(action["type"], action.get("text") or action.get("data") or action.get("uri")) for action in actions] == [
        ("message", "แจ้งเหตุ"),
        ("postback", "SOS"),
        ("message", "สถานะ"),
        ("uri", "tel:1300"),
    ]
    assert [area["bounds"] for area in menu["areas"]] == [
        {"x": 0, "y": 0, "width": 1250, "height": 843},
        {"x": 1250, "y": 0, "width": 1250, "height": 843},
        {"x": 0, "y": 843, "width": 1250, "height": 843},
        {"x": 1250, "y": 843, "width": 1250, "height": 843},
    ]
    content_type, png = channel.images["richmenu-1"]
    assert content_type == "image/png"
    assert Image.open(io.BytesIO(png)).size == (2500, 1686)
    assert len(png) < 1024 * 1024  # LINE's limit for a rich menu image
    assert (channel.webhook, channel.tested) == (url, [200])
    assert "LINE's webhook test: ok" in out.getvalue()


def test_running_it_again_replaces_only_the_menu_it_made(channel):
    # given: set up once
    call_command("line_setup", stdout=io.StringIO())

    # when
    out = io.StringIO()
    call_command("line_setup", stdout=out)

    # then: the first menu is gone, the other one stays, the new one is the default
    assert sorted(channel.menus) == ["richmenu-2", "richmenu-other"]
    assert channel.default == "richmenu-2"
    assert "Removed the menus this command made before: richmenu-1" in out.getvalue()
    assert channel.webhook == ""  # not asked to change it


def test_a_failed_webhook_test_is_reported(channel, settings):
    # given: the server's secret does not match the channel's
    settings.LINE_CHANNEL_SECRET = "another-secret"

    # when / then
    with pytest.raises(CommandError, match="LINE could not reach the webhook"):
        call_command("line_setup", webhook_url="https://ess.example.go.th/ess/line/webhook", stdout=io.StringIO())
    assert channel.tested == [400]


def test_without_a_token_it_says_what_to_set(settings):
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""

    with pytest.raises(CommandError, match="LINE_CHANNEL_ACCESS_TOKEN"):
        call_command("line_setup", stdout=io.StringIO())


def test_the_image_can_be_drawn_alone(tmp_path):
    target = tmp_path / "menu.png"

    call_command("line_setup", image_only=str(target), stdout=io.StringIO())

    assert Image.open(target).size == (2500, 1686)
