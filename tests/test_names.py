"""Names: story file names from titles in any language, and titles that cannot name a file."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.bank.folder import SLUG_BYTES, SLUG_CHARS, slugify


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Café rollout at Zoë's team", "cafe-rollout-at-zoes-team"),
        ("Zoë’s launch", "zoes-launch"),
        ("日本語", "日本語"),
        ("Mixed 日本 and Ελληνικά", "mixed-日本-and-ελληνικά"),
        ("हिन्दी कहानी", "हिन्दी-कहानी"),
        ("한국어 이야기", "한국어-이야기"),
        ("ガイド", "ガイド"),
        ("Straße Øresund Łódź", "strasse-oresund-lodz"),
        ("ＡＢＣ ﬁnal", "abc-final"),
        ("İstanbul", "istanbul"),
        ("Shipping weekly", "shipping-weekly"),
        ("Outage 2024", "outage-2024"),
        ("  -- Lots   of -- space --  ", "lots-of-space"),
        ("emoji 🚀 launch", "emoji-launch"),
        ("../etc/passwd", "etc-passwd"),
        (".hidden", "hidden"),
        ("con", "con-story"),
        ("README", "readme-story"),
        ("!!!", "story"),
        ("", "story"),
    ],
)
def test_slug_keeps_letters_of_every_language(title, slug):
    assert slugify(title) == slug


def test_slug_without_letters_falls_back():
    assert slugify("!!!", fallback="") == ""


@pytest.mark.parametrize(
    "title, slug",
    [
        ("word " * 30, "-".join(["word"] * 16)),  # 79 characters: cut at a hyphen
        ("a" * 100, "a" * SLUG_CHARS),  # one long word: cut in it
        ("日本語" * 40, "日本語" * 22),  # 66 letters of 3 bytes: the byte bound cuts first
    ],
)
def test_long_titles_are_cut(title, slug):
    assert slugify(title) == slug


@given(st.text())
def test_any_title_gives_a_safe_file_name(title):
    slug = slugify(title)
    assert slug and len(slug) <= SLUG_CHARS and len(slug.encode()) <= SLUG_BYTES
    assert "/" not in slug and "\\" not in slug and not slug.startswith((".", "-")) and not slug.endswith("-")
    assert slug == unicodedata.normalize("NFC", slug) and slug == slugify(slug)
