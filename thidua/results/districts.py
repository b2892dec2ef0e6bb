"""Finding a district by what a user types: its code, or part of its name, with or
without Vietnamese diacritics ("ke sach", "Kế Sách" and "943" all find Huyện Kế Sách)."""

from __future__ import annotations

import unicodedata


def folded(text: str) -> str:
    """Lower case without diacritics (đ → d), for matching what was typed."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def matching_districts(districts: list, searched: str) -> list:
    """The districts whose code is `searched`, else those whose name contains it."""
    if not searched:
        return []
    by_code = [item for item in districts if item.code.casefold() == searched.casefold()]
    if by_code:
        return by_code
    wanted = " ".join(folded(searched).split())
    return [item for item in districts if wanted in folded(item.name)]
