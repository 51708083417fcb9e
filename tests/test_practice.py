"""`coach practice`: timed takes with simulated Enter presses and an injected clock, history, calibration."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from coach.bank.folder import load_story
from coach.cli import Terminal, app, make_app
from coach.cli.practice import LiveTimer
from coach.display.practice import elapsed_line
from coach.practice import measured_rate
from tests.conftest import snapshot


class FakeClock:
    """A monotonic clock that moves only when a take says so."""

    def __init__(self, durations):
        self.durations = list(durations)
        self.now = 1000.0
        self.started = False

    def __call__(self) -> float:
        if self.started:
            self.now += self.durations.pop(0)
        self.started = not self.started
        return self.now


def times(start=datetime(2026, 11, 24, 9, 0)):
    moments = iter(start + timedelta(minutes=10 * n) for n in range(100))
    return lambda: next(moments)


def practice(runner, *args, clock=None, now=None, input_fn=None, stdin=None, terminal=None):
    """Run `coach practice`; terminal=True stands for a person at a terminal answering on stdin."""
    seams = Terminal(clock=clock or FakeClock([52.4]), now=now or times())
    if input_fn:
        seams.input = input_fn
    if terminal is not None:
        seams.interactive = lambda: terminal
    return runner.invoke(make_app(seams), ["practice", *args], input=stdin)


def test_a_timed_take_is_recorded_and_compared(runner, bank):
    result = practice(runner, "risk", stdin="\n\n")
    assert result.exit_code == 0, result.output
    assert "At Salesforce in 2023, I noticed" in result.output  # the full refined version is shown
    assert result.output.rstrip().splitlines()[-3:] == [
        "52.4s: within the 45-60s target.",
        "Estimate from the word count: 57.2s (you took 8% less time).",
        "Practiced 1/5 ☐",
    ]
    take = load_story(bank.root / "risk.md").practice[0]
    assert (take.at, take.seconds, take.words) == (datetime(2026, 11, 24, 9, 0), 52.4, 143)


def test_cue_mode_shows_hook_and_key_words_only(runner, bank):
    result = practice(runner, "conflict", "--cue", stdin="\n\n")
    assert "Hook: At Salesforce, we have a value of 'disagree then commit'." in result.output
    assert 'Key words: disagree then commit, respectfully, feature-complete' in result.output
    assert "I implemented Leo's documented approach" not in result.output


def test_seconds_records_a_take_timed_elsewhere(runner, bank):
    result = practice(runner, "team", "--seconds", "63")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "63.0s: 3.0s over the 45-60s target."


@pytest.mark.parametrize(("seconds", "message"), [
    ("nan", "Error: --seconds nan is not a length of time; nothing was recorded"),
    ("inf", "Error: --seconds inf is not a length of time; nothing was recorded"),
    ("-inf", "Error: --seconds -inf is not a length of time; nothing was recorded"),
    ("-5", "Error: --seconds -5 is not a length of time; nothing was recorded"),
    ("0", "Error: --seconds 0 is not a length of time; nothing was recorded"),
    ("1.5", "Error: a 1.5s take is not a plausible delivery; nothing was recorded"),
    ("3500", "Error: a 3500s take is over 10 minutes (600s), longer than any spoken story; nothing was recorded"),
    ("600.5", "Error: a 600.5s take is over 10 minutes (600s)"),
])
def test_impossible_seconds_are_refused_in_one_sentence(runner, bank, seconds, message):
    before = snapshot(bank.root)
    result = practice(runner, "team", f"--seconds={seconds}", "--yes")  # --yes forgives a slip, never an impossibility
    assert result.exit_code == 2
    assert result.output.startswith(message) and result.output.count("\n") == 1
    assert "like --seconds 54" in result.output and "nans" not in result.output
    assert snapshot(bank.root) == before


def test_ten_minutes_is_the_longest_take(runner, bank):
    result = practice(runner, "team", "--seconds", "600")
    assert result.exit_code == 0 and result.output.startswith("600.0s: 540.0s over the 45-60s target.")


def test_ctrl_c_during_a_take_records_nothing(runner, bank):
    before = snapshot(bank.root)
    presses = iter([None])

    def input_fn(prompt):
        if next(presses, "interrupt") == "interrupt":
            raise KeyboardInterrupt
        return ""

    result = practice(runner, "risk", input_fn=input_fn)
    assert result.exit_code == 130
    assert "Interrupted; nothing was recorded." in result.output
    assert snapshot(bank.root) == before


def test_input_ending_mid_take_records_nothing(runner, bank):
    before = snapshot(bank.root)
    result = practice(runner, "risk", stdin="\n")
    assert result.exit_code == 2 and "nothing was recorded" in result.output
    assert snapshot(bank.root) == before


def test_five_takes_make_the_board_show_timed_and_practiced(runner, bank):
    clock, now = FakeClock([66.0, 61.2, 58.9, 55.0, 53.1]), times()
    for _ in range(5):
        assert practice(runner, "risk", stdin="\n\n", clock=clock, now=now).exit_code == 0
    line = next(line for line in runner.invoke(app, ["status"]).output.splitlines() if line.startswith("risk"))
    assert "53.1s ✓" in line and "5/5 ✓" in line
    data = next(s for s in __import__("json").loads(runner.invoke(app, ["status", "--json"]).output)["stories"] if s["slug"] == "risk")
    assert (data["latest"], data["best"], data["takes"], data["timed"], data["practiced"]) == (53.1, 53.1, 5, True, True)


def test_latest_take_over_the_window_is_not_timed(runner, bank):
    practice(runner, "risk", "--seconds", "50")
    practice(runner, "risk", "--seconds", "64")
    data = __import__("json").loads(runner.invoke(app, ["status", "--json"]).output)
    risk = next(s for s in data["stories"] if s["slug"] == "risk")
    assert (risk["latest"], risk["best"], risk["timed"]) == (64.0, 50.0, False)


def test_history_lists_takes_with_a_chart(runner, bank):
    now = times()
    for seconds in ("40", "52.5", "71"):
        practice(runner, "risk", "--seconds", seconds, now=now)
    result = runner.invoke(app, ["practice", "risk", "--history"])
    lines = result.output.splitlines()
    assert lines[0] == "The Risk Story · target 45-60s (the ═ band)"
    assert lines[2].startswith("2026-11-24 09:00    40.0s   ")
    assert lines[3].startswith("2026-11-24 09:10    52.5s ✓ ")
    chart = [line[28:] for line in lines[2:5]]
    assert all(len(row) == 40 and row.count("●") == 1 for row in chart)
    assert chart[0].index("●") < chart[1].index("●") < chart[2].index("●")
    assert "═" in chart[0] and chart[1].index("●") > chart[1].index("═")


def test_calibration_arithmetic_and_save(runner, bank):
    now = times()
    # the risk story has 143 words: 3 takes are 429 words in 60 + 55 + 50 = 165 seconds, 156 words per minute
    for seconds in ("60", "55", "50"):
        practice(runner, "risk", "--seconds", seconds, now=now)
    rate = measured_rate([s for _, s in bank.stories()])
    assert (rate.wpm, rate.takes, rate.words, rate.seconds) == (156, 3, 429, 165.0)
    result = runner.invoke(app, ["practice", "--calibrate"])
    assert result.exit_code == 0
    assert " ".join(result.output.split()) == "Speaking rate 156 wpm from 3 takes (429 words in 165s); was 150 wpm. Saved to stories/coach.yaml."
    assert bank.settings().words_per_minute == 156
    assert "words_per_minute: 156" in (bank.root / "coach.yaml").read_text()


def test_calibration_needs_enough_takes(runner, bank):
    result = runner.invoke(app, ["practice", "--calibrate"])
    assert result.exit_code == 2
    assert "calibration needs at least 3 timed takes" in result.output


def test_practice_needs_a_refined_version(runner, tmp_path):
    runner.invoke(app, ["init", "--company", "netflix"])
    runner.invoke(app, ["new", "risk"])
    result = practice(runner, "risk", stdin="\n\n")
    assert result.exit_code == 2 and "has no refined version to practise" in result.output


def test_live_timer_line_shows_the_window():
    assert elapsed_line(12.34, (45, 60)) == "\r   12.3s   target 45-60s                   "
    assert elapsed_line(50, (45, 60)).rstrip().endswith("in the window")
    assert elapsed_line(61, (45, 60)).rstrip().endswith("over the target!")


def test_live_timer_redraws_until_stopped():
    written = []
    ticks = iter(range(10_000))
    timer = LiveTimer(lambda: float(next(ticks)), (45, 60), written.append, interval=0.001)
    timer.start(0.0)
    while len(written) < 3:
        pass
    timer.stop()
    assert written[0].startswith("\r") and written[-1] == "\n"


# A practice that forgives: a slip is asked about, a take can be undone.

def test_a_double_enter_is_asked_about_and_can_be_declined(runner, bank):
    before = snapshot(bank.root)
    result = practice(runner, "risk", stdin="\n\nn\n", clock=FakeClock([3.2]))
    assert result.exit_code == 0, result.output
    assert "Record a 3.2s take? [y/N] " in result.output
    assert result.output.rstrip().endswith("Nothing was recorded.")
    assert snapshot(bank.root) == before


@pytest.mark.parametrize("answer", ["", "no", "maybe"])
def test_anything_but_yes_records_nothing(runner, bank, answer):
    before = snapshot(bank.root)
    result = practice(runner, "risk", stdin=f"\n\n{answer}\n", clock=FakeClock([3.2]))
    assert "Nothing was recorded." in result.output and snapshot(bank.root) == before


@pytest.mark.parametrize("answer", ["y", "Y", "yes"])
def test_a_short_take_is_recorded_when_you_say_yes(runner, bank, answer):
    result = practice(runner, "risk", stdin=f"\n\n{answer}\n", clock=FakeClock([3.2]))
    assert result.exit_code == 0 and "3.2s: 41.8s under the 45-60s target." in result.output
    assert [t.seconds for t in load_story(bank.root / "risk.md").practice] == [3.2]


def test_input_ending_at_the_question_records_nothing(runner, bank):
    before = snapshot(bank.root)
    result = practice(runner, "risk", stdin="\n\n", clock=FakeClock([3.2]))
    assert "Nothing was recorded." in result.output and snapshot(bank.root) == before


def test_a_short_seconds_from_a_script_is_refused_with_the_way_round(runner, bank):
    before = snapshot(bank.root)
    result = practice(runner, "risk", "--seconds", "3.2")
    assert result.exit_code == 2
    assert result.output == ("Error: a 3.2s take is under a third of the 45-60s target, so it looks like a slip; "
                             "nothing was recorded (add --yes to record it anyway)\n")
    assert snapshot(bank.root) == before


@pytest.mark.parametrize("flag", ["--yes", "-y"])
def test_yes_records_a_short_take_without_asking(runner, bank, flag):
    result = practice(runner, "risk", "--seconds", "3.2", flag)
    assert result.exit_code == 0 and "Record a" not in result.output
    assert [t.seconds for t in load_story(bank.root / "risk.md").practice] == [3.2]


def test_a_short_seconds_on_a_terminal_is_asked_about(runner, bank):
    result = practice(runner, "risk", "--seconds", "12", stdin="y\n", terminal=True)
    assert result.output.startswith("Record a 12.0s take? [y/N] 12.0s: 33.0s under the 45-60s target.")
    declined = practice(runner, "risk", "--seconds", "12", stdin="n\n", terminal=True)
    assert declined.output == "Record a 12.0s take? [y/N] Nothing was recorded.\n"
    assert len(load_story(bank.root / "risk.md").practice) == 1


@pytest.mark.parametrize(("target", "seconds", "asked"), [("45-60", "14.9", True), ("45-60", "15", False),
                                                           ("30-40", "9.9", True), ("30-40", "10", False)])
def test_a_slip_is_under_a_third_of_the_window_low_end(runner, bank, target, seconds, asked):
    low, high = target.split("-")
    bank.update(bank.root / "risk.md", lambda story: setattr(story, "target_seconds", (int(low), int(high))))
    result = practice(runner, "risk", "--seconds", seconds)
    assert (result.exit_code == 2 and "looks like a slip" in result.output) == asked


def test_undo_removes_only_the_last_take(runner, bank):
    now = times()
    practice(runner, "risk", "--seconds", "40", now=now)
    practice(runner, "risk", "--seconds", "52.5", now=now)
    before = snapshot(bank.root)
    practice(runner, "risk", "--seconds", "71", now=now)
    result = runner.invoke(app, ["practice", "risk", "--undo"])
    assert result.exit_code == 0
    assert result.output == "Removed the take of 2026-11-24 09:20 (71.0s) from risk; 2 takes remain.\n"
    assert snapshot(bank.root) == before  # byte for byte: only the take's line went


def test_undo_counts_down_then_refuses(runner, bank):
    original = snapshot(bank.root)
    now = times()
    practice(runner, "risk", "--seconds", "50", now=now)
    practice(runner, "risk", "--seconds", "55", now=now)
    assert runner.invoke(app, ["practice", "risk", "--undo"]).output.endswith("from risk; 1 take remains.\n")
    assert runner.invoke(app, ["practice", "risk", "--undo"]).output.endswith("(50.0s) from risk; no takes remain.\n")
    assert snapshot(bank.root) == original
    result = runner.invoke(app, ["practice", "risk", "--undo"])
    assert result.exit_code == 2 and result.output == "Error: risk has no takes to undo; its practice log is empty\n"
    assert snapshot(bank.root) == original


def test_undo_as_json(runner, bank):
    practice(runner, "risk", "--seconds", "52.5")
    data = json.loads(runner.invoke(app, ["practice", "risk", "--undo", "--json"]).output)
    assert data == {"story": "risk", "removed": {"at": "2026-11-24T09:00:00", "seconds": 52.5, "words": 143, "heard": False}, "remaining": 0,
                    "files": []}


def test_one_action_at_a_time(runner, bank):
    result = runner.invoke(app, ["practice", "risk", "--undo", "--seconds", "50"])
    assert result.exit_code == 2 and "--seconds and --undo do different things; use one at a time" in result.output


@pytest.mark.parametrize(("takes", "shown"), [(4, "Practiced 4/5 ☐"), (5, "Practiced 5/5 ✓"), (6, "Practiced 5/5 ✓ (+1)"),
                                               (9, "Practiced 5/5 ✓ (+4)")])
def test_practiced_never_shows_more_than_five_of_five(runner, bank, takes, shown):
    now = times()
    for _ in range(takes):
        result = practice(runner, "risk", "--seconds", "52", now=now)
    assert result.output.splitlines()[-1] == shown


def test_history_as_json(runner, bank):
    now = times()
    for seconds in ("40", "52.5", "71"):
        practice(runner, "risk", "--seconds", seconds, now=now)
    result = runner.invoke(app, ["practice", "risk", "--history", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "story": "risk", "title": "The Risk Story", "target_seconds": [45, 60], "words_per_minute": 150,
        "estimate_seconds": 57.2,
        "takes": [{"at": "2026-11-24T09:00:00", "seconds": 40.0, "words": 143, "heard": False, "within": False},
                  {"at": "2026-11-24T09:10:00", "seconds": 52.5, "words": 143, "heard": False, "within": True},
                  {"at": "2026-11-24T09:20:00", "seconds": 71.0, "words": 143, "heard": False, "within": False}],
        "best_seconds": 52.5, "latest_seconds": 71.0, "measured_words_per_minute": 157,  # 429 words in 163.5 s
    }


def test_history_as_json_with_no_takes(runner, bank):
    data = json.loads(runner.invoke(app, ["practice", "team", "--history", "--json"]).output)
    assert (data["takes"], data["best_seconds"], data["latest_seconds"], data["measured_words_per_minute"]) == ([], None, None, None)


def test_a_recorded_take_as_json(runner, bank):
    result = practice(runner, "risk", "--seconds", "52.4", "--json")
    assert json.loads(result.output) == {"story": "risk", "at": "2026-11-24T09:00:00", "seconds": 52.4,
                                         "target_seconds": [45, 60], "estimate_seconds": 57.2, "takes": 1, "within": True}


def test_json_refuses_the_live_stopwatch(runner, bank):
    before = snapshot(bank.root)
    result = practice(runner, "risk", "--json", stdin="\n\n")
    assert result.exit_code == 2
    assert result.output == "Error: --json needs --seconds: a live take talks to you in the terminal\n"
    assert snapshot(bank.root) == before


def test_json_never_asks_about_a_slip(runner, bank):
    result = practice(runner, "risk", "--seconds", "3.2", "--json", stdin="y\n", terminal=True)
    assert result.exit_code == 2 and "add --yes" in result.output and "Record a" not in result.output


def test_calibration_as_json(runner, bank):
    now = times()
    for seconds in ("60", "55", "50"):
        practice(runner, "risk", "--seconds", seconds, now=now)
    data = json.loads(runner.invoke(app, ["practice", "--calibrate", "--json"]).output)
    assert data == {"words_per_minute": 156, "previous_words_per_minute": 150, "takes": 3, "words": 429,
                    "seconds": 165.0, "saved_to": "stories/coach.yaml", "heard": False}


def test_practice_output_fits_80_columns_and_keeps_words_whole(runner, bank, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    path = bank.root / "conflict.md"
    long_title = "The Conflict Story: disagreeing with my lead engineer Steve about separating state and controller"
    bank.update(path, lambda story: setattr(story, "title", long_title))
    refined = load_story(path).refined
    now = times()
    outputs = [practice(runner, "conflict", stdin="\n\n", clock=FakeClock([seconds]), now=now).output
               for seconds in (66.0, 61.2, 58.9)]
    outputs += [runner.invoke(app, ["practice", "conflict", *args]).output
                for args in (["--history"], ["--undo"], ["--cue", "--seconds", "50"])]
    outputs.append(runner.invoke(app, ["practice", "--calibrate"]).output)
    wide = [line for output in outputs for line in output.splitlines() if len(line) > 80]
    assert wide == []
    assert set(refined.split()) <= set(outputs[0].split())  # "Steve" whole, never "St" / "eve"
    assert set(long_title.split()) <= set(outputs[3].split())


def test_a_slow_take_says_how_much_more_time_it_took(runner, bank):
    result = runner.invoke(app, ["practice", "risk", "--seconds", "114.4"])
    assert "Estimate from the word count: 57.2s (you took 100% more time)." in result.output
