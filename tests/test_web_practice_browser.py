"""Practising in Chromium with its fake microphone fed a wav espeak-ng spoke (the risk story's refined version with
one sentence left out): the take is recorded by the page, heard by the real tiny.en transcriber on this machine, and
the sentence left out is marked skipped; a second, short take is asked about, kept anyway, and both are in the
history. Chromium's fake capture plays the file from its start at every getUserMedia (`%noloop`: then silence), and
reads espeak-ng's 22 kHz mono 16-bit wav as it is."""

from __future__ import annotations

import time
import wave
from functools import cache
from pathlib import Path

import pytest

from coach.bank.folder import load_story
from coach.method.text import sentences
from tests.voice_audio import espeak, local_transcriber
from tests.web_fixtures import browser, needs_chromium, no_horizontal_scroll, served, shoot

pytest.importorskip("starlette")
pytest.importorskip("faster_whisper")
pytestmark = needs_chromium

LEFT_OUT = 2  # "Instead of just suggesting it, I created the first report myself and presented it in under 10 minutes."
WPM = 200  # fast enough to keep the test short, slow enough for tiny.en to hear every sentence said


@cache
def left_out_take(folder: Path, text: str) -> Path:
    return espeak(" ".join(s for i, s in enumerate(sentences(text)) if i != LEFT_OUT), folder / "take.wav", wpm=WPM)


def seconds_of(wav: Path) -> float:
    with wave.open(str(wav)) as audio:
        return audio.getnframes() / audio.getframerate()


def test_a_take_recorded_in_the_browser_is_heard_and_the_sentence_left_out_marked(bank, tmp_path):
    from playwright.sync_api import expect

    from coach.web.app import Services

    refined = load_story(bank.root / "risk.md").refined
    wav = left_out_take(tmp_path, refined)
    length = seconds_of(wav)
    flags = ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
             f"--use-file-for-fake-audio-capture={wav}%noloop")
    services = Services(transcriber=local_transcriber)
    with served(bank.root, services) as server, browser(*flags) as chromium:
        page = chromium.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server.url)
        page.goto(server.base + "/practice/risk")
        assert page.get_by_role("heading", name="Practise: The Risk Story").is_visible()
        page.get_by_role("button", name="Record").click()
        stop = page.get_by_role("button", name="Stop", exact=True)
        expect(stop).to_be_enabled()
        started = time.monotonic()
        timer = page.locator("#timer")
        expect(timer).to_contain_text("s to the window")  # "2s · 43s to the window", in words and colour
        expect(timer).to_have_class("timer under")
        time.sleep(max(0.0, length + 0.7 - (time.monotonic() - started)))
        stop.click()
        page.locator("#report .marked, #flash.shown").first.wait_for(timeout=150_000)  # heard, or said why not
        assert page.locator("#flash").inner_text() == ""
        skipped = page.locator('.sentence[data-status="skipped"]')
        assert skipped.count() == 1, page.locator("#report").inner_text()
        assert skipped.count() == 1
        assert "Instead of just suggesting it" in skipped.inner_text()
        assert page.locator("#history tbody tr").count() == 1
        assert no_horizontal_scroll(page)
        shoot(page, "practice")
        page.set_viewport_size({"width": 390, "height": 844})
        assert no_horizontal_scroll(page)
        page.set_viewport_size({"width": 1280, "height": 800})

        page.get_by_role("button", name="Record").focus()  # by keyboard this time; the file plays from its start
        page.keyboard.press("Enter")
        expect(stop).to_be_enabled()
        expect(stop).to_be_focused()  # Stop takes the focus: Enter again ends the take
        page.wait_for_timeout(6000)
        page.keyboard.press("Enter")
        keep = page.get_by_role("button", name="Keep it anyway")
        page.locator("#report form, #flash.shown").first.wait_for(timeout=90_000)
        assert page.locator("#flash").inner_text() == ""

        assert "looks like a slip" in page.locator("#report").inner_text()
        keep.click()
        page.locator("#history tbody tr").nth(1).wait_for(timeout=30_000)
        assert page.locator("#history tbody tr").count() == 2
    takes = load_story(bank.root / "risk.md").practice
    assert len(takes) == 2 and all(take.heard for take in takes)
