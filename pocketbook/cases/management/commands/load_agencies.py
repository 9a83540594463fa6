"""`pocketbook load_agencies FILE.csv`: load or update the agency directory from a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pocketbook.accounts.models import User
from pocketbook.cases.agencies_csv import COLUMNS, agencies_load


class Command(BaseCommand):
    help = "Load or update agencies from a CSV file (columns: " + ", ".join(COLUMNS) + ")."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="CSV file, UTF-8")
        parser.add_argument("--as-user", default="", help="The administrator recorded in the audit trail")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = User.objects.filter(username=options["as_user"]).first() if options["as_user"] else None
        if actor is None:
            actor = User.objects.filter(is_superuser=True).order_by("id").first()
        if actor is None:
            raise CommandError("No administrator to record the load as: create a superuser or pass --as-user.")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CommandError("The file is not UTF-8 text.") from None
        report = agencies_load(text=text, actor=actor)
        for error in report.errors:
            self.stderr.write(error)
        self.stdout.write(
            f"{report.created} agencies created, {report.updated} updated, {len(report.errors)} rows refused."
        )
        if report.errors:
            raise CommandError("Some rows were refused; see above.")
