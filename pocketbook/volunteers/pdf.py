"""Thai A4 PDFs of the training (certificates, name lists, the project report); QR codes by segno.

The PDF itself is made by `pocketbook.core.pdf.render_pdf` (WeasyPrint with the packaged Sarabun font).
"""

from __future__ import annotations

import segno

from pocketbook.core.pdf import render_pdf

__all__ = ["qr_data_uri", "qr_svg", "render_pdf"]


def qr_data_uri(text: str, *, scale: int = 4) -> str:
    """A QR code of `text` as an SVG data URI, for <img> in pages and PDFs."""
    return segno.make(text, error="m").svg_data_uri(scale=scale)


def qr_svg(text: str, *, scale: int = 5) -> str:
    """A QR code of `text` as inline SVG markup."""
    return segno.make(text, error="m").svg_inline(scale=scale)
