"""`pocketbook load_geography`: load or refresh Thailand's areas from geothai (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from pocketbook.geo.services import geography_load


class Command(BaseCommand):
    help = "Load or refresh every province, district and subdistrict from geothai. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = geography_load()
        self.stdout.write(
            self.style.SUCCESS(
                "Geography: {provinces} provinces, {districts} districts, {subdistricts} subdistricts "
                "(data: GeoThai, CC BY 4.0).".format(**counts)
            )
        )
