"""Thai A4 PDFs (certificates, the project report) with WeasyPrint and the packaged Sarabun font; QR by segno."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import segno
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML

FONT_FILES = {"regular": "Sarabun-Regular.ttf", "bold": "Sarabun-Bold.ttf"}


def font_urls() -> dict[str, str]:
    """file:// URLs of the Sarabun faces, found where the static files are (the fontpkg-sarabun package)."""
    urls = {}
    for weight, name in FONT_FILES.items():
        found = finders.find(f"fonts/sarabun/{name}")
        path = found[0] if isinstance(found, list) else found
        urls[weight] = Path(str(path)).as_uri() if path else ""
    return urls


def qr_data_uri(text: str, *, scale: int = 4) -> str:
    """A QR code of `text` as an SVG data URI, for <img> in pages and PDFs."""
    return segno.make(text, error="m").svg_data_uri(scale=scale)


def qr_svg(text: str, *, scale: int = 5) -> str:
    """A QR code of `text` as inline SVG markup."""
    return segno.make(text, error="m").svg_inline(scale=scale)


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a template to PDF bytes."""

    html = render_to_string(template, {**context, "fonts": font_urls()})
    return HTML(string=html, base_url=str(Path(__file__).parent)).write_pdf()
