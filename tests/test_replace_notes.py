"""Replace, don't pile: a refine replaces the notes coach wrote before (kept under `## History`), keeps the user's
own in place, and stays within what the prompt asks of coach (3 hooks, 6 key words, 5 follow-ups)."""

from __future__ import annotations

from datetime import datetime

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.bank.folder import load_story
from coach.bank.models import CONFIRM_NOTE, FollowUp, Story, text_sha
from coach.bank.storyfile import parse_story, render_story
from coach.cli import app
from coach.jobs.grounded import confirm_note
from coach.jobs.refine import Refinement, apply_refinement
from coach.jobs.task import Made
from tests.llm_fixtures import completion, refinement

HOOKS = [
    "At Salesforce, our on-call rotation was losing context at every handoff.",
    "Our tech debt kept piling up while context was lost between on-call rotations.",
    "I proposed something that felt like extra work to the whole team.",
    "I led by example and wrote the first report myself.",
    "The on-call burden was wearing the team down.",
    "I kept the report presentation under 10 minutes.",
    "I met the team's concerns head on, with honesty.",
    "Our on-call handoffs were losing context, so I wrote a report.",
]
KEY_WORDS = ["lead by example", "under 10 minutes", "50%", "context loss", "tech debt", "honesty", "on-call burden",
             "sprint report", "buy in", "handoff"]
ANSWERS = [  # sourced answers, as the fixture's follow-ups give them
    [{"text": "They worried it was extra work; I met that head on.", "sources": ["like extra work"]}],
    [{"text": "Tech debt, triggered alerts and stakeholder management from the sprint.",
      "sources": ["tech debt, triggered alerts, and stakeholder management"]}],
    [{"text": "The next quarter, 50% of the tech debt backlog was no longer an issue.",
      "sources": ["50% of our tech debt backlog"]}],
]
ROUNDS = ["first", "second", "third", "fourth", "fifth", "sixth"]


def round_answer(n: int) -> dict:
    """Return refine n's answer (from 0): its own notes, three hooks, six key words, pacing, tone, three questions."""
    word = ROUNDS[n]
    return refinement(
        coaching_notes=[f"Name the alert the {word} report caught", f"Say who presented the {word} report"],
        hooks=[HOOKS[(n + i) % len(HOOKS)] for i in range(3)],
        key_words=[KEY_WORDS[(n + i) % len(KEY_WORDS)] for i in range(6)],
        pacing=f"Slow down on the {word} beat.", tone=f"Candid, then proud ({word} take).",
        follow_ups=[{"question": f"{q} ({word} take)", "answer": answer} for q, answer in zip(
            ["How did the team react?", "What did the report hold?", "How did you measure it?"], ANSWERS, strict=True)],
    )


def refine(runner, endpoint, answer: dict):
    endpoint.side_effect = [httpx.Response(200, json=completion(answer))]
    result = runner.invoke(app, ["refine", "risk", "--fresh"])
    assert result.exit_code == 0, result.output
    return result


def history(story: Story, subject: str) -> list[str]:
    return [entry.text for entry in story.history if entry.subject == subject]


def test_six_refines_leave_the_latest_notes_within_the_caps_and_the_old_ones_in_history(runner, bank, endpoint):
    for n in range(6):
        refine(runner, endpoint, round_answer(n))
    story, last = load_story(bank.root / "risk.md"), round_answer(5)
    notes = story.practice_notes
    assert notes.hooks == last["hooks"] and notes.key_words == last["key_words"]
    assert story.coaching_notes == last["coaching_notes"]
    assert (notes.pacing, notes.tone) == (last["pacing"], last["tone"])
    assert len(story.follow_ups) == 5 and all(f.written_by_coach for f in story.follow_ups)
    assert {f["question"] for f in last["follow_ups"]} <= {f.question for f in story.follow_ups}
    # every earlier note is kept, once, under ## History: one entry a refine
    kept = history(story, "replaced notes")
    assert len(kept) == 5
    assert kept[0].startswith("Coaching notes:\n- Name the alert the first report caught\n- Say who presented the first report\n\nHooks:\n- ")
    assert all(f"Pacing: {round_answer(n)['pacing']}" in kept[n] for n in range(5))
    assert all(f"- {hook}" in "\n".join(kept) for n in range(5) for hook in round_answer(n)["hooks"] if hook not in notes.hooks)
    replaced = [e.subject for e in story.history if e.subject.startswith("replaced follow-up: ")]
    assert len(replaced) == 6 * 3 - 5  # each question asked once; five stand
    assert all(e.source == "llm:test-model" for e in story.history if e.subject)
    assert len(story.coach_wrote.hooks) == 3 and len(story.coach_wrote.key_words) == 6


def test_a_second_refine_says_nothing_new_when_the_model_repeats_itself(runner, bank, endpoint):
    refine(runner, endpoint, round_answer(0))
    before = (bank.root / "risk.md").read_bytes()
    result = refine(runner, endpoint, round_answer(0))
    assert "  added: nothing new" in result.stdout
    assert (bank.root / "risk.md").read_bytes() == before  # same text, same fingerprints: no byte changes


def test_hand_edited_notes_survive_a_refine_in_place(runner, bank, endpoint):
    refine(runner, endpoint, round_answer(0))
    path = bank.root / "risk.md"
    first = round_answer(0)
    text = path.read_text()
    for old, new in [(first["hooks"][1], "Our tech debt kept piling up, and I said so."),
                     (first["coaching_notes"][0], "Name the alert the first report caught: the disk alert"),
                     (first["pacing"], "Pause after the pitch; I rush it.")]:
        text = text.replace(f"{old}\n", f"{new}\n", 1)
    text = text.replace("### Key Words\n\n", "### Key Words\n\n- my own phrase\n", 1)
    path.write_text(text)
    refine(runner, endpoint, round_answer(3))
    story, last = load_story(path), round_answer(3)
    assert story.practice_notes.hooks == [*last["hooks"], "Our tech debt kept piling up, and I said so."]  # where they were
    assert story.coaching_notes == ["Name the alert the first report caught: the disk alert", *last["coaching_notes"]]
    assert story.practice_notes.pacing == "Pause after the pitch; I rush it."  # the user's: the model's is not applied
    assert story.practice_notes.tone == last["tone"]
    assert story.practice_notes.key_words == ["my own phrase", *last["key_words"]]
    assert history(story, "replaced notes") == [
        f"Coaching notes:\n- {first['coaching_notes'][1]}\n\nHooks:\n- {first['hooks'][0]}\n- {first['hooks'][2]}\n\n"
        "Key words:\n- lead by example\n- under 10 minutes\n- 50%\n\nTone: Candid, then proud (first take)."]


def test_a_bank_without_fingerprints_loses_nothing(runner, bank, endpoint):
    path = bank.root / "risk.md"
    text = path.read_text()
    mine = {"notes": ["Mention the ROI slide", 'Confirm or cut: "a sentence" (not found in your material) - true!'],
            "hooks": ["Hook one of mine.", "Hook two of mine.", "Hook three of mine.", "Hook four of mine."],
            "key_words": ["one", "two", "three", "four", "five", "six", "seven"]}
    text = text.replace("## Coaching Notes\n", "## Coaching Notes\n\n" + "\n".join(f"- {n}" for n in mine["notes"]) + "\n")
    text = text.replace("### Opening Hooks\n", "### Opening Hooks\n\n" + "\n".join(f"* {h}" for h in mine["hooks"]) + "\n")
    text = text.replace("### Key Words\n", "### Key Words\n\n" + "\n".join(f"- {k}" for k in mine["key_words"]) + "\n")
    text = text.replace("### Pacing\n", "### Pacing\n\nSlow.\n").replace("### Tone\n", "### Tone\n\nWarm.\n")
    path.write_text(text)
    before = load_story(path)
    refine(runner, endpoint, round_answer(0))
    after, first = load_story(path), round_answer(0)
    assert after.coaching_notes == [*mine["notes"], *first["coaching_notes"]]
    assert after.practice_notes.hooks == [*mine["hooks"], *first["hooks"]]
    assert after.practice_notes.key_words == [*mine["key_words"], *first["key_words"]]
    assert (after.practice_notes.pacing, after.practice_notes.tone) == ("Slow.", "Warm.")
    assert [e for e in after.history if e.subject] == []  # nothing of the user's was moved
    assert "* Hook one of mine.\n* Hook two of mine." in path.read_text()
    assert before.draft == after.draft


# The merge itself, without an endpoint.

AT = datetime(2026, 12, 1, 23, 0)


def answer(**changes) -> Refinement:
    return Refinement.model_validate(round_answer(0) | changes)


def test_follow_ups_are_added_up_to_the_cap_then_take_the_places_of_unedited_ones_no_longer_asked():
    story = Story(title="T", type="risk")
    for n in range(5):
        story.follow_ups.append(FollowUp.written(f"Old question {ROUNDS[n]}?", "An answer.", "m"))
    story.follow_ups[0].answer = "An answer I rewrote."  # the user's now: coach has four
    story.follow_ups[1].pinned = True  # coach's, counted, never replaced
    merge = apply_refinement(story, answer(), Made("m2", AT))
    new = [f["question"] for f in round_answer(0)["follow_ups"]]
    old = [f"Old question {word}?" for word in ROUNDS[:5]]
    assert [f.question for f in merge.story.follow_ups] == [old[0], old[1], new[1], new[2], old[4], new[0]]
    assert [e.subject for e in merge.story.history] == [f"replaced follow-up: {q}" for q in old[2:4]]
    assert merge.added["follow-ups"] == 3 and merge.replaced["follow-ups"] == 2
    assert sum(f.written_by_coach for f in merge.story.follow_ups) == 5


def test_the_same_question_rewrites_coachs_answer_and_leaves_the_users():
    story = Story(title="T", type="risk")
    asked = [f["question"] for f in round_answer(0)["follow_ups"]]
    story.follow_ups = [FollowUp.written(asked[0], "Coach's old answer.", "m"), FollowUp(question=asked[1], answer="Mine.")]
    merged = apply_refinement(story, answer(), Made("m2", AT)).story
    assert merged.follow_ups[0].answer == "They worried it was extra work; I met that head on."
    assert merged.follow_ups[1].answer == "Mine."
    assert [(e.subject, e.text, e.source) for e in merged.history] == [(f"follow-up: {asked[0]}", "Coach's old answer.", "llm:m")]


def test_a_note_to_confirm_stays_while_its_sentence_still_stands_in_a_follow_up():
    story = Story(title="T", type="risk", refined="An old version.")
    story.follow_ups = [FollowUp(question="Who helped?", answer="Sam helped a lot. Then we shipped.")]
    standing, gone = confirm_note("Sam helped a lot.", "Who helped?"), confirm_note("An old version.")
    story.coaching_notes = [standing, confirm_note("Nobody helped.", "Who helped?"), gone]
    merged = apply_refinement(story, answer(), Made("m", AT), ["Fresh doubt."]).story
    assert merged.coaching_notes == [confirm_note("Fresh doubt."), *round_answer(0)["coaching_notes"], standing]
    assert history(merged, "replaced notes") == [f'Coaching notes:\n- {confirm_note("Nobody helped.", "Who helped?")}\n- {gone}']


def test_notes_to_confirm_name_only_follow_ups_the_refine_wrote():
    story = Story(title="T", type="risk")
    question = round_answer(0)["follow_ups"][0]["question"]
    story.follow_ups = [FollowUp(question=question, answer="My own answer.")]
    unsourced = [("They worried it was extra work.", question), ("Tech debt.", round_answer(0)["follow_ups"][1]["question"])]
    merged = apply_refinement(story, answer(), Made("m", AT), unsourced).story
    assert [n for n in merged.coaching_notes if n.startswith("Confirm")] == [confirm_note(*unsourced[1])]


def test_the_confirm_note_form_is_the_one_coach_writes():
    assert CONFIRM_NOTE.fullmatch(confirm_note('He said "no".', 'Why "no"?'))["sentence"] == 'He said "no".'
    assert CONFIRM_NOTE.fullmatch(confirm_note("A claim."))["question"] is None
    assert CONFIRM_NOTE.fullmatch(confirm_note("A claim.") + " Confirmed.") is None


def test_fingerprints_round_trip_and_forget_what_was_edited():
    story = Story(title="T", type="risk")
    apply_refinement(story, answer(), Made("m", AT))
    text = render_story(story)
    assert "coach_wrote:\n  coaching_notes: [" in text and f"  pacing: [{text_sha(story.practice_notes.pacing)}]\n" in text
    assert parse_story(text) == story
    edited = parse_story(text.replace(HOOKS[0], "My hook."))
    assert edited.by_coach("hooks") == [False, True, True] and len(edited.coach_wrote.hooks) == 2


# Whatever the user did to coach's notes between two refines, no word of theirs is lost or moved out of order, and
# every note of coach's that leaves the story is in its history.

WORDS = st.sampled_from(["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"])
ITEM = st.lists(WORDS, min_size=1, max_size=3).map(" ".join)
EDITS = st.lists(st.tuples(st.sampled_from(["keep", "edit", "delete"]), ITEM), min_size=6, max_size=6)


@settings(max_examples=80, deadline=None)
@given(mine=st.lists(ITEM, max_size=4), edits=EDITS, hooks=st.lists(ITEM, max_size=5), notes=st.lists(ITEM, max_size=4))
def test_no_word_of_the_users_is_lost_and_coachs_replaced_notes_are_kept(mine, edits, hooks, notes):
    story = Story(title="T", type="risk")
    story.practice_notes.hooks = list(mine)
    apply_refinement(story, answer(hooks=[f"coach {h}" for h in ("one", "two", "three")],
                                   coaching_notes=["coach note one", "coach note two"]), Made("m", AT))
    story = parse_story(render_story(story))
    for (action, text), name in zip(edits, ["hooks"] * 3 + ["coaching_notes"] * 3, strict=True):
        items = story.notes_list(name)
        target = next((i for i, item in enumerate(items) if item.startswith("coach")), None)
        if target is not None and action == "edit":
            items[target] = f"{items[target]} {text}"
        elif target is not None and action == "delete":
            del items[target]
    story = parse_story(render_story(story))
    theirs = {name: [i for i, coach in zip(story.notes_list(name), story.by_coach(name), strict=True) if not coach]
              for name in ("hooks", "coaching_notes")}
    coachs = {name: [i for i, coach in zip(story.notes_list(name), story.by_coach(name), strict=True) if coach]
              for name in ("hooks", "coaching_notes")}
    merged = apply_refinement(story, answer(hooks=hooks, coaching_notes=notes or ["fresh"]), Made("m2", AT)).story
    for name in ("hooks", "coaching_notes"):
        after = merged.notes_list(name)
        assert [item for item in after if item in theirs[name]] == theirs[name]  # all there, in their order
        kept = "\n".join(e.text for e in merged.history)
        assert all(item in after or f"- {item}" in kept for item in coachs[name])
        assert sum(merged.by_coach(name)) <= (3 if name == "hooks" else len(notes or ["fresh"]))
    assert parse_story(render_story(merged)) == merged


def test_the_summary_and_json_say_what_a_refine_replaced(runner, bank, endpoint):
    refine(runner, endpoint, round_answer(0))
    endpoint.side_effect = [httpx.Response(200, json=completion(round_answer(1)))]
    result = runner.invoke(app, ["refine", "risk", "--fresh", "--json"])
    [data] = __import__("json").loads(result.stdout)
    # the hooks and key words rotate, so two of three hooks and five of six key words stay
    assert data["replaced"] == {"follow_ups": 1, "coaching_notes": 2, "hooks": 1, "key_words": 1, "pacing": 1, "tone": 1}
    endpoint.side_effect = [httpx.Response(200, json=completion(round_answer(2)))]
    text = runner.invoke(app, ["refine", "risk", "--fresh"]).stdout
    first, *rest = text.split("\n  replaced coach's earlier: ", 1)[1].split("\n")
    line = " ".join([first, *__import__("itertools").takewhile(lambda more: more.startswith("    "), rest)])  # wrapped
    line = " ".join(line.split())
    assert "2 coaching notes, 1 hook, 1 key word, 1 pacing, 1 tone" in line and line.endswith("(kept under ## History)")
