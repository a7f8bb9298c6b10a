"""One sound key for a name part, whether it was written in Arabic or Latin letters.

Mohammed, Muhammad, Mohamad, Mouhamad and محمد are one name: romanisations
differ in vowels, doubled letters and digraphs, while Arabic writes no short
vowels at all. So both scripts are reduced to the consonants they agree on,
in sound classes (ت ط ث and t/th are one class; خ and kh another; ق, ك, q
and k one), vowels and the weak letters و ي ا ع ء dropped, repeats
collapsed, and a final h dropped (taa marbuta is written -a, -ah or -eh).
`محمد` and `Mohammed` both give `MHMD`. The key loses what the two scripts
cannot both show (Hassan and Hussein share `HSN`); the linkage model weighs
that against birth year, sex, household and the other name parts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from corridor.protection.arabic import arabic_parts

_ARABIC_CLASS = {
    "ب": "B", "ت": "T", "ث": "T", "ج": "J", "ح": "H", "خ": "C", "د": "D", "ذ": "T",
    "ر": "R", "ز": "Z", "س": "S", "ش": "X", "ص": "S", "ض": "D", "ط": "T", "ظ": "Z",
    "غ": "G", "ف": "F", "ق": "K", "ك": "K", "ل": "L", "م": "M", "ن": "N", "ه": "H",
    "پ": "B", "چ": "X", "ژ": "Z", "ڤ": "F", "گ": "G", "ک": "K", "ی": "",
}  # fmt: skip
"""Arabic consonants by sound class; ا و ي ى ع ء (vowels and weak letters) give nothing."""

_LATIN_DIGRAPHS = (
    ("kh", "C"), ("sh", "X"), ("ch", "X"), ("sch", "X"), ("th", "T"), ("dh", "T"),
    ("gh", "G"), ("ph", "F"), ("dj", "J"), ("tch", "X"),
)  # fmt: skip
_LATIN_CLASS = {
    "b": "B", "p": "B", "t": "T", "j": "J", "g": "J", "h": "H", "d": "D", "z": "Z",
    "r": "R", "s": "S", "f": "F", "v": "F", "q": "K", "k": "K", "c": "K", "l": "L",
    "m": "M", "n": "N", "x": "KS",
}  # fmt: skip
_ARABIC_VOWELS = {"و": "u", "ي": "i"}
_LONG_VOWEL_MARK = {
    "ou": "u", "oo": "u", "aw": "u", "ow": "u", "ee": "i", "ei": "i", "ai": "i", "ay": "i",
    "ey": "i", "i": "i",
}  # fmt: skip
_LONG_VOWELS = re.compile("|".join(_LONG_VOWEL_MARK))

_DIGRAPH = re.compile("|".join(sorted((d for d, _ in _LATIN_DIGRAPHS), key=len, reverse=True)))
_DIGRAPH_CLASS = dict(_LATIN_DIGRAPHS)

LATIN_ARTICLES = frozenset(
    {"al", "el", "ul", "il", "al'", "as", "ash", "ad", "at", "ar", "az", "an", "ath", "adh",
     "es", "esh", "ed", "er", "et", "en", "ez", "ech"}
)  # fmt: skip
LATIN_ABD = frozenset(
    {"abd", "abdel", "abdul", "abdal", "abdol", "abdil", "abdu", "abdou", "abdur", "abdus",
     "abdes", "abdar", "abder", "abdun", "abdin", "abdoul"}
)  # fmt: skip
LATIN_ABU = frozenset({"abu", "abou", "abo", "aboo"})
LATIN_CONNECTORS = frozenset({"bin", "ibn", "ben", "bint", "binti", "bent"})
LATIN_SUFFIXES = frozenset(
    {"allah", "ullah", "ulla", "alla", "illah", "lah", "din", "deen", "dine", "eddine", "eddin",
     "uddin", "ddin"}
)  # fmt: skip
"""`-allah` and `-din` close a compound (Nasrallah, Nour al-Din): joined to the part before."""
_JOINED_ARTICLE = re.compile(r"^(?:al|el)(?=[bcdfghjklmnpqrstvwxz][a-z]{3})")
_JOINED_ABD = re.compile(r"^abd(?:u|o|e|a|i|ou)?l?(?=[a-z])")
_APOSTROPHES = "'’‘ʿʾ`´"


@dataclass(frozen=True)
class NameKey:
    """A name as the matcher sees it: the sound key of each part, in order."""

    parts: tuple[str, ...]
    script: str
    """`arabic`, `latin` or `mixed`: which letters the name was written in."""
    vowelled: tuple[str, ...] = ()
    """The same parts with the long vowels both scripts show (محمود, Mahmoud: `MHMuD`)."""

    @property
    def first(self) -> str:
        return self.parts[0] if self.parts else ""

    @property
    def last(self) -> str:
        return self.parts[-1] if len(self.parts) > 1 else ""

    @property
    def middle(self) -> str:
        return " ".join(self.parts[1:-1])

    @property
    def first_vowelled(self) -> str:
        return self.vowelled[0] if self.vowelled else ""

    @property
    def last_vowelled(self) -> str:
        return self.vowelled[-1] if len(self.vowelled) > 1 else ""


def script_of(text: str) -> set[str]:
    """The scripts of the letters in `text`: a subset of {"arabic", "latin", "other"}."""
    found: set[str] = set()
    if _ARABIC_LETTER.search(text):
        found.add("arabic")
    if _LATIN_LETTER.search(text):
        found.add("latin")
    if _OTHER_LETTER.search(text):
        found.add("other")
    return found


_ARABIC_RANGES = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_LATIN_RANGES = "A-Za-z\u00c0-\u024f\u1e00-\u1eff"
_ARABIC_LETTER = re.compile(f"(?=[{_ARABIC_RANGES}])[^\\W\\d_]")
_LATIN_LETTER = re.compile(f"(?=[{_LATIN_RANGES}])[^\\W\\d_]")
_OTHER_LETTER = re.compile(f"[^\\W\\d_{_ARABIC_RANGES}{_LATIN_RANGES}]")


def arabic_key(part: str, vowels: bool = False) -> str:
    """The sound key of an Arabic part; with `vowels`, long و/ي marked as `u`/`i`."""
    marks = _ARABIC_VOWELS if vowels else {}
    return _finish("".join(_ARABIC_CLASS.get(char, marks.get(char, "")) for char in part))


def latin_key(part: str, vowels: bool = False) -> str:
    """The sound key of a Latin part; pieces joined with `-` are keyed apart (abd-jawad).

    With `vowels`, the spellings that are mostly long vowels or diphthongs
    (ou, oo, aw, ee, ei, ai, ay, and i) are marked, so Mahmoud keeps the `u`
    of محمود and Mohammed does not gain one; a lone u is mostly short
    (Muhammad, Mustafa) and is left out.
    """
    return _finish("".join(_latin_piece(piece, vowels) for piece in part.split("-")))


def vowelled_key(key_of: str, part: str) -> str:
    return arabic_key(part, True) if key_of == "arabic" else latin_key(part, True)


def _latin_piece(part: str, vowels: bool = False) -> str:
    def digraph(match: re.Match[str]) -> str:
        return "\x00" + _DIGRAPH_CLASS[match.group(0)] + "\x00"

    if vowels:
        part = _LONG_VOWELS.sub(lambda m: "\x00" + _LONG_VOWEL_MARK[m.group(0)] + "\x00", part)
        part = part.replace("\x00\x00", "")
        pieces = part.split("\x00")
        return "".join(
            piece if index % 2 else _latin_piece(piece) for index, piece in enumerate(pieces)
        )
    marked = _DIGRAPH.sub(digraph, part)
    out: list[str] = []
    outside = True
    for chunk in marked.split("\x00"):
        out.append(chunk if not outside else "".join(_LATIN_CLASS.get(c, "") for c in chunk))
        outside = not outside
    return "".join(out)


def _finish(classes: str) -> str:
    # Vowel marks count only between consonants: a first or last long vowel is
    # written in Arabic where Latin spellings vary most (ى, final ي, initial ع).
    collapsed = re.sub(r"(.)\1+", r"\1", classes.strip("ui"))
    collapsed = collapsed[:-1] if len(collapsed) > 1 and collapsed.endswith("H") else collapsed
    return collapsed.rstrip("ui")


def latin_parts(text: str) -> list[str]:
    """Latin name parts: accents and apostrophes dropped, the article dropped,
    `abd`/`abu` joined to the next part, `bin`/`ibn` dropped."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c) and c not in _APOSTROPHES)
    words: list[str] = []
    for token in plain.split():
        pieces = [p for p in token.split("-") if p]
        while len(pieces) > 1 and pieces[0] in LATIN_ARTICLES:
            pieces = pieces[1:]
        words.extend(pieces)
    words = [w for w in words if w not in LATIN_ARTICLES and w not in LATIN_CONNECTORS]
    parts: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if (word in LATIN_ABD or word in LATIN_ABU) and index + 1 < len(words):
            prefix = "abd" if word in LATIN_ABD else "abu"
            parts.append(prefix + "-" + words[index + 1])
            index += 2
            continue
        if word in LATIN_SUFFIXES and parts:
            parts[-1] += "-" + word
            index += 1
            continue
        joined = _JOINED_ABD.match(word)
        if joined and word not in LATIN_ABD:
            word = "abd-" + word[joined.end() :]
        elif _JOINED_ARTICLE.match(word):
            word = word[2:]
        parts.append(word)
        index += 1
    return parts


@lru_cache(maxsize=100_000)
def _part_keys(kind: str, part: str) -> tuple[str, str]:
    # Parts repeat across a registration (Mohammed, Ahmad, Hasan...): each is keyed once.
    if kind == "arabic":
        return arabic_key(part), arabic_key(part, True)
    return latin_key(part), latin_key(part, True)


def name_key(name: str) -> NameKey:
    """The sound keys of a name written in Arabic or Latin letters (or both)."""
    scripts = script_of(name) - {"other"}
    script = "mixed" if len(scripts) > 1 else (scripts.pop() if scripts else "")
    pieces: list[tuple[str, str]] = []
    if script == "mixed":
        for word in name.split():
            if script_of(word) == {"arabic"}:
                pieces.extend(("arabic", p) for p in arabic_parts(word))
            else:
                pieces.extend(("latin", p) for p in latin_parts(word))
    elif script == "arabic":
        pieces = [("arabic", p) for p in arabic_parts(name)]
    else:
        pieces = [("latin", p) for p in latin_parts(name)]
    keyed = [_part_keys(kind, p) for kind, p in pieces]
    keyed = [(plain, vowelled) for plain, vowelled in keyed if plain]
    return NameKey(tuple(k for k, _ in keyed), script, tuple(v for _, v in keyed))
