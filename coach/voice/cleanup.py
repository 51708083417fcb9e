"""What a transcriber hands over that the candidate did not say as heard: words it made up over the silence at the
end of a recording (Whisper's "Thank you. Thanks for watching."), and a figure it split in two ("2" ".5").

Left out of the time, the count, the pace and the pauses (the report names them), never of the saved transcript.
"""

from __future__ import annotations

from dataclasses import replace

from coach.voice.align import noise
from coach.voice.sounds import tokens
from coach.voice.transcript import Word

# what Whisper writes over silence, learned from subtitles: never part of a story, so never counted as spoken
OUTROS = sorted((phrase.split() for phrase in (
    "thank you", "thank you very much", "thank you so much", "thanks", "thanks for watching",
    "thank you for watching", "for watching", "see you next time", "ill see you next time", "bye", "goodbye",
    "you")), key=len, reverse=True)
TAIL_WORDS = 6  # words the script's own first or last words hold are the candidate's, however unsurely heard


def joined_figures(said: list[Word]) -> list[Word]:
    """Return the words with a figure the transcriber split ("2" then ".5", "3" then ",000") joined back into one."""
    joined: list[Word] = []
    for word in said:
        text = word.text.strip()
        before = joined[-1].text.strip() if joined else ""
        if (before[-1:].isdigit() and len(text) > 1 and text[0] in ".," and text[1].isdigit()
                and word.start - joined[-1].end < 0.3):
            last = joined.pop()
            sure = [p for p in (last.probability, word.probability) if p is not None]
            joined.append(Word(last.text.rstrip() + text, last.start, word.end, min(sure) if sure else None))
        else:
            joined.append(word)
    return joined


def made_up_ends(said: list[Word], script: str) -> tuple[list[Word], list[Word]]:
    """Return the words the candidate said, and those the transcriber made up at either end: words of no length or
    said four times running ("I, I, I, I") and, at the end, the outros Whisper writes over silence. A word heard
    unsurely is kept: it may be the candidate's last word ("example." at 16%), and the guard never blames it anyway."""
    made_up = noise([replace(word, probability=None) for word in said])
    if all(noise(said)):  # nothing clearly heard: the hearing says so; there are no ends to trim
        return said, []
    written = tokens(script)
    opening, ending = set(written[:TAIL_WORDS]), set(written[-TAIL_WORDS:])

    def unsure(index: int, ends: set[str]) -> bool:  # noise, unless it is the script's own words heard unsurely
        return made_up[index] and not set(tokens(said[index].text)) & ends

    start, end = 0, len(said)
    while start < end and unsure(start, opening):
        start += 1
    while True:  # an outro first (its last word may be one of no length), then the noise before it
        before = end
        plain = [" ".join(tokens(word.text)) for word in said[start:end]]
        for phrase in OUTROS:
            if (len(phrase) <= len(plain) and plain[len(plain) - len(phrase):] == phrase
                    and f" {' '.join(phrase)} " not in f" {' '.join(written[-TAIL_WORDS:])} "):
                end -= len(phrase)
                break
        while end > start and unsure(end - 1, ending):
            end -= 1
        if end == before:
            return said[start:end], said[:start] + said[end:]


def spoken_part(transcript):
    """Return the transcript without what the transcriber made up at its ends ("Thank you." over silence)."""
    from dataclasses import replace

    said, _ = made_up_ends(joined_figures(list(transcript.words)), "")
    return replace(transcript, words=tuple(said))


def seconds_spoken(transcript, recorded: float) -> float:
    """Return how long the candidate spoke: first word to last, or the recording's length without word timings."""
    words = transcript.words
    span = words[-1].end - words[0].start if words else 0.0
    return round(span if span > 0 else recorded, 1)
