"""A spoken take: heard, measured against the candidate's own script, recorded in the practice log, and its
transcript kept beside the story (`stories/takes/SLUG/`), the audio too when asked.

The core of `practice --audio` and `practice --record` (and of the page's recorder): a front end hands over an audio
file and a transcriber; `listen` hears it (slow, and no file is touched), `keep_take` records what was heard.

    heard = listen(bank, path, audio, transcriber)
    result = keep_take(bank, path, heard, at)        # HeardTake, or the Slip to ask about
"""

from __future__ import annotations

import json
import os
import shutil
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coach.bank.folder import Bank, load_story, write_atomic
from coach.bank.models import PracticeTake, Story
from coach.errors import CoachError
from coach.method.grounding import Material, own_answers
from coach.method.text import timing
from coach.practice import (
    MAX_TAKE_SECONDS,
    MIN_TAKE_SECONDS,
    Slip,
    TakeVerdict,
    looks_like_a_slip,
    require_refined,
    take_stem,
    takes_folder,
)
from coach.voice.audio import audio_seconds, check_audio
from coach.voice.hearing import Hearing, Script, hear
from coach.voice.transcribe import Transcriber
from coach.voice.transcript import Transcript

MOST_WORDS = 6 * MAX_TAKE_SECONDS  # six words a second for ten minutes: faster than anyone speaks
OFF_SCRIPT = 0.35  # a take in which less of the script than this was heard sounds like another story: asked about


@dataclass
class Heard:
    """A take as heard, before anything is written: the story it was measured against, the transcript, the hearing."""

    slug: str
    title: str
    audio: Path
    transcript: Transcript
    hearing: Hearing


def script_of(story: Story, settings) -> Script:
    """Return what a take of the story is measured against: its refined version, hooks, key words and material.

    The material is everything the candidate wrote, their refined version and own follow-up answers included: a fact
    their script says is theirs to say (whether the script itself is backed is `coach check`'s to tell).
    """
    material = Material.of(story, settings, [*own_answers(story), story.refined])
    notes = story.practice_notes
    return Script(story.refined, tuple(notes.hooks), tuple(notes.key_words), material, story.window(settings))


def listen(bank: Bank, path: Path, audio: Path, transcriber: Transcriber) -> Heard:
    """Transcribe a take of the story and measure it; nothing is written. Refuse audio with no speech in it."""
    story, settings = load_story(path), bank.settings()
    require_refined(story, path)
    check_audio(audio)
    length = audio_seconds(audio)
    if length is not None and length > MAX_TAKE_SECONDS * 1.5:
        raise CoachError(f"{audio}: {length / 60:.0f} minutes of audio is longer than any spoken story; trim it to "
                         f"the take (up to {MAX_TAKE_SECONDS // 60} minutes) and pass it again")
    transcript = transcriber.transcribe(audio)
    words = transcript.words
    if len(words) > MOST_WORDS or (words and words[-1].end - words[0].start > MAX_TAKE_SECONDS * 1.5):
        raise CoachError(f"{audio}: the transcriber heard {len(words)} words over "
                         f"{(words[-1].end - words[0].start) / 60:.0f} minutes, more than any spoken story; trim the "
                         f"recording to the take (up to {MAX_TAKE_SECONDS // 60} minutes) and pass it again")
    hearing = hear(transcript, script_of(story, settings))
    if hearing.nothing_heard:
        raise CoachError(f"{audio}: no speech was heard in it; nothing was recorded (check the recording is of you "
                         "saying the story, with the microphone on)")
    if hearing.spoken_seconds < MIN_TAKE_SECONDS:
        raise CoachError(f"{audio}: only {hearing.spoken_seconds:.1f}s of speech was heard, not a delivery of the "
                         "story; nothing was recorded")
    if hearing.spoken_seconds > MAX_TAKE_SECONDS:
        raise CoachError(f"{audio}: {hearing.spoken_seconds:.0f}s of speech is over {MAX_TAKE_SECONDS // 60} minutes, "
                         "longer than any spoken story; nothing was recorded")
    return Heard(path.stem, story.title, audio, transcript, hearing)


@dataclass
class HeardTake:
    """A heard take as recorded: how it went against the window, what was heard, and the files written for it."""

    verdict: TakeVerdict
    heard: Heard
    saved: list[Path] = field(default_factory=list)  # the transcript's files, then the audio when kept

    def as_dict(self) -> dict:
        """Return the take as plain data for JSON output."""
        return {**self.verdict.as_dict(), "hearing": self.heard.hearing.as_dict(),
                "transcript": self.heard.transcript.as_dict(), "saved": [str(p) for p in self.saved]}


def keep_take(bank: Bank, path: Path, heard: Heard, at: datetime, *, sure: bool = False,
              keep_audio: bool = False) -> HeardTake | Slip:
    """Record a heard take: its transcript (and audio, if asked) under takes/, then its line in the practice log.

    A take that looks like a slip comes back as the `Slip` unless `sure`. Should the story's update fail, the files
    written for the take are removed: a failed command leaves the bank as it was.
    """
    hearing, settings = heard.hearing, bank.settings()
    seconds = round(hearing.spoken_seconds, 1)
    story = load_story(path)
    window = story.window(settings)
    if not sure and looks_like_a_slip(seconds, window):
        return Slip(path.stem, seconds, window)
    unheard = any(s.status == "unheard" for s in hearing.sentences)
    if not sure and hearing.coverage < OFF_SCRIPT and not unheard:
        return Slip(path.stem, seconds, window, f"only {round(hearing.coverage * 100)}% of {heard.title}'s refined "
                    "version was heard in this take, so it sounds like another story")
    at = at.replace(microsecond=0)
    take = PracticeTake(at=at, seconds=seconds, words=hearing.words, wpm=hearing.wpm, fillers=len(hearing.fillers),
                        coverage=round(hearing.coverage * 100))
    saved = _write_take_files(bank, path.stem, heard, at, keep_audio)

    def add_take(story: Story) -> Story:
        require_refined(story, path)
        story.practice.append(take)
        return story

    try:
        story = bank.update(path, add_take)
    except BaseException:
        for written in saved:
            written.unlink(missing_ok=True)
        raise
    verdict = TakeVerdict(seconds, story.window(settings), timing(story.refined, settings.words_per_minute).seconds,
                          len(story.practice), path.stem, at)
    return HeardTake(verdict, heard, saved)


def _write_take_files(bank: Bank, slug: str, heard: Heard, at: datetime, keep_audio: bool) -> list[Path]:
    """Write the take's transcript (Markdown to read, JSON with the timings) and, if asked, a copy of its audio;
    readable by their owner only, as the interview transcripts are. Return the paths written."""
    folder = takes_folder(bank, slug)
    written: list[Path] = []
    audio: Path | None = None
    made = [p for p in (folder.parent, folder) if not p.exists()]
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stem = _reserved(folder, take_stem(at))
        written.append(folder / f"{stem}.md")
        if keep_audio:
            audio = folder / f"{stem}{heard.audio.suffix.lower()}"
            part = folder / f".{stem}.part"
            shutil.copyfile(heard.audio, part)
            part.chmod(0o600)
            os.replace(part, audio)
        data = {"story": slug, "at": at.isoformat(), "audio": audio.name if audio else None,
                "transcript": heard.transcript.as_dict(), "hearing": heard.hearing.as_dict()}
        for path, text in ((folder / f"{stem}.json", json.dumps(data, indent=1, ensure_ascii=False) + "\n"),
                           (folder / f"{stem}.md", take_markdown(heard, at, audio))):
            if path not in written:
                written.append(path)
            write_atomic(path, text, private=True)
        if audio:
            written.append(audio)
    except BaseException as error:  # a full disk, or Ctrl-C: nothing of the take is left behind
        for path in [*written, *([audio, folder / f".{audio.stem}.part"] if audio else [])]:
            path.unlink(missing_ok=True)
        for empty in reversed(made):
            with suppress(OSError):
                empty.rmdir()
        if isinstance(error, OSError):
            raise CoachError(f"could not keep the take's transcript in {folder} ({error.strerror or error}); check "
                             f"that {folder.parent} is a folder you can write to; nothing was recorded") from None
        raise
    return sorted(written, key=lambda p: p.suffix not in (".json", ".md"))


def _reserved(folder: Path, stem: str) -> str:
    """Return a name for the take's files no other take has, claimed by creating its .md at once (O_EXCL): two takes
    saved in the same second, by two terminals, keep both their transcripts."""
    name, n = stem, 2
    while True:
        try:
            os.close(os.open(folder / f"{name}.md", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            return name
        except FileExistsError:
            name, n = f"{stem}-{n}", n + 1


def take_markdown(heard: Heard, at: datetime, audio: Path | None) -> str:
    """Return the transcript of a take as a Markdown file a person reads: what was measured, then what was heard."""
    h = heard.hearing
    said = sum(s.status == "said" for s in h.sentences)
    lines = [f"# {heard.title}: take of {at:%Y-%m-%d %H:%M}", "",
             f"- Spoken: {h.spoken_seconds:.1f}s, {h.words} words, {h.wpm} words per minute",
             f"- Filler words: {len(h.fillers)}; pauses over a second: {len(h.pauses)}",
             f"- Script: {said} of {len(h.sentences)} sentences said ({round(h.coverage * 100)}% of its words)",
             f"- Heard by: {heard.transcript.engine}"]
    if audio:
        lines.append(f"- Audio: {audio.name}")
    lines += [f"- Skipped: {s.text}" for s in h.sentences if s.status == "skipped"]
    lines += [f"- Said at {flag.at:.0f}s: {flag.reason}" for flag in h.flags]
    return "\n".join([*lines, "", "## Transcript", "", heard.transcript.text, ""])


def answer_heard(transcriber: Transcriber, audio: Path) -> tuple[str, float] | None:
    """Hear an answer said out loud (the mock interview's): its words without what the transcriber made up at the
    ends, and the seconds spoken (first word to last); None when no words were heard."""
    from coach.voice.cleanup import seconds_spoken, spoken_part
    from coach.voice.transcribe import transcribed

    check_audio(audio)
    transcript = spoken_part(transcribed(transcriber, audio))
    if not transcript.text.strip():
        return None
    return transcript.text, seconds_spoken(transcript, audio_seconds(audio) or transcript.duration)
