"""`pocketbook expire_exports`: delete the files of expired exports (from cron, hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pocketbook.reports.export_files import exports_expire


class Command(BaseCommand):
    help = "Delete the files of exports whose link has expired and mark them expired (safe to run any time)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = exports_expire()
        self.stdout.write(f"Expired exports: {count}")
