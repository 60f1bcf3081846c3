"""The one normalisation of searchable Vietnamese text (diacritics and case ignored)."""

from functools import lru_cache

from unidecode import unidecode


@lru_cache(maxsize=65_536)
def _fold(part: str) -> str:
    # Names, requesters and summaries repeat: unidecode is the costly step of writing a search key.
    return " ".join(unidecode(part).lower().split())


def search_key(*parts: str) -> str:
    """Lower-case ASCII form of Vietnamese text: "Đăng ký con dấu" → "dang ky con dau"."""
    return " ".join(_fold(part) for part in parts if part)
