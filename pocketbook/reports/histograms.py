"""Durations kept as counts per bucket, so a median or a 90th percentile is read from a handful of counters.

A tally key `<name>:<lower edge>` counts the durations in [edge, next edge). The quantile is interpolated
linearly inside its bucket; past the last edge it answers the last edge (a floor: "at least").
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence

# Minutes, for the ESS steps: fine where the SLA targets are (minutes), coarse past a few hours.
MINUTE_EDGES: tuple[int, ...] = (
    0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 75, 90, 120, 150, 180, 240, 360, 480, 720,
    1080, 1440, 2880, 4320, 10080,
)  # fmt: skip
# Days, for the time from a need to help.
DAY_EDGES: tuple[int, ...] = (0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 120, 180, 270, 365, 540, 730)


def bucket_of(value: float, edges: Sequence[int]) -> int:
    """The lower edge of the bucket that holds `value` (negative values fall in the first bucket)."""
    if value <= edges[0]:
        return edges[0]
    return edges[bisect.bisect_right(edges, value) - 1]


def bucket_key(name: str, value: float, edges: Sequence[int]) -> str:
    """The tally key counting `value` in its bucket, e.g. "ack_min:15"."""
    return f"{name}:{bucket_of(value, edges)}"


def counts_from_keys(values: Mapping[str, int], name: str) -> dict[int, int]:
    """{lower edge: count} from tally keys `<name>:<edge>` (other keys are ignored)."""
    prefix = name + ":"
    counts: dict[int, int] = {}
    for key, count in values.items():
        if key.startswith(prefix) and count:
            edge = key[len(prefix) :]
            if edge.isdigit():
                counts[int(edge)] = counts.get(int(edge), 0) + count
    return counts


def quantile(counts: Mapping[int, int], q: float, edges: Sequence[int]) -> float | None:
    """The q-quantile (0 < q < 1) of the durations counted per bucket; None when nothing was counted."""
    total = sum(count for count in counts.values() if count > 0)
    if total <= 0:
        return None
    rank = q * total
    seen = 0
    for index, edge in enumerate(edges):
        count = max(counts.get(edge, 0), 0)
        if count and seen + count >= rank:
            upper = edges[index + 1] if index + 1 < len(edges) else edge
            return edge + (upper - edge) * (rank - seen) / count
        seen += count
    return float(edges[-1])
