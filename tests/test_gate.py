"""The one gate for text from outside: hostile model answers cannot drive the terminal, hide the user's words in a
story file, or swamp it; what the gate removed or cut is said."""

from __future__ import annotations

import json

from hypothesis import event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from coach.bank.folder import Bank, load_story
from coach.cli import app
from coach.jobs.refine import Refinement, RefineTask, apply_refinement
from coach.jobs.task import Made
from coach.llm.gate import MAX_CHARS, MAX_ITEMS, clean_answer, field_text, printable
from tests.llm_fixtures import completion, refinement, sentences, streamed

ESC = "\x1b"
SAMPLE = __import__("pathlib").Path(__file__).parent / "fixtures" / "four-power-stories.md"
HOSTILE = f"Kept going{ESC}[;H{ESC}[J{ESC}c and {ESC}]0;owned\x07{ESC}[2J done \u202eevil\u202c."


def run(runner, *args):
    return runner.invoke(app, [*args, "--stories", "stories"])


def hostile_refinement() -> dict:
    body = refinement()
    body["sentences"][0]["text"] += f" {ESC}[;H{ESC}[J{ESC}c"
    body["changes"] = [f"{ESC}]0;title\x07{ESC}[2J cleared", "x" * 5_000_000]
    body["key_words"] = ["<!--", "ownership"]
    body["hooks"] = [body["hooks"][0], "## Draft"]
    body["coaching_notes"] = ["Fine <!-- hidden", HOSTILE]
    body["follow_ups"][0]["answer"] = f"They worried at first.{ESC}c"
    return body


def test_a_hostile_refine_answer_is_saved_inert_and_said(runner, bank, endpoint):
    endpoint.respond(200, json=completion(hostile_refinement()))
    result = run(runner, "refine", "risk")
    assert result.exit_code == 0, result.output
    assert ESC not in result.output and "\x07" not in result.output and "\u202e" not in result.output
    assert "of terminal control codes removed" in result.output
    assert "cut to the length the method uses: changes (300 characters)" in result.output
    text = (bank.root / "risk.md").read_text()
    assert ESC not in text and "\u202e" not in text and "<!--" not in text.split("## Draft")[-1].split("## History")[0].replace("<\\!--", "")
    assert "- <\\!--" in text and "Fine <\\!-- hidden" in text and "\\## Draft" in text
    assert len(text) < 50_000
    story = load_story(bank.root / "risk.md")
    assert story.follow_ups and story.history == [] or story.history  # the story reads back whole


def test_a_comment_the_user_adds_later_hides_nothing_coach_wrote(runner, bank, endpoint):
    endpoint.respond(200, json=completion(hostile_refinement()))
    assert run(runner, "refine", "risk").exit_code == 0
    path = bank.root / "risk.md"
    before = load_story(path)
    path.write_text(path.read_text().replace("## Follow-ups", "<!-- private: ask Sam -->\n\n## Follow-ups"))
    after = load_story(path)
    assert after.follow_ups == before.follow_ups and after.practice_notes.key_words == before.practice_notes.key_words
    shown = run(runner, "followups", "risk")
    assert "No follow-ups yet" not in shown.output and ESC not in shown.output


def test_hostile_follow_up_fields_never_reach_the_terminal(runner, bank, endpoint):
    answer = {"follow_ups": [{"question": f"Why {ESC}[2Jthis?", "aims_at": f"{ESC}]0;t\x07stakes",
                              "answer": [{"text": "I was worried they would resent it.", "sources": ["I was a bit worried"]}]}]}
    endpoint.respond(200, json=completion(answer))
    result = run(runner, "followups", "risk", "--generate", "1", "--json")
    assert result.exit_code == 0, result.output
    assert ESC not in result.output and "\\u001b" not in result.output and "\x07" not in result.output
    assert ESC not in (bank.root / "risk.md").read_text()


def test_the_interviewers_streamed_words_lose_their_escapes(runner, bank, endpoint, tmp_path):
    from tests.test_interview import STRONG, Endpoint, answers_file, feedback

    endpoint.side_effect = Endpoint([feedback(STRONG)], [streamed(f"Tell me{ESC}[2J about a risk{ESC}]0;x\x07 you took.")])
    result = run(runner, "interview", "-n", "1", "--answers", answers_file(tmp_path, STRONG))
    assert result.exit_code == 0, result.output
    assert ESC not in result.output and "\x07" not in result.output
    transcript = next((bank.root / "sessions").glob("*.md")).read_text()
    assert ESC not in transcript and "Tell me about a risk you took." in transcript


def test_a_servers_error_text_reaches_the_terminal_inert(runner, bank, endpoint, monkeypatch):
    monkeypatch.setenv("COACH_RETRIES", "0")
    endpoint.respond(400, json={"error": {"message": f"bad {ESC}]0;owned\x07{ESC}[2J request", "type": "x", "code": None}})
    result = run(runner, "refine", "risk")
    assert result.exit_code != 0 and ESC not in result.output and "\x07" not in result.output


def test_the_gate_cuts_long_lists_and_fields_and_says_so():
    body = refinement(changes=["c"] * 200, key_words=["w" * (MAX_CHARS + 100)])
    value = Refinement.model_validate(body)
    passed = clean_answer(value)
    assert len(value.changes) == MAX_ITEMS and len(value.key_words[0]) <= MAX_CHARS + 2
    assert passed.notes() == [f"cut to the length the method uses: key_words ({MAX_CHARS:,} characters)",
                              f"kept only as many as asked for: changes ({MAX_ITEMS})"]
    value = Refinement.model_validate(refinement(hooks=["a", "b", "c", "d"], key_words=["k" * 100]))
    assert clean_answer(value, RefineTask.limits).notes() == [
        "cut to the length the method uses: key_words (80 characters)", "kept only as many as asked for: hooks (3)"]
    assert value.hooks == ["a", "b", "c"]


def test_printable_keeps_text_and_newlines():
    assert printable("Salesforce — 50% «ok»\n\tnext") == "Salesforce — 50% «ok»\n\tnext"
    assert field_text("two\nlines") == "two lines" and field_text("   # x") == "   \\# x"


PIECES = st.sampled_from(["<!--", "-->", "#", "## Draft", "---", "```", "\n", "\r", ESC, "\u202e", "\x00", "\x85",
                          "> Proposed: ", "\x1b[2J", "\x1b]0;t\x07"])
UNRULY = st.lists(st.text(st.characters(codec="utf-8"), max_size=6) | PIECES, max_size=8).map("".join)


@hypothesis_settings(max_examples=int(__import__("os").environ.get("COACH_GATE_EXAMPLES", "25")), deadline=None)
@given(st.lists(UNRULY, min_size=9, max_size=9))
def test_any_text_in_any_field_leaves_a_story_that_reads_back_whole(tmp_path_factory, fields):
    """Whatever a model writes in whatever field, the saved story reads back with every section, the user's draft
    and a comment the user adds afterwards intact."""
    from coach.document.importer import import_into_bank

    bank = Bank(tmp_path_factory.mktemp("bank") / "stories")
    import_into_bank(bank, SAMPLE)
    path = bank.root / "risk.md"
    draft = load_story(path).draft
    body = refinement(
        changes=[fields[0]], coaching_notes=[fields[1]], hooks=[fields[2]], pacing=fields[3], tone=fields[4],
        key_words=[fields[5]],
        follow_ups=[{"question": fields[6] or "Q?", "answer": fields[7]}, {"question": "How?", "answer": "x"},
                    {"question": "Why?", "answer": "y"}],
    )
    body["sentences"] = sentences()[:2] + [{"text": fields[8], "sources": []}]
    value = Refinement.model_validate(json.loads(json.dumps(body)))
    clean_answer(value)
    try:
        bank.update(path, lambda latest: apply_refinement(latest, value, Made("m", __import__("datetime").datetime(2026, 1, 1))))
    except Exception as error:  # the read-back check may refuse; then nothing was written
        assert "reads back differently" in str(error)
        event("refused: would read back differently")
        return
    event("saved")
    text = path.read_text()
    assert ESC not in text and "\u202e" not in text and "\x00" not in text
    story = load_story(path)
    assert story.draft == draft and len(story.follow_ups) >= 3
    path.write_text(text.replace("## Coaching Notes", "<!-- mine -->\n\n## Coaching Notes"))
    again = load_story(path)
    assert again.follow_ups == story.follow_ups and again.coaching_notes == story.coaching_notes


def test_a_question_ending_in_a_hash_reads_back_as_written(runner, bank, endpoint):
    """`### What about C#` is the question "What about C#": a closing run of # follows a space (CommonMark)."""
    answer = {"follow_ups": [{"question": "Why did you pick C#", "aims_at": "the choice",
                              "answer": [{"text": "I was worried they would resent it.", "sources": ["I was a bit worried"]}]}]}
    endpoint.respond(200, json=completion(answer))
    result = run(runner, "followups", "risk", "--generate", "1")
    assert result.exit_code == 0, result.output
    assert load_story(bank.root / "risk.md").follow_ups[-1].question == "Why did you pick C#"


def test_a_closed_standard_output_is_one_sentence_not_a_traceback(bank):
    import subprocess
    import sys

    done = subprocess.run(f"{sys.executable} -m coach check --stories {bank.root} >&-", shell=True, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == ("Error: standard output is closed, so coach has nowhere to print; run it with an "
                                   "output (add > /dev/null to discard it)")
