"""Untrusted in, nothing broken out (issue 20), the model's side: a call log that is locked, full or corrupt never
stops a command or loses an answer; credentials and keys never reach the terminal or the call log; an answer nested
too deep is an invalid answer like any other; a key pasted with its line break still works.

Every test asserts what the user sees: the story file (changed as intended, or byte for byte as it was), one clear
line on stderr, the exit status, no traceback, and no secret in stdout, stderr or any byte of the bank."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from coach.cli import app
from coach.llm import calllog
from coach.llm.answers import MAX_DEPTH, InvalidOutput, nesting, parse_content
from coach.llm.calllog import CallLog, CallRecord
from coach.llm.redact import mask
from coach.llm.settings import settings_from_env
from tests.conftest import snapshot
from tests.llm_fixtures import RISK_REFINED, completion, refinement
from tests.test_interview import STRONG, Endpoint, answers_file, feedback, transcript_of

DEEP = "[" * 5000 + "]" * 5000  # the hostile answer of issue 20: RecursionError in parse_content before
KEY = "sk-live-Zq81mXk2Lp0Rt7YsW4vN9bQe"
GATEWAY_KEY = "gw-Zq81mXk2Lp0Rt7Ys"  # no known key shape: only the configured key itself says it is one


@pytest.fixture(autouse=True)
def brief_lock_wait(monkeypatch):
    monkeypatch.setattr(calllog, "LOCK_WAIT", 0.3)


def run(runner, *args):
    return runner.invoke(app, [*args, "--stories", "stories"])


def clean_exit(result, status: int) -> None:
    """The command ended with this status and without a traceback."""
    assert result.exit_code == status, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def bank_bytes(bank) -> bytes:
    """Every byte of every file in the bank, the call log and anything set aside included."""
    return b"".join(path.read_bytes() for path in sorted(bank.root.rglob("*")) if path.is_file())


def others(bank) -> dict[str, bytes]:
    """Every story file but risk.md, and nothing of the call log."""
    return {k: v for k, v in snapshot(bank.root).items() if k != "risk.md" and not k.startswith(".coach")}


def refined(bank) -> bool:
    """risk.md holds the model's refined version, the earlier one kept once under ## History."""
    text = (bank.root / "risk.md").read_text()
    return RISK_REFINED in text and text.count("## History") == 1 and "refined_by: test-model" in text


def calls_in(path) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT command, host, outcome FROM calls").fetchall()
    finally:
        db.close()


# 3. The call log is never a reason to stop or to lose an answer


def test_a_call_log_locked_by_another_process_is_waited_for_then_gone_without(runner, bank, endpoint):
    db = bank.root / ".coach" / "coach.db"
    CallLog(db).record(CallRecord("refine", "m", "h", "abc"))  # a log with one call, then another process locks it
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        before, log_before = others(bank), db.read_bytes()
        endpoint.respond(200, json=completion(refinement()))
        result = run(runner, "refine", "risk")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    clean_exit(result, 0)
    assert refined(bank) and others(bank) == before
    assert result.stdout.startswith("risk: refined, 142 words")
    assert result.stderr.splitlines() == [
        "Warning: stories/.coach/coach.db: another process holds the call log locked (waited 0.3s); going on without "
        "the call log, so this run's calls are neither logged nor cached"]
    assert db.read_bytes() == log_before and sorted(p.name for p in db.parent.iterdir()) == ["coach.db"]


def test_a_log_locked_while_the_model_answers_keeps_the_answer_and_says_so_once(runner, bank, endpoint):
    db = bank.root / ".coach" / "coach.db"
    CallLog(db).shape("http://llm.test/v1", "test-model")  # an empty log
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    locked = threading.Lock()

    def answer(request):  # the lock is taken after coach read the log: the answers come back to a locked log
        with locked:
            if not holder.in_transaction:
                holder.execute("BEGIN EXCLUSIVE")
        return httpx.Response(200, json=completion(refinement()))

    endpoint.side_effect = answer
    before = others(bank)
    try:
        result = run(runner, "refine", "risk")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    clean_exit(result, 0)
    assert refined(bank) and others(bank) == before
    assert result.stdout.startswith("risk: refined, 142 words")
    # the answer's cache entry and its call record both found the log locked: said once
    assert result.stderr.splitlines() == [
        "Warning: stories/.coach/coach.db: another process holds the call log locked (waited 0.3s); going on without "
        "the call log, so this run's calls are neither logged nor cached"]
    assert calls_in(db) == []


def test_a_call_log_with_corrupt_pages_is_set_aside_and_the_answer_saved(runner, bank, endpoint):
    endpoint.respond(200, json=completion(refinement()))
    draft = (bank.root / "risk.md").read_bytes()
    clean_exit(run(runner, "refine", "risk"), 0)  # a real log, with a call and the cached answer
    (bank.root / "risk.md").write_bytes(draft)
    db = bank.root / ".coach" / "coach.db"
    pages = bytearray(db.read_bytes())
    pages[4096:] = b"\xab" * (len(pages) - 4096)  # every page but the first overwritten
    db.write_bytes(bytes(pages))
    before = others(bank)
    result = run(runner, "refine", "risk")
    clean_exit(result, 0)
    assert refined(bank) and others(bank) == before
    [line] = result.stderr.splitlines()
    assert line.startswith("Warning: stories/.coach/coach.db was not a readable call log (database disk image is "
                           "malformed); set it aside as coach.db.broken-")
    assert line.endswith(" and started a new one")
    [aside] = [p for p in db.parent.iterdir() if p.name != "coach.db"]
    assert aside.read_bytes() == bytes(pages)  # set aside as it was, for whoever wants to look
    assert calls_in(db) == [("refine", "llm.test", "ok")]
    listed = run(runner, "log")
    clean_exit(listed, 0)
    assert listed.stderr == "" and "1 call to llm.test, 900 tokens in, 300 tokens out." in listed.stdout


class FullLog:
    """A call log its connections may not grow by a page (SQLite's own `database or disk is full`), the cache's one
    page nearly full already; only the first connection, or every one (`every`)."""

    def __init__(self, db):
        self.db, self.every, self.opened = db, False, 0


@pytest.fixture
def full_log(bank, monkeypatch) -> FullLog:
    full = FullLog(bank.root / ".coach" / "coach.db")
    CallLog(full.db).store("filler", "x" * 3_900)
    real = sqlite3.connect

    def connect(database, *args, **kwargs):
        connection = real(database, *args, **kwargs)
        if Path(database).resolve() == full.db.resolve() and (not full.opened or full.every):
            full.opened += 1
            connection.execute("PRAGMA max_page_count = 1")  # never below the pages it has: it may not grow
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect)
    return full


def test_a_full_call_log_is_set_aside_and_the_answer_saved(runner, bank, endpoint, full_log):
    before = others(bank)
    endpoint.respond(200, json=completion(refinement()))
    result = run(runner, "refine", "risk")
    clean_exit(result, 0)
    assert refined(bank) and others(bank) == before
    [line] = result.stderr.splitlines()
    assert line.startswith("Warning: stories/.coach/coach.db was full (database or disk is full); set it aside as "
                           "coach.db.broken-") and line.endswith(" and started a new one")
    assert calls_in(full_log.db) == [("refine", "llm.test", "ok")]  # the new log has the call


def test_a_full_disk_goes_on_without_the_log_and_keeps_it(runner, bank, endpoint, full_log, monkeypatch):
    full_log.every = True
    monkeypatch.setattr(calllog.shutil, "disk_usage", lambda path: type("Usage", (), {"free": 4096})())
    endpoint.respond(200, json=completion(refinement()))
    result = run(runner, "refine", "risk")
    clean_exit(result, 0)
    assert refined(bank)
    assert result.stderr.splitlines() == [
        "Warning: stories/.coach/coach.db: the disk is full (database or disk is full); going on without the call "
        "log, so this run's calls are neither logged nor cached"]
    assert sorted(p.name for p in full_log.db.parent.iterdir()) == ["coach.db"]  # not set aside: a new one would not fit
    assert CallLog(full_log.db).cached("filler") == "x" * 3_900 and calls_in(full_log.db) == []


def test_coach_log_on_a_locked_log_says_so_in_one_sentence(runner, bank):
    db = bank.root / ".coach" / "coach.db"
    CallLog(db).record(CallRecord("refine", "m", "h", "abc"))
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run(runner, "log")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    clean_exit(result, 2)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: stories/.coach/coach.db: another process holds the call log locked (waited 0.3s); run the command "
        "again once that is fixed"]


def test_a_call_log_that_cannot_be_made_is_no_reason_to_stop(runner, bank, endpoint):
    (bank.root / ".coach").write_text("a file where the log's folder should be")
    endpoint.respond(200, json=completion(refinement()))
    result = run(runner, "refine", "risk")
    clean_exit(result, 0)
    assert refined(bank)
    [line] = result.stderr.splitlines()
    assert line.startswith("Warning: stories/.coach/coach.db: cannot use the call log (") and line.endswith(
        "; going on without the call log, so this run's calls are neither logged nor cached")


def test_the_call_log_and_its_folder_are_readable_by_the_user_only(runner, bank, endpoint):
    old = os.umask(0o022)
    draft = (bank.root / "risk.md").read_bytes()
    try:
        endpoint.respond(200, json=completion(refinement()))
        clean_exit(run(runner, "refine", "risk"), 0)
        db = bank.root / ".coach" / "coach.db"
        assert db.parent.stat().st_mode & 0o777 == 0o700
        assert db.stat().st_mode & 0o777 == 0o600
        os.chmod(db, 0o644)  # a log an older coach made under the umask
        os.chmod(db.parent, 0o755)
        (bank.root / "risk.md").write_bytes(draft)
        clean_exit(run(runner, "refine", "risk", "--fresh"), 0)
        assert (db.parent.stat().st_mode & 0o777, db.stat().st_mode & 0o777) == (0o700, 0o600)
    finally:
        os.umask(old)
    assert (bank.root / "risk.md").stat().st_mode & 0o777 == 0o644  # the stories keep theirs


# 4. Secrets stay secret


CREDENTIALS_URL = "http://user:s3cretpass@llm.test/v1"


@pytest.mark.parametrize("response, message", [
    (httpx.ConnectError("[Errno 111] Connection refused"),
     "Error: could not connect to http://llm.test/v1; check OPENAI_BASE_URL and that the server is running"),
    (httpx.Response(500, text="Internal Server Error"), "Error: llm.test failed with 500 (Internal Server Error); try again later"),
    (httpx.Response(401, json={"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}),
     "Error: llm.test rejected the API key (401); check OPENAI_API_KEY"),
], ids=["refused", "500", "401"])
def test_credentials_in_the_base_url_are_never_printed_or_stored(runner, bank, endpoint, monkeypatch, response, message):
    monkeypatch.setenv("OPENAI_BASE_URL", CREDENTIALS_URL)
    endpoint.side_effect = [response]
    before = snapshot(bank.root)
    result = run(runner, "refine", "risk")
    clean_exit(result, 1)
    assert result.stdout == "" and result.stderr.splitlines() == [message]
    assert {k: v for k, v in snapshot(bank.root).items() if not k.startswith(".coach")} == before
    shown = run(runner, "log", "--show", "1", "--json")
    clean_exit(shown, 0)
    assert json.loads(shown.stdout)["host"] == "llm.test"
    for where in (result.output, shown.output, bank_bytes(bank).decode("latin-1")):
        assert "s3cretpass" not in where and "user:" not in where


def test_credentials_in_the_base_url_are_not_kept_with_the_endpoints_shape(runner, bank, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://user:s3cretpass@llm.test:8080/v1")
    monkeypatch.setenv("COACH_MODEL", "test-model")

    with respx.mock(base_url="http://llm.test:8080/v1") as router:
        router.post("/chat/completions").respond(200, json=completion(refinement()))
        result = run(runner, "refine", "risk")
    clean_exit(result, 0)
    assert refined(bank)
    db = bank.root / ".coach" / "coach.db"
    assert calls_in(db) == [("refine", "llm.test:8080", "ok")]
    assert CallLog(db).shape("http://llm.test:8080/v1", "test-model") is not None
    assert b"s3cretpass" not in bank_bytes(bank) and b"user:" not in bank_bytes(bank)


# What servers send back: LiteLLM's proxy names the key it was given (its own masking), a Rust gateway passes on its
# HTTP client's error with the upstream URL and its ?key=, a gateway echoes the request's headers, a server quotes
# the configured key verbatim in a validation error
ECHOES = [
    (httpx.Response(500, json={"error": {"message": f"Authentication Error, Invalid proxy server token passed. Received API Key = {KEY}, Key Hash (Token) =d748053a55933f7b. Unable to find token in cache or `LiteLLM_VerificationTokenTable`", "type": "auth_error", "param": "None", "code": "500"}}),
     KEY, "Error: llm.test failed with 500 (Authentication Error, Invalid proxy server token passed. Received API Key = ***, Key Hash (Token) =d748053a55933f7b. Unable to find token in cache or `LiteLLM_…); try again later"),
    (httpx.Response(502, text="upstream error: error sending request for url (https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent?key=AIzaSyD4r8Xq1LmNoPqRsTuVwXyZ0123456789a)"),
     "AIzaSyD4r8Xq1LmNoPqRsTuVwXyZ0123456789a", "Error: llm.test failed with 502 (upstream error: error sending request for url (https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent?key=***)); try again later"),
    (httpx.Response(500, json={"detail": f"upstream call failed with headers {{'authorization': 'Bearer {KEY}', 'content-type': 'application/json'}}"}),
     KEY, "Error: llm.test failed with 500 (upstream call failed with headers {'authorization': 'Bearer ***', 'content-type': 'application/json'}); try again later"),
    (httpx.Response(400, json={"error": {"message": f"api_key={GATEWAY_KEY} is not allowed to use model test-model", "type": "invalid_request_error"}}),
     GATEWAY_KEY, "Error: llm.test rejected the request (400: api_key=*** is not allowed to use model test-model); check COACH_MODEL and COACH_OUTPUT_MODE"),
    (httpx.Response(400, json={"error": {"message": f"Key {GATEWAY_KEY} has no access to test-model", "type": "invalid_request_error"}}),
     GATEWAY_KEY, "Error: llm.test rejected the request (400: Key *** has no access to test-model); check COACH_MODEL and COACH_OUTPUT_MODE"),
]


@pytest.mark.parametrize("response, key, message", ECHOES, ids=["litellm", "gateway-url", "headers", "api_key=", "verbatim"])
def test_a_server_error_that_echoes_a_key_is_printed_and_stored_masked(runner, bank, endpoint, monkeypatch, response,
                                                                       key, message):
    monkeypatch.setenv("OPENAI_API_KEY", KEY if key.startswith(("sk-", "AIza")) else key)
    endpoint.side_effect = [response]
    before = snapshot(bank.root)
    result = run(runner, "refine", "risk")
    clean_exit(result, 1)
    assert result.stdout == "" and result.stderr.splitlines() == [message]
    assert {k: v for k, v in snapshot(bank.root).items() if not k.startswith(".coach")} == before
    shown = run(runner, "log", "--show", "1", "--json")
    clean_exit(shown, 0)
    assert json.loads(shown.stdout)["detail"] == message.removeprefix("Error: ")
    for where in (result.output.encode(), shown.output.encode(), bank_bytes(bank)):
        assert key.encode() not in where and KEY.encode() not in where


def test_a_model_refusal_that_quotes_the_key_is_masked(runner, bank, endpoint, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", GATEWAY_KEY)
    endpoint.respond(200, json=completion("", refusal=f"I can't use the key {GATEWAY_KEY}."))
    result = run(runner, "refine", "risk")
    clean_exit(result, 1)
    assert result.stderr.splitlines() == [
        "Error: the model refused to answer: I can't use the key ***.; rephrase the story or try another model"]
    assert GATEWAY_KEY.encode() not in bank_bytes(bank)


def test_a_key_with_a_trailing_line_break_is_trimmed(runner, bank, endpoint, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", f"{KEY}\n")  # pasted with its line break
    endpoint.respond(200, json=completion(refinement()))
    result = run(runner, "refine", "risk")
    clean_exit(result, 0)
    assert refined(bank)
    assert endpoint.calls[0].request.headers["authorization"] == f"Bearer {KEY}"


class Recorder(BaseHTTPRequestHandler):
    """A real OpenAI-compatible server on the loopback: answers every chat completion with the refinement."""

    seen: list[str] = []

    def do_POST(self):  # noqa: N802 (the name http.server calls)
        self.rfile.read(int(self.headers["content-length"]))
        Recorder.seen.append(self.headers["authorization"])
        body = json.dumps(completion(refinement())).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Recorder.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_a_key_with_a_trailing_line_break_reaches_a_real_server(runner, bank, loopback, monkeypatch):
    """Before, the line break made the HTTP library refuse the header, which read as 'could not connect'."""
    monkeypatch.setenv("OPENAI_BASE_URL", loopback)
    monkeypatch.setenv("OPENAI_API_KEY", f"  {KEY}\r\n")
    monkeypatch.setenv("COACH_MODEL", "test-model")
    result = run(runner, "refine", "risk")
    clean_exit(result, 0)
    assert refined(bank) and Recorder.seen == [f"Bearer {KEY}"]
    assert "could not connect" not in result.output


@pytest.mark.parametrize("key, message", [
    (f"{KEY[:10]}\n{KEY[10:]}", "Error: OPENAI_API_KEY has a space, a line break or a control character inside the "
                                "key; set it to the key alone, on one line"),
    (f"Bearer {KEY}", "Error: OPENAI_API_KEY has a space, a line break or a control character inside the key; set it "
                      "to the key alone, on one line"),
    (f"\u201c{KEY}\u201d", "Error: OPENAI_API_KEY has a character that is not plain ASCII (a typographic quote or dash "
                           "copied with the key?); set it to the key alone"),
], ids=["line-break-inside", "scheme-pasted", "typographic-quotes"])
def test_a_key_that_cannot_be_sent_is_named_as_the_problem(runner, bank, endpoint, monkeypatch, key, message):
    monkeypatch.setenv("OPENAI_API_KEY", key)
    before = snapshot(bank.root)
    result = run(runner, "refine", "risk")
    clean_exit(result, 2)
    assert result.stdout == "" and result.stderr.splitlines() == [message]
    assert endpoint.call_count == 0 and snapshot(bank.root) == before
    assert KEY[:10] not in result.output and KEY[10:] not in result.output


def test_settings_name_the_host_and_the_secrets():
    settings = settings_from_env({"OPENAI_BASE_URL": " http://user:s3cretpass@[::1]:8080/v1?api_key=abcdef123 \n",
                                  "OPENAI_API_KEY": f"\t{KEY} "})
    assert settings.api_key == KEY and settings.host == "[::1]:8080"
    assert settings.shown_url == "http://[::1]:8080/v1?api_key=***"
    assert settings.url == "http://user:s3cretpass@[::1]:8080/v1?api_key=abcdef123"  # the client still gets it all
    assert settings.secrets == (KEY, "s3cretpass") and settings.local


@pytest.mark.parametrize("text, masked", [
    ("Bearer sk-proj-abc123def456ghi789", "Bearer ***"),
    ("Authorization: Basic dXNlcjpzM2NyZXRwYXNz", "Authorization: Basic ***"),
    ('{"api_key": "abcdef123456"}', '{"api_key": "***"}'),
    ("http://user:p@ss@host:1/v1 and https://a:b@c.example/x", "http://host:1/v1 and https://c.example/x"),
    ("token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig", "token=***"),
    ("gsk_ABCDEFGHIJKLMNOPQRSTUVWX and hf_abcdefghijklmnopqrstu", "gsk_*** and hf_***"),
])
def test_key_like_words_are_masked(text, masked):
    assert mask(text) == masked


@pytest.mark.parametrize("text", [
    "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (max_tokens=2000)",
    "Missing bearer token", "a basic understanding of the risk-averse task-force", "'loc': ('body', 'max_tokens')",
    "Incorrect API key provided: sk-proj-********************************************abcd",
])
def test_ordinary_error_words_are_left_as_they_are(text):
    assert mask(text, ["ollama"]) == text  # a placeholder key this short is no secret


# 3 of "what happened": an answer nested 5,000 deep


def test_an_answer_nested_5000_deep_is_asked_again_not_a_traceback(runner, bank, endpoint):
    endpoint.side_effect = [httpx.Response(200, json=completion(DEEP)), httpx.Response(200, json=completion(refinement()))]
    before = others(bank)
    result = run(runner, "refine", "risk")
    clean_exit(result, 0)
    assert refined(bank) and others(bank) == before and endpoint.call_count == 2
    reask = json.loads(endpoint.calls[1].request.content)["messages"]
    assert reask[-1]["content"].startswith("Your previous answer (it was not JSON, so it is not repeated here) was "
                                           "rejected for these reasons:\n- the answer is not valid JSON for coach (its "
                                           f"brackets nest more than {MAX_DEPTH} levels deep)\n")
    assert all(DEEP[:100] not in m["content"] for m in reask)


def test_answers_nested_too_deep_every_time_are_one_error(runner, bank, endpoint):
    endpoint.respond(200, json=completion('{"sentences": ' + DEEP + "}"))
    before = snapshot(bank.root)
    result = run(runner, "refine", "risk")
    clean_exit(result, 1)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: the model gave the same rejected answer twice; the model does not write the JSON asked for: "
        "use a stronger model (COACH_MODEL). The last answer's problems, as coach told the model:",
        f"  1. the answer is not valid JSON for coach (its brackets nest more than {MAX_DEPTH} levels deep)",
        "(the last answer is kept: `coach log --show 1`)"]
    assert {k: v for k, v in snapshot(bank.root).items() if not k.startswith(".coach")} == before


def test_an_interview_feedback_nested_5000_deep_is_asked_again_and_the_transcript_completed(runner, bank, endpoint,
                                                                                            tmp_path):
    endpoint.side_effect = Endpoint([httpx.Response(200, json=completion(DEEP)), feedback(STRONG)])
    result = run(runner, "interview", "-n", "1", "--values", "Courage", "--answers", answers_file(tmp_path, STRONG))
    clean_exit(result, 0)
    assert "structure  4/5" in result.output
    text, front = transcript_of(bank)
    assert front["status"] == "complete" and STRONG in text


def test_brackets_inside_strings_do_not_count_and_nesting_is_linear():
    from pydantic import BaseModel

    class Note(BaseModel):
        text: str

    quoted = "[" * 5000 + '\\"{' * 100
    assert parse_content(json.dumps({"text": quoted}), Note).text == quoted
    assert nesting(json.dumps({"text": quoted})) == 1
    assert nesting("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)) == MAX_DEPTH + 1
    with pytest.raises(InvalidOutput) as invalid:
        parse_content("```json\n" + DEEP + "\n```", Note)
    assert invalid.value.errors == [f"the answer is not valid JSON for coach (its brackets nest more than {MAX_DEPTH} "
                                    "levels deep)"] and not invalid.value.parsed


def depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(depth, value.values()), default=0)
    return 0


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab,:'),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                           max_leaves=60)


@given(JSON_VALUES)
def test_nesting_counts_what_json_nests(value):
    text = json.dumps(value)
    if text.count("[") + text.count("{") <= MAX_DEPTH:  # too few brackets to nest too deep: not counted
        assert nesting(text) == 0
    else:  # counted up to the first level too deep, brackets and escapes inside strings left out
        assert nesting(text) == min(depth(value), MAX_DEPTH + 1)


@given(st.one_of(st.text(), st.builds(lambda n, tail: "[" * n + tail, st.integers(0, 3000), st.text(max_size=20))))
def test_any_answer_is_parsed_or_invalid_never_a_traceback(content):
    from pydantic import BaseModel

    class Note(BaseModel):
        text: str

    try:
        parse_content(content, Note)
    except InvalidOutput as invalid:
        assert invalid.errors and all(isinstance(error, str) for error in invalid.errors)
