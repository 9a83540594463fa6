"""Helpers for the tests of every app that makes PDFs: the text as pdftotext reads it, the pages as PNG images."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from pocketbook.core.tests.browser import SCREENSHOTS


def thai_normalised(text: str) -> str:
    """Compare Thai text as pdftotext extracts it: sara am (ำ) comes out as ํ + า, or as า alone; spaces collapse.

    Normalise both sides: `thai_normalised(expected) in thai_normalised(extracted)`.
    """
    text = text.replace("\u0e33", "\u0e32").replace("\u0e4d", "")
    return re.sub(r"\s+", " ", text)


# Thai vowel and tone marks written above or below a consonant: `pdftotext -layout` sometimes puts them after the next
# letter, or on a line of their own below a table cell (Sarabun's marks sit apart from their base letter).
_THAI_MARKS = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def thai_skeleton(text: str) -> str:
    """The text without Thai marks above or below the line and without any spaces: what `-layout` keeps in order.

    For asserting that a phrase is on a page whose tables `-layout` lays out: `thai_skeleton(expected) in
    thai_skeleton(extracted)`.
    """
    return re.sub(r"\s+", "", _THAI_MARKS.sub("", thai_normalised(text)))


def _keep(content: bytes, folder: Path, name: str) -> Path:
    """Write the PDF where a person can look at it (POCKETBOOK_SCREENSHOTS), else into `folder`."""
    path = (Path(SCREENSHOTS) if SCREENSHOTS else folder) / f"{name}.pdf"
    path.write_bytes(content)
    return path


def pdf_text(content: bytes, *, name: str = "document") -> str:
    """The PDF's text laid out as on the page (`pdftotext -layout`), normalised by `thai_normalised`."""
    with tempfile.TemporaryDirectory() as folder:
        path = _keep(content, Path(folder), name)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return thai_normalised(text.stdout)


def pdf_pages_png(content: bytes, *, name: str = "document", resolution: int = 50) -> list[Path]:
    """Each page of the PDF as a PNG (`pdftoppm -png -r <resolution>`), in a folder that outlives the test when
    POCKETBOOK_SCREENSHOTS names one (for a person to look at), else in a fresh temporary folder."""
    folder = Path(SCREENSHOTS) if SCREENSHOTS else Path(tempfile.mkdtemp(prefix="pdf-pages-"))
    for stale in folder.glob(f"{name}-*.png"):
        stale.unlink()
    path = _keep(content, folder, name)
    subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(path), str(folder / name)], check=True)
    return sorted(folder.glob(f"{name}-*.png"))
