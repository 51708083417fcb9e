"""Canned chat-completion bodies for respx: what an OpenAI-compatible endpoint sends back."""

from __future__ import annotations

import json

import httpx

BASE_URL = "http://llm.test/v1"

RISK_SENTENCES = [
    ("At Salesforce in 2023, I noticed our MLOps on-call rotation was wearing people down: context was lost at every "
     "handoff and tech debt kept piling up.",
     ["Salesforce 2023", "there was some context loss from each on-call rotation"]),
    ("I decided to propose something that sounded like extra work to five busy engineers, a short report at the end "
     "of each sprint.",
     ["the other 5 engineers would not like the idea because it felt like extra work",
      "a report for each on-call person to write and present at the end of each sprint"]),
    ("I was worried they would resent it, so instead of just suggesting it, I wrote the first template and report "
     "myself and kept the presentation under 10 minutes.",
     ["I was a bit worried", "Spending the time to create the template and report",
      "Limiting the report presentation to 10 minutes."]),
    ("I was honest with them: yes, this feels like extra work, but it will ease on-call and let us attack tech debt "
     "on purpose.",
     ["I was able to get others to follow along with honesty", "take on the tech debt more strategically"]),
    ("The next quarter, 50% of our tech debt backlog was no longer an issue, and monitoring, alerts and tests "
     "improved.",
     ["The next quarter we found that 50% of our tech debt backlog were no longer issues",
      "Improved monitoring, alerts, and e2e tests"]),
    ("I learned that leading by example wins support faster than arguing, and that is the courage I would bring to "
     "Netflix.",
     ["leading by example gets buy in over just words and complaining", "Courage"]),
]
RISK_REFINED = " ".join(text for text, _ in RISK_SENTENCES)


def sentences(pairs=RISK_SENTENCES) -> list[dict]:
    """Return refined sentences with their sources, as the refine answer gives them."""
    return [{"text": text, "sources": list(sources)} for text, sources in pairs]


def _sourced(text: str) -> list[dict]:
    from coach.method.text import sentences as split

    sources = [pair[1] for pair in RISK_SENTENCES]
    return [{"text": part, "sources": sources[i] if i < len(sources) else ["Salesforce 2023"]} for i, part in enumerate(split(text))]


def refinement(refined: str | None = None, **changes) -> dict:
    """Return a refine answer that passes the method's checks for the sample risk story.

    A plain `refined` text is split into sentences, each keeping the sources of the risk sentence in its place.
    """
    body = {
        "sentences": sentences() if refined is None else _sourced(refined),
        "estimated_seconds": 54,
        "changes": ["Opened on the on-call problem instead of the launch"],
        "coaching_notes": ["Name the alert that the first report caught"],
        "hooks": ["At Salesforce, our on-call rotation was losing context at every handoff."],
        "pacing": "Slow down on the honest pitch to the team.",
        "tone": "Candid, then proud of the result.",
        "key_words": ["lead by example", "under 10 minutes", "50%"],
        "follow_ups": [
            {"question": "How did the team react at first?", "answer": [
                {"text": "They worried it was extra work; I met that head on.", "sources": ["like extra work"]}]},
            {"question": "What did the report contain?", "answer": [
                {"text": "Tech debt, triggered alerts and stakeholder management from the sprint.",
                 "sources": ["tech debt, triggered alerts, and stakeholder management"]}]},
            {"question": "How did you measure the impact?", "answer": [
                {"text": "The next quarter, 50% of the tech debt backlog was no longer an issue.",
                 "sources": ["50% of our tech debt backlog"]}]},
        ],
    }
    body.update(changes)
    return body


def completion(content, finish_reason: str = "stop", refusal: str | None = None, tokens=(900, 300)) -> dict:
    """Return a chat.completion body whose message content is `content` (a dict is sent as JSON)."""
    text = json.dumps(content) if isinstance(content, dict) else content
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "test-model",
        "choices": [{
            "index": 0,
            "finish_reason": finish_reason,
            "message": {"role": "assistant", "content": None if refusal else text, "refusal": refusal},
        }],
        "usage": {"prompt_tokens": tokens[0], "completion_tokens": tokens[1], "total_tokens": sum(tokens)},
    }


def error_body(message: str, code: str | None = None) -> dict:
    """Return an OpenAI-style error body."""
    return {"error": {"message": message, "type": "invalid_request_error", "code": code}}


def streamed(text: str, pieces: int = 3, usage: tuple[int, int] | None = None) -> httpx.Response:
    """Return a streamed chat completion (server-sent events) that says text in a few pieces; with usage (tokens in,
    out), a last chunk with no choices carries the counts, as OpenAI sends it for `stream_options.include_usage`."""
    size = max(1, len(text) // pieces + 1)
    parts = [text[i : i + size] for i in range(0, len(text), size)]
    chunks = [{"index": 0, "delta": {"role": "assistant", "content": part}, "finish_reason": None} for part in parts]
    chunks.append({"index": 0, "delta": {}, "finish_reason": "stop"})
    bodies = [{"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1_700_000_000,
               "model": "test-model", "choices": [chunk]} for chunk in chunks]
    if usage:
        bodies.append({"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": 1_700_000_000,
                       "model": "test-model", "system_fingerprint": "fp_test", "choices": [],
                       "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}})
    events = "".join("data: " + json.dumps(body) + "\n\n" for body in bodies)
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=(events + "data: [DONE]\n\n").encode())
