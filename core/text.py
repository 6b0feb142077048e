"""French counts: the singular below two (« 0 compte rendu », « 1 ligne », « 2 lignes »)."""

from __future__ import annotations

from typing import Any


def french_plural(count: Any) -> bool:
    """Whether French writes `count` of something in the plural: from two on."""
    if hasattr(count, "__len__") and not isinstance(count, str):
        count = len(count)
    try:
        return abs(float(count)) >= 2
    except (TypeError, ValueError):
        return False


def counted(count: Any, singular: str, plural: str | None = None) -> str:
    """`counted(3, "compte rendu", "comptes rendus")` → « 3 comptes rendus »; `plural` defaults to
    the singular with an « s »."""
    word = (plural or f"{singular}s") if french_plural(count) else singular
    return f"{count} {word}"
