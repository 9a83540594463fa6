"""`pocketbook rescore_assessments --set CODE`: score each household's latest assessment under a set again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pocketbook.assessments import rescoring, selectors
from pocketbook.assessments.models import IndicatorSet


class Command(BaseCommand):
    help = "Score every household's latest assessment under a set again (after a threshold of the set was corrected)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--set", dest="code", default="", help="the set's code (default: the current set)")
        parser.add_argument("--batch-size", type=int, default=rescoring.DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="scoring processes (default: 2 for large sets on a machine with two cores or more, else 1)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            indicator_set = (
                selectors.indicator_set_get(code=options["code"])
                if options["code"]
                else selectors.indicator_set_current()
            )
        except IndicatorSet.DoesNotExist:
            raise CommandError(f"No indicator set {options['code'] or '(current)'}") from None
        if options["workers"] is not None and options["workers"] < 1:
            raise CommandError("--workers must be 1 or more")
        report = rescoring.rescore_latest(
            indicator_set=indicator_set, batch_size=max(1, options["batch_size"]), workers=options["workers"]
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Re-scored {report.households} households under {indicator_set.code} in {report.seconds:.1f} s "
                f"({report.workers} scoring process(es)); {report.changed} results changed."
            )
        )
        if report.unscorable:
            self.stderr.write(
                f"{len(report.unscorable)} assessments could not be scored and keep their results "
                "(the log lists the first ones): " + ", ".join(str(pk) for pk, _why in report.unscorable[:20])
            )
