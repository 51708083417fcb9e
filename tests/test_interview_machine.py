"""The interview as a state machine, driven purely by calls on the object, with no terminal: start, answer, probe,
feedback, the next question, the end; the commands; failures that keep the transcript; the next turn's prompt."""

from __future__ import annotations

import json
from datetime import datetime

import httpx
import pytest
import yaml

from coach.errors import Interrupted, LLMError
from coach.interview import (
    Done,
    Help,
    Hint,
    Interview,
    OutOfTurn,
    Planned,
    Probe,
    Question,
    Repeat,
    RoundFeedback,
    Scripted,
    Skipped,
    Speaking,
    Stage,
    Waiting,
    parse_answers,
    plan,
)
from tests.test_followups import flat
from tests.test_interview import PROBE_ANSWER, STRONG, THIRD, WEAK, Endpoint, feedback

STARTED = datetime(2026, 11, 24, 21, 22, 24)
COURAGE = Planned("Tell me about a time you took a risk.", "Courage", ["risk"])
CANDOR = Planned("Tell me about a time you disagreed with your manager.", "Candor", ["conflict"])
DOWN = httpx.Response(401, json={"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}})


@pytest.fixture
def engine(bank, endpoint):
    from coach.cli.model import engine_for

    return engine_for(bank, None)[0]


def machine(bank, engine, *planned: Planned, **options) -> Interview:
    return Interview(bank, engine, list(planned or [COURAGE]), now=lambda: STARTED, **options)


def saved(bank) -> tuple[str, dict]:
    text = (bank.root / "sessions" / "2026-11-24-212224.md").read_text()
    return text, yaml.safe_load(text.split("---\n")[1])


def test_a_session_from_first_question_to_done(bank, engine, endpoint):
    fake = Endpoint([feedback(WEAK + " " + PROBE_ANSWER), feedback(THIRD)],
                    ["Tell me about a risk you took.", "What did you do yourself?", "Tell me about a hard truth."])
    endpoint.side_effect = fake
    interview = machine(bank, engine, COURAGE, CANDOR)
    asked = interview.start()
    assert asked == Question(1, "Courage", "Tell me about a risk you took.") and interview.stage is Stage.ASKED
    probe = interview.answer(WEAK, can_probe=True)
    assert isinstance(probe, Probe) and probe.text == "What did you do yourself?" and "\"we\" more than \"I\"" in probe.why
    text, front = saved(bank)  # the answer is on disk before the probe is answered
    assert WEAK in text and front["status"] == "in progress"
    scored = interview.answer(PROBE_ANSWER, can_probe=False)  # no reply to a second probe: it is noted, not asked
    assert isinstance(scored, RoundFeedback) and scored.round.scores["structure"] == 4
    assert scored.round.unasked == ["the result has no number: how much, how many, how fast"]
    assert [t.kind for t in scored.round.turns] == ["question", "probe"] and interview.stage is Stage.BETWEEN
    second = interview.next()
    assert second == Question(2, "Candor", "Tell me about a hard truth.")
    assert isinstance(interview.answer(THIRD, can_probe=False), RoundFeedback)
    done = interview.next()
    assert isinstance(done, Done) and done.session.status == "complete" and len(done.session.rounds) == 2
    _, front = saved(bank)
    assert front["status"] == "complete" and front["answered"] == 2 and set(front["values"]) == {"Courage", "Candor"}
    with pytest.raises(OutOfTurn):
        interview.next()


def test_the_interviewer_is_announced_before_its_words_stream(bank, engine, endpoint):
    endpoint.side_effect = Endpoint([feedback(WEAK)], ["Tell me about a risk you took.", "What did you do?"])
    told: list = []
    interview = machine(bank, engine, on_speaking=told.append, on_words=told.append)
    interview.start()
    interview.answer(WEAK)
    probe_at = told.index(Speaking("probe", 1, "Courage"))
    assert told[0] == Speaking("question", 1, "Courage") and len(told[1:probe_at]) >= 3  # streamed in pieces
    assert "".join(told[1:probe_at]) == "Tell me about a risk you took." and "".join(told[probe_at + 1:]) == "What did you do?"


def test_skip_moves_on_and_quit_ends_the_session(bank, engine, endpoint):
    fake = Endpoint([feedback(STRONG)])
    endpoint.side_effect = fake
    interview = machine(bank, engine, COURAGE, CANDOR, COURAGE)
    interview.start()
    assert interview.answer("/skip") == Skipped(1) and interview.stage is Stage.BETWEEN
    assert isinstance(interview.next(), Question)
    assert isinstance(interview.answer(STRONG, can_probe=False), RoundFeedback)
    assert isinstance(interview.next(), Question)
    done = interview.answer("/QUIT")
    assert isinstance(done, Done) and done.session.status == "quit"
    assert [r.number for r in done.session.rounds] == [1, 2]  # the question left unanswered is not kept
    text, front = saved(bank)
    assert "**You:** (skipped)" in text and front["questions"] == 2 and front["answered"] == 1
    assert len([b for b in fake.sent if not b.get("stream")]) == 1  # feedback once: a skipped question has none


def test_quit_on_a_probe_scores_the_answer_first(bank, engine, endpoint):
    endpoint.side_effect = Endpoint([feedback(WEAK)])
    interview = machine(bank, engine, COURAGE, CANDOR)
    interview.start()
    assert isinstance(interview.answer(WEAK), Probe)
    assert isinstance(interview.answer("/quit"), RoundFeedback)
    done = interview.next()
    assert isinstance(done, Done) and done.session.status == "quit" and len(done.session.rounds) == 1


def test_commands_leave_the_question_standing(bank, engine, endpoint):
    endpoint.side_effect = Endpoint([], ["Tell me about a risk you took."])
    interview = machine(bank, engine)
    interview.start()
    hint = interview.answer("/hint")
    assert isinstance(hint, Hint) and hint.text.startswith("Try your risk story (The Risk Story). Open with:")
    assert interview.answer(" /repeat ") == Repeat("Tell me about a risk you took.")
    assert interview.answer("/louder") == Help("/louder")
    assert interview.answer("  \n ") == Waiting("Tell me about a risk you took.")
    assert interview.stage is Stage.ASKED and not (bank.root / "sessions").exists()
    done = interview.answer("/quit")
    assert isinstance(done, Done) and not (bank.root / "sessions").exists()  # nothing answered, nothing kept


def test_an_endpoint_failure_mid_session_keeps_the_transcript(bank, engine, endpoint):
    endpoint.side_effect = Endpoint([feedback(STRONG)], ["Tell me about a risk you took.", DOWN])
    interview = machine(bank, engine, COURAGE, CANDOR)
    interview.start()
    assert isinstance(interview.answer(STRONG, can_probe=False), RoundFeedback)
    with pytest.raises(LLMError) as failed:
        interview.next()
    assert str(failed.value).endswith("; the session so far is saved to " + str(interview.session.path))
    assert failed.value.exit_code == 1 and interview.stage is Stage.DONE
    text, front = saved(bank)
    assert front["status"] == "stopped: the model endpoint failed" and STRONG in text and "structure" in front["scores"]
    with pytest.raises(OutOfTurn):
        interview.answer(THIRD)


def test_an_endpoint_down_while_scoring_ends_the_session(bank, engine, endpoint):
    endpoint.side_effect = Endpoint([DOWN], ["Tell me about a risk you took."])
    interview = machine(bank, engine)
    interview.start()
    with pytest.raises(LLMError, match="the session so far is saved to"):
        interview.answer(STRONG, can_probe=False)
    _, front = saved(bank)
    assert front["status"] == "stopped: the model endpoint failed" and front["answered"] == 1


def test_ctrl_c_while_the_driver_waits_keeps_what_was_said(bank, engine, endpoint):
    endpoint.side_effect = Endpoint([feedback(STRONG)])
    interview = machine(bank, engine, COURAGE, CANDOR)
    interview.start()
    interview.answer(STRONG, can_probe=False)
    interview.next()
    error = interview.interrupted()
    assert isinstance(error, Interrupted) and error.exit_code == 130
    assert str(error) == f"interrupted; the session so far is saved to {interview.session.path}"
    _, front = saved(bank)
    assert front["status"] == "interrupted" and front["answered"] == 1


def test_calls_out_of_turn_are_refused(bank, engine, endpoint):
    endpoint.side_effect = Endpoint([])
    interview = machine(bank, engine)
    with pytest.raises(OutOfTurn, match="expects start"):
        interview.answer(STRONG)
    interview.start()
    with pytest.raises(OutOfTurn, match="expects answer"):
        interview.next()
    with pytest.raises(OutOfTurn):
        interview.start()


def test_the_next_turns_prompt_is_what_is_sent_and_costs_no_call(bank, engine, endpoint):
    fake = Endpoint([feedback(STRONG)], ["Tell me about a risk you took.", "Tell me about a hard truth."])
    endpoint.side_effect = fake
    interview = machine(bank, engine, COURAGE, CANDOR, persona="tough")
    first = interview.next_prompt()
    assert not fake.sent and first[0]["role"] == "system" and "demanding, skeptical" in first[0]["content"]
    assert COURAGE.seed in first[1]["content"]
    interview.start()
    assert fake.sent[0]["messages"] == first
    assert interview.next_prompt() is None  # the next turn waits on the answer
    interview.answer(STRONG, can_probe=False)
    second = interview.next_prompt()
    assert CANDOR.seed in second[1]["content"] and "The candidate just finished answering" in second[1]["content"]
    interview.next()
    assert fake.sent[-1]["messages"] == second


def test_the_feedback_is_a_task_whose_prompt_is_what_is_sent(bank, engine, endpoint):
    from coach.interview import FeedbackTask

    fake = Endpoint([feedback(STRONG)])
    endpoint.side_effect = fake
    interview = machine(bank, engine)
    interview.start()
    scored = interview.answer(STRONG, can_probe=False)
    task = FeedbackTask(interview.session, scored.round, interview.stories, interview.settings)
    sent = [body for body in fake.sent if "response_format" in body]
    assert sent[0]["messages"] == task.messages() and STRONG in task.messages()[1]["content"]


def test_the_transcript_names_a_company_only_when_the_bank_has_one(bank, engine, endpoint):
    settings = bank.root / "coach.yaml"
    settings.write_text(settings.read_text().replace("company: Netflix", "company: Generic"))
    endpoint.side_effect = Endpoint([feedback(STRONG)])
    interview = machine(bank, engine)
    interview.start()
    interview.answer(STRONG, can_probe=False)
    interview.next()
    text, front = saved(bank)
    assert "# Mock interview · 2026-11-24 21:22\n" in text and "Session report · 1 of 1 questions scored" in text
    assert "Generic" not in text.split("---\n", 2)[2] and front["company"] == "Generic"


def test_the_transcript_says_the_feedback_and_report_as_the_terminal_does(bank, engine, endpoint):
    from coach.display.interview import interview_feedback, interview_report

    invented = feedback(STRONG, impact={"score": 4, "evidence": "by 80 percent"})
    endpoint.side_effect = Endpoint([invented, invented])
    interview = machine(bank, engine)
    interview.start()
    scored = interview.answer(STRONG, can_probe=False)
    session = interview.next().session
    text, _ = saved(bank)
    written = text.split("### Feedback\n\n")[1].split("\n\n")[0]
    assert "- impact      -   not scored" in written and "- best story: risk" in written
    shown = interview_feedback(scored.round, session).split("\n", 2)[2]
    assert flat(written.replace("\n- ", "\n").removeprefix("- ")) == flat(shown)
    report = text.split("## Report\n\n")[1]  # the terminal may cut the transcript's long path: compare without spaces
    assert "".join(report.split()) == "".join(interview_report(session).split())


@pytest.mark.parametrize(("text", "blocks"), [
    ("first\n---\nsecond\n", [Scripted("first"), Scripted("second")]),
    ("---\nmain\n--- probe\nreply\n---  \n\n---\nlast", [Scripted("main"), Scripted("reply", True), Scripted("last")]),
    ("--- probe \n/skip\n", [Scripted("/skip", True)]),
    ("a\n----\nb", [Scripted("a\n----\nb")]),  # only a line of exactly three dashes separates
])
def test_an_answers_file_is_blocks_and_probe_replies(text, blocks):
    assert parse_answers(text) == blocks


def test_a_web_page_could_drive_it_with_plain_data(bank, engine, endpoint):
    """No callback at all: each event is plain data a page could render (JSON of its fields)."""
    from dataclasses import asdict

    endpoint.side_effect = Endpoint([feedback(STRONG)])
    interview = machine(bank, engine, *plan(bank, 1, ["Courage"]))
    events = [interview.start(), interview.answer(STRONG, can_probe=False)]
    events.append(interview.next())
    page = [json.loads(json.dumps(asdict(event), default=str)) for event in events[:1]]
    assert page[0]["number"] == 1 and page[0]["value"] == "Courage" and page[0]["text"]
    assert isinstance(events[-1], Done) and events[-1].session.as_dict()["status"] == "complete"
