"""`pocketbook import_households FILE`: households and members from .csv or .xlsx (docs/import-households.md)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pocketbook.accounts.models import User
from pocketbook.households.importer import FileProblem, run_import


class ProgressBar:
    """A one-line progress bar on stderr (a line every 10% when stderr is not a terminal)."""

    def __init__(self, stream: Any, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.perf_counter()
        self.last_tenth = -1

    def __call__(self, fraction: float, rows: int) -> None:
        if not self.enabled:
            return
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        filled = int(fraction * 30)
        bar = "#" * filled + "." * (30 - filled)
        line = f"[{bar}] {fraction * 100:5.1f}%  {rows:,} rows  {rows / elapsed:,.0f} rows/s"
        if self.tty:
            self.stream.write("\r" + line)
            if fraction >= 1.0:
                self.stream.write("\n")
            self.stream.flush()
        elif int(fraction * 10) > self.last_tenth:
            self.last_tenth = int(fraction * 10)
            self.stream.write(line + "\n")


class Command(BaseCommand):
    help = "Import households and members from a .csv (UTF-8) or .xlsx file, one row per member."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--report",
            type=Path,
            default=None,
            help="Where to write the rejected rows (CSV: row, column, value, reason). Default: FILE.rejected.csv",
        )
        parser.add_argument("--user", default=None, help="Import as this user: rows outside their areas are rejected")
        parser.add_argument(
            "--without-consent",
            action="store_true",
            help="The households did not consent: keep anonymous records only (no names, IDs, house numbers)",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"There is no active user {options['user']!r}.")
        report_path: Path = options["report"] or path.with_name(path.name + ".rejected.csv")
        progress = ProgressBar(sys.stderr, enabled=not options["no_progress"])
        started = time.perf_counter()
        with report_path.open("w", encoding="utf-8-sig", newline="") as report:
            try:
                result = run_import(
                    path,
                    actor=actor,
                    with_consent=not options["without_consent"],
                    report_stream=report,
                    on_progress=progress,
                )
            except FileProblem as problem:
                raise CommandError(str(problem)) from None
        elapsed = time.perf_counter() - started
        counts = result.counts
        if counts.rejected_rows == 0:
            report_path.unlink(missing_ok=True)
        self.stdout.write(f"Rows read:            {result.rows_read:,} in {elapsed:.1f} s")
        self.stdout.write(f"Households created:   {counts.households_created:,}")
        self.stdout.write(f"Households updated:   {counts.households_updated:,}")
        self.stdout.write(f"Households unchanged: {counts.households_unchanged:,}")
        self.stdout.write(f"Members created:      {counts.members_created:,}")
        self.stdout.write(f"Members updated:      {counts.members_updated:,}")
        self.stdout.write(f"Members unchanged:    {counts.members_unchanged:,}")
        if counts.villages_created:
            self.stdout.write(f"Villages created:     {counts.villages_created:,}")
        if counts.rejected_rows:
            self.stdout.write(
                self.style.WARNING(f"Rows rejected:        {counts.rejected_rows:,} (see {report_path})")
            )
        else:
            self.stdout.write(self.style.SUCCESS("Rows rejected:        0"))
