"""The story page: what `coach show` shows, the model jobs run from it, and the file saved from it without ever
overwriting an edit made meanwhile (in an editor, or in another tab)."""

from __future__ import annotations

import re
import shutil

import httpx
import pytest

from coach.bank.folder import Bank, load_story
from tests.conftest import snapshot
from tests.llm_fixtures import completion, refinement
from tests.web_fixtures import client, csrf_headers, events

pytest.importorskip("starlette")


def fingerprint_of(html: str) -> str:
    """Return the fingerprint the page's edit form carries."""
    return re.search(r'name="fingerprint" value="([0-9a-f]{64})"', html).group(1)


def textarea_of(html: str) -> str:
    """Return the text the page's edit form holds, as a browser reads it (the first newline is the tag's)."""
    import html as entities

    text = re.search(r'<textarea id="story-text"[^>]*>\n(.*?)</textarea>', html, re.S).group(1)
    return entities.unescape(text)


def stories(bank) -> dict[str, bytes]:
    """Return the bank's files less the call log."""
    return {name: data for name, data in snapshot(bank.root).items() if not name.startswith(".coach")}


# the page


def test_the_story_page_shows_what_coach_show_shows(bank):
    html = client(bank.root).get("/story/risk").text
    assert "<h1>The Risk Story</h1>" in html
    assert "type risk" in html and "<li>Courage</li>" in html  # values as chips
    assert "143 words" in html and "57s" in html and "within the 45-60s window" in html
    assert "At Salesforce in 2023, I noticed our MLOps on-call rotation" in html
    assert "Check: 0 errors, 2 warnings" in html
    assert "Open extraction questions" in html and "History" in html


def test_a_finding_stands_beside_the_sentence_it_is_about_and_the_others_under_the_text(bank):
    html = client(bank.root).get("/story/team").text
    sentence = re.search(r'<li class="sentence flagged"><p class="said">([^<]*)</p>\s*<div class="beside">(.*?)</div>',
                         html, re.S)
    assert "velocity increased 30%" in sentence.group(1)
    assert "unsupported-number" in sentence.group(2) and "&#34;30%&#34;" in sentence.group(2)
    under = html.split("About the whole story rather than one sentence:")[1].split("</ul>")[0]
    assert "long-background" in under and "[draft]" in under and "[follow-up]" in under
    assert "unsupported-number</code> <span class=\"muted\">[follow-up]" in under


def test_the_follow_ups_show_their_ids_answers_and_who_wrote_them(bank):
    from coach.reading import show

    html = client(bank.root).get("/story/conflict").text
    view = show(Bank(bank.root), "conflict")
    for item in view.follow_ups:
        assert f'<code class="fid">{item.id}</code>' in html
    assert "yours ·" in html  # the sample's answers are the user's


def test_an_unknown_story_is_a_404_in_one_sentence(bank):
    for slug in ("nope", "README.md", "..%2Frisk"):
        answer = client(bank.root).get(f"/story/{slug}")
        assert answer.status_code == 404
        assert "There is no story" in answer.text or "no such page" in answer.text


def test_a_story_file_that_cannot_be_read_is_named_with_its_line_and_offered_to_fix(bank):
    path = bank.root / "risk.md"
    path.write_text(path.read_text().replace("type: risk", "type: risk\nbogus: 1"))
    answer = client(bank.root).get("/story/risk")
    assert answer.status_code == 400
    assert re.search(r"risk\.md:\d+: unknown front matter key &#39;bogus&#39;", answer.text)
    assert "fix it in the text below and save" in answer.text
    assert textarea_of(answer.text) == path.read_text()


def test_the_history_shows_a_word_diff_against_the_version_chosen(bank, endpoint):
    endpoint.respond(200, json=completion(refinement()))
    test = client(bank.root)
    assert not [e for e in events(test.post("/story/risk/refine", headers=csrf_headers())) if "error" in e]
    html = test.get("/story/risk?against=1").text
    diff = html.split('<p class="diff">')[1].split("</p>")[0]
    assert "<del>" in diff and "<ins>" in diff
    assert "against version 1 of 1" in html
    assert "is not a version of risk" in test.get("/story/risk?against=7").text


# model jobs


def test_refine_from_the_page_changes_the_file_as_the_command_does(bank, endpoint, tmp_path, runner):
    from coach.cli import app

    twin = tmp_path / "twin"
    shutil.copytree(bank.root, twin)
    endpoint.respond(200, json=completion(refinement()))
    said = events(client(bank.root).post("/story/risk/refine", headers=csrf_headers()))
    assert not [e for e in said if "error" in e], said
    assert any("status" in e and "refining with test-model" in e["status"] for e in said)
    [html] = [e for e in said if "html" in e]
    assert html["target"] == "#story"
    assert "Refined:</strong> 142 words" in html["html"] and "within the 45-60s window" in html["html"]
    assert "Opened on the on-call problem instead of the launch" in html["html"]
    assert "Added: 1 coaching note, 1 hook, 3 key words, 3 follow-ups." in html["html"]
    assert runner.invoke(app, ["refine", "risk", "--stories", str(twin)]).exit_code == 0
    from_page, from_cli = load_story(bank.root / "risk.md"), load_story(twin / "risk.md")
    for story in (from_page, from_cli):
        for entry in story.history:
            entry.saved = ""
    assert from_page == from_cli and from_page.refined_by == "test-model"


def test_a_failing_endpoint_is_one_sentence_and_the_file_stays_byte_for_byte(bank, endpoint):
    endpoint.respond(401, json={"error": {"message": "bad key"}})
    before = stories(bank)
    said = events(client(bank.root).post("/story/risk/refine", headers=csrf_headers()))
    assert said[-1] == {"error": "Llm.test rejected the API key (401); check OPENAI_API_KEY."}
    assert not [e for e in said if "html" in e]
    assert stories(bank) == before


def test_without_an_endpoint_a_job_fails_with_the_commands_sentence(bank):
    before = snapshot(bank.root)
    said = events(client(bank.root).post("/story/risk/refine", headers=csrf_headers()))
    assert said == [{"error": "No model endpoint configured: set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for a "
                              "local OpenAI-compatible server (e.g. http://localhost:11434/v1 for Ollama)."}]
    assert snapshot(bank.root) == before


def test_generating_follow_ups_from_the_page_adds_them(bank, endpoint):
    from tests.test_followups import COST, MEASURE, WHY_YOU, generated

    endpoint.mock(return_value=httpx.Response(200, json=generated(COST, MEASURE, WHY_YOU)))
    before = len(load_story(bank.root / "team.md").follow_ups)
    said = events(client(bank.root).post("/story/team/followups", data={"do": "generate", "count": "3"},
                                         headers=csrf_headers()))
    assert not [e for e in said if "error" in e], said
    assert len(load_story(bank.root / "team.md").follow_ups) == before + 3
    assert "Added 3 follow-ups" in said[-1]["html"]


def test_regenerating_one_follow_up_from_the_page_rewrites_that_answer_only(bank, endpoint):
    from tests.test_followups import rewritten, said

    path = bank.root / "team.md"
    before = load_story(path)
    fid = before.follow_up_ids()[1]
    answer = [said("I didn't track a metric then; we maintained productivity through the transition.",
                   "Maintained productivity through transition")]
    endpoint.mock(return_value=httpx.Response(200, json=rewritten(**{fid: answer})))
    events_said = events(client(bank.root).post("/story/team/followups", headers=csrf_headers(),
                                                data={"do": "regenerate", "fid": fid}))
    assert not [e for e in events_said if "error" in e], events_said
    after = load_story(path)
    assert after.follow_ups[1].answer.startswith("I didn't track a metric then")
    assert [f.answer for i, f in enumerate(after.follow_ups) if i != 1] == \
        [f.answer for i, f in enumerate(before.follow_ups) if i != 1]
    assert f"Rewrote {fid}" in events_said[-1]["html"]


def test_pin_unpin_and_remove_a_follow_up_from_the_page(bank):
    test = client(bank.root)
    path = bank.root / "conflict.md"
    first = load_story(path).follow_up_ids()[0]
    said = events(test.post("/story/conflict/followups", data={"do": "pin", "fid": first}, headers=csrf_headers()))
    assert load_story(path).follow_ups[0].pinned and f"Pinned {first}" in said[-1]["html"]
    events(test.post("/story/conflict/followups", data={"do": "unpin", "fid": first}, headers=csrf_headers()))
    assert not load_story(path).follow_ups[0].pinned
    count = len(load_story(path).follow_ups)
    said = events(test.post("/story/conflict/followups", data={"do": "remove", "fid": first}, headers=csrf_headers()))
    story = load_story(path)
    assert len(story.follow_ups) == count - 1 and first not in story.follow_up_ids()
    assert any(entry.subject.startswith("removed follow-up") for entry in story.history)
    assert f"Removed {first}" in said[-1]["html"]


def test_an_unknown_follow_up_id_is_one_sentence_and_nothing_changes(bank):
    before = snapshot(bank.root)
    said = events(client(bank.root).post("/story/conflict/followups", data={"do": "remove", "fid": "zz"},
                                         headers=csrf_headers()))
    assert said[-1]["error"].startswith("No follow-up 'zz' in conflict (ids: ")
    assert snapshot(bank.root) == before


def test_a_story_action_without_the_csrf_token_is_refused(bank):
    before = snapshot(bank.root)
    answer = client(bank.root).post("/story/conflict/followups", data={"do": "remove", "fid": "a"})
    assert answer.status_code == 403 and "CSRF" in answer.text
    assert snapshot(bank.root) == before


def opened(bank, slug: str) -> None:
    """Empty the story's first extraction answer, leaving a proposal in its place, so it has an open question."""
    def change(story):
        question = story.questions()[0]
        question.answer, question.proposed = "", "Salesforce, 2023."

    Bank(bank.root).update(bank.root / f"{slug}.md", change)


def test_an_open_question_is_shown_with_its_proposal_and_the_three_choices(bank):
    opened(bank, "risk")
    html = client(bank.root).get("/story/risk").text
    question = html.split('<li id="q-1" class="open-question">')[1].split("</li>")[0]
    assert "Which company was this at?" in question and "Salesforce, 2023." in question
    assert "Accept the proposal" in question and "Save my words" in question and ">Skip</a>" in question


def test_accepting_a_proposal_from_the_page_makes_it_the_answer(bank):
    opened(bank, "risk")
    said = events(client(bank.root).post("/story/risk/answer", headers=csrf_headers(), data={
        "number": "1", "question": "Which company was this at? When did it happen?", "do": "accept"}))
    assert "Accepted the proposal" in said[-1]["html"]
    assert load_story(bank.root / "risk.md").questions()[0].answer == "Salesforce, 2023."


def test_an_open_question_is_answered_in_the_users_words_from_the_page(bank):
    from coach import analyze

    opened(bank, "team")
    outcome = analyze.plan(Bank(bank.root), "team")
    item = outcome.questions[0]
    said = events(client(bank.root).post("/story/team/answer", headers=csrf_headers(), data={
        "number": str(item.number), "question": item.question, "do": "replace", "text": "Eight people."}))
    assert "Saved your answer" in said[-1]["html"]
    answered = {q.text: q.answer for q in load_story(bank.root / "team.md").questions()}
    assert answered[item.question] == "Eight people."
    again = events(client(bank.root).post("/story/team/answer", headers=csrf_headers(), data={
        "number": str(item.number), "question": item.question, "do": "replace", "text": "Nine."}))
    assert "answered or changed in the file meanwhile" in again[-1]["error"]


def test_analyze_from_the_page_says_when_there_is_nothing_to_read(bank):
    said = events(client(bank.root).post("/story/risk/analyze", headers=csrf_headers()))
    assert "Nothing for the model to read" in said[-1]["html"]


def test_analyze_from_the_page_writes_the_proposals_and_shows_them_with_their_choices(bank, endpoint):
    from tests.test_analyze import OPENED, POSITION, SITUATION, STRUGGLE, analysis

    path = bank.root / "team.md"
    text = path.read_text()
    for answer in OPENED:
        text = text.replace(f"\n{answer}\n", "\n")
    path.write_text(text)
    endpoint.mock(return_value=httpx.Response(200, json=analysis(SITUATION, POSITION, STRUGGLE)))
    said = events(client(bank.root).post("/story/team/analyze", headers=csrf_headers()))
    assert not [e for e in said if "error" in e], said
    html = said[-1]["html"]
    assert "The model read your draft for 3 open questions: 2 proposed, 1 left for you to answer." in html
    assert html.count("Accept the proposal") == 2 and "paternity leave for 6 months" in html
    assert "Your draft does not say: what the team was struggling with" in html
    assert [q.proposed != "" for q in load_story(path).unanswered()] == [True, True, False]


# saving the file from the page


def test_saving_the_file_from_the_page_writes_it_and_shows_the_check(bank):
    test = client(bank.root)
    html = test.get("/story/risk").text
    assert textarea_of(html) == (bank.root / "risk.md").read_text()
    text = textarea_of(html).replace("I noticed our MLOps", "I saw our MLOps").replace("\n", "\r\n")  # as a browser
    said = events(test.post("/story/risk/edit", data={"text": text, "fingerprint": fingerprint_of(html)},
                            headers=csrf_headers()))
    assert not [e for e in said if "error" in e], said
    assert "risk.md: saved with changes." in said[-1]["html"] and "Check: <span" in said[-1]["html"]
    assert (bank.root / "risk.md").read_bytes() == text.replace("\r\n", "\n").encode()
    assert fingerprint_of(said[-1]["html"]) != fingerprint_of(html)  # the next save from this tab goes through


def test_two_tabs_saving_the_same_story_cannot_lose_each_others_work(bank):
    first, second = client(bank.root), client(bank.root)
    loaded_first, loaded_second = first.get("/story/risk").text, second.get("/story/risk").text
    mine = textarea_of(loaded_first).replace("Salesforce in 2023", "Salesforce in early 2023")
    theirs = textarea_of(loaded_second).replace("burning people out", "wearing people down")
    said = events(first.post("/story/risk/edit", headers=csrf_headers(),
                             data={"text": mine, "fingerprint": fingerprint_of(loaded_first)}))
    assert not [e for e in said if "error" in e]
    said = events(second.post("/story/risk/edit", headers=csrf_headers(),
                              data={"text": theirs, "fingerprint": fingerprint_of(loaded_second)}))
    assert said == [{"error": "The file changed on disk since this page loaded it (an editor or another tab); nothing "
                              "was saved: copy your text, reload, and apply it again."}]
    assert (bank.root / "risk.md").read_bytes() == mine.encode()


def test_an_edit_made_in_an_editor_meanwhile_is_never_overwritten(bank):
    test = client(bank.root)
    html = test.get("/story/risk").text
    path = bank.root / "risk.md"
    outside = path.read_bytes().replace(b"Salesforce", b"Salesforce (edited in vim)")
    path.write_bytes(outside)
    said = events(test.post("/story/risk/edit", headers=csrf_headers(),
                            data={"text": textarea_of(html) + "\n", "fingerprint": fingerprint_of(html)}))
    assert "changed on disk since this page loaded it" in said[-1]["error"]
    assert path.read_bytes() == outside


def test_text_that_is_not_a_story_is_refused_with_its_line_and_the_file_stays(bank):
    test = client(bank.root)
    html = test.get("/story/risk").text
    before = snapshot(bank.root)
    broken = textarea_of(html).replace("type: risk", "type: risk\nbogus: 1")
    said = events(test.post("/story/risk/edit", headers=csrf_headers(),
                            data={"text": broken, "fingerprint": fingerprint_of(html)}))
    assert re.fullmatch(r"\S*risk\.md:\d+: unknown front matter key 'bogus' .*; nothing was saved: fix that line in "
                        r"the text and save again\.", said[-1]["error"])
    assert snapshot(bank.root) == before


def test_no_form_field_hides_a_property_the_pages_script_reads(bank):
    html = client(bank.root).get("/story/conflict").text  # a field named "action" would hide form.action from it
    assert not re.search(r'name="(action|method|id|elements|submit)"', html)


def test_a_broken_story_is_fixed_from_its_page(bank):
    path = bank.root / "risk.md"
    good = path.read_text()
    path.write_text(good.replace("type: risk", "type: risk\nbogus: 1"))
    test = client(bank.root)
    html = test.get("/story/risk").text
    said = events(test.post("/story/risk/edit", headers=csrf_headers(),
                            data={"text": good, "fingerprint": fingerprint_of(html)}))
    assert not [e for e in said if "error" in e], said
    assert said[-1]["target"] == "#story" and "<h1>The Risk Story</h1>" in said[-1]["html"]
    assert path.read_text() == good


def test_a_new_story_without_a_refined_version_says_what_comes_next(bank, runner):
    from coach.cli import app

    assert runner.invoke(app, ["new", "failure", "--title", "The Failure Story", "--stories", str(bank.root)]).exit_code == 0
    html = client(bank.root).get("/story/the-failure-story").text
    assert "No draft and no refined version yet" in html and "Check: 0 errors" in html
    assert "No follow-ups yet." in html and 'id="q-1"' in html


def test_a_bank_settings_file_that_cannot_be_read_is_named_not_the_story(bank):
    (bank.root / "coach.yaml").write_text("company: [\n")
    answer = client(bank.root).get("/story/risk")
    assert answer.status_code == 400 and "coach.yaml" in answer.text and "fix that file in an editor" in answer.text
    assert 'id="story-text"' not in answer.text


def test_a_second_model_job_on_a_story_that_has_one_running_is_refused(bank, endpoint):
    """Two tabs (or two clicks) refining one story: the second is refused at once, the file left to the first."""
    test = client(bank.root)
    app = test.app
    while not hasattr(app, "state"):
        app = app.app
    app.state.jobs["risk"] = "a refine"  # one runs: as while the first tab waits on the model
    before = (bank.root / "risk.md").read_bytes()
    said = events(test.post("/story/risk/refine", headers=csrf_headers()))
    assert said[-1] == {"error": "A refine of risk is already running (from this page or another tab); wait for it to "
                                 "finish, then reload the page to see what it did."}
    assert not endpoint.called and (bank.root / "risk.md").read_bytes() == before
    del app.state.jobs["risk"]
    endpoint.mock(side_effect=httpx.ConnectError("refused"))
    said = events(test.post("/story/risk/refine", headers=csrf_headers()))
    assert "already running" not in said[-1].get("error", "")  # the hold is gone once the job ends
    assert app.state.jobs == {}


def test_the_page_refines_with_the_banks_own_prompt_and_a_broken_one_is_one_sentence(bank, endpoint):
    import json

    folder = bank.root / "prompts"
    folder.mkdir()
    (folder / "refine.jinja").write_text('{% extends "coach/refine.jinja" %}{% block system %}{{ super() }}\n'
                                         "Write in British English.{% endblock %}")
    endpoint.respond(200, json=completion(refinement()))
    said = events(client(bank.root).post("/story/risk/refine", headers=csrf_headers()))
    assert not [e for e in said if "error" in e], said
    assert "Write in British English." in json.loads(endpoint.calls.last.request.content)["messages"][0]["content"]
    (folder / "refine.jinja").write_text("{% block system %}{{ x }{% endblock %}")
    before = stories(bank)
    said = events(client(bank.root).post("/story/risk/refine", headers=csrf_headers()))
    errors = [e["error"] for e in said if "error" in e]
    assert len(errors) == 1 and errors[0].endswith("prompts/refine.jinja:1: unexpected '}'.")
    assert endpoint.calls.call_count == 1 and stories(bank) == before
