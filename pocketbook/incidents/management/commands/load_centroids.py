"""`pocketbook load_centroids FILE`: load subdistrict centre points, so a reported point finds its subdistrict.

The file is CSV, UTF-8, with a header row and these columns (extra columns are ignored):

    subdistrict_code,latitude,longitude
    920101,7.5563,99.6114

`subdistrict_code` is the 6-digit DOPA code (it must exist in the loaded geography), latitude and
longitude are WGS 84 decimal degrees. Loading again updates the points. A sample for Trang ships
in pocketbook/incidents/data/centroids_trang_sample.csv (approximate points, for the demo).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pocketbook.incidents.services import centroids_load


class Command(BaseCommand):
    help = "Load subdistrict centroids from a CSV file (subdistrict_code,latitude,longitude). Safe to run again."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="CSV file with subdistrict_code,latitude,longitude")
        parser.add_argument("--source", default="", help="Where the points come from (kept with each row)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                loaded, errors = centroids_load(handle=handle, source=options["source"] or path.name)
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        for refused in errors:
            self.stderr.write(refused)
        self.stdout.write(self.style.SUCCESS(f"Centroids loaded: {loaded}; rows refused: {len(errors)}."))
