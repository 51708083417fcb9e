"""Prompts a capable model reads one way: weak spots are gaps in the story, values come with their meanings, versions
that are no source of facts say so, a short draft is told to stay short, and feedback sees the stories it may use."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from coach.bank.models import Story
from coach.bank.settings import BankSettings, CompanyValue
from coach.interview.feedback import FeedbackTask
from coach.interview.session import Planned, Round, Session, Turn
from coach.jobs.followups import GenerateTask, weak_spots
from coach.jobs.refine import RefineTask, Target
from coach.llm.prompts import render_prompt
from coach.method.context import story_context

DELIVERY = ("is used 2 times", "Filler words", "over the", "under the", "appears nowhere", "wpm")


def stories(bank) -> dict[str, Story]:
    return {path.stem: story for path, story in bank.stories()}


def user_prompt(task) -> str:
    return task.messages()[1]["content"]


def test_weak_spots_are_gaps_in_the_story_never_delivery_findings(bank):
    settings = bank.settings()
    for slug, story in stories(bank).items():
        spots = weak_spots(story, settings)
        assert not [s for s in spots if any(word in s for word in DELIVERY)], slug
        assert spots[-1].startswith(f"whether what the candidate did shows {story.values[0]}")
    team = weak_spots(stories(bank)["team"], settings)
    assert team[0] == "a long background before the first action: what exactly the candidate decided and did"


def test_weak_spots_name_a_missing_number_stakes_ownership_and_open_questions(bank):
    story = stories(bank)["risk"]
    story.refined = "We had a plan. We met every week. We shipped the new report. We all liked it at Netflix."
    story.extraction[0].questions[0].answer = ""
    spots = weak_spots(story, bank.settings())
    assert "a result without a number: what changed, by how much, and how the candidate knows" in spots
    assert '"we" more than "I": what the candidate did themselves, apart from the team' in spots
    assert "no stakes: what would have happened if it had failed, and who would have felt it" in spots
    assert f"an unanswered extraction question: {story.extraction[0].questions[0].text}" in spots
    story.refined = "I proposed the report. The result was [how many alerts fewer] at Netflix."
    assert "a fact still missing, marked [how many alerts fewer] in the story" in weak_spots(story, bank.settings())


def test_the_followups_prompt_says_the_refined_version_is_no_source_and_probes_content(bank):
    story = stories(bank)["team"]
    user = user_prompt(GenerateTask(Path("team.md"), story, bank.settings()))
    system = GenerateTask(Path("team.md"), story, bank.settings()).messages()[0]["content"]
    assert "It is not a\nsource of facts" in user and "Only\nthe draft and the answers above are facts" in user
    assert "velocity increased 30%" in user  # shown, for context, under that warning
    weak = user.split("Weak spots of this story")[1]
    assert not [word for word in DELIVERY if word in weak]
    assert "How it is delivered (wording, length, filler) is the coach's\nbusiness" in system


@pytest.mark.parametrize(
    ("bank_values", "story_values", "heading", "lines"),
    [
        ([CompanyValue(name="Grit", meaning="Keep going.")], ["Grit"],
         "Values this story should show, with what Acme means by them:", ["- Grit: Keep going."]),
        ([CompanyValue(name="Grit", meaning="Keep going.")], ["Grit", "Zest"],
         "Values this story should show, with what Acme means by them where known:", ["- Grit: Keep going.", "- Zest"]),
        ([CompanyValue(name="Grit")], ["Grit"], "Values this story should show (no meanings given: read each by its name):",
         ["- Grit"]),
        ([], [], "Values this story should show: none chosen yet (it may show any of Acme's values).", []),
    ],
)
def test_the_values_line_says_what_follows_it(bank_values, story_values, heading, lines):
    story = Story(title="T", type="risk", values=story_values, draft="I did it.")
    user = render_prompt("analyze", **story_context(story, BankSettings(company="Acme", values=bank_values)), open=[])[1]["content"]
    assert heading in user.splitlines()
    assert all(line in user.splitlines() for line in lines)


def test_a_value_without_a_meaning_in_the_bank_takes_the_built_in_profiles():
    story = Story(title="T", type="risk", values=["Courage"], draft="I did it.")
    values = story_context(story, BankSettings(company="Netflix", values=[CompanyValue(name="Courage")]))["values"]
    assert values[0].meaning.startswith("Take smart risks")


def test_the_refine_prompt_says_the_previous_version_is_no_source(bank):
    story, settings = stories(bank)["team"], bank.settings()
    user = user_prompt(RefineTask(Path("team.md"), story, settings, Target.of(story, settings)))
    warning = user.split("<previous>")[0]
    assert "It is not a source of facts: it may hold claims" in warning and "never\nfrom this version" in warning
    assert user.rstrip().endswith("(the current refined version is not a source).")


def short_story(words: int) -> Story:
    return Story(title="T", type="risk", values=["Courage"], draft=" ".join(["word"] * words))


def test_a_draft_as_long_as_the_window_keeps_the_window():
    story, settings = short_story(200), BankSettings(company="Netflix")
    target = Target.of(story, settings, (60, 90))
    assert (target.short, target.words, target.aim) == (False, (150, 225), 187)
    system = RefineTask(Path("x.md"), story, settings, target).messages()[0]["content"]
    assert "Length: 60-90 seconds spoken at 150 words per minute, which is 150 to 225 words." in system


def test_a_short_draft_is_told_to_stay_short_and_mark_what_is_missing():
    story, settings = short_story(82), BankSettings(company="Netflix")
    target = Target.of(story, settings, (60, 90))
    assert (target.short, target.material_words, target.words, target.aim) == (True, 82, (75, 225), 97)
    system, user = (m["content"] for m in RefineTask(Path("x.md"), story, settings, target).messages())
    assert "hold only 82 words: too few facts to fill it. Do not pad" in system
    assert "[what was at stake]" in system and "75 to 225 words, about 97" in system
    assert "which is 150 to 225 words" not in system
    assert user.rstrip().endswith("and a [placeholder] for each fact they lack.")
    assert "between 75 and 225 words, shorter than the window rather than padded" in user


def test_answers_count_as_material_and_a_target_without_material_is_never_short(bank):
    story, settings = stories(bank)["team"], bank.settings()
    assert not Target.of(story, settings).short
    assert not Target((45, 60), 150).short and Target((45, 60), 150).words == (112, 150)


def feedback_task(bank, value: str, themes: list[str]) -> FeedbackTask:
    session = Session(Path("s.md"), datetime(2026, 12, 1), "Netflix", "", "neutral", "m", (45, 60), 150)
    turn = Turn("question", "Tell me about a risk.", "I took a risk once and it worked.")
    r = Round(1, Planned("Tell me about a risk.", value, themes), [turn], seconds=3.0)
    return FeedbackTask(session, r, [(path.stem, story) for path, story in bank.stories()], bank.settings())


def test_the_feedback_prompt_shows_the_material_of_the_stories_that_fit(bank):
    task = feedback_task(bank, "Courage", ["risk"])
    assert [slug for slug, _ in task.fitting()] == ["risk", "conflict"]
    system, user = (m["content"] for m in task.messages())
    assert "from the material shown below for the story you name in `best_story`" in system
    assert '<story id="risk">' in user and '<story id="conflict">' in user and '<story id="team">' not in user
    assert "A: The next quarter we found that 50% of our tech debt backlog were no longer issues." in user
    shown = user.split("What the stories that fit this question best say")[1]
    assert len(shown.split()) < 2 * (400 + 50) + 50  # two stories of about 400 words, the last answer may run over


def test_the_feedback_prompt_cuts_a_long_story_and_shows_none_that_does_not_fit(bank):
    risk = bank.root / "risk.md"
    risk.write_text(risk.read_text().replace("As expected,", "As expected, " + "very " * 600, 1))
    user = user_prompt(feedback_task(bank, "Courage", ["risk"]))
    assert "very very … (cut)" in user
    assert "What the stories that fit" not in user_prompt(feedback_task(bank, "Frugality", ["general"]))
