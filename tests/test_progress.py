"""Progress as plain data (`coach.progress.bank_progress`): each story's takes in order against its window, heard
ones with their pace, fillers and coverage; the saved mock interviews in order with interviewer, status and scores;
every file read once, and those that cannot be read named."""

from __future__ import annotations

from datetime import datetime, timedelta

import coach.bank.folder
from coach.bank.folder import Bank
from coach.practice import record_take
from coach.progress import bank_progress

START = datetime(2026, 11, 20, 9, 0)
HEARD = ["- {at: '2026-11-21T09:00:00', seconds: 58.0, words: 140, wpm: 145, fillers: 6, coverage: 90}",
         "- {at: '2026-11-22T09:00:00', seconds: 52.5, words: 138, wpm: 158, fillers: 2, coverage: 97}"]


def with_takes(bank: Bank) -> Bank:
    """Give `risk` three timed takes (one over, one in, one under the 45-60s window) and two heard takes, and
    `team` one timed take; `conflict` and `learning` stay unpractised."""
    risk = bank.root / "risk.md"
    for n, seconds in enumerate((72, 55, 40)):
        record_take(bank, risk, seconds, START + timedelta(hours=n), sure=True)
    risk.write_text(_append_takes(risk.read_text(), HEARD))
    record_take(bank, bank.root / "team.md", 50, START, sure=True)
    return bank


def _append_takes(text: str, lines: list[str]) -> str:
    """Return a story's text with take lines added at the end of its practice log (coach's own form)."""
    front, rest = text.split("\n---\n", 1)
    return front + "\n" + "\n".join(lines) + "\n---\n" + rest


def interviewed(bank: Bank, endpoint, *personas: str) -> None:
    """Save one scored mock interview per persona through the interview machine, a minute apart."""
    from coach.cli.model import engine_for
    from coach.interview import Interview
    from tests.test_interview import STRONG, WEAK, Endpoint, feedback, scored
    from tests.test_interview_machine import COURAGE

    engine = engine_for(bank, None)[0]
    for n, persona in enumerate(personas):
        answer = (WEAK, STRONG)[n % 2]
        impact = scored(2 + 2 * (n % 2), " ".join(answer.split()[:7]))
        endpoint.side_effect = Endpoint([feedback(answer, impact=impact)])
        interview = Interview(bank, engine, [COURAGE], persona=persona, now=lambda n=n: START + timedelta(minutes=n))
        interview.start()
        interview.answer(answer, can_probe=False)
        interview.next()


def test_the_takes_are_gathered_in_order_with_their_window(bank):
    data = bank_progress(with_takes(bank))
    risk = next(s for s in data.stories if s.slug == "risk")
    assert [t.seconds for t in risk.takes] == [72, 55, 40, 58, 52.5] and risk.window == (45, 60)
    assert [t.fit for t in risk.takes] == ["over", "within", "under", "within", "within"]
    assert [t.heard for t in risk.takes] == [False, False, False, True, True]
    assert [(t.wpm, t.fillers, t.coverage) for t in risk.heard] == [(145, 6, 90), (158, 2, 97)]
    assert [t.number for t in risk.takes] == [1, 2, 3, 4, 5] and data.sessions == [] and data.skipped == []


def test_interview_sessions_come_in_order_with_persona_status_and_scores(bank, endpoint):
    interviewed(bank, endpoint, "tough", "friendly")
    sessions = bank_progress(bank).sessions
    assert [(s.number, s.persona, s.status) for s in sessions] == [(1, "tough", "complete"),
                                                                   (2, "friendly", "complete")]
    assert [s.scores["impact"] for s in sessions] == [2, 4] and sessions[0].scores["structure"] == 4
    assert sessions[0].started == "2026-11-20 09:00" and set(sessions[0].scores) <= {
        "structure", "ownership", "impact", "values", "concision"}


def test_files_that_cannot_be_read_are_named_not_fatal(bank):
    (bank.root / "broken.md").write_text("---\ntitle: [unclosed\n---\n")
    (bank.root / "sessions").mkdir()
    (bank.root / "sessions" / "2026-11-01-100000.md").write_text("---\nscores: [1, 2]\n---\n# x\n")
    data = bank_progress(bank)
    assert len(data.stories) == 4
    assert any(line.startswith("broken.md: ") for line in data.skipped)
    assert any("2026-11-01-100000.md: not a coach session transcript; skipped" in line for line in data.skipped)


def test_each_story_file_is_read_once_however_many_takes(bank, monkeypatch):
    with_takes(bank)
    read, real = [], coach.bank.folder.load_story
    monkeypatch.setattr(coach.bank.folder, "load_story", lambda path: read.append(path.name) or real(path))
    data = bank_progress(bank)
    assert sorted(read) == ["conflict.md", "learning.md", "risk.md", "team.md"]
    assert [len(s.takes) for s in data.stories] == [0, 0, 5, 1]


def test_a_transcript_with_odd_fields_reads_as_empty_fields_not_a_failure(bank):
    (bank.root / "sessions").mkdir()
    (bank.root / "sessions" / "2026-11-01-100000.md").write_text(
        "---\nstarted: 2026-11-01 10:00\nstatus: 'stopped: the model endpoint failed'\nquestions: many\n"
        "scores: {impact: 3, charm: 5, structure: .inf}\n---\n# x\n")
    [session] = bank_progress(bank).sessions
    assert (session.status, session.persona, session.questions, session.scores) == ("stopped", "", 0, {"impact": 3})
