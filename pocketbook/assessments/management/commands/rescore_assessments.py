"""`pocketbook rescore_assessments --set CODE`: score each household's latest assessment under a set again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pocketbook.assessments import rescoring, selectors
from pocketbook.assessments.models import IndicatorSet
from pocketbook.audit.models import Action
from pocketbook.audit.services import record_change


class Command(BaseCommand):
    help = "Score every household's latest assessment under a set again (after a threshold of the set was corrected)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--set", dest="code", default="", help="the set's code (default: the current set)")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            indicator_set = (
                selectors.indicator_set_get(code=options["code"])
                if options["code"]
                else selectors.indicator_set_current()
            )
        except IndicatorSet.DoesNotExist:
            raise CommandError(f"No indicator set {options['code'] or '(current)'}") from None
        started = time.perf_counter()
        report = rescoring.rescore_latest(
            indicator_set=indicator_set, spec=indicator_set.spec(), batch_size=max(1, options["batch_size"])
        )
        record_change(obj=indicator_set, action=Action.UPDATE, actor=None, before=None)
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-scored {report.households} households under {indicator_set.code} in {seconds:.1f} s; "
                f"{report.changed} results changed."
            )
        )
