"""The mock interview page through its routes, against the mocked endpoint: a two-question interview streamed to the
page, feedback cards with their quoted evidence, the report, the transcript the CLI would save; the commands, a
recorded answer, failures and requests out of turn, each one sentence."""

from __future__ import annotations

import io
import re
import wave
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.test_interview import PROBE_ANSWER, STRONG, WEAK, Endpoint, feedback
from tests.web_fixtures import client, csrf_headers, events

pytest.importorskip("starlette")

NOW = datetime(2026, 11, 24, 21, 22, 24)
QUESTIONS = ["Tell me about a risk you took.", "What did you do yourself?", "What was the result, in numbers?",
             "Tell me about a time you spoke up."]
DOWN = httpx.Response(401, json={"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}})


def web(root, **services):
    from coach.web.app import Services

    return client(Path(root), Services(now=lambda: NOW, **services))


def running(test) -> dict:
    """Return the app's running interviews (behind the guard and the security headers)."""
    return test.app.app.app.state.interviews


def begin(test, **form) -> tuple[str, list[dict]]:
    """Start an interview from the setup form; return its id and the streamed events."""
    data = {"questions": "2", "values": "Courage", "persona": "neutral", "seed": "1", **form}
    answer = test.post("/interview", data=data, headers=csrf_headers())
    said = events(answer)
    found = [e for e in said if "html" in e and "data-interview-url" in e["html"]]
    iid = re.search(r'data-interview-url="/interview/([^"]+)"', found[0]["html"]).group(1) if found else ""
    return iid, said


def say(test, iid: str, text: str = "", files: dict | None = None) -> list[dict]:
    field = {"command": text} if text.startswith("/") else {"text": text}
    return events(test.post(f"/interview/{iid}/answer", data=field, files=files, headers=csrf_headers()))


def go_on(test, iid: str) -> list[dict]:
    return events(test.post(f"/interview/{iid}/next", headers=csrf_headers()))


def html(said: list[dict]) -> str:
    return "\n".join(e["html"] for e in said if "html" in e)


def errors(said: list[dict]) -> list[str]:
    return [e["error"] for e in said if "error" in e]


def test_a_two_question_interview_streams_scores_reports_and_saves_what_the_cli_saves(bank, endpoint, runner):
    endpoint.side_effect = Endpoint([feedback(WEAK + " " + PROBE_ANSWER), feedback(STRONG)], QUESTIONS)
    test = web("stories")  # the bank's folder as the CLI names it (the tests run in its parent)
    page = test.get("/interview")
    assert page.status_code == 200 and 'name="questions"' in page.text and "No mock interviews yet" in page.text
    iid, said = begin(test)
    words = [e["words"] for e in said if "words" in e]
    assert len(words) >= 3 and "".join(words) == QUESTIONS[0]  # streamed as generated, in pieces
    first = next(i for i, e in enumerate(said) if "words" in e)
    assert "data-words" in said[first - 1]["html"] and "Question 1 · Courage" in html(said[:first])
    assert "Waiting for the interviewer" in said[0]["html"] and "middle of a step" not in said[0]["html"]
    assert 'name="text"' in said[-1]["html"] and 'value="/skip"' in said[-1]["html"]  # then the answer form

    probed = say(test, iid, WEAK)
    assert f"<span class=\"iv-said\">{WEAK}</span>" in html(probed)
    assert "Interviewer (follow-up)" in html(probed) and "".join(e.get("words", "") for e in probed) == QUESTIONS[1]
    assert "to the follow-up" in probed[-1]["html"]
    say(test, iid, PROBE_ANSWER)
    scored = say(test, iid, "/skip")  # the second probe skipped: the answer is scored
    card = html(scored)
    assert "Feedback on question 1 · Courage" in card
    quote = " ".join(WEAK.split()[:7])
    assert card.count(f'<q class="iv-evidence">{quote}</q>') == 3  # structure, ownership, values: each quoted
    assert "6.8s at 150 wpm against 45-60s" in card and "You owned the decision." in card and "we-heavy" in card
    assert "Next question" in scored[-1]["html"]

    asked = go_on(test, iid)
    assert "".join(e.get("words", "") for e in asked) == QUESTIONS[3] and "Question 2 · Courage" in html(asked)
    assert "See the report" in say(test, iid, STRONG)[-1]["html"]
    report = html(go_on(test, iid))
    assert "Session report" in report and "2 of 2 questions scored · complete" in report and "Practise next" in report
    transcript = bank.root / "sessions" / "2026-11-24-212224.md"
    assert f"Transcript saved to <code>{Path('stories/sessions/2026-11-24-212224.md')}</code>" in report

    reloaded = test.get(f"/interview/{iid}").text  # a reload draws it all again
    assert reloaded.count("iv-feedback") == 2 and "Session report" in reloaded and "Start another interview" in reloaded
    assert QUESTIONS[0] in reloaded and "data-words" not in reloaded

    from coach.cli import Terminal, make_app

    by_page = transcript.read_text()
    transcript.rename(transcript.with_name("by-page.txt"))
    endpoint.side_effect = Endpoint([feedback(WEAK + " " + PROBE_ANSWER), feedback(STRONG)], QUESTIONS)
    typed = f"{WEAK}\n\n{PROBE_ANSWER}\n\n/skip\n{STRONG}\n\n"
    done = runner.invoke(make_app(Terminal(now=lambda: NOW)), ["interview", "-n", "2", "--values", "Courage", "--seed",
                                                               "1", "--stories", "stories"], input=typed)
    assert done.exit_code == 0, done.output
    assert transcript.read_text() == by_page  # the same machine, the same file


def test_hint_repeat_skip_and_quit(bank, endpoint):
    fake = Endpoint([], QUESTIONS)
    endpoint.side_effect = fake
    test = web(bank.root)
    iid, _ = begin(test, questions="3")
    hint = html(say(test, iid, "/hint"))
    assert "<strong>Hint:</strong> Try your" in hint and 'name="text"' in hint  # the question stands
    assert f"Interviewer (again):</span>\n<span class=\"iv-said\">{QUESTIONS[0]}" in html(say(test, iid, "/repeat"))
    assert "Nothing was sent; the question stands" in html(say(test, iid, "   "))
    skipped = html(say(test, iid, "/skip"))
    assert "<em>(skipped)</em>" in skipped and "Next question" in skipped
    go_on(test, iid)
    quit = html(say(test, iid, "/quit"))
    assert "Session report" in quit and "0 of 1 questions scored · quit" in quit
    assert "Nothing was answered, so no transcript was kept." in quit and not list(bank.root.glob("sessions/*.md"))
    assert not [body for body in fake.sent if not body.get("stream")]  # no feedback asked for


def test_an_endpoint_failure_mid_interview_is_one_sentence_and_the_transcript_is_kept(bank, endpoint):
    endpoint.side_effect = Endpoint([feedback(STRONG)], [QUESTIONS[0], DOWN])
    test = web(bank.root)
    iid, _ = begin(test)
    say(test, iid, STRONG)
    failed = go_on(test, iid)
    [sentence] = errors(failed)
    assert "rejected the API key (401)" in sentence and "the session so far is saved to" in sentence
    assert "Traceback" not in sentence and "\n" not in sentence
    assert f"The interview stopped: {sentence}" in html(failed)  # where the answer form was
    text = (bank.root / "sessions" / "2026-11-24-212224.md").read_text()
    assert "stopped: the model endpoint failed" in text and STRONG in text
    assert "The interview stopped" in test.get(f"/interview/{iid}").text


def test_no_endpoint_configured_is_one_sentence_before_anything_is_asked(bank):
    test = web(bank.root)
    _, said = begin(test)
    assert errors(said) == ["No model endpoint configured: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a "
                            "local OpenAI-compatible server (e.g. http://localhost:11434/v1 for Ollama)."]
    assert not (bank.root / "sessions").exists()


@pytest.mark.parametrize(("form", "sentence"), [
    ({"questions": "0"}, "A mock interview takes 1 to 10 questions, not 0."),
    ({"questions": "many"}, "The number of questions must be a whole number from 1 to 10."),
    ({"persona": "rude"}, "The interviewer is friendly, neutral or tough, not 'rude'."),
    ({"story": "team"}, "Rehearsing a story asks that story's own questions and values; untick the values or choose no story."),
    ({"round": "final"}, "Unknown round 'final'; choose one of: recruiter, manager, peer, bar-raiser."),
    ({"level": "principal"}, "Unknown level 'principal'; choose one of: junior, mid, senior, staff."),
])
def test_a_bad_setup_is_one_sentence(bank, endpoint, form, sentence):
    answer = web(bank.root).post("/interview", data={"questions": "2", "values": "Courage", **form}, headers=csrf_headers())
    assert answer.status_code == 400 and answer.text == sentence


def test_the_form_offers_the_cores_rounds_with_their_meanings_and_levels(bank):
    from coach.bank.settings import LEVELS, ROUND_MEANINGS, ROUNDS

    page = web(bank.root).get("/interview").text
    assert '<option value="" selected>any round</option>' in page and '<option value="" selected>any level</option>' in page
    for name in ROUNDS:
        assert f'<option value="{name}">{name} — {ROUND_MEANINGS[name]}</option>' in page
    assert '<option value="peer">peer — a future colleague</option>' in page
    for name in LEVELS:
        assert f'<option value="{name}">{name}</option>' in page
    assert '<label for="iv-round">Round' in page and '<label for="iv-level">Your level' in page


@pytest.mark.parametrize(("round", "level"), [("peer", "senior"), ("recruiter", ""), ("bar-raiser", "staff")])
def test_a_round_and_level_posted_reach_the_planning_the_cli_does(bank, endpoint, round, level):
    import random

    from coach.bank.catalog import common_questions
    from coach.bank.folder import Bank
    from coach.interview import plan

    endpoint.side_effect = Endpoint([], QUESTIONS)
    test = web(bank.root)
    iid, said = begin(test, questions="3", round=round.upper(), level=level)  # spelled any case, as the CLI takes it
    planned = running(test)[iid].machine.planned
    tagged = {q.text: q for q in common_questions(bank.root)}
    assert len(planned) == 3 and all(p.round == round and round in tagged[p.seed].rounds for p in planned)
    if level:
        assert all(level in tagged[p.seed].levels for p in planned)
    by_cli = plan(Bank(bank.root), 3, ["Courage"], None, random.Random(1), round=round, level=level or None)
    assert [p.seed for p in planned] == [p.seed for p in by_cli]  # the same call, the same questions
    assert f"· {round} round · 3 questions on Courage ·" in html(said)  # the running interview's heading
    assert f"· {round} round ·" in test.get(f"/interview/{iid}").text


def test_the_round_is_kept_in_the_transcript_and_shown_in_the_past_sessions(bank, endpoint):
    endpoint.side_effect = Endpoint([feedback(STRONG)], QUESTIONS)
    test = web(bank.root)
    iid, _ = begin(test, questions="1", round="peer")
    say(test, iid, STRONG)
    go_on(test, iid)
    assert "round: peer" in (bank.root / "sessions" / "2026-11-24-212224.md").read_text()
    page = test.get("/interview").text
    assert '<th class="wide-only">Round</th>' in page  # at 390 px, under the date instead
    assert '2026-11-24 21:22</a><div class="phone-only muted">peer round</div></td><td class="wide-only">peer</td>' in page


def test_a_bad_round_starts_nothing_and_changes_no_file(bank, endpoint):
    from tests.conftest import snapshot

    before = snapshot(bank.root)
    test = web(bank.root)
    answer = test.post("/interview", data={"questions": "2", "round": "onsite"}, headers=csrf_headers())
    assert answer.status_code == 400 and answer.text.startswith("Unknown round 'onsite'") and "\n" not in answer.text
    assert not running(test) and not endpoint.calls and snapshot(bank.root) == before


def test_an_unknown_interview_is_one_sentence(bank):
    test = web(bank.root)
    page = test.get("/interview/nope")
    assert page.status_code == 404 and "There is no such interview running here" in page.text
    for url in ("/interview/nope/answer", "/interview/nope/next"):
        answer = test.post(url, data={"text": STRONG}, headers=csrf_headers())
        assert answer.status_code == 404 and answer.text.startswith("There is no such interview running here")


def test_a_step_out_of_turn_or_while_another_runs_is_one_sentence(bank, endpoint):
    endpoint.side_effect = Endpoint([feedback(STRONG)], QUESTIONS)
    test = web(bank.root)
    iid, _ = begin(test)
    assert errors(go_on(test, iid)) == ["This interview is waiting for your answer to the question, so that was not "
                                        "done; reload the page to see where it stands."]
    run = running(test)[iid]
    with run.lock:  # a second tab's step while this one runs
        said = say(test, iid, STRONG)
    assert errors(said) == ["This interview is busy with another step (in another tab?); wait for it to finish, then "
                            "reload the page."]
    assert not html(said) and not list(bank.root.glob("sessions/*.md"))
    say(test, iid, STRONG)
    assert errors(say(test, iid, STRONG)) == ["This interview is waiting for you to go on to the next question, so "
                                              "that was not done; reload the page to see where it stands."]


def test_a_reload_mid_interview_shows_the_form_the_stage_calls_for(bank, endpoint):
    endpoint.side_effect = Endpoint([feedback(WEAK)], QUESTIONS)
    test = web(bank.root)
    iid, _ = begin(test)
    say(test, iid, WEAK)
    page = test.get(f"/interview/{iid}").text
    assert WEAK in page and QUESTIONS[1] in page and "Your answer to the follow-up" in page
    assert f'action="/interview/{iid}/answer"' in page


def _wav(seconds: float = 1.0) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(16000)
        audio.writeframes(b"\0\0" * int(16000 * seconds))
    return out.getvalue()


def test_an_answer_recorded_in_the_browser_is_heard_and_timed(bank, endpoint):
    from tests.test_interview_voice import FakeTranscriber, heard

    fake = Endpoint([feedback(STRONG)], QUESTIONS)
    endpoint.side_effect = fake
    hearer = FakeTranscriber(heard("", 0, 1), heard(STRONG, 1.0, 48.2))
    test = web(bank.root, transcriber=lambda: hearer)
    iid, _ = begin(test, questions="1")
    nothing = say(test, iid, files={"audio": ("answer.wav", _wav(), "audio/wav")})
    assert "Nothing was heard in that take." in html(nothing) and 'name="text"' not in html(nothing)
    said = say(test, iid, files={"audio": ("answer.wav", _wav(), "audio/wav")})
    assert f"You (spoken 48.2s):</span>\n<span class=\"iv-said\">{STRONG}" in html(said)
    assert "48.2s spoken against 45-60s" in html(said) and "concision <span class=\"iv-points s5\">5/5" in html(said)
    assert "spoken in 48.2 seconds" in [b for b in fake.sent if "response_format" in b][0]["messages"][-1]["content"]


def test_a_recording_the_transcriber_cannot_hear_is_one_sentence_and_the_question_stands(bank, endpoint):
    from tests.test_interview_voice import FakeTranscriber

    endpoint.side_effect = Endpoint([], QUESTIONS)
    test = web(bank.root, transcriber=lambda: FakeTranscriber(RuntimeError("model file missing")))
    iid, _ = begin(test, questions="1")
    said = say(test, iid, files={"audio": ("answer.wav", _wav(), "audio/wav")})
    assert errors(said) == ["Transcription failed (model file missing): check COACH_WHISPER_MODEL or COACH_TRANSCRIBE_URL."]
    assert "Your answer" in test.get(f"/interview/{iid}").text


def test_past_sessions_are_listed_with_their_transcripts(bank, endpoint):
    endpoint.side_effect = Endpoint([feedback(STRONG)], QUESTIONS)
    test = web(bank.root)
    iid, _ = begin(test, questions="1")
    say(test, iid, STRONG)
    go_on(test, iid)
    page = test.get("/interview").text
    assert '<a href="/interview/past/2026-11-24-212224.md">2026-11-24 21:22</a>' in page and "complete" in page
    shown = test.get("/interview/past/2026-11-24-212224.md")
    assert shown.status_code == 200 and STRONG in shown.text and "## Report" in shown.text
    missing = test.get("/interview/past/2026-01-01-000000.md")
    assert missing.status_code == 404 and "There is no such saved session" in missing.text


def test_the_card_says_which_scores_and_notes_the_guard_dropped_and_why(bank, endpoint):
    invented = feedback(STRONG, impact={"score": 4, "evidence": "I cut the incident rate by 80 percent"},
                        say_instead="I cut on-call pages by 70% in three weeks.")
    endpoint.side_effect = Endpoint([invented, invented], QUESTIONS)
    test = web(bank.root)
    iid, _ = begin(test, questions="1")
    card = html(say(test, iid, STRONG))
    assert "not scored: the model's evidence was not in your answer" in card and "80 percent" not in card
    assert "dropped: &#34;70%&#34; and &#34;three&#34; are in neither your answer nor your stories" in card
    assert "I cut on-call pages" not in card


def test_a_feedback_failure_is_one_sentence_on_the_card_and_the_interview_goes_on(bank, endpoint, monkeypatch):
    from tests.llm_fixtures import completion

    monkeypatch.setenv("COACH_REASKS", "0")
    endpoint.side_effect = Endpoint([httpx.Response(200, json=completion("not json"))], QUESTIONS)
    test = web(bank.root)
    iid, _ = begin(test)
    card = html(say(test, iid, STRONG))
    assert "No feedback from the model:" in card and "concision" in card and "Next question" in card
    assert "Traceback" not in card


def test_the_report_of_a_session_whose_feedback_failed_has_its_measured_concision(bank, endpoint, monkeypatch):
    from coach.interview import concision
    from tests.llm_fixtures import completion

    monkeypatch.setenv("COACH_REASKS", "0")
    endpoint.side_effect = Endpoint([httpx.Response(200, json=completion("not json"))], QUESTIONS)
    test = web(bank.root)
    iid, _ = begin(test, questions="1")
    say(test, iid, STRONG)
    report = html(go_on(test, iid))
    assert "0 of 1 questions scored" in report  # the model scored none; concision is measured all the same
    assert f"<dt>concision</dt><dd>{concision(22, (45, 60))}<" in report and "Practise next" in report


def test_an_unknown_command_and_a_reload_while_a_step_runs(bank, endpoint):
    endpoint.side_effect = Endpoint([], QUESTIONS)
    test = web(bank.root)
    iid, _ = begin(test)
    assert "/louder is not a command here" in html(say(test, iid, "/louder"))
    with running(test)[iid].lock:
        page = test.get(f"/interview/{iid}").text
    assert "in the middle of a step" in page and 'name="text"' not in page


def test_the_configured_endpoint_streams_from_a_real_openai_compatible_server(bank, monkeypatch):
    """No mock in the way: the default engine reaches a loopback server over HTTP and its SSE chunks arrive as words."""
    from coach.web.app import Services
    from tests.loopback_openai import QUESTION, loopback_openai

    with loopback_openai(pause=0) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
        monkeypatch.setenv("COACH_MODEL", "test-model")
        test = client(bank.root, Services(now=lambda: NOW))
        iid, said = begin(test, questions="1")
        assert "".join(e.get("words", "") for e in said) == QUESTION and len([e for e in said if "words" in e]) >= 3
        card = html(say(test, iid, STRONG))
    assert f'<q class="iv-evidence">{" ".join(STRONG.split()[:7])}</q>' in card
    assert fake.sent[0]["stream"] is True and fake.sent[1]["response_format"]


def test_words_that_break_off_are_followed_by_the_question_itself(bank, endpoint):
    from tests.llm_fixtures import streamed

    whole = streamed("Tell me about a time").content.decode()
    cut = httpx.Response(200, headers={"content-type": "text/event-stream"},
                         content=whole.split('"finish_reason": "stop"')[0].rsplit("data:", 1)[0].encode())
    endpoint.side_effect = Endpoint([], [cut])
    test = web(bank.root)
    iid, said = begin(test, questions="1")
    shown = html(said)
    assert "The model&#39;s words broke off; the question it started from follows." in shown
    seed = running(test)[iid].machine.planned[0].seed
    assert "".join(e.get("words", "") for e in said).endswith(seed)
    page = test.get(f"/interview/{iid}").text
    assert f'<span class="iv-said">{seed}</span>' in page.replace("&#39;", "'")


def test_words_cut_off_by_the_token_budget_are_said_so_and_followed_by_the_question(bank, endpoint):
    from tests.test_interview import cut_off

    endpoint.side_effect = Endpoint([], [cut_off("Tell me about the day you showed her the map on the")])
    test = web(bank.root)
    iid, said = begin(test, questions="1")
    assert "The model&#39;s words were cut off by its token limit; the question it started from follows." in html(said)
    seed = running(test)[iid].machine.planned[0].seed
    assert "".join(e.get("words", "") for e in said).endswith(seed)
    assert f'<span class="iv-said">{seed}</span>' in test.get(f"/interview/{iid}").text.replace("&#39;", "'")


def test_a_past_session_with_a_sparse_front_matter_is_still_listed(bank):
    folder = bank.root / "sessions"
    folder.mkdir()
    (folder / "2026-11-02-100000.md").write_text("---\nscores: {impact: 3}\n---\n# x\n")
    page = web(bank.root).get("/interview")
    assert page.status_code == 200 and '<a href="/interview/past/2026-11-02-100000.md">2026-11-02-100000.md</a>' in page.text


def test_an_interview_going_on_is_found_again_from_the_interview_page(bank):
    """Leaving an interview mid-way (to the progress page, say): /interview links back to it, live."""
    from coach.web.pages.interview_run import WebInterview
    from tests.web_fixtures import client

    test = client(bank.root)

    class Session:
        path = bank.root / "sessions" / "2026-12-02-0337.md"
        started = __import__("datetime").datetime(2026, 12, 2, 3, 37)

    class Machine:
        session, stage = Session, None

    run = WebInterview("abc123", Machine, None)
    app = test.app
    while not hasattr(app, "state"):
        app = app.app
    app.state.interviews[run.id] = run
    html = test.get("/interview").text
    assert '<a href="/interview/abc123">Go on with the interview started 2026-12-02 03:37</a>' in html


def test_a_question_that_does_not_draw_out_its_value_is_said_on_the_page(bank, endpoint):
    endpoint.side_effect = Endpoint([], QUESTIONS)
    test = web(bank.root)
    iid, said = begin(test, questions="1", values="People Over Process", round="recruiter")
    note = ("No recruiter-round question left draws out People Over Process, so coach asks a question for a story "
            "type that shows it.")
    assert f'<p class="note">{note}</p>' in html(said)
    assert note in test.get(f"/interview/{iid}").text
    _, plain = begin(test, questions="1", values="Courage", round="manager")
    assert 'class="note"' not in html(plain)
