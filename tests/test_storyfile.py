"""The story file format: parse and render are inverses, and bad files get one clear error."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.bank.models import (
    FollowUp,
    HistoryEntry,
    PracticeNotes,
    PracticeTake,
    Question,
    QuestionGroup,
    Story,
)
from coach.bank.storyfile import parse_story, render_story
from coach.errors import StoryFormatError

word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCXYZ0123456789,.'!?%$()\"-", min_size=1, max_size=8).filter(
    lambda w: not w.startswith(("-", "#"))
)
line = st.lists(word, min_size=1, max_size=8).map(" ".join)
paragraph = st.lists(line, min_size=1, max_size=3).map("\n".join)
prose = st.lists(paragraph, min_size=0, max_size=3).map("\n\n".join)
heading = line.filter(lambda text: " · " not in text)
items = st.lists(line, max_size=3)

stories = st.builds(
    Story,
    title=line,
    type=st.sampled_from(["risk", "conflict", "custom-type"]),
    values=st.lists(line, max_size=3),
    target_seconds=st.none() | st.tuples(st.integers(10, 60), st.integers(61, 120)),
    refined_by=st.sampled_from(["", "gpt-4o-mini", "llama3.1:8b"]),
    refined_sha=st.sampled_from(["", "0123456789ab"]),
    practice=st.lists(
        st.builds(
            PracticeTake,
            at=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)).map(lambda d: d.replace(microsecond=0)),
            seconds=st.floats(1, 300).map(lambda s: round(s, 1)),
            words=st.none() | st.integers(1, 400),
        ),
        max_size=3,
    ),
    draft=prose,
    extraction=st.lists(
        st.builds(QuestionGroup, heading=heading, questions=st.lists(
            st.builds(Question, text=heading, answer=prose)
            | st.builds(Question, text=heading, answer=prose, proposed=line, proposed_from=st.lists(line, max_size=2)),
            max_size=3,
        )),
        max_size=3,
    ),
    refined=prose,
    coaching_notes=items,
    practice_notes=st.builds(PracticeNotes, hooks=items, pacing=line | st.just(""), tone=line | st.just(""), key_words=items, delivery_points=items),
    follow_ups=st.lists(
        st.builds(FollowUp, question=heading, answer=prose, pinned=st.booleans())
        | st.builds(FollowUp, question=heading, answer=prose, by=st.just("gpt-5-mini"), sha=st.just("0123456789ab"), pinned=st.booleans()),
        max_size=3,
    ),
    history=st.lists(st.builds(HistoryEntry, saved=heading, source=st.sampled_from(["hand", "llm", "imported"]), text=prose,
                               subject=st.just("") | heading), max_size=2),
)


@settings(max_examples=150, deadline=None)
@given(stories)
def test_render_then_parse_gives_back_the_story(story):
    text = render_story(story)
    assert parse_story(text) == story
    assert render_story(parse_story(text)) == text


def test_file_written_by_tool_round_trips_byte_for_byte(bank):
    for path in bank.story_paths():
        text = path.read_text()
        assert render_story(parse_story(text, path)) == text


def test_crlf_story_file_parses_like_lf(bank):
    path = bank.story_paths()[0]
    text = path.read_text()
    assert parse_story(text.replace("\n", "\r\n")) == parse_story(text)


GOOD = "---\ntitle: T\ntype: risk\nvalues: []\n---\n\n## Draft\n\nHello.\n"


@pytest.mark.parametrize(
    "text, message, line",
    [
        ("no front matter\n", "missing front matter", 1),
        ("---\ntitle: T\n", "never closed", 1),
        ("---\ntitle: [unclosed\n---\n", "malformed front matter", 2),
        ("---\ntitle: T\ntype: risk\ncolour: red\n---\n", "unknown front matter key 'colour'", 2),
        ("---\ntype: risk\n---\n", "title: Field required", 1),
        (GOOD + "\n## draft\n\nAgain.\n", "'## draft' appears twice (lines 7 and 11)", 11),
        ("---\ntitle: T\ntype: risk\npractice: [{at: soon, seconds: 3}]\n---\n", "practice.0.at", 1),
    ],
)
def test_malformed_story_names_file_and_line(text, message, line):
    with pytest.raises(StoryFormatError) as caught:
        parse_story(text, "bank/x.md")
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"bank/x.md:{line}: ")


def test_what_coach_does_not_read_is_no_error():
    text = ("---\ntitle: T\ntype: risk\n---\n# My notes\nstray\n## Draft\n\nHello <!-- private --> there.\n\n"
            "## Lessons\n\nMine.\n\n## Coaching Notes\n\n* one\n<!-- ask Sam -->\n+ two\n\n## Practice Notes\n\n### Vibe\n\nx\n")
    story = parse_story(text)
    assert story.draft == "Hello  there."
    assert story.coaching_notes == ["one", "two"]
    assert story.practice_notes.is_empty()
