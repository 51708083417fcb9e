"""`coach interview` and `coach sessions` against a mocked endpoint: a scripted session from question to transcript,
streaming, probes, commands, feedback checks, Ctrl-C and failures that keep the transcript."""

from __future__ import annotations

import json
import random
import signal
import threading

import httpx
import pytest
import yaml

from coach.bank.folder import Bank
from coach.cli import app
from coach.interview import Done, Interview, Planned, Question, RoundFeedback, concision, plan, quoted_in
from tests.llm_fixtures import completion, streamed
from tests.test_followups import flat

STRONG = ("At Salesforce in 2023 our on-call rotation was burning people out and we risked losing two engineers. "
          "I proposed a short report at the end of each sprint and I wrote the first one myself. "
          "The next quarter, 50% of our tech debt backlog was gone, and I learned that leading by example takes courage")
WEAK = "We had a disagreement about the launch date. We talked it through and we agreed to wait"
PROBE_ANSWER = "I was the one who asked for the delay because the data was not ready"
THIRD = ("I took over as Scrum Lead when our lead engineer went on leave, and I kept the team shipping for two years "
         "because it was what was best for the team, even though nobody gives credit for it")


def scored(score: int, evidence: str) -> dict:
    return {"score": score, "evidence": evidence}


def feedback(evidence_from: str, **changes) -> dict:
    words = evidence_from.split()
    quote = " ".join(words[:7])
    body = {
        "structure": scored(4, quote), "ownership": scored(3, quote), "impact": scored(2, ""),
        "values": scored(4, quote), "strength": "You owned the decision.",
        "improvement": "Say the result with a number.", "best_story": "risk",
        "say_instead": "I wrote the first report myself.",
    }
    body.update(changes)
    return body


class Endpoint:
    """Answers the interviewer's questions and the feedback calls (those with a response_format), in order,
    recording what it was sent."""

    def __init__(self, feedbacks, questions=None):
        self.feedbacks = list(feedbacks)
        self.questions = list(questions or [])
        self.sent: list[dict] = []
        self.asked = 0

    def __call__(self, request):
        body = json.loads(request.content)
        self.sent.append(body)
        if "response_format" not in body:  # the interviewer's words (streamed, unless the endpoint refused it)
            self.asked += 1
            text = self.questions.pop(0) if self.questions else f"Question {self.asked}: tell me about a time you took a risk?"
            return text if isinstance(text, httpx.Response) else streamed(text)
        answer = self.feedbacks.pop(0)
        return answer if isinstance(answer, httpx.Response) else httpx.Response(200, json=completion(answer))


def run(runner, *args, **kwargs):
    return runner.invoke(app, [*args, "--stories", "stories"], **kwargs)


def answers_file(tmp_path, *answers) -> str:
    """Write an answers file; an answer given as ("probe", text) is a reply to a probe."""
    path = tmp_path / "answers.md"
    blocks = [f"--- probe\n{a[1]}" if isinstance(a, tuple) else f"---\n{a}" for a in answers]
    path.write_text("\n".join(blocks) + "\n")
    return str(path)


def transcript_of(bank: Bank):
    files = sorted((bank.root / "sessions").glob("*.md"))
    assert len(files) == 1, files
    text = files[0].read_text()
    return text, yaml.safe_load(text.split("---\n")[1])


def test_a_scripted_session_asks_probes_scores_and_saves_a_transcript(runner, bank, endpoint, tmp_path):
    fake = Endpoint([feedback(STRONG), feedback(WEAK + " " + PROBE_ANSWER), feedback(THIRD)])
    endpoint.side_effect = fake
    stakes = "If I had said no, the team would have lost momentum while our lead was away"
    answers = answers_file(tmp_path, STRONG, WEAK, ("probe", PROBE_ANSWER), ("probe", "/skip"), THIRD,
                           ("probe", stakes), ("probe", "/skip"))
    result = run(runner, "interview", "--questions", "3", "--values", "Courage,Candor,Selflessness",
                 "--answers", answers, "--seed", "1")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Mock interview · Netflix · 3 questions on Courage, Candor, Selflessness · neutral interviewer" in flat(out)
    assert "Interviewer: Question 1: tell me about a time you took a risk?" in out
    # the strong answer is not probed; the weak one on "we" first, then its number; the third on its stakes
    streams = [body for body in fake.sent if body.get("stream")]
    probes = [body["messages"][-1]["content"] for body in streams if "follow-up question" in body["messages"][-1]["content"]]
    assert len(probes) == 4 and 'says "we" more than "I"' in probes[0] and "the result has no number" in probes[1]
    assert "nothing says what was at stake" in probes[2] and "it never shows Selflessness" in probes[3]
    assert "ownership  3/5" in out and "concision" in out and "strength: You owned the decision." in out
    assert "check: we-heavy" in out and "Practise next:" in out
    text, front = transcript_of(bank)
    assert front["status"] == "complete" and front["questions"] == 3 and front["answered"] == 3
    assert set(front["scores"]) == {"structure", "ownership", "impact", "values", "concision"}
    assert set(front["values"]) == {"Courage", "Candor", "Selflessness"}
    assert f"**You:** {WEAK}" in text and f"**You:** {PROBE_ANSWER}" in text
    assert "**Interviewer (probe: it says \"we\" more than \"I\"" in text and "## Report" in text
    feedback_prompt = fake.sent[-1]["messages"][-1]["content"]
    assert "id: risk" in feedback_prompt and THIRD in feedback_prompt


def test_the_interviewers_words_are_streamed_as_they_arrive(bank, endpoint):
    endpoint.side_effect = Endpoint([feedback(STRONG)], ["Tell me about a time you took a risk that scared you."])
    pieces: list[str] = []
    from coach.cli.model import engine_for

    engine, _ = engine_for(bank, None)
    interview = Interview(bank, engine, [Planned("Tell me about a risk.", "Courage", ["risk"])], on_words=pieces.append)
    assert isinstance(interview.start(), Question)
    assert isinstance(interview.answer(STRONG), RoundFeedback)
    done = interview.next()
    assert isinstance(done, Done)
    session = done.session
    said = [p for p in pieces if p not in ("Interviewer: ", "\n")]
    assert len(said) >= 3 and "".join(said) == "Tell me about a time you took a risk that scared you."
    assert session.rounds[0].turns[0].asked == "Tell me about a time you took a risk that scared you."


def test_hint_repeat_and_quit(runner, bank, endpoint, tmp_path):
    fake = Endpoint([])
    endpoint.side_effect = fake
    answers = answers_file(tmp_path, "/hint", "/repeat", "/quit")
    result = run(runner, "interview", "--values", "Courage", "--answers", answers, "--seed", "0")
    assert result.exit_code == 0, result.output
    assert "Try your conflict story (The Conflict Story). Open with:" in result.output  # a conflict question on Courage
    assert result.output.count("Interviewer: Question 1") == 2  # asked, then repeated
    assert "Nothing was answered, so no transcript was kept." in result.output
    assert not list((bank.root / "sessions").glob("*.md"))


def test_skip_moves_on_without_feedback(runner, bank, endpoint, tmp_path):
    fake = Endpoint([feedback(STRONG)])
    endpoint.side_effect = fake
    result = run(runner, "interview", "-n", "2", "--values", "Courage", "--answers", answers_file(tmp_path, "/skip", STRONG))
    assert result.exit_code == 0, result.output
    text, front = transcript_of(bank)
    assert front["questions"] == 2 and front["answered"] == 1 and "**You:** (skipped)" in text
    assert len([b for b in fake.sent if not b.get("stream")]) == 1


def test_a_malformed_feedback_answer_is_asked_again(runner, bank, endpoint, tmp_path):
    fake = Endpoint([httpx.Response(200, json=completion('{"structure": {"score": 4, "evidence": "At Salesforce in 2023"')),
                     feedback(STRONG, structure=scored(7, "At Salesforce in 2023 our")), feedback(STRONG)])
    endpoint.side_effect = fake
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG))
    assert result.exit_code == 0, result.output
    reasks = [b["messages"][-1]["content"] for b in fake.sent if not b.get("stream")][1:]
    assert len(reasks) == 2 and "structure.score is 7" in reasks[1]
    assert "structure  4/5" in result.output


def test_a_fabricated_evidence_quote_is_rejected_and_never_shown(runner, bank, endpoint, tmp_path):
    invented = feedback(STRONG, impact=scored(4, "I cut the incident rate by 80 percent"))
    fake = Endpoint([invented, invented])
    endpoint.side_effect = fake
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG))
    assert result.exit_code == 0, result.output
    reask = [b["messages"][-1]["content"] for b in fake.sent if not b.get("stream")][1]
    assert 'impact.evidence "I cut the incident rate by 80 percent" is not in the candidate\'s answer' in reask
    assert "80 percent" not in result.output
    assert "impact      -   not scored: the model's evidence was not in your answer" in result.output
    text, _ = transcript_of(bank)
    assert "80 percent" not in text


def test_an_invented_suggestion_is_dropped(runner, bank, endpoint, tmp_path):
    invented = feedback(STRONG, say_instead="I cut on-call pages by 70% in three weeks.")
    endpoint.side_effect = Endpoint([invented, invented])
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG))
    assert result.exit_code == 0, result.output
    assert "I cut on-call pages" not in result.output  # never shown as words to say
    shown = 'you could say: dropped: "70%" and "three" are in neither your answer nor your stories'
    assert shown in flat(result.output)
    text, _ = transcript_of(bank)
    assert shown in flat(text) and "I cut on-call pages" not in text


def test_an_endpoint_failure_mid_session_keeps_the_transcript_and_says_where(runner, bank, endpoint, tmp_path):
    down = httpx.Response(401, json={"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}})
    endpoint.side_effect = Endpoint([feedback(STRONG)], ["Tell me about a risk you took.", down])
    result = run(runner, "interview", "-n", "2", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG, THIRD))
    assert result.exit_code == 1, result.output
    assert "the session so far is saved to stories/sessions/" in result.output and "Traceback" not in result.output
    text, front = transcript_of(bank)
    assert front["status"].startswith("stopped") and STRONG in text and "structure" in front["scores"]


def test_ctrl_c_mid_session_saves_the_transcript(runner, bank, endpoint, tmp_path):
    release = threading.Event()

    def ctrl_c(request):
        signal.raise_signal(signal.SIGINT)
        release.wait(2)
        return streamed("Too late.")

    endpoint.side_effect = Endpoint([feedback(STRONG)], ["Tell me about a risk you took.", ctrl_c])
    fake = endpoint.side_effect
    fake.questions[1] = None
    original = fake.__call__

    def dispatch(request):
        if json.loads(request.content).get("stream") and fake.asked == 1:
            fake.asked += 1
            return ctrl_c(request)
        return original(request)

    endpoint.side_effect = dispatch
    result = run(runner, "interview", "-n", "2", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG, THIRD))
    release.set()
    assert result.exit_code == 130, result.output
    assert "Interrupted; the session so far is saved to stories/sessions/" in result.output
    text, front = transcript_of(bank)
    assert front["status"] == "interrupted" and STRONG in text


def test_sessions_lists_progress_across_sessions(runner, bank, endpoint, tmp_path):
    for answer, impact in ((WEAK, 2), (STRONG, 4)):
        endpoint.side_effect = Endpoint([feedback(answer, impact=scored(impact, " ".join(answer.split()[:7])))] * 3)
        assert run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, answer, "/skip")).exit_code == 0
    result = run(runner, "sessions")
    assert result.exit_code == 0, result.output
    assert "impact 2 → 4" in result.output
    rows = json.loads(run(runner, "sessions", "--json").output)
    assert [row["scores"]["impact"] for row in rows] == [2, 4]


def test_no_sessions_yet(runner, bank):
    result = run(runner, "sessions")
    assert result.exit_code == 0 and "No mock interviews yet" in result.output


def test_plan_goes_to_the_values_the_bank_covers_least(bank):
    from coach.method.board import value_coverage

    pairs = list(bank.stories())
    coverage = value_coverage([s for _, s in pairs], bank.settings(), [p.stem for p, _ in pairs])
    planned = plan(bank, 3, rng=random.Random(0))
    counts = sorted(len(users) for users in coverage.values())
    assert sorted(len(coverage[p.value]) for p in planned) == counts[:3]
    assert len({p.seed for p in planned}) == 3


def test_plan_for_a_story_rehearses_its_type_and_prepared_follow_ups(bank):
    planned = plan(bank, 2, story="team", rng=random.Random(0))
    assert all("team" in p.themes for p in planned)
    assert planned[0].prepared[0] == "If asked why you continued after 6 months"


def test_the_question_bank_has_forty_tagged_questions():
    from coach.bank.catalog import common_questions

    questions = common_questions()
    assert len(questions) >= 40 and all(q.themes and q.values for q in questions)


@pytest.mark.parametrize(("seconds", "score"), [(50, 5), (60, 5), (66, 4), (75, 3), (40, 4), (30, 2), (120, 1)])
def test_concision_is_measured_against_the_window(seconds, score):
    assert concision(seconds, (45, 60)) == score


def test_evidence_must_be_the_candidates_words():
    assert quoted_in("leading by example takes courage", STRONG)
    assert quoted_in("Leading by example, takes courage!", STRONG)
    assert not quoted_in("leading by example takes bravery", STRONG)
    assert not quoted_in("courage", STRONG)


def test_a_bad_feedback_answer_does_not_end_the_interview(runner, bank, endpoint, tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_REASKS", "0")
    fake = Endpoint([httpx.Response(200, json=completion("not json")), feedback(THIRD)])
    endpoint.side_effect = fake
    result = run(runner, "interview", "-n", "2", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG, THIRD))
    assert result.exit_code == 0, result.output
    assert "no feedback from the model:" in result.output and "Traceback" not in result.output
    text, front = transcript_of(bank)
    assert front["status"] == "complete" and front["answered"] == 2
    assert "1 of 2 questions scored" in result.output  # a round with no model scores is not counted as scored


def test_a_round_whose_feedback_failed_keeps_its_measured_concision_in_the_averages(runner, bank, endpoint, tmp_path,
                                                                                      monkeypatch):
    from coach.progress import bank_progress

    monkeypatch.setenv("COACH_REASKS", "0")
    endpoint.side_effect = Endpoint([httpx.Response(200, json=completion("not json"))])
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG))
    assert result.exit_code == 0, result.output
    measured = concision(22, (45, 60))  # STRONG's 55 words at 150 wpm
    assert f"concision  {measured}/5" in result.output and "no feedback from the model:" in result.output
    assert "0 of 1 questions scored" in result.output  # the model scored none
    assert f"  concision {measured}\n" in result.output and f"1. concision ({measured}/5)" in result.output
    text, front = transcript_of(bank)
    assert front["scores"] == {"concision": measured} and front["values"] == {}
    assert f"## Report\n\nSession report · Netflix · 0 of 1 questions scored\n  concision {measured}\n" in text
    sessions = run(runner, "sessions")
    assert sessions.exit_code == 0, sessions.output
    row = next(line for line in sessions.output.splitlines() if line.startswith("20"))
    assert row.split()[-5:] == ["-", "-", "-", "-", str(measured)]
    assert run(runner, "sessions", "--json").output.count('"concision": ') == 1
    assert [s.scores for s in bank_progress(bank).sessions] == [{"concision": measured}]  # the page's charts


def test_an_endpoint_that_refuses_streaming_gets_a_plain_request(runner, bank, endpoint, tmp_path):
    refusal = httpx.Response(400, json={"error": {"message": "Unsupported parameter: 'stream' is not supported with this model.",
                                                  "type": "invalid_request_error", "param": "stream", "code": "unsupported_parameter"}})
    plain = httpx.Response(200, json=completion("Tell me about a risk you took at work."))
    fake = Endpoint([feedback(STRONG)], [refusal, plain])
    endpoint.side_effect = fake
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG))
    assert result.exit_code == 0, result.output
    assert "Interviewer: Tell me about a risk you took at work." in result.stdout
    assert "does not take stream; asking again with no streaming" in result.stderr
    assert "stream" not in fake.sent[1]


def test_a_stream_that_breaks_off_falls_back_on_the_question(runner, bank, endpoint, tmp_path):
    cut = streamed("Tell me about a time")
    cut = httpx.Response(200, headers={"content-type": "text/event-stream"},
                         content=cut.content.decode().split('"finish_reason": "stop"')[0].rsplit("data:", 1)[0].encode())
    endpoint.side_effect = Endpoint([feedback(STRONG)], [cut])
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG))
    assert result.exit_code == 0, result.output
    assert "the model's words broke off; the question is:" in flat(result.output)
    text, _ = transcript_of(bank)
    assert "**Interviewer:** Tell me about a time\n" not in text


def cut_off(text: str) -> httpx.Response:
    """Return a stream of the interviewer's words that ends because it reached its token budget."""
    whole = streamed(text).content.decode()
    return httpx.Response(200, headers={"content-type": "text/event-stream"},
                          content=whole.replace('"finish_reason": "stop"', '"finish_reason": "length"').encode())


def test_words_cut_off_by_the_token_budget_are_said_so_and_the_question_follows(runner, bank, endpoint, tmp_path):
    from coach.llm.calllog import CallLog

    endpoint.side_effect = Endpoint([feedback(STRONG)], [cut_off("Tell me about the day you showed her the map on the")])
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--seed", "1",
                 "--answers", answers_file(tmp_path, STRONG))
    assert result.exit_code == 0, result.output
    seed = plan(bank, 1, ["Courage"], None, random.Random(1))[0].seed
    assert f"the map on the … (the model's words were cut off by its token limit; the question is:) {seed}" in flat(
        result.output)
    text, _ = transcript_of(bank)
    assert f"**Interviewer:** {seed}\n" in text and "showed her the map" not in text
    calls = CallLog(bank.root / ".coach" / "coach.db").recent()
    assert [call.outcome for call in calls] == ["cut off", "ok"]  # the interviewer's words, then the feedback
    assert calls[0].content == "Tell me about the day you showed her the map on the"  # the words cut off, kept


def test_answers_piped_on_stdin_are_shown_after_you_as_a_conversation(runner, bank, endpoint):
    fake = Endpoint([feedback(STRONG), feedback(WEAK)])
    endpoint.side_effect = fake
    # the weak answer is probed; the reply ends with the input, no empty line after it, and the next probe finds none
    piped = f"{STRONG}\n\n{WEAK}\n\n{PROBE_ANSWER}\nand I said so\n"
    result = run(runner, "interview", "-n", "2", "--values", "Courage", "--seed", "1", input=piped)
    assert result.exit_code == 0, result.output
    lines = result.output.split("\n")
    assert max(map(len, lines)) <= 80, max(lines, key=len)
    assert not any("You:" in line and "Interviewer:" in line for line in lines)
    you = [i for i, line in enumerate(lines) if line.startswith("You: ")]
    assert [lines[i][:40] for i in you] == [f"You: {answer}"[:40] for answer in (STRONG, WEAK, PROBE_ANSWER)]
    assert lines[you[0] + 1].startswith("     ")  # wrapped under the answer, as the --answers driver shows it
    assert lines[you[1] + 2].startswith("Interviewer: ")  # the probe on its own line, after the answer
    assert f"You: {PROBE_ANSWER} and I said so" in flat(result.output)
    text, front = transcript_of(bank)
    assert front["answered"] == 2 and f"**You:** {PROBE_ANSWER}\nand I said so" in text


def test_without_a_reply_in_the_file_a_probe_is_noted_not_asked(runner, bank, endpoint, tmp_path):
    fake = Endpoint([feedback(WEAK), feedback(STRONG)])
    endpoint.side_effect = fake
    result = run(runner, "interview", "-n", "2", "--values", "Courage", "--answers", answers_file(tmp_path, WEAK, STRONG))
    assert result.exit_code == 0, result.output
    assert len([b for b in fake.sent if b.get("stream")]) == 2  # two questions, no probe
    assert 'an interviewer would also ask about: it says "we" more than "I"' in flat(result.output)
    _, front = transcript_of(bank)
    assert front["answered"] == 2


def test_invented_strengths_and_improvements_are_dropped(runner, bank, endpoint, tmp_path):
    invented = feedback(STRONG, improvement="Say that you cut pages by 70% for Google.")
    endpoint.side_effect = Endpoint([invented])
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG))
    assert result.exit_code == 0, result.output
    assert "70%" not in result.output and "Google" not in result.output


@pytest.mark.parametrize(("args", "message"), [
    (["--json"], "--json needs --answers FILE"),
    (["--story", "team", "--values", "Courage"], "leave out --values"),
    (["--values", "Candour"], "Candour is not among Netflix's values"),
    (["--persona", "rude"], "--persona must be one of friendly, neutral, tough"),
    (["--questions", "0"], "--questions takes 1 to 10"),
])
def test_bad_options_get_one_sentence(runner, bank, endpoint, args, message):
    result = run(runner, "interview", *args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
    assert not (bank.root / "sessions").exists()


def test_a_transcript_that_cannot_be_written_is_one_sentence(runner, bank, endpoint, tmp_path):
    (bank.root / "sessions").write_text("a file where the folder should be")
    endpoint.side_effect = Endpoint([feedback(STRONG)])
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG))
    assert result.exit_code == 2 and "could not save the transcript" in result.output and "Traceback" not in result.output


def test_sessions_skips_a_transcript_whose_scores_were_mangled(runner, bank):
    folder = bank.root / "sessions"
    folder.mkdir()
    (folder / "2026-11-01-100000.md").write_text("---\nstarted: 2026-11-01 10:00\nscores: [1, 2]\n---\n# x\n")
    (folder / "2026-11-02-100000.md").write_text("---\nstarted: 2026-11-02 10:00\nscores: {impact: 3}\n---\n# x\n")
    result = run(runner, "sessions")
    assert result.exit_code == 0 and "2026-11-02 10:00" in result.output
    assert "2026-11-01-100000.md: not a coach session transcript; skipped" in result.output


def test_a_story_rehearsal_shares_its_follow_ups_across_rounds(bank):
    planned = plan(bank, 3, story="team", rng=random.Random(0))
    assert [p.prepared[:1] for p in planned] == [["If asked why you continued after 6 months"],
                                                ["If asked about specific challenges"], ["If asked about recognition"]]


def test_show_prompt_prints_the_first_question_and_makes_no_call(runner, bank):
    result = run(runner, "interview", "--values", "Courage", "--persona", "tough", "--seed", "1", "--show-prompt")
    assert result.exit_code == 0, result.output  # no endpoint is configured: none is needed
    system, user = result.output.split("\n\n--- user ---\n")
    assert system.startswith("--- system ---\nYou are a demanding, skeptical\nbehavioral interviewer at Netflix")
    assert "- Courage: Take smart risks" in system and "draw out a story that shows Courage" in user
    assert not (bank.root / "sessions").exists()


def test_show_prompt_never_imports_openai(bank):
    import subprocess
    import sys

    script = ("import sys\nfrom coach.cli import app\ntry:\n"
              f"    app(['interview', '--show-prompt', '--stories', {str(bank.root)!r}])\nexcept SystemExit:\n    pass\n"
              "assert 'openai' not in sys.modules, 'openai was imported'\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0 and "--- system ---" in done.stdout, done.stderr


def test_show_prompt_is_text_not_json(runner, bank):
    result = run(runner, "interview", "--show-prompt", "--json")
    assert result.exit_code == 2 and "--show-prompt prints the prompt as text; leave out --json" in result.output


def test_a_streamed_turn_asks_for_its_token_counts_and_the_log_keeps_them(runner, bank, endpoint, tmp_path):
    fake = Endpoint([feedback(STRONG)], [streamed("Tell me about a risk you took at work.", usage=(812, 14))])
    endpoint.side_effect = fake
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG))
    assert result.exit_code == 0, result.output
    assert fake.sent[0]["stream"] is True and fake.sent[0]["stream_options"] == {"include_usage": True}
    calls = json.loads(run(runner, "log", "--json").output)
    turn = next(call for call in calls if call["command"] == "interview")
    assert (turn["tokens_in"], turn["tokens_out"]) == (812, 14)


def test_an_endpoint_that_refuses_stream_options_still_streams(runner, bank, endpoint, tmp_path):
    refusal = httpx.Response(400, json={"error": {"message": "Unrecognized request argument supplied: stream_options",
                                                  "type": "invalid_request_error", "param": None, "code": None}})
    fake = Endpoint([feedback(STRONG)], [refusal, "Tell me about a risk you took at work."])
    endpoint.side_effect = fake
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG))
    assert result.exit_code == 0, result.output
    assert "Interviewer: Tell me about a risk you took at work." in result.stdout
    assert "does not take stream_options; asking again with no stream_options" in result.stderr
    assert fake.sent[1]["stream"] is True and "stream_options" not in fake.sent[1]


@pytest.mark.parametrize("values_score, listed", [(5, False), (4, False), (3, True), (2, True)])
def test_the_no_value_check_gives_way_to_a_value_scored_on_quoted_evidence(runner, bank, endpoint, tmp_path,
                                                                           values_score, listed):
    answer = "I told the director plainly that the date would slip, before anyone asked, and I owned the call."
    fake = Endpoint([feedback(answer, values=scored(values_score, "I told the director plainly"))])
    endpoint.side_effect = fake
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, answer))
    assert result.exit_code == 0, result.output
    assert ("check: no-value" in result.output) is listed
    assert f"values     {values_score}/5" in result.output


def test_practise_next_names_the_models_advice_by_its_question_never_by_a_dimension():
    from datetime import datetime
    from pathlib import Path

    from coach.interview.session import ADVICE, Planned, Round, Session, Turn

    session = Session(Path("s.md"), datetime(2026, 12, 1), "Netflix", "", "neutral", "m", (45, 60), 150)
    for number, (scores, improvement) in enumerate([
        ({"structure": 4, "ownership": 4, "impact": 4, "values": 4, "concision": 3}, "Name the alert you fixed."),
        ({"structure": 3, "ownership": 3, "impact": 2, "values": 3, "concision": 2}, "Say what you did yourself."),
    ], 1):
        r = Round(number, Planned("Tell me about a risk.", "Courage"), [Turn("question", "q", "a")])
        r.scores, r.improvement = scores, improvement
        session.rounds.append(r)
    assert session.practise_next() == [
        "question 2 (Courage): Say what you did yourself.",  # the weakest scored answer's advice, by its question
        f"concision (2.5/5): {ADVICE['concision']}",
        f"impact (3/5): {ADVICE['impact']}",
    ]
