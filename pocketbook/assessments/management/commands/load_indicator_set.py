"""`pocketbook load_indicator_set FILE [--current]`: load a new indicator set from YAML or JSON, no code change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pocketbook.assessments import services
from pocketbook.assessments.loading import read_set_file
from pocketbook.assessments.scoring import SpecError


class Command(BaseCommand):
    help = "Load an indicator set from a YAML or JSON file (see assessments/data/ for the format)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the set file (.yaml, .yml or .json)")
        parser.add_argument("--current", action="store_true", help="use this set for new assessments from now on")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            spec = read_set_file(options["file"])
        except FileNotFoundError:
            raise CommandError(f"No such file: {options['file']}") from None
        except SpecError as error:
            lines = "\n".join(f"  {path or '(file)'}: {message}" for path, message in error.problems)
            raise CommandError(f"The set in {options['file']} cannot be used:\n{lines}") from None
        except Exception as error:  # a YAML syntax error or an unreadable file
            raise CommandError(f"Cannot read {options['file']}: {error}") from None
        try:
            indicator_set, created = services.indicator_set_load(
                spec=spec, actor=None, make_current=options["current"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        verb = "Loaded" if created else "Already loaded"
        current = " (used for new assessments)" if indicator_set.is_current else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {indicator_set.code}: {len(spec.indicators)} indicators in "
                f"{len(spec.dimensions)} dimensions{current}."
            )
        )
