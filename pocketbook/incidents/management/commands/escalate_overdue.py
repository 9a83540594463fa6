"""`pocketbook escalate_overdue`: escalate incidents past their SLA targets (from cron, or `--every 60` as a loop)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from pocketbook.incidents.services import incidents_escalate_overdue


class Command(BaseCommand):
    help = "Mark incidents past their SLA targets overdue, note it on their timelines and tell the units' managers."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--every", type=int, default=0, help="Run again every N seconds until stopped")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            count = incidents_escalate_overdue()
            self.stdout.write(f"Escalations: {count}")
            if not options["every"]:
                return
            time.sleep(max(options["every"], 5))
