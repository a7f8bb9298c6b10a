"""Arabic spelling folded so that one name written by different hands meets.

Registrars write the same name with or without short vowels, with any of the
hamza seats, with taa marbuta or haa, alef maqsura or yaa, stretched with
tatweel, the article joined or apart. pyarabic (a maintained Arabic text
library) strips the marks and seats; what is specific to names (the article,
`abd` compounds, `bin`/`ibn`) is here.
"""

from __future__ import annotations

import unicodedata

import pyarabic.araby as araby

ARTICLE = "ال"
ABD = "عبد"
ABU = "ابو"
CONNECTORS = frozenset({"بن", "ابن", "بنت"})
SUFFIXES = frozenset({"الله", "الدين"})
"""`-allah` and `-din` close a compound (نصر الله, نور الدين): joined to the part before."""
"""`son of` / `daughter of`: written or left out at will, so never compared."""

_ALEF_MAQSURA = "\u0649"
_YEH = "\u064a"
_TEH_MARBUTA = "\u0629"
_HEH = "\u0647"


def is_arabic_letter(char: str) -> bool:
    """A letter of the Arabic blocks (Persian and Kurdish letters and presentation forms too)."""
    point = ord(char)
    return any(low <= point <= high for low, high in _ARABIC_BLOCKS) and char.isalpha()


_ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
                  (0xFE70, 0xFEFF))  # fmt: skip


def fold_arabic(text: str) -> str:
    """Diacritics, tatweel, hamza seats, taa marbuta and alef maqsura folded."""
    text = unicodedata.normalize("NFKC", text)
    text = araby.strip_tashkeel(text)
    text = araby.strip_tatweel(text)
    text = araby.normalize_ligature(text)
    text = araby.normalize_hamza(text, method="tasheel")
    text = text.replace("ء", "")
    text = text.replace(_ALEF_MAQSURA, _YEH).replace(_TEH_MARBUTA, _HEH)
    return text


def arabic_parts(text: str) -> list[str]:
    """Name parts: folded, the article dropped, `abd`/`abu` joined to the next part.

    `عبد الرحمن` and `عبدالرحمن` give one part `عبدرحمن` (the article
    inside a compound is written or assimilated at will); `الحلبي` gives
    `حلبي`; `بن`/`ابن`/`بنت` are dropped.
    """
    words = [w for w in fold_arabic(text).replace("-", " ").split() if w not in CONNECTORS]
    parts: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in (ABD, ABU) and index + 1 < len(words):
            parts.append(word + _without_article(words[index + 1]))
            index += 2
            continue
        if word in SUFFIXES and parts:
            parts[-1] += _without_article(word)
            index += 1
            continue
        if word.startswith(ABD + ARTICLE) and len(word) > len(ABD + ARTICLE):
            word = ABD + word[len(ABD + ARTICLE) :]
        parts.append(_without_article(word))
        index += 1
    return parts


def _without_article(word: str) -> str:
    return word[len(ARTICLE) :] if word.startswith(ARTICLE) and len(word) > 3 else word
