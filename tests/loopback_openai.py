"""A tiny OpenAI-compatible endpoint on a loopback port, for tests that run a real server and a real browser: coach
reaches it over HTTP as it would reach OpenAI or a local server (no mock of the client library in the way).

    with loopback_openai() as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.url)      # http://127.0.0.1:PORT/v1
        ...
        fake.sent                                            # the request bodies, in order

The interviewer's words are streamed as server-sent events, chunk by chunk, as OpenAI sends them
(`chat.completion.chunk` objects on `data:` lines, then `data: [DONE]`); a feedback request (one with a
`response_format`) gets a plain `chat.completion` whose JSON scores the candidate's answer with evidence quoted from
it, as the feedback task's schema (`coach.interview.feedback.Feedback`) asks.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.llm_fixtures import completion

QUESTION = "Tell me about a time you took a real risk at work. What was at stake?"
NEXT_QUESTION = "Thank you. Now tell me about a time you said something hard to someone senior."
PROBE = "What did you do yourself, and how did you know it worked?"
CREATED = 1_700_000_000


@dataclass
class LoopbackOpenAI:
    """The fake endpoint's address, what it was sent, and what its interviewer says."""

    url: str = ""
    questions: list[str] = field(default_factory=list)  # said in turn; QUESTION once they run out
    pause: float = 0.04  # between streamed chunks, so that a page shows the words arriving
    sent: list[dict] = field(default_factory=list)

    def said(self, body: dict) -> str | None:
        """Note a chat-completions request; return the interviewer's words to stream for it, or None for feedback."""
        self.sent.append(body)
        if body.get("response_format"):
            return None
        if self.questions:
            return self.questions.pop(0)
        prompt = body["messages"][-1]["content"]
        if "follow-up question" in prompt:
            return PROBE
        return NEXT_QUESTION if "just finished answering" in prompt else QUESTION


def feedback_for(body: dict) -> dict:
    """Return feedback on the answer in a feedback request: each score's evidence quoted from the candidate's words."""
    prompt = body["messages"][-1]["content"]
    answers = re.findall(r"^Candidate: (.+)$", prompt, flags=re.MULTILINE)
    quote = " ".join((answers[0] if answers else "").split()[:7])
    scored = {"score": 4, "evidence": quote} if len(quote.split()) >= 3 else {"score": 2, "evidence": ""}
    return {"structure": scored, "ownership": {**scored, "score": max(1, scored["score"] - 1)},
            "impact": {"score": 2, "evidence": ""}, "values": scored,
            "strength": "You owned the decision.", "improvement": "Say the result with a number.",
            "best_story": "", "say_instead": ""}


def chunks(text: str, model: str, usage: bool, pieces: int = 6) -> Iterator[bytes]:
    """Yield a streamed chat completion of `text` as OpenAI sends it: a role chunk, content chunks, the stop chunk,
    the usage chunk when asked for, then [DONE]."""
    size = max(1, len(text) // pieces + 1)
    deltas = [{"role": "assistant", "content": "", "refusal": None}]
    deltas += [{"content": text[i:i + size]} for i in range(0, len(text), size)]
    base = {"id": "chatcmpl-loopback", "object": "chat.completion.chunk", "created": CREATED, "model": model,
            "system_fingerprint": "fp_loopback"}
    for delta in deltas:
        yield _event({**base, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": None}]})
    yield _event({**base, "choices": [{"index": 0, "delta": {}, "logprobs": None, "finish_reason": "stop"}]})
    if usage:
        words = len(text.split())
        yield _event({**base, "choices": [], "usage": {"prompt_tokens": 400, "completion_tokens": words,
                                                       "total_tokens": 400 + words}})
    yield b"data: [DONE]\n\n"


def _event(data: dict) -> bytes:
    """Return one server-sent event carrying data as JSON."""
    return b"data: " + json.dumps(data, separators=(",", ":")).encode() + b"\n\n"


def _handler(fake: LoopbackOpenAI):
    """Return the request handler class that answers for `fake`."""

    class Handler(BaseHTTPRequestHandler):
        """Answers POST …/chat/completions; anything else is a 404 in OpenAI's error shape."""

        def do_POST(self):  # noqa: N802 — http.server's name
            """Answer a chat-completions request: streamed words, or a JSON completion."""
            length = int(self.headers.get("content-length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            if not self.path.rstrip("/").endswith("/chat/completions"):
                return self._send(404, "application/json", json.dumps(
                    {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}}).encode())
            said = fake.said(body)
            if said is None or not body.get("stream"):  # feedback, or words asked for without streaming
                answer = completion(feedback_for(body) if said is None else said)
                return self._send(200, "application/json", json.dumps(answer).encode())
            self.send_response(200)
            self.send_header("content-type", "text/event-stream; charset=utf-8")
            self.send_header("cache-control", "no-cache")
            self.send_header("connection", "close")
            self.end_headers()
            usage = bool((body.get("stream_options") or {}).get("include_usage"))
            for chunk in chunks(said, body.get("model", "test-model"), usage):
                self.wfile.write(chunk)
                self.wfile.flush()
                time.sleep(fake.pause)
            return None

        def _send(self, status: int, kind: str, payload: bytes) -> None:
            """Send a whole answer with its length."""
            self.send_response(status)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):  # noqa: A002 — quiet: the test's output is the browser's
            """Log nothing."""
            pass

    return Handler


@contextmanager
def loopback_openai(*questions: str, pause: float = 0.04) -> Iterator[LoopbackOpenAI]:
    """Serve the fake endpoint on a free port of 127.0.0.1, in a thread, until the block ends."""
    fake = LoopbackOpenAI(questions=list(questions), pause=pause)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="loopback-openai")
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
