"""`pocketbook coverage_refresh`: recount households and caseloads per area (run nightly)."""

from typing import Any

from django.core.management.base import BaseCommand

from pocketbook.volunteers import caseloads


class Command(BaseCommand):
    help = "Recount households, households with a volunteer and caseloads per area for the coverage page."

    def handle(self, *args: Any, **options: Any) -> None:
        areas = caseloads.coverage_refresh()
        self.stdout.write(f"Coverage counted for {areas} areas.")
