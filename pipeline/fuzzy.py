"""Approximate substring search (edit distance), for OCR'd keywords with a dropped or confused character."""

from __future__ import annotations

from collections.abc import Callable

SubstitutionCost = Callable[[str, str], float]


def approximate_find(pattern: str, text: str, max_distance: float,
                     substitution: SubstitutionCost | None = None) -> tuple[int, int, float] | None:
    """The best place of ``pattern`` inside ``text`` allowing ``max_distance`` edits.

    Sellers' algorithm: the pattern must be aligned in full, the text is free at
    both ends. Cheap for the short keywords and rows it is used on.

    Args:
        pattern: What to look for (a keyword, a name).
        text: Where to look (one row of OCR text).
        max_distance: Most edits (substitutions, insertions, deletions) allowed.
        substitution: Cost of reading the pattern's character as the text's (0-1) when they
            differ; 1 when not given. Insertions and deletions always cost 1.

    Returns:
        ``(start, end, distance)`` of the best match in ``text``, or None.
    """
    m, n = len(pattern), len(text)
    if m == 0 or n == 0:
        return None
    if max_distance <= 0:
        at = text.find(pattern)
        return (at, at + m, 0) if at >= 0 else None
    if substitution is None and sum(1 for ch in set(pattern) if ch in text) < len(set(pattern)) - max_distance:
        return None
    # starts[j]: where the best alignment ending at text[j-1] begins in text
    prev: list[float] = [0.0] * (n + 1)
    prev_start = list(range(n + 1))
    for i in range(1, m + 1):
        row: list[float] = [float(i)] + [0.0] * n
        row_start = [0] * (n + 1)
        pc = pattern[i - 1]
        for j in range(1, n + 1):
            tc = text[j - 1]
            diagonal = prev[j - 1] + (0.0 if pc == tc else 1.0 if substitution is None else substitution(pc, tc))
            up = prev[j] + 1
            left = row[j - 1] + 1
            if diagonal <= up and diagonal <= left:
                row[j], row_start[j] = diagonal, prev_start[j - 1]
            elif up <= left:
                row[j], row_start[j] = up, prev_start[j]
            else:
                row[j], row_start[j] = left, row_start[j - 1]
        prev, prev_start = row, row_start
    # fewest edits first, then the stretch closest to the pattern's length (a substitution over a deletion)
    end = min(range(1, n + 1), key=lambda j: (prev[j], abs(j - prev_start[j] - m), j))
    if prev[end] > max_distance:
        return None
    return prev_start[end], end, prev[end]


SPAN_PUNCTUATION = set("：:，,。.；;、（）()[]【】 ")


def trimmed_spans(text: str, start: int, end: int) -> set[tuple[int, int]]:
    """The span found and the same trimmed of the punctuation at its ends (a colon the search took in)."""
    spans = {(start, end)}
    while start < end and text[start] in SPAN_PUNCTUATION:
        start += 1
        spans.add((start, end))
    while end > start and text[end - 1] in SPAN_PUNCTUATION:
        end -= 1
        spans.add((start, end))
    return spans
