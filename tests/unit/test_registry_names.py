"""Arabic folding and the cross-script sound keys the matcher and the name index use."""

from __future__ import annotations

import pytest

from corridor.protection.arabic import arabic_parts, fold_arabic
from corridor.protection.transliteration import name_key, script_of


@pytest.mark.parametrize(
    "spellings",
    [
        ("محمد", "مُحَمَّد", "Mohammed", "Muhammad", "Mohamad", "Mouhamad", "Mohamed"),
        ("أحمد", "احمد", "إحمد", "Ahmad", "Ahmed"),
        ("فاطمة", "فاطمه", "Fatima", "Fatimah", "Fatmeh"),
        ("عبد الرحمن", "عبدالرحمن", "Abdulrahman", "Abd al-Rahman", "Abdel Rahman", "Abdurrahman"),
        ("عبد الله", "Abdullah", "Abdallah", "Abd-Allah"),
        ("خالد", "Khaled", "Khalid"),
        ("يحيى", "يحيي", "Yahya", "Yehya"),
        ("مصطفى", "Mustafa", "Mostafa"),
        ("نصر الله", "Nasrallah", "Nasr Allah"),
        ("نور الدين", "Nour al-Din", "Nureddin", "Nour Eddine"),
        ("الحلبي", "al-Halabi", "Al Halabi", "El-Halabi", "Alhalabi"),
        ("سعيد", "سـعـيـد", "Saeed", "Said"),
    ],
)
def test_spellings_of_one_name_share_one_sound_key(spellings: tuple[str, ...]) -> None:
    """Every spelling, in either script, with or without marks and articles, gives one key."""
    keys = {name: name_key(name).parts for name in spellings}
    assert len(set(keys.values())) == 1, keys


@pytest.mark.parametrize(
    ("left", "right"),
    [("Omar", "Ali"), ("Khaled", "Walid"), ("يوسف", "Younis"), ("حسن", "Hamza")],
)
def test_different_names_keep_different_keys(left: str, right: str) -> None:
    """Distinct names are not folded together."""
    assert name_key(left).parts != name_key(right).parts


@pytest.mark.parametrize(
    ("one", "other"),
    [(("محمد", "Mohammed", "Muhammad"), ("محمود", "Mahmoud")), (("حسن",), ("حسين", "Hussein"))],
)
def test_names_one_long_vowel_apart_differ_in_their_vowelled_keys(
    one: tuple[str, ...], other: tuple[str, ...]
) -> None:
    """Mohammed and Mahmoud share consonants; the long vowel both scripts show parts them."""
    ones = {name_key(name).vowelled for name in one}
    others = {name_key(name).vowelled for name in other}
    assert len(ones) == 1
    assert len(others) == 1
    assert ones != others


def test_folding_removes_marks_tatweel_and_hamza_seats() -> None:
    """Short vowels, shadda, tatweel, hamza seats, taa marbuta and alef maqsura fold."""
    assert fold_arabic("مُحَمَّـــد") == "محمد"
    assert fold_arabic("أسامة") == fold_arabic("اسامه")
    assert fold_arabic("مصطفى") == "مصطفي"


def test_article_and_connectors_are_dropped_and_abd_joins_the_next_part() -> None:
    """`ال` falls from a part, `بن` is dropped, `عبد` joins the word after it."""
    assert arabic_parts("عبد الرحمن بن خالد الحلبي") == ["عبدرحمن", "خالد", "حلبي"]


def test_a_full_name_keeps_first_middle_and_family_parts_in_order() -> None:
    """The key of a three-part name has its first, middle and family parts."""
    key = name_key("Mohammed Ahmad al-Halabi")
    assert (key.first, key.middle, key.last) == ("MHMD", "HMD", "HLB")
    assert name_key("محمد أحمد الحلبي").parts == key.parts


def test_scripts_are_told_apart() -> None:
    """Arabic, Latin (accents included) and any other script are named as such."""
    assert script_of("محمد Nehmé") == {"arabic", "latin"}
    assert script_of("Иван") == {"other"}
    assert script_of("12 -") == set()
