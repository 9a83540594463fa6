"""`pocketbook compile_translations`: compile the .po catalogues to .mo with Babel (no GNU gettext needed)."""

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every app's locale/*/LC_MESSAGES/*.po into .mo (what `make run` and `make test` call)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        package_dir = Path(settings.BASE_DIR) / "pocketbook"
        for po_path in sorted(package_dir.glob("**/locale/*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            count += 1
        self.stdout.write(f"Translations compiled: {count} catalogue(s) updated.")
