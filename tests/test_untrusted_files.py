"""Files anyone can put in a bank (issue 20): none hangs coach, exhausts its memory, ends it with a traceback or
makes it write outside the bank. Each test holds the exact hostile file, checks the story files byte for byte, the
one line coach says and its exit status; commands that could hang run in a subprocess with a timeout."""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.bank.folder import Bank, load_story
from coach.bank.markdown import HEADING, drop_comments
from coach.bank.models import TAKE_LINE, TAKE_LINES, PracticeTake, Story, Takes
from coach.bank.storyfile import front_matter, parse_story, render_story
from coach.cli import app
from coach.practice import record_take, undo_take
from tests.conftest import snapshot

AT = datetime(2026, 11, 24, 9, 30)
MOVE_IT = "not a regular file; coach reads only regular files, so move it out of the bank"


def run(runner, *args):
    return runner.invoke(app, [str(a) for a in args])


def coach(*args, timeout: float = 20) -> subprocess.CompletedProcess:
    """Run coach in a subprocess (in the test's folder): a command that would hang fails the test, not the suite."""
    return subprocess.run([sys.executable, "-m", "coach", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def stories(bank: Bank) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(bank.root).items() if name.endswith(".md")}


def one_line(stream: str, start: str) -> str:
    """Return the one line of stream that starts so (failing when there is none, or more)."""
    lines = [line for line in stream.splitlines() if line.startswith(start)]
    assert len(lines) == 1, stream
    return lines[0]


def with_front(bank: Bank, name: str, old: str, new: str) -> Path:
    """Write a copy of the risk story whose front matter has `new` in place of `old`."""
    text = (bank.root / "risk.md").read_text()
    assert old in text
    path = bank.root / name
    path.write_text(text.replace(old, new, 1))
    return path


RISK_VALUES = "values: [Uncomfortably Exciting, Courage, Creativity]"


# Hangs: a FIFO where a story or coach.yaml should be, a link to a device that never ends.


@pytest.mark.parametrize("command", [["status"], ["check"], ["refine", "--all"]])
def test_a_fifo_named_like_a_story_is_skipped_without_being_opened(bank, command, monkeypatch):
    os.mkfifo(bank.root / "zz.md")
    monkeypatch.setenv("COACH_MODEL", "test-model")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # refused at once: refine reads, then fails
    monkeypatch.setenv("COACH_RETRIES", "0")
    before = stories(bank)
    done = coach(*command)
    assert one_line(done.stderr, "Skipped ") == f"Skipped stories/zz.md: is a named pipe (FIFO), {MOVE_IT}"
    # status: 3, the bank's files skipped; check: 1, the other stories' findings; refine: 1, the endpoint refused
    assert done.returncode == {"status": 3, "check": 1, "refine": 1}[command[0]], done.stderr
    assert "Traceback" not in done.stderr and stories(bank) == before
    assert command[0] == "refine" or "risk" in done.stdout  # the other stories were read


@pytest.mark.parametrize("command", [["status"], ["check"], ["refine", "--all"]])
def test_a_fifo_named_coach_yaml_is_one_sentence(bank, command, monkeypatch):
    (bank.root / "coach.yaml").unlink()
    os.mkfifo(bank.root / "coach.yaml")
    monkeypatch.setenv("COACH_MODEL", "test-model")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    before = stories(bank)
    done = coach(*command)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"Error: stories/coach.yaml: is a named pipe (FIFO), {MOVE_IT}\n"
    assert stories(bank) == before


def test_a_fifo_named_by_its_slug_is_refused_before_any_open(bank):
    os.mkfifo(bank.root / "zz.md")
    for command in (["show", "zz"], ["edit", "zz"], ["practice", "zz", "--seconds", "50"]):
        done = coach(*command)
        assert (done.returncode, done.stderr) == (2, f"Error: stories/zz.md: is a named pipe (FIFO), {MOVE_IT}\n"), command


def test_a_link_to_dev_zero_is_skipped_not_read(bank):
    (bank.root / "zero.md").symlink_to("/dev/zero")
    before = stories(bank)
    done = coach("status")
    assert done.returncode == 3, done.stderr
    assert one_line(done.stderr, "Skipped ") == f"Skipped stories/zero.md: is a link to /dev/zero, a device, {MOVE_IT}"
    assert "The Risk Story" in done.stdout and stories(bank) == before


def test_a_story_over_the_size_cap_is_skipped_unread(runner, bank):
    huge = bank.root / "huge.md"
    with huge.open("wb") as handle:
        handle.truncate(17 * 1024 * 1024)  # sparse: 17 MB that take no disk
    result = run(runner, "status")
    assert result.exit_code == 3
    assert one_line(result.output, "Skipped ") == ("Skipped stories/huge.md: is 17.0 MB, over the 16.0 MB coach reads "
                                                   "for a story file; move it out of the bank or make it smaller")


def test_a_story_of_megabytes_of_prose_is_skipped_before_the_checks_read_it(runner, bank):
    with_front(bank, "long.md", "## Draft\n", "## Draft\n\n" + "5% " * 400_000 + "\n")  # a minute of checks a MB
    started = time.monotonic()
    result = run(runner, "check")
    assert time.monotonic() - started < 10
    assert result.exit_code == 1 and "Traceback" not in result.output  # 1: the other stories' findings
    assert one_line(result.output, "Skipped ") == (
        "Skipped stories/long.md:6: has 1,204,502 characters below its front matter, over the 1,000,000 coach reads in "
        "a story's sections; move some of its text to a file of its own")


def test_a_document_whose_story_the_bank_could_not_read_back_is_refused(runner, tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("# Power stories\n\n## Risk story\n\n### Draft\n\n" + "I took a risk. " * 80_000 + "\n")
    result = run(runner, "import", doc)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith("Error: stories/") and "over the 1,000,000 coach reads in a story's sections" in result.output
    assert not (tmp_path / "stories").exists()


# Tracebacks: YAML nested 3,000 deep, aliases that expand, values Python cannot hold, a take of `.nan` seconds.

DEEP = "[" * 3000 + "]" * 3000


def test_values_nested_3000_deep_skip_only_that_story(runner, bank):
    with_front(bank, "deep.md", RISK_VALUES, f"values: {DEEP}")
    before = stories(bank)
    result = run(runner, "status")
    assert result.exit_code == 3, result.output
    assert one_line(result.output, "Skipped ") == (
        "Skipped stories/deep.md:4: front matter nests lists or mappings more than 20 deep; coach's keys take plain "
        "values and lists, so write them flat")
    assert "The Risk Story" in result.output and "Traceback" not in result.output and stories(bank) == before


def test_values_nested_3000_deep_in_coach_yaml_are_one_sentence(runner, bank):
    settings = bank.root / "coach.yaml"
    settings.write_text(f"role: {DEEP}\n" + settings.read_text().replace("role: ''\n", ""))
    before = snapshot(bank.root)
    result = run(runner, "status")
    assert result.exit_code == 2
    assert result.output == ("Error: stories/coach.yaml:1: nests lists or mappings more than 20 deep; coach's keys take "
                             "plain values and lists, so write them flat\n")
    assert snapshot(bank.root) == before


def laughs(indent: str = "") -> str:
    """Return YAML whose aliases expand to 9^9 (387 million) strings: a "billion laughs"."""
    lines = [f'{indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for parent, child in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{indent}{child}: &{child} [" + ",".join([f"*{parent}"] * 9) + "]")
    return "\n".join(lines)


def test_a_billion_laughs_story_is_skipped_at_once(runner, bank):
    front = "values: &v [" + ", ".join(["x"] * 70_000) + "]\n" + "practice: []\n"  # a 200 KB story, then aliases
    with_front(bank, "laughs.md", RISK_VALUES, front + "follow_up_state:\n" + laughs("  ") + "\n  z: *i")
    assert (bank.root / "laughs.md").stat().st_size > 200_000
    before = stories(bank)
    started = time.monotonic()
    result = run(runner, "status")
    assert time.monotonic() - started < 10
    assert result.exit_code == 3, result.output
    assert one_line(result.output, "Skipped ") == (
        "Skipped stories/laughs.md:8: front matter uses a YAML alias (*a); coach does not expand aliases, so write the "
        "value out in full")
    assert stories(bank) == before


def test_a_billion_laughs_transcript_is_skipped_at_once(runner, bank):
    folder = bank.root / "sessions"
    folder.mkdir()
    (folder / "2026-11-01-100000.md").write_text(f"---\nstarted: 2026-11-01 10:00\n{laughs()}\nscores: {{}}\n---\n# x\n")
    (folder / "2026-11-02-100000.md").write_text("---\nstarted: 2026-11-02 10:00\nscores: {impact: 3}\n---\n# x\n")
    started = time.monotonic()
    result = run(runner, "sessions")
    assert time.monotonic() - started < 10
    assert result.exit_code == 0 and "2026-11-02 10:00" in result.output and "Traceback" not in result.output
    assert one_line(result.output, "Warning: ") == (
        "Warning: stories/sessions/2026-11-01-100000.md: uses a YAML alias (*a); coach does not expand aliases, so "
        "write the value out in full; skipped")


def test_a_transcript_that_is_a_fifo_is_skipped(runner, bank):
    folder = bank.root / "sessions"
    folder.mkdir()
    os.mkfifo(folder / "2026-11-01-100000.md")
    done = coach("sessions")
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"Warning: stories/sessions/2026-11-01-100000.md: is a named pipe (FIFO), {MOVE_IT}; skipped\n"


@pytest.mark.parametrize(
    "value, reason",
    [
        ("target_seconds: [1, " + "1" * 5000 + "]", "holds a value coach cannot read (Exceeds the limit (4300 digits)"),
        ("practice:\n- {at: 2020-13-45 10:00:00, seconds: 50}", "holds a value coach cannot read (month must be in 1..12)"),
    ],
    ids=["5000-digit number", "month 13"],
)
def test_a_value_python_cannot_hold_skips_the_story(runner, bank, value, reason):
    with_front(bank, "odd.md", RISK_VALUES, f"values: [x]\n{value}")
    result = run(runner, "status")
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert one_line(result.output, "Skipped ").startswith(f"Skipped stories/odd.md: front matter {reason}")


@pytest.mark.parametrize("seconds", [".nan", ".inf", "-.inf", "-5"])
def test_a_take_of_no_length_is_a_bad_file_not_a_traceback(runner, bank, seconds):
    path = with_front(bank, "risk.md", RISK_VALUES,
                      f"{RISK_VALUES}\npractice:\n- {{at: 2026-11-20 09:30:00, seconds: {seconds}, words: 140}}")
    before = path.read_bytes()
    shown = {".nan": "nan", ".inf": "inf", "-.inf": "-inf", "-5": "-5"}[seconds]
    sentence = (f"stories/risk.md:1: front matter: practice take 1 has `seconds: {shown}`, which is no length of time; "
                "write the take's seconds as a number, like 52.5, or remove the take")
    result = run(runner, "practice", "risk", "--history")
    assert (result.exit_code, result.output) == (2, f"Error: {sentence}\n")
    result = run(runner, "status")
    assert result.exit_code == 3 and one_line(result.output, "Skipped ") == f"Skipped {sentence}"
    assert path.read_bytes() == before


def test_calibrating_on_takes_of_zero_seconds_says_there_are_too_few(runner, bank):
    takes = "".join(f"\n- {{at: 2026-11-2{n} 09:30:00, seconds: 0, words: 140}}" for n in range(3))
    with_front(bank, "risk.md", RISK_VALUES, f"{RISK_VALUES}\npractice:{takes}")
    result = run(runner, "practice", "--calibrate")
    assert result.exit_code == 2 and "calibration needs at least 3 timed takes" in result.output


def test_a_document_with_a_take_of_no_length_is_one_sentence(runner, tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("# Power stories\n\n## Risk story\n\n### Draft\n\nI took a risk.\n\n### Practice log\n\n"
                   "- 2026-11-24 09:30: 1e999 s\n")
    result = run(runner, "import", doc)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith("Error: ") and "has inf seconds, which is no length of time" in result.output
    assert not (tmp_path / "stories").exists()


def test_a_coach_comment_nested_5000_deep_is_a_damaged_comment(runner, tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("# Power stories\n\n## Risk story\n\n<!-- coach: " + "[" * 5000 + "]" * 5000 + " -->\n\n"
                   "### Draft\n\nI took a risk.\n")
    result = run(runner, "import", doc)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "this `<!-- coach: ... -->` comment is damaged; remove the line" in result.output


# Lines that made the Markdown reader backtrack for hours.


@pytest.mark.parametrize("line", ["# a" + " " * 300_000 + "b", "<!--\n" * 100_000, "## x" + " #" * 100_000 + " y"],
                         ids=["a heading of 300,000 spaces", "100,000 unclosed comments", "a heading of 100,000 #s"])
def test_a_long_hostile_line_reads_in_linear_time(bank, line):
    path = bank.root / "risk.md"
    text = path.read_text().replace("## Draft\n", f"## Draft\n\n{line}\n", 1)
    started = time.monotonic()
    try:
        parse_story(text, path)
    except Exception as error:  # a bad story is fine; a slow one is not
        assert "Traceback" not in str(error)
    assert time.monotonic() - started < 5


# Writes stay in the bank.


def test_new_through_a_dangling_link_creates_nothing(runner, bank, tmp_path):
    evil = tmp_path / "elsewhere" / "deep" / "dir" / "evil.md"
    (bank.root / "leadership.md").symlink_to(evil)
    before = snapshot(bank.root)
    result = run(runner, "new", "leadership")
    assert result.exit_code == 2
    assert result.output == (f"Error: stories/leadership.md: is a link to {evil}, which does not exist; coach writes "
                             "through a link only to a file that exists, so remove the link or create the file it "
                             "points to\n")
    assert not (tmp_path / "elsewhere").exists() and snapshot(bank.root) == before


def test_a_link_to_an_existing_story_elsewhere_is_still_written_through(runner, bank, tmp_path):
    real = tmp_path / "elsewhere" / "leadership.md"
    real.parent.mkdir()
    real.write_text("---\ntitle: Lead\ntype: leadership\n---\n\n## Refined\n\nI led the migration.\n")
    (bank.root / "leadership.md").symlink_to(real)
    result = run(runner, "practice", "leadership", "--seconds", "50", "--yes")
    assert result.exit_code == 0, result.output
    assert (bank.root / "leadership.md").is_symlink() and len(load_story(real).practice) == 1


def test_a_read_only_bank_names_the_story_not_the_temporary_file(runner, bank, monkeypatch):
    """The rename fails and so does removing the temporary file (a file system gone read-only mid-write)."""
    before = stories(bank)
    real_unlink = os.unlink

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), *(os.fspath(a) for a in args[:2]))

    def unlink(path, *args, **kwargs):
        if str(path).endswith(".tmp"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "replace", read_only)
    monkeypatch.setattr(os, "unlink", unlink)
    result = run(runner, "practice", "risk", "--seconds", "50")
    monkeypatch.undo()
    assert result.exit_code == 2
    assert result.output == ("Error: stories/risk.md: the file system is read-only; copy the bank somewhere writable, "
                             "or pass another --stories\n")
    assert stories(bank) == before


def test_a_full_disk_names_the_story(runner, bank, monkeypatch):
    before = stories(bank)

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # as a write or fsync raises it: no file named

    monkeypatch.setattr(os, "fsync", full)
    result = run(runner, "practice", "risk", "--seconds", "50")
    assert result.exit_code == 2
    assert result.output == "Error: stories/risk.md: no space left on the device; free some space and run the command again\n"
    assert stories(bank) == before and not list(bank.root.glob(".*.tmp"))


def test_temporary_files_of_killed_runs_are_removed_on_the_next_write(runner, bank):
    stale, fresh = bank.root / ".risk.md.1a2b3c4d.tmp", bank.root / ".risk.md.0f0f0f0f.tmp"
    others = [bank.root / ".risk.md.notcoach.tmp", bank.root / ".team.md.1a2b3c4d.tmp"]
    for path in [stale, fresh, *others]:
        path.write_bytes(b"")
    hour_ago = time.time() - 3600
    for path in [stale, *others]:
        os.utime(path, (hour_ago, hour_ago))
    assert run(runner, "practice", "risk", "--seconds", "50").exit_code == 0
    assert not stale.exists()
    assert fresh.exists()  # a minute old at most: another command's write may still be under way
    assert all(path.exists() for path in others)  # not coach's name, or another file's


def test_transcripts_and_their_folder_are_readable_by_their_owner_only(runner, bank, endpoint, tmp_path):
    from tests.test_interview import STRONG, Endpoint, answers_file, feedback

    endpoint.side_effect = Endpoint([feedback(STRONG)])
    old = os.umask(0o022)
    try:
        result = runner.invoke(app, ["interview", "-n", "1", "--values", "Courage", "--answers",
                                     answers_file(tmp_path, STRONG), "--stories", "stories"])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    [transcript] = (bank.root / "sessions").glob("*.md")
    assert stat.S_IMODE(transcript.stat().st_mode) == 0o600
    assert stat.S_IMODE(transcript.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((bank.root / "risk.md").stat().st_mode) == 0o644  # the user's files are as they were


# Linear in takes.


def take_line(n: int) -> str:
    at = datetime(2020, 1, 1) + timedelta(minutes=n)
    return f"- {{at: '{at.isoformat()}', seconds: {50 + n % 10}.0, words: 130}}\n"


def test_a_take_on_a_story_of_100000_takes_adds_one_line_quickly(bank):
    path = bank.root / "risk.md"
    text = path.read_text().replace(RISK_VALUES, RISK_VALUES + "\npractice:\n" + "".join(map(take_line, range(100_000)))
                                    .rstrip("\n"), 1)
    path.write_text(text)
    started = time.monotonic()
    verdict = record_take(bank, path, 52.0, AT)
    took = time.monotonic() - started
    assert verdict.takes == 100_001
    after = path.read_text()
    new = "- {at: '2026-11-24T09:30:00', seconds: 52.0, words: 143}\n"
    assert after == text.replace(take_line(99_999), take_line(99_999) + new, 1)
    assert took < 10, f"a take on 100,000 took {took:.1f}s (over a minute before the fix)"
    assert undo_take(bank, path).remaining == 100_000 and path.read_text() == text


def test_takes_read_as_lines_read_as_yaml_reads_them(bank, monkeypatch):
    import coach.bank.storyfile as storyfile

    path = bank.root / "risk.md"
    lines = ["- {at: '2024-02-29T23:59:59', seconds: 52, words: 0}\n", "- {at: '2026-11-24T09:30:00', seconds: 1.25}\n",
             "- {at: '2026-11-24T09:30:00', seconds: 999999.5, words: 999999999}\n"]
    text = path.read_text().replace(RISK_VALUES, RISK_VALUES + "\npractice:\n" + "".join(lines).rstrip("\n"), 1)
    fast = parse_story(text, path)
    assert len(storyfile.VALID_TAKES[0][1]) == 3  # read as lines
    monkeypatch.setattr(storyfile, "_take_lines", lambda front: None)
    assert parse_story(text, path) == fast
    assert [take.seconds for take in fast.practice] == [52.0, 1.25, 999999.5]


@pytest.mark.parametrize(
    "odd",
    ids=["no such day", "octal", "a comment", "indented"],
    argvalues=[
        "- {at: '2023-02-29T10:00:00', seconds: 50.0}",  # no such day: YAML's reading says so
        "- {at: '2026-11-24T09:30:00', seconds: 052}",  # YAML 1.1 reads 052 as octal 42
        "- {at: '2026-11-24T09:30:00', seconds: 50.0}  # felt rushed",
        "  - {at: '2026-11-24T09:30:00', seconds: 50.0}",
    ],
)
def test_a_log_coach_did_not_write_is_read_by_yaml(bank, odd):
    path = bank.root / "risk.md"
    good = "- {at: '2026-11-24T09:30:00', seconds: 51.0}"
    text = path.read_text().replace(RISK_VALUES, f"{RISK_VALUES}\npractice:\n{good}\n{odd}\n{good}", 1)
    front = text.split("---\n")[1]
    try:
        expected = Story.model_validate({**yaml.safe_load(front), "title": "t"}).practice
    except Exception:
        expected = None
    try:
        got = parse_story(text, path).practice
    except Exception:
        got = None
    assert got == expected


# What was made faster reads as before: headings, comments, take lines and the front matter coach writes.

OLD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
OLD_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["#", "##", " ", "\t", "\xa0", "\x1c", "\u2028", "a", "C", "-", "x y"]), max_size=12))
def test_a_heading_reads_as_the_old_pattern_read_it(parts):
    line = "".join(parts)
    old, new = OLD_HEADING.match(line), HEADING.match(line)
    assert (old and (old.group(1), old.group(2))) == (new and (new.group(1), new.group(2)))


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["<!--", "-->", "<!-->", "<!---->", "-", ">", "a", "\n"]), max_size=12))
def test_comments_drop_as_the_old_pattern_dropped_them(parts):
    lines = "".join(parts).split("\n")
    text = "\n".join(lines)
    old = OLD_COMMENT.sub(lambda c: "\n" * c.group().count("\n"), text).split("\n") if "<!--" in text else lines
    assert drop_comments(lines) == old


takes = st.lists(st.builds(
    PracticeTake,
    at=st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 1, 1)),
    seconds=st.floats(0, 1e6) | st.floats(1, 300).map(lambda s: round(s, 1)),
    words=st.none() | st.integers(0, 10**10),
), max_size=5)


@settings(max_examples=300, deadline=None)
@given(takes)
def test_a_log_reads_the_same_as_lines_or_as_yaml(log):
    import coach.bank.storyfile as storyfile

    story = Story(title="T", type="risk", refined="x", practice=log)
    text = render_story(story)
    front = text.split("---\n")[1]
    emitted = yaml.dump({k: [t.model_dump(mode="json", exclude_defaults=True) for t in v] if isinstance(v, Takes) else v
                         for k, v in front_matter(story).items()},
                        sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000)
    assert front == emitted  # the log's lines are what the YAML emitter would write
    storyfile.VALID_TAKES.clear()
    fast = parse_story(text)
    real = storyfile._take_lines
    storyfile._take_lines = lambda front: None
    try:
        assert parse_story(text) == fast == story
    finally:
        storyfile._take_lines = real


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([
    "- {at: '2024-02-29T23:59:59', seconds: 52.5, words: 143}", "- {at: '2023-02-29T23:59:59', seconds: 52.5}",
    "- {at: '2026-11-24T09:30:00', seconds: 052}", "- {at: '2026-11-24T24:00:00', seconds: 5}",
    "- {at: '2026-11-24T09:30:00', seconds: 1, words: 05}", "- {at: '2026-04-31T09:30:00', seconds: 1}",
    "- {at: '2000-02-29T00:00:00', seconds: 999999.999999, words: 999999999}", "- {at: '1900-02-29T00:00:00', seconds: 1}",
    "- {at: '2026-11-24T09:30:00', seconds: 1.}", "- {at: '2026-11-24T09:30:00', seconds: 1}  # x", "practice:",
]), max_size=8))
def test_a_block_of_take_lines_ends_where_the_first_line_not_a_take_is(lines):
    text = "".join(line + "\n" for line in lines)
    valid = next((i for i, line in enumerate(lines) if not TAKE_LINE.fullmatch(line)), len(lines))
    assert TAKE_LINES.match(text).end() == sum(len(line) + 1 for line in lines[:valid])
