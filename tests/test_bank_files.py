"""The bank is the user's files: commands edit them in place, never hide them, and respect the file system."""

from __future__ import annotations

import difflib
import errno
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.bank.folder import Bank, load_story
from coach.bank.storyfile import parse_story
from coach.cli import app
from coach.jobs.refine import Refinement, apply_refinement
from coach.jobs.task import Made
from coach.practice import record_take
from tests.conftest import snapshot

WORDS = ["we", "shipped", "the", "migration", "in", "six", "weeks", "I", "owned", "rollback", "plan", "Sam", "latency"]
AT = datetime(2026, 11, 24, 9, 30)


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


# A story file as people write it: comments, sections of their own, odd bullets, CRLF, a BOM, no final newline.


def sentence(draw) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=8))
    return " ".join(words).capitalize() + draw(st.sampled_from([".", "", "!"]))


@st.composite
def story_files(draw, refined: bool | None = None) -> str:
    gap = lambda: "\n" * draw(st.integers(1, 3))  # noqa: E731
    front = ["---", "title: Shipping weekly" + draw(st.sampled_from(["", "   # my comment"])), "type: risk"]
    if draw(st.booleans()):
        front.append("# a note of mine")
    front.append(draw(st.sampled_from(["values: [Courage]", "values:\n  - Courage  # keep", "values: []"])))
    takes = draw(st.integers(0, 2))
    if takes:
        style = draw(st.sampled_from(["- {{at: 2026-11-0{n}T10:00:00, seconds: 5{n}.0}}", "  - at: 2026-11-0{n}T10:00:00\n    seconds: 5{n}.0"]))
        front += ["practice:", *(style.format(n=n + 1) for n in range(takes))]
    parts = ["\n".join([*front, "---"])]
    if draw(st.booleans()):
        parts.append("# Shipping weekly\n\nA note above the sections.")
    parts.append("## Draft\n\n" + " ".join(sentence(draw) for _ in range(draw(st.integers(1, 4)))))
    if draw(st.booleans()):
        parts.append("## Lessons\n\nMy own section, " + sentence(draw))
    bullet = draw(st.sampled_from("-*+"))
    notes = [f"{bullet} {sentence(draw)}" for _ in range(draw(st.integers(1, 3)))]
    if draw(st.booleans()):
        notes.insert(1, "<!-- private: ask Sam -->")
    if draw(st.booleans()):
        notes.append("A plain paragraph of advice.")
    parts.append("## Coaching Notes\n\n" + "\n".join(notes))
    has_refined = draw(st.booleans()) if refined is None else refined
    if has_refined:
        parts.append("## Refined\n\n" + sentence(draw) + "\n" + sentence(draw))
    if draw(st.booleans()):
        parts.append(f"## Practice Notes\n\n### Opening Hooks\n\n{bullet} {sentence(draw)}\n\n### Vibe\n\nMine.")
    if draw(st.booleans()):
        parts.append("## Follow-ups\n\n### What would you change?\n\n" + sentence(draw))
    text = "".join(part + gap() for part in parts)
    text = text if draw(st.booleans()) else text.rstrip("\n")
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if draw(st.booleans()) else "") + text


def bank_with(tmp_path: Path, text: str) -> tuple[Bank, Path]:
    bank = Bank(tmp_path / "stories")
    bank.root.mkdir(exist_ok=True)
    path = bank.root / "shipping-weekly.md"
    path.write_bytes(text.encode("utf-8"))
    return bank, path


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """Return the lines only in before and the lines only in after, line endings included."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    return removed, added


FAST = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)


@FAST
@given(text=story_files(refined=True))
def test_a_take_changes_only_the_practice_entries(tmp_path, text):
    bank, path = bank_with(tmp_path, text)
    before = load_story(path)
    record_take(bank, path, 52.4, AT)
    after = path.read_bytes().decode("utf-8")
    removed, added = changed_lines(text, after)
    assert removed in ([], ["practice: []\n"], ["practice: []\r\n"])
    newline = "\r\n" if "\r\n" in text else "\n"
    assert all(line.endswith(newline) for line in added)
    assert [line.strip() for line in added if line.strip() != "practice:"] == ["- {at: '2026-11-24T09:30:00', seconds: 52.4, words: "
                                                                             f"{after_words(path)}}}"]
    story = load_story(path)
    assert story.practice[:-1] == before.practice and story.model_copy(update={"practice": before.practice}) == before


def after_words(path: Path) -> int:
    return load_story(path).practice[-1].words


def refinement(refined: str) -> Refinement:
    return Refinement.model_validate({
        "sentences": [{"text": refined, "sources": []}], "estimated_seconds": 50, "changes": [],
        "coaching_notes": ["Slow down at the numbers."], "hooks": ["I owned the rollback plan"], "pacing": "Steady.",
        "tone": "Calm.", "key_words": ["rollback"], "follow_ups": [{"question": "Who disagreed?", "answer": "Sam did."}],
    })


@FAST
@given(text=story_files())
def test_a_refine_changes_only_the_sections_it_fills(tmp_path, text):
    bank, path = bank_with(tmp_path, text)
    before = load_story(path)

    def merge(story):
        new = apply_refinement(story, refinement("I owned the rollback plan and we shipped in six weeks."), Made("m", AT)).story
        for name in type(story).model_fields:
            setattr(story, name, getattr(new, name))

    bank.update(path, merge)
    after = path.read_bytes().decode("utf-8")
    removed, _ = changed_lines(text, after)
    replaced = {line.strip() for line in before.refined.splitlines()}
    unterminated = lambda line: not line.endswith(("\n", "\r")) and line in after  # noqa: E731  (now ends with a newline)
    assert [line for line in removed if line.strip() and line.strip() not in replaced and not unterminated(line)] == []
    for kept in ("# my comment", "## Lessons", "<!-- private: ask Sam -->", "A plain paragraph of advice.", "### Vibe",
                 "A note above the sections.", "# a note of mine", "  - Courage  # keep"):
        assert (kept in text) == (kept in after)
    assert after.startswith("\ufeff") == text.startswith("\ufeff")
    assert ("\r\n" in text) == ("\r\n" in after) and ("\r\n" not in text or "\n" not in after.replace("\r\n", ""))
    story = load_story(path)
    assert story.refined.startswith("I owned the rollback plan") and story.coaching_notes[: len(before.coaching_notes)] == before.coaching_notes


def test_an_unchanged_save_writes_nothing_new(tmp_path):
    text = "\ufeff---\r\ntitle: T   # mine\r\ntype: risk\r\n---\r\n\r\n## Draft\r\n\r\nHello.\r\n\r\n## Notes of mine\r\n\r\nx"
    bank, path = bank_with(tmp_path, text)
    bank.save(path, load_story(path))
    assert path.read_bytes() == text.encode()


# Never hide the bank.


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("notes.md", b"Just my notes\n", "notes.md:1: missing front matter"),
        ("empty.md", b"", "empty.md: is empty"),
        ("binary.md", b"\x00\x01\x02", "binary.md: is a binary file"),
        ("broken.md", b"---\ntitle: [oops\ntype: risk\n---\n", "broken.md:3: malformed front matter"),
    ],
)
def test_a_file_that_is_not_a_story_is_skipped_with_one_warning(runner, bank, name, content, reason):
    (bank.root / name).write_bytes(content)
    for command in (["status"], ["check"], ["export"]):
        result = run(runner, *command)
        assert result.exit_code == (1 if command == ["check"] else 3), (command, result.output)  # 1: findings
        assert result.output.count(f"Skipped stories/{reason}") == 1
        assert "The Risk Story" in result.output or command == ["check"]
    assert run(runner, "check", "risk").exit_code in (0, 1)  # naming a good story is not about the bad file


def test_a_story_with_sections_of_its_own_can_be_practised(runner, bank):
    risk = bank.root / "risk.md"
    risk.write_text(risk.read_text() + "\n## Lessons\n\nMine.\n")
    result = run(runner, "practice", "risk", "--seconds", "50")
    assert result.exit_code == 0, result.output
    assert risk.read_text().endswith("## Lessons\n\nMine.\n")


# Writes that respect the file system.


def test_a_symlinked_story_is_written_through_its_link(runner, bank, tmp_path):
    real = tmp_path / "dropbox" / "risk.md"
    real.parent.mkdir()
    (bank.root / "risk.md").rename(real)
    (bank.root / "risk.md").symlink_to(real)
    assert run(runner, "practice", "risk", "--seconds", "50").exit_code == 0
    assert (bank.root / "risk.md").is_symlink()
    assert len(load_story(real).practice) == 1


def test_a_story_keeps_its_permissions_and_new_files_follow_the_umask(runner, bank):
    risk = bank.root / "risk.md"
    risk.chmod(0o640)
    assert run(runner, "practice", "risk", "--seconds", "50").exit_code == 0
    assert risk.stat().st_mode & 0o777 == 0o640
    old = os.umask(0o022)
    try:
        assert run(runner, "new", "risk", "--title", "Shipping weekly").exit_code == 0
    finally:
        os.umask(old)
    assert (bank.root / "shipping-weekly.md").stat().st_mode & 0o777 == 0o644


def test_export_refuses_what_is_not_a_regular_file(runner, bank, tmp_path):
    result = run(runner, "export", "--out", tmp_path)
    assert result.exit_code == 2
    assert result.output == f"Error: {tmp_path}: is a folder, not a file; name a file (for example {tmp_path / 'stories.md'})\n"
    if Path("/dev/full").exists():
        result = run(runner, "export", "--out", "/dev/full")
        assert result.exit_code == 2 and "is not a regular file" in result.output


def test_ten_takes_at_once_are_all_kept(bank):
    env = {**os.environ, "COACH_STORIES": str(bank.root)}
    takes = [subprocess.Popen([sys.executable, "-m", "coach", "practice", "risk", "--seconds", str(40 + n)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for n in range(10)]
    errors = [take.communicate(timeout=60)[1] for take in takes]
    assert [take.returncode for take in takes] == [0] * 10, errors
    assert sorted(t.seconds for t in load_story(bank.root / "risk.md").practice) == [40.0 + n for n in range(10)]


# File-system errors are one sentence.


def test_stories_naming_a_file_is_one_sentence(runner, tmp_path):
    (tmp_path / "notes.md").write_text("x")
    for args in (["status"], ["new", "risk"], ["init"]):
        result = run(runner, *args, "--stories", tmp_path / "notes.md")
        assert result.exit_code == 2, (args, result.output)
        assert result.output.count("\n") == 1 and "notes.md" in result.output and "Traceback" not in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_bank_is_one_sentence(runner, bank):
    before = snapshot(bank.root)
    bank.root.chmod(0o555)
    try:
        result = run(runner, "practice", "risk", "--seconds", "50")
    finally:
        bank.root.chmod(0o755)
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and "permission denied" in result.output and result.output.count("\n") == 1
    assert snapshot(bank.root) == before


@pytest.mark.parametrize(
    "code, advice",
    [
        (errno.ENOSPC, "no space left on the device; free some space and run the command again"),
        (errno.EACCES, "permission denied; check the permissions of the file and its folder, or pass another --stories"),
        (errno.EROFS, "the file system is read-only; copy the bank somewhere writable, or pass another --stories"),
    ],
)
def test_a_failed_write_is_one_sentence_and_changes_nothing(runner, bank, monkeypatch, code, advice):
    before = snapshot(bank.root)
    real_open = os.open

    def failing(path, flags, *args):
        if str(path).endswith(".tmp"):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", failing)
    result = run(runner, "practice", "risk", "--seconds", "50")
    assert result.exit_code == 2
    assert result.output == f"Error: stories/risk.md: {advice}\n"
    assert snapshot(bank.root) == before


def test_a_corrupted_call_log_is_set_aside(runner, bank):
    db = bank.root / ".coach" / "coach.db"
    db.parent.mkdir()
    db.write_bytes(b"not a database" * 100)
    result = run(runner, "log")
    assert result.exit_code == 0, result.output
    assert "set it aside as coach.db.broken-" in result.output
    assert [p.name.split("-")[0] for p in db.parent.iterdir()] in (["coach.db", "coach.db.broken"], ["coach.db.broken", "coach.db"])
def test_an_export_inside_the_bank_is_not_a_story(runner, bank):
    result = run(runner, "export", "--out", "stories/all.md")
    assert result.exit_code == 0, result.output
    assert (bank.root / "all.md").read_text().startswith("<!-- Exported by coach")
    result = run(runner, "status")
    assert result.exit_code == 0 and "Skipped" not in result.output




# What the review found: comments in what changes, odd YAML, files that cannot be opened.

TAKE = "- {at: '2026-11-24T09:30:00', seconds: 52.4, words: "


@pytest.mark.parametrize(
    "practice, kept",
    [
        ("practice:  # my takes, oldest first\n- {at: 2026-11-20 09:30:00, seconds: 50.0}  # felt rushed\n",
         ["practice:  # my takes, oldest first\n", "- {at: 2026-11-20 09:30:00, seconds: 50.0}  # felt rushed\n"]),
        ("practice:\n- {at: 2026-11-20 09:30:00, seconds: 50.0}\n# second take, felt rushed\n- {at: 2026-11-21 09:30:00, seconds: 49.0}\n",
         ["# second take, felt rushed\n", "- {at: 2026-11-21 09:30:00, seconds: 49.0}\n"]),
        ("practice: [{at: 2026-11-20 09:30:00, seconds: 50.0}]  # my takes\n", ["  # my takes\n"]),
        ('"practice": [{at: 2026-11-20 09:30:00, seconds: 50.0}]\n', []),
    ],
)
def test_a_take_keeps_the_comments_and_spelling_of_the_practice_log(tmp_path, practice, kept):
    text = f"---\ntitle: T\ntype: risk\n{practice}---\n\n## Draft\n\nHello.\n\n## Refined\n\nWe shipped it.\n"
    bank, path = bank_with(tmp_path, text)
    record_take(bank, path, 52.4, AT)
    record_take(bank, path, 52.4, AT)
    after = path.read_text()
    assert all(line in after or line.strip() in after for line in kept), after
    assert after.count("practice") == 1 and len(load_story(path).practice) == len(parse_practice(practice)) + 2


def parse_practice(text: str) -> list:
    import yaml

    return next(iter(yaml.safe_load(text).values()))


def test_a_pin_keeps_a_comment_among_the_follow_up_marks(tmp_path, runner):
    body = "---\n\n## Draft\n\nHello.\n\n## Follow-ups\n\n### Why?\n\nBecause.\n\n### Who else?\n\nSam.\n"
    ids = parse_story("---\ntitle: T\ntype: risk\n" + body).follow_up_ids()
    text = f"---\ntitle: T\ntype: risk\nfollow_up_state:\n  # coach wrote this one; I trust it\n  {ids[0]}: {{by: m, sha: abcdef123456}}\n" + body
    bank, path = bank_with(tmp_path, text)
    result = run(runner, "followups", path, ids[1], "--pin")
    assert result.exit_code == 0, result.output
    after = path.read_text()
    assert "  # coach wrote this one; I trust it\n" in after and f"  {ids[1]}: {{pinned: true}}\n" in after
    assert load_story(path).follow_ups[1].pinned


def test_html_comments_stay_in_the_sections_a_refine_rewrites(tmp_path):
    text = ("---\ntitle: T\ntype: risk\n---\n\n## Draft\n\nI owned the rollback plan.\n\n## Refined\n\n"
            "<!-- keep this: Sam said shorter -->\nAn old version.\n\n## Coaching Notes\n\n<!-- Dana's notes after Friday -->\n\n"
            "## Practice Notes\n\n### Pacing\n\n<!-- slower than I think -->\n")
    bank, path = bank_with(tmp_path, text)

    def merge(story):
        new = apply_refinement(story, refinement("I owned the rollback plan."), Made("m", AT)).story
        for name in type(story).model_fields:
            setattr(story, name, getattr(new, name))

    bank.update(path, merge)
    after = path.read_text()
    for comment in ("<!-- keep this: Sam said shorter -->", "<!-- Dana's notes after Friday -->", "<!-- slower than I think -->"):
        assert comment in after
    story = load_story(path)
    assert story.refined == "I owned the rollback plan." and story.practice_notes.pacing == "Steady."


def test_a_section_coach_adds_is_parted_from_the_users_own_by_a_blank_line(tmp_path, runner):
    text = "---\ntitle: T\ntype: risk\n---\n\n## Follow-ups\n\n### Why?\n\nBecause.\n\n## History\n## Lessons\n\nMine."
    bank, path = bank_with(tmp_path, text)
    assert run(runner, "followups", path, load_story(path).follow_up_ids()[0], "--remove").exit_code == 0
    after = path.read_text()
    assert "\n\n## Lessons\n\nMine." in after and "removed follow-up: Why?\n\nBecause.\n" in after


def test_a_heading_inside_a_fenced_block_is_draft_text(tmp_path):
    text = "---\ntitle: T\ntype: risk\n---\n\n## Draft\n\nThe config:\n\n```\n## Draft\n# not a heading\n```\n\nDone.\n"
    bank, path = bank_with(tmp_path, text)
    assert load_story(path).draft.endswith("```\n\nDone.")
    bank.update(path, lambda story: story.coaching_notes.append("Slow down."))
    assert path.read_text().startswith(text)


def test_old_mac_line_endings_stay(tmp_path):
    text = "---\rtitle: T\rtype: risk\r---\r\r## Draft\r\rHello.\r\r## Refined\r\rWe shipped.\r"
    bank, path = bank_with(tmp_path, text)
    record_take(bank, path, 50, AT)
    after = path.read_bytes()
    assert b"\n" not in after and after.count(b"\r") == text.count("\r") + 2


@pytest.mark.parametrize("link", ["/nonexistent/risk.md", "loop.md"])
def test_a_link_that_leads_nowhere_is_skipped(runner, bank, link):
    (bank.root / "loop.md").symlink_to(link)
    result = run(runner, "status")
    assert result.exit_code == 3, result.output
    assert "Skipped stories/loop.md: " in result.output and "The Risk Story" in result.output


def test_calibrating_keeps_the_comments_of_coach_yaml(runner, bank):
    settings = bank.settings_path
    settings.write_text("# my bank settings, see notes\n" + settings.read_text() + "# end\n")
    story = load_story(bank.root / "risk.md")
    for n in range(12):
        record_take(bank, bank.root / ["risk.md", "team.md", "conflict.md"][n % 3], 45 + n, AT)
    result = run(runner, "practice", "--calibrate")
    assert result.exit_code == 0, result.output
    text = settings.read_text()
    assert text.startswith("# my bank settings, see notes\n") and text.endswith("# end\n")
    assert bank.settings().words_per_minute != 150 and story.title


def test_new_with_force_replaces_what_is_there(runner, bank):
    (bank.root / "risk.md").write_text("not a story\n")
    result = run(runner, "new", "risk", "--force")
    assert result.exit_code == 0, result.output
    assert (bank.root / "risk.md").read_text().startswith("---\ntitle: ")
