"""The call log page (`coach log`) and one call in full (`coach log --show ID`)."""

from __future__ import annotations

import pytest

from coach.llm.calllog import CallLog, CallRecord
from tests.web_fixtures import client

pytest.importorskip("starlette")


def logged(bank, **changes) -> int:
    """Record one call in the bank's log and return its id."""
    call = CallRecord(**{"command": "refine", "model": "test-model", "host": "llm.test", "prompt_hash": "ab12" * 16,
                         "tokens_in": 1234, "tokens_out": 300, "latency_ms": 2500, "attempts": 1, "outcome": "ok",
                         "at": "2026-12-01T09:30:00", "content": '{"refined": "At Salesforce"}', **changes})
    return CallLog.for_bank(bank.root).record(call)


def test_without_a_log_the_page_says_what_fills_it(bank):
    answer = client(bank.root).get("/log")
    assert answer.status_code == 200
    assert "No model calls recorded yet: refining a story, asking for follow-ups" in answer.text
    assert not (bank.root / ".coach").exists()  # reading the page made no log


def test_the_log_lists_each_call_with_its_cost_and_outcome(bank):
    first = logged(bank)
    second = logged(bank, command="followups", outcome="failed checks", attempts=3, tokens_in=50, tokens_out=7,
                    latency_ms=900, reasons=["the answer quoted words not in the draft"])
    html = client(bank.root).get("/log").text
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert [f'href="/log/{first}"' in rows[0], f'href="/log/{second}"' in rows[1]] == [True, True]
    assert "2026-</span>12-01 09:30" in rows[0] and "refine" in rows[0] and "test-model" in rows[0]
    assert "1,234/<wbr>300" in rows[0] and "2.5s" in rows[0] and ">ok<" in rows[0]
    assert "failed checks (3 tries)" in rows[1] and "0.9s" in rows[1]
    assert "The latest 2 calls to llm.test, newest last: 1,284 tokens in, 307 tokens out." in html


def test_one_call_is_shown_in_full_with_its_answer_and_reasons(bank):
    call = logged(bank, outcome="failed checks", reasons=["a number is nowhere in the draft"], detail="re-asked twice")
    html = client(bank.root).get(f"/log/{call}").text
    assert f"Call {call}: refine" in html
    assert "Rejected because" in html and "a number is nowhere in the draft" in html and "re-asked twice" in html
    assert "&#34;refined&#34;: &#34;At Salesforce&#34;" in html  # the kept answer, indented JSON, escaped
    assert "ab12ab12" in html


def test_an_unknown_call_is_a_404_in_one_sentence(bank):
    logged(bank)
    answer = client(bank.root).get("/log/999")
    assert answer.status_code == 404 and "There is no call 999 in the log" in answer.text
    assert client(bank.root).get("/log/abc").status_code == 404
