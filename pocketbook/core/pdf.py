"""Thai A4 PDFs: a template rendered by WeasyPrint with the Sarabun font (the fontpkg-sarabun package) embedded.

    body = render_pdf("cases/referral_letter.html", {"referral": referral})

The template puts `{{ pdf_fonts }}` at the top of its <style>: the @font-face rules of Sarabun regular (400) and
bold (700), as file:// addresses of the packaged files, so every PDF embeds the same font whatever fonts the
machine has. Dates go through the Thai date filters (`thaidate`), so render Thai documents inside
`translation.override("th")`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from weasyprint import HTML

FONT_FAMILY = "Sarabun"
FONT_FILES = {400: "fonts/sarabun/Sarabun-Regular.ttf", 700: "fonts/sarabun/Sarabun-Bold.ttf"}


def font_urls() -> dict[int, str]:
    """The packaged Sarabun faces by weight, as file:// addresses (found where the static files are served from)."""
    urls = {}
    for weight, name in FONT_FILES.items():
        found = finders.find(name)
        path = found[0] if isinstance(found, list) and found else found
        if not path:
            raise FileNotFoundError(f"{name} is not among the static files; is fontpkg-sarabun installed?")
        urls[weight] = Path(str(path)).resolve().as_uri()
    return urls


def font_face_css() -> SafeString:
    """The @font-face rules of every Sarabun face, to open a PDF template's <style>."""
    return format_html_join(
        "\n",
        '@font-face {{ font-family: "{}"; src: url("{}"); font-weight: {}; }}',
        ((FONT_FAMILY, url, weight) for weight, url in font_urls().items()),
    )


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a template to PDF bytes, with `pdf_fonts` (the @font-face CSS) added to its context."""
    html = render_to_string(template, {**context, "pdf_fonts": font_face_css()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(body: bytes, filename: str) -> HttpResponse:
    """A PDF the browser shows (inline), saved under `filename` when the person keeps it."""
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # personal data: not kept in shared caches or the browser's
    return response
