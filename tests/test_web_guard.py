"""Nobody but the person who ran `coach serve` reaches the page: token, loopback Host and CSRF on every request."""

from __future__ import annotations

import pytest

from coach.web.guard import session_for
from tests.web_fixtures import TOKEN, client, csrf_headers, events

pytest.importorskip("starlette")


def test_a_request_without_the_token_is_refused_in_one_sentence(bank):
    test = client(bank.root)
    test.cookies.clear()
    answer = test.get("/")
    assert answer.status_code == 403
    assert answer.text.strip() == ("This page needs the address coach serve printed, with its token; open that "
                                   "address again.")
    assert "Risk" not in answer.text


def test_a_wrong_token_is_refused_in_the_address_and_in_the_cookie(bank):
    test = client(bank.root)
    test.cookies.clear()
    assert test.get("/?token=guess", follow_redirects=False).status_code == 403
    test.cookies.set("coach_token_0", "guess")
    assert test.get("/").status_code == 403
    test.cookies.set("coach_token_0", TOKEN)  # the cookie holds the session, not the printed token
    assert test.get("/").status_code == 403
    assert test.get("/static/coach.js").status_code == 403


def test_the_token_in_the_address_becomes_a_strict_cookie_and_leaves_the_address(bank):
    test = client(bank.root)
    test.cookies.clear()
    answer = test.get(f"/?token={TOKEN}", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"coach_token_0={session_for(TOKEN)};") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert TOKEN not in cookie  # a cookie seen by another program never reveals the printed address
    assert test.get("/").status_code == 200  # the client kept the cookie


def test_entering_never_sends_the_browser_to_another_site():
    """`GET //evil.example/?token=...` (a path a client cannot be made to send, so the guard is called directly)."""
    import asyncio

    from coach.web.guard import Guard

    sent = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "//evil.example/", "raw_path": b"//evil.example/",
             "query_string": f"token={TOKEN}".encode(), "headers": [(b"host", b"127.0.0.1:8765")]}
    asyncio.run(Guard(None, TOKEN, 8765)(scope, None, send))
    assert sent[0]["status"] == 303
    assert dict(sent[0]["headers"])[b"location"] == b"/evil.example/"


def test_entering_at_an_address_with_letters_of_any_script_works(bank):
    answer = client(bank.root).get(f"/story/%E5%9B%A2?token={TOKEN}", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/story/%E5%9B%A2"


@pytest.mark.parametrize("other", ["foo=bar baz", 'json={"a":1,"b":2}', "a=b\\c", 'q="unterminated', "k=v;;",
                                   "name with space=1"])
def test_another_programs_malformed_cookie_does_not_hide_ours(bank, other):
    test = client(bank.root)
    test.cookies.clear()
    answer = test.get("/", headers={"cookie": f"{other}; coach_token_0={session_for(TOKEN)}"})
    assert answer.status_code == 200


def test_the_token_also_works_as_an_authorization_header(bank):
    test = client(bank.root)
    test.cookies.clear()
    assert test.get("/", headers={"authorization": f"token {TOKEN}"}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example", "192.168.1.5:8765", ""])
def test_a_host_header_that_is_not_loopback_is_refused_even_with_the_token(bank, host):
    answer = client(bank.root).get("/", headers={"host": host})
    assert answer.status_code == 400
    assert "127.0.0.1" in answer.text


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "LOCALHOST"])
def test_loopback_host_headers_are_let_in(bank, host):
    assert client(bank.root).get("/", headers={"host": host}).status_code == 200


def test_a_change_without_the_csrf_token_is_refused_and_writes_nothing(bank):
    from tests.conftest import snapshot

    before = snapshot(bank.root)
    test = client(bank.root)
    for headers in ({}, {"x-coach-csrf": "wrong"}):
        answer = test.post("/", headers=headers)
        assert answer.status_code == 403 and "CSRF" in answer.text
    answer = test.post("/", data={"csrf": "wrong"})
    assert answer.status_code == 403
    assert snapshot(bank.root) == before


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:3000", "http://localhost", "null"])
def test_a_change_from_another_origin_is_refused_even_with_the_csrf_token(bank, origin):
    answer = client(bank.root).post("/", headers={**csrf_headers(), "origin": origin})
    assert answer.status_code == 403 and "this page itself" in answer.text


def test_a_change_from_the_page_itself_passes_the_guard(bank):
    answer = client(bank.root).post("/", headers={**csrf_headers(), "origin": "http://127.0.0.1"})
    assert answer.status_code == 405  # past the guard: the board takes no POST


def test_methods_other_than_get_and_post_are_refused(bank):
    for method in ("PUT", "DELETE", "PATCH"):
        assert client(bank.root).request(method, "/", headers=csrf_headers()).status_code == 405


def test_every_answer_forbids_framing_sniffing_caching_and_outside_scripts(bank):
    answer = client(bank.root).get("/")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["referrer-policy"] == "no-referrer"
    refused = client(bank.root, token="other").get("/")
    assert refused.headers["x-frame-options"] == "DENY"


def test_the_csrf_token_is_on_the_page_and_is_not_the_token(bank):
    from coach.web.guard import csrf_for

    html = client(bank.root).get("/").text
    assert f'<meta name="csrf" content="{csrf_for(TOKEN)}">' in html
    assert TOKEN not in html


def test_an_unknown_page_says_so_in_one_sentence(bank):
    answer = client(bank.root).get("/nowhere")
    assert answer.status_code == 404 and "no such page" in answer.text


def test_streamed_work_says_a_failure_in_one_sentence_never_a_traceback():
    from coach.errors import CoachError
    from coach.web.streams import failure_sentence

    assert failure_sentence(CoachError("no story 'x' in stories")) == "No story 'x' in stories."
    said = failure_sentence(KeyError("boom"))
    assert "KeyError" in said and "Traceback" not in said
    assert events  # the helper the page tests read streams with


def test_a_long_failure_is_said_on_the_page_with_its_first_problem_and_the_call_log_named():
    from coach.errors import CoachError, LLMError
    from coach.web.streams import failure_sentence

    said = failure_sentence(LLMError(
        "the model's answer still broke the method after 3 tries: 1. question 2 has no entry; give one entry per "
        "question listed; 2. question 3 has no entry; 3. question 4 has no entry\n(the last answer is kept: "
        "`coach log --show 12`)"))
    assert said == ("The model's answer still broke the method after 3 tries: 1. question 2 has no entry; give one "
                    "entry per question listed; and 2 more problems (the call log keeps them all) (the last answer is "
                    "kept: call 12 in the call log).")
    assert failure_sentence(CoachError("stories/broken.md:3: malformed front matter")) == (
        "stories/broken.md:3: malformed front matter.")  # a path keeps its letters as they are
