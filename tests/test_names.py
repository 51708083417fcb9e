"""Names: story file names from titles in any language, and titles that cannot name a file."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coach.bank.folder import SLUG_BYTES, SLUG_CHARS, slugify
from coach.cli import app


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


def new_story(runner, *args):
    if not Path("stories/coach.yaml").exists():  # a bank is started with `coach init` before its first story
        assert runner.invoke(app, ["init"]).exit_code == 0
    return runner.invoke(app, ["new", *args])


@pytest.mark.parametrize(
    "title, file_name",
    [("Café rollout at Zoë's team", "cafe-rollout-at-zoes-team.md"), ("日本語", "日本語.md"), ("  Shipping weekly ", "shipping-weekly.md")],
)
def test_new_story_is_named_by_its_title(runner, tmp_path, title, file_name):
    result = new_story(runner, "risk", "--title", title)
    assert result.exit_code == 0, result.output
    assert f"title: {title.strip()}\n" in (tmp_path / "stories" / file_name).read_text()


@pytest.mark.parametrize(
    "title, message",
    [
        ("!!!", 'Error: --title "!!!" has no letters or digits to name the file with; use words, e.g. --title "Shipping weekly"'),
        ("   ", 'Error: --title is empty; give the story a title in words, e.g. --title "Shipping weekly"'),
        ("Risk", 'Error: --title "Risk" would name the file risk.md, and `coach practice risk` would then mean this failure '
                 'story, not your risk story; choose a title that says more, e.g. --title "Shipping weekly"'),
    ],
)
def test_unusable_titles_are_refused(runner, tmp_path, title, message):
    result = new_story(runner, "failure", "--title", title)
    assert result.exit_code == 2
    assert result.output.strip() == message
    assert [path.name for path in (tmp_path / "stories").iterdir()] == ["coach.yaml"]  # `coach init`'s, no story


def test_a_title_naming_an_existing_file_says_so(runner, tmp_path):
    assert new_story(runner, "risk", "--title", "Shipping weekly").exit_code == 0
    result = new_story(runner, "risk", "--title", "shipping  WEEKLY")
    assert result.exit_code == 2
    assert result.output.strip() == ('Error: stories/shipping-weekly.md already exists and --title "shipping  WEEKLY" '
                                     "names the same file; choose another title, or pass --force to overwrite it")
    assert new_story(runner, "risk", "--title", "Risk").exit_code == 0  # a risk story may take its own type's name
