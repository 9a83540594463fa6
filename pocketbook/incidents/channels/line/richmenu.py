"""The ESS rich menu: drawn by the project (Thai shaped by libraqm), uploaded and made the default via line-bot-sdk.

Four areas on a 2500 × 1686 image: Report (sends "แจ้งเหตุ"), SOS (a postback the flow reads as SOS), My reports
(sends "สถานะ") and a `tel:1300` call. Menus this project made carry `MENU_NAME`; setting up again replaces those
and leaves any other menu of the channel alone.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

import fontpkg_sarabun
from django.conf import settings
from django.utils.translation import override
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessageAction,
    MessagingApi,
    MessagingApiBlob,
    PostbackAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
    SetWebhookEndpointRequest,
    TestWebhookEndpointRequest,
    URIAction,
)
from PIL import Image, ImageDraw, ImageFont, features

from pocketbook.incidents.channels.line import texts

logger = logging.getLogger(__name__)

MENU_NAME = "pocketbook-ess-rich-menu"
WIDTH, HEIGHT = 2500, 1686
FONT_FOLDER = Path(fontpkg_sarabun.__file__).parent / "files"  # the Sarabun package the PDFs use too


def _font_path(weight: str) -> str:
    return str(FONT_FOLDER / f"Sarabun-{weight}.ttf")


@dataclass(frozen=True)
class Area:
    label: str
    hint: str
    colour: str
    action: MessageAction | PostbackAction | URIAction


def areas() -> list[Area]:
    """The four buttons, left to right and top to bottom, with their labels in the bot's language."""
    with override(texts.BOT_LANGUAGE):
        report = str(texts.MENU_REPORT)
        status = str(texts.MENU_STATUS)
        return [
            Area(report, str(texts.MENU_REPORT_HINT), "#C2410C", MessageAction(label=report[:20], text="แจ้งเหตุ")),
            Area(
                str(texts.MENU_SOS),
                str(texts.MENU_SOS_HINT),
                "#B91C1C",
                PostbackAction(label="SOS", data="SOS", displayText="SOS"),
            ),
            Area(status, str(texts.MENU_STATUS_HINT), "#1D4ED8", MessageAction(label=status[:20], text="สถานะ")),
            Area(str(texts.MENU_CALL), str(texts.MENU_CALL_HINT), "#15803D", URIAction(label="1300", uri="tel:1300")),
        ]


def _bounds(index: int) -> RichMenuBounds:
    column, row = index % 2, index // 2
    return RichMenuBounds(x=column * WIDTH // 2, y=row * HEIGHT // 2, width=WIDTH // 2, height=HEIGHT // 2)


def menu_image() -> bytes:
    """Draw the menu as a PNG. Thai needs libraqm for its vowels and tone marks to sit right."""
    if not features.check("raqm"):
        raise RuntimeError("Pillow was built without libraqm; Thai would be drawn unshaped (apt-get install libraqm0)")
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    big = ImageFont.truetype(_font_path("Bold"), 150, layout_engine=ImageFont.Layout.RAQM)
    small = ImageFont.truetype(_font_path("Medium"), 72, layout_engine=ImageFont.Layout.RAQM)
    for index, area in enumerate(areas()):
        box = _bounds(index)
        left, top, right, bottom = box.x, box.y, box.x + box.width, box.y + box.height
        draw.rectangle((left + 12, top + 12, right - 12, bottom - 12), fill=area.colour)
        centre_x, centre_y = (left + right) // 2, (top + bottom) // 2
        draw.text((centre_x, centre_y - 60), area.label, font=big, fill="white", anchor="mm", language="th")
        draw.text((centre_x, centre_y + 110), area.hint, font=small, fill="white", anchor="mm", language="th")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def menu_request() -> RichMenuRequest:
    with override(texts.BOT_LANGUAGE):
        chat_bar = str(texts.MENU_CHAT_BAR)[:14]
    return RichMenuRequest(
        size=RichMenuSize(width=WIDTH, height=HEIGHT),
        selected=True,
        name=MENU_NAME,
        chatBarText=chat_bar,
        areas=[RichMenuArea(bounds=_bounds(index), action=area.action) for index, area in enumerate(areas())],
    )


@dataclass
class SetupReport:
    rich_menu_id: str
    replaced: list[str]
    webhook_url: str
    webhook_test: str


def _configuration(host: str) -> Configuration:
    return Configuration(host=host.rstrip("/"), access_token=settings.LINE_CHANNEL_ACCESS_TOKEN)


def channel_setup(*, webhook_url: str, test_webhook: bool = True) -> SetupReport:
    """Make the rich menu the default, drop the menus we made before, set the webhook URL and test it."""
    image = menu_image()
    with ApiClient(_configuration(settings.LINE_API_BASE_URL)) as api_client:
        api = MessagingApi(api_client)
        ours_before = [menu.rich_menu_id for menu in api.get_rich_menu_list().richmenus if menu.name == MENU_NAME]
        rich_menu_id = api.create_rich_menu(menu_request()).rich_menu_id
        with ApiClient(_configuration(settings.LINE_DATA_API_BASE_URL)) as data_client:
            MessagingApiBlob(data_client).set_rich_menu_image(
                rich_menu_id, body=image, _headers={"Content-Type": "image/png"}
            )
        api.set_default_rich_menu(rich_menu_id)
        for old in ours_before:  # only after the new one is in place: users never see no menu
            api.delete_rich_menu(old)
        test = ""
        if webhook_url:
            api.set_webhook_endpoint(SetWebhookEndpointRequest(endpoint=webhook_url))
            if test_webhook:
                result = api.test_webhook_endpoint(TestWebhookEndpointRequest(endpoint=webhook_url))
                test = "ok" if result.success else f"failed: HTTP {result.status_code} {result.reason} {result.detail}"
    return SetupReport(rich_menu_id=rich_menu_id, replaced=ours_before, webhook_url=webhook_url, webhook_test=test)
