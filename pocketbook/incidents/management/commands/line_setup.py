"""`pocketbook line_setup`: set up the ESS Official Account: rich menu, default menu, webhook URL and its test."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from linebot.v3.messaging import ApiException

from pocketbook.incidents.channels.line import richmenu


class Command(BaseCommand):
    help = "Make the ESS rich menu the channel's default and point the channel's webhook here (via line-bot-sdk)"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--webhook-url", default="", help="https://<your host>/ess/line/webhook (left unchanged if not given)"
        )
        parser.add_argument("--no-webhook-test", action="store_true", help="Do not ask LINE to test the webhook")
        parser.add_argument("--image-only", metavar="PNG", help="Only draw the menu image into this file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["image_only"]:
            Path(options["image_only"]).write_bytes(richmenu.menu_image())
            self.stdout.write(f"Rich menu image written to {options['image_only']}")
            return
        if not settings.LINE_CHANNEL_ACCESS_TOKEN:
            raise CommandError("Set LINE_CHANNEL_ACCESS_TOKEN (LINE Developers console > Messaging API) first.")
        url = options["webhook_url"]
        if url and not url.startswith("https://") and not settings.DEBUG:
            raise CommandError("LINE accepts only an https:// webhook URL.")
        try:
            report = richmenu.channel_setup(webhook_url=url, test_webhook=not options["no_webhook_test"])
        except ApiException as error:
            raise CommandError(f"LINE refused: HTTP {error.status} {(error.body or '')[:300]}") from error
        self.stdout.write(f"Rich menu {report.rich_menu_id} uploaded and made the default.")
        if report.replaced:
            self.stdout.write(f"Removed the menus this command made before: {', '.join(report.replaced)}")
        if report.webhook_url:
            self.stdout.write(f"Webhook URL set to {report.webhook_url}.")
        if report.webhook_test:
            self.stdout.write(f"LINE's webhook test: {report.webhook_test}")
            if report.webhook_test != "ok":
                raise CommandError("LINE could not reach the webhook: check the URL, HTTPS and the channel secret.")
