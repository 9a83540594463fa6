"""Write checked households in chunks (chunks.py): the rows' values (values.py) through the import's SQL (tables.py).

Callers import from here: `Writer`, `Counts`, `ChunkResult`, `sqlite_page_cache` and the column lists.
"""

from __future__ import annotations

from pocketbook.households.importer.writer.chunks import Writer
from pocketbook.households.importer.writer.columns import (
    COMPARED,
    HOUSEHOLD_FIELDS,
    MEMBER_FIELDS,
    ChunkResult,
    Counts,
)
from pocketbook.households.importer.writer.tables import SQLITE_IMPORT_CACHE_KIB, sqlite_page_cache

__all__ = [
    "COMPARED",
    "HOUSEHOLD_FIELDS",
    "MEMBER_FIELDS",
    "SQLITE_IMPORT_CACHE_KIB",
    "ChunkResult",
    "Counts",
    "Writer",
    "sqlite_page_cache",
]
