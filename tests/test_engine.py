"""The LLM engine through the real OpenAI client and respx: re-asks, retries, fallbacks, errors, cache, log."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from coach.bank.folder import Bank
from coach.llm.calllog import CallLog
from coach.llm.engine import Engine
from coach.llm.settings import build_client, settings_from_env
from coach.refine import refine_story
from tests.conftest import snapshot
from tests.llm_fixtures import BASE_URL, RISK_REFINED, completion, error_body, refinement


@pytest.fixture
def mock_openai():
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router.post("/chat/completions")


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def make_engine(bank, sleeps):
    def make(**overrides) -> Engine:
        settings = settings_from_env({"OPENAI_BASE_URL": BASE_URL, "COACH_MODEL": "test-model"}, **overrides)
        return Engine(settings, client=build_client(settings), log=CallLog.for_bank(bank.root), sleep=sleeps.append)

    return make


def refine(bank: Bank, engine: Engine, slug: str = "risk", **options):
    return refine_story(bank, bank.root / f"{slug}.md", engine, **options)


def sent(route, n: int) -> dict:
    return json.loads(route.calls[n].request.content)


def test_valid_answer_is_written_with_history(bank, make_engine, mock_openai):
    mock_openai.respond(200, json=completion(refinement()))
    before = (bank.root / "risk.md").read_text()
    outcome = refine(bank, make_engine())
    assert outcome.error is None and mock_openai.call_count == 1
    body = sent(mock_openai, 0)
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    story = outcome.merge.story
    assert story.refined == RISK_REFINED
    assert story.history[-1].text in before and story.history[-1].source == "hand"
    assert "How did the team react at first?" in [f.question for f in story.follow_ups]
    assert (bank.root / "risk.md").read_text().count("## History") == 1


def test_invalid_json_then_valid_reasks_with_the_error_quoted(bank, make_engine, mock_openai):
    mock_openai.side_effect = [
        httpx.Response(200, json=completion("{not json")),
        httpx.Response(200, json=completion(refinement())),
    ]
    outcome = refine(bank, make_engine())
    assert outcome.error is None and mock_openai.call_count == 2
    second = sent(mock_openai, 1)["messages"]
    assert all("{not json" not in m["content"] for m in second)  # an answer that did not parse is never resent
    assert "the answer is not valid JSON" in second[-1]["content"] and len(second) == 3
    assert outcome.answer.attempts == 2


def test_too_long_then_valid_reasks_with_the_word_count(bank, make_engine, mock_openai):
    long = RISK_REFINED + " " + RISK_REFINED.split(". ")[0] + ". " + "I also kept refining the template with feedback from every engineer on the rotation each sprint."
    mock_openai.side_effect = [
        httpx.Response(200, json=completion(refinement(refined=long))),
        httpx.Response(200, json=completion(refinement())),
    ]
    outcome = refine(bank, make_engine())
    assert outcome.error is None and mock_openai.call_count == 2
    reask = sent(mock_openai, 1)["messages"][-1]["content"]
    assert "it must have 112-150 words to take 45-60 seconds at 150 words per minute" in reask


@pytest.mark.parametrize(
    "original, invented, quoted",
    [
        ("50% of our tech debt", "70% of our tech debt", '"70%" is not in the candidate\'s material'),
        ("five busy engineers", "five busy engineers led by Priya", '"Priya" is not in the candidate\'s material'),
    ],
)
def test_invented_fact_is_rejected_then_fixed(bank, make_engine, mock_openai, original, invented, quoted):
    mock_openai.side_effect = [
        httpx.Response(200, json=completion(refinement(refined=RISK_REFINED.replace(original, invented)))),
        httpx.Response(200, json=completion(refinement())),
    ]
    outcome = refine(bank, make_engine())
    assert outcome.error is None and mock_openai.call_count == 2
    assert quoted in sent(mock_openai, 1)["messages"][-1]["content"]


def test_reasks_are_bounded_and_leave_the_file_unchanged(bank, make_engine, mock_openai):
    mock_openai.side_effect = [httpx.Response(200, json=completion(refinement(refined=f"Too short, take {n}."))) for n in (1, 2, 3)]
    before = snapshot(bank.root)
    outcome = refine(bank, make_engine())
    assert mock_openai.call_count == 3
    assert "failed the method's checks 3 times" in str(outcome.error)
    assert {k: v for k, v in snapshot(bank.root).items() if not k.startswith(".coach")} == {
        k: v for k, v in before.items() if not k.startswith(".coach")
    }


def test_429_with_retry_after_is_honoured(bank, make_engine, mock_openai, sleeps):
    mock_openai.side_effect = [
        httpx.Response(429, headers={"retry-after": "7"}, json=error_body("Rate limit reached")),
        httpx.Response(200, json=completion(refinement())),
    ]
    outcome = refine(bank, make_engine())
    assert outcome.error is None and mock_openai.call_count == 2
    assert sleeps == [7.0]


def test_500s_until_retries_run_out(bank, make_engine, mock_openai, sleeps):
    mock_openai.respond(500, json=error_body("The server had an error"))
    before = (bank.root / "risk.md").read_bytes()
    outcome = refine(bank, make_engine(retries=3))
    assert mock_openai.call_count == 4 and len(sleeps) == 3
    assert str(outcome.error) == "llm.test failed with 500 after 4 attempts (The server had an error); try again later"
    assert (bank.root / "risk.md").read_bytes() == before


def test_timeout_is_retried_then_explained(bank, make_engine, mock_openai):
    mock_openai.side_effect = httpx.ReadTimeout("timed out")
    outcome = refine(bank, make_engine(retries=1))
    assert mock_openai.call_count == 2
    assert str(outcome.error) == "llm.test did not answer within 60s after 2 attempts; raise COACH_TIMEOUT or check the server"


def test_connection_error_names_the_url(bank, make_engine, mock_openai):
    mock_openai.side_effect = httpx.ConnectError("refused")
    outcome = refine(bank, make_engine(retries=0))
    assert str(outcome.error).startswith("could not connect to http://llm.test/v1; check OPENAI_BASE_URL")


@pytest.mark.parametrize(
    "status, body, message",
    [
        (401, error_body("Incorrect API key provided"), "llm.test rejected the API key (401); check OPENAI_API_KEY"),
        (404, error_body("The model `nope` does not exist"), "model 'test-model' was not found at llm.test (404)"),
        (400, error_body("messages: too long"), "llm.test rejected the request (400: messages: too long)"),
        (429, error_body("You exceeded your current quota", "insufficient_quota"), "llm.test says the account is out of quota"),
    ],
)
def test_client_errors_are_not_retried(bank, make_engine, mock_openai, status, body, message):
    mock_openai.respond(status, json=body)
    outcome = refine(bank, make_engine())
    assert mock_openai.call_count == 1
    assert str(outcome.error).startswith(message)


def test_refusal_is_explained_not_retried(bank, make_engine, mock_openai):
    mock_openai.respond(200, json=completion("", refusal="I can't help with that."))
    outcome = refine(bank, make_engine())
    assert mock_openai.call_count == 1
    assert str(outcome.error) == "the model refused to answer: I can't help with that.; rephrase the story or try another model"


def test_truncated_output_is_explained(bank, make_engine, mock_openai):
    mock_openai.respond(200, json=completion('{"refined": "At Sales', finish_reason="length"))
    outcome = refine(bank, make_engine())
    assert mock_openai.call_count == 1
    assert "cut off at 2000 tokens (finish_reason=length); raise COACH_MAX_TOKENS" in str(outcome.error)


def test_json_schema_rejection_falls_back_and_is_remembered(bank, make_engine, mock_openai):
    rejection = {"error": {"code": 500, "message": 'response_format type must be one of "text" or "json_object", but got: json_schema', "type": "server_error"}}
    mock_openai.side_effect = [
        httpx.Response(500, json=rejection),
        httpx.Response(200, json=completion(refinement())),
        httpx.Response(200, json=completion(refinement(refined=RISK_REFINED.replace("wearing people down", "burning people out")))),
    ]
    outcome = refine(bank, make_engine())
    assert outcome.error is None and mock_openai.call_count == 2
    fallback = sent(mock_openai, 1)
    assert fallback["response_format"]["type"] == "json_object"
    assert "matching this JSON schema" in fallback["messages"][0]["content"]
    refine(bank, make_engine(), "risk", fresh=True)
    assert sent(mock_openai, 2)["response_format"]["type"] == "json_object"


def test_forced_mode_skips_json_schema(bank, make_engine, mock_openai):
    mock_openai.respond(200, json=completion(refinement()))
    refine(bank, make_engine(output_mode="json_object"))
    assert sent(mock_openai, 0)["response_format"]["type"] == "json_object"


def test_cache_hit_makes_no_request(bank, make_engine, mock_openai):
    mock_openai.respond(200, json=completion(refinement()))
    risk = bank.root / "risk.md"
    original = risk.read_text()
    refine(bank, make_engine())
    risk.write_text(original)
    again = refine(bank, make_engine())
    assert mock_openai.call_count == 1 and again.answer.cached
    risk.write_text(original)
    refine(bank, make_engine(), fresh=True)
    assert mock_openai.call_count == 2


def test_every_call_is_logged_without_the_key(bank, mock_openai, sleeps):
    settings = settings_from_env({"OPENAI_BASE_URL": BASE_URL, "OPENAI_API_KEY": "sk-secret-123", "COACH_MODEL": "test-model"})
    log = CallLog.for_bank(bank.root)
    engine = Engine(settings, client=build_client(settings), log=log, sleep=sleeps.append)
    mock_openai.side_effect = [httpx.Response(200, json=completion("{bad")), httpx.Response(200, json=completion(refinement()))]
    refine(bank, engine)
    [call] = log.recent()
    assert (call.command, call.model, call.host, call.attempts, call.outcome) == ("refine", "test-model", "llm.test", 2, "ok")
    assert (call.tokens_in, call.tokens_out) == (1800, 600)
    assert b"sk-secret-123" not in log.path.read_bytes()
    assert mock_openai.calls[0].request.headers["authorization"] == "Bearer sk-secret-123"


def test_hand_edited_version_goes_to_history_as_hand(bank, make_engine, mock_openai):
    mock_openai.side_effect = [
        httpx.Response(200, json=completion(refinement())),
        httpx.Response(200, json=completion(refinement(refined=RISK_REFINED.replace("wearing people down", "burning people out")))),
    ]
    first = refine(bank, make_engine()).merge.story
    path = bank.root / "risk.md"
    path.write_text(path.read_text().replace("wearing people down", "grinding people down"))
    second = refine(bank, make_engine()).merge.story
    assert second.history[-1].source == "hand" and "grinding people down" in second.history[-1].text
    assert first.history[-1].source == "hand"
    assert len(second.history) == 2


def test_forced_json_schema_mode_does_not_fall_back(bank, make_engine, mock_openai):
    rejection = {"error": {"message": 'response_format type must be one of "text" or "json_object", but got: json_schema'}}
    mock_openai.respond(500, json=rejection)
    outcome = refine(bank, make_engine(output_mode="json_schema"))
    assert mock_openai.call_count == 1
    assert str(outcome.error) == "llm.test does not accept json_schema output; set COACH_OUTPUT_MODE=json_object (or auto)"



def test_the_same_rejected_answer_twice_ends_the_reasks(bank, make_engine, mock_openai):
    mock_openai.respond(200, json=completion(refinement(refined="Too short.")))
    outcome = refine(bank, make_engine())
    assert mock_openai.call_count == 2
    assert str(outcome.error).startswith("the model gave the same rejected answer twice; the model keeps missing the word budget")


def test_the_cli_asks_through_an_engine_handed_to_make_app(runner, bank, make_engine, mock_openai):
    """The engine is a seam like the clock and the input: no endpoint in the environment, the test's own engine."""
    from coach.cli import Terminal, make_app
    from coach.display.terminal import Progress

    mock_openai.respond(200, json=completion(refinement()))
    handed: list[str | None] = []

    def engine(bank_, model):
        handed.append(model)
        return make_engine(), Progress()

    result = runner.invoke(make_app(Terminal(engine=engine)), ["refine", "risk", "--model", "mine", "--stories", "stories"])
    assert result.exit_code == 0, result.output
    assert handed == ["mine"] and mock_openai.call_count == 1
    assert RISK_REFINED in (bank.root / "risk.md").read_text()


def test_the_advice_follows_the_cause_most_reasons_share_and_long_reasons_are_cut():
    from coach.llm.answers import PROBLEMS, SHOWN_REASON, advice, rejection

    invented = ('refined: the sentence "We grew 40%.": the quotes "40%" are not in the candidate\'s draft or answers; '
                "give the exact words it comes from in its sources, or cut the claim, or make the missing fact a "
                "[placeholder]")
    unsupported = 'hook: the sentence "A pioneer.": the candidate\'s material does not carry it ("pioneer" in none of it)'
    budget = "refined has 95 words; it must have 112-150 words to take 45-60 seconds at 150 words per minute"
    assert advice([budget, invented, unsupported]).startswith("the model keeps adding facts")
    assert advice([budget]).startswith("the model keeps missing the word budget")
    scores = ["impact.score is 8; give a whole number from 1 to 5", "structure.score is 9; give a whole number from 1 to 5",
              'ownership.evidence " }, " is too short to show anything', 'strength: "8.7" is not in the candidate\'s '
              "material (use only numbers they gave, or a [placeholder]); use only the candidate's facts"]
    assert advice(scores).startswith("the model does not quote your answer as its evidence or scores out of range")
    mixed = [budget, invented, "follow_ups is empty; give at least one", "coaching_notes is empty; give at least one"]
    assert advice(mixed).startswith("the model's answers break several of the method's rules")
    assert advice(["follow_ups is empty; give at least one"]) == "run again, or use a stronger model (COACH_MODEL)"
    long = invented + " " + "x" * 2000
    said = rejection([long, budget], 3, False)
    assert PROBLEMS in said and len(max(said.splitlines(), key=len)) <= SHOWN_REASON + 6 and "…" in said
