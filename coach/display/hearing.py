"""The view of a heard take: in one screen, how long and how fast the candidate spoke, where they paused, what of
their own script they left out or changed, and what they said that their material does not back."""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from coach.display.bank import practiced
from coach.display.layout import counted, wrapped
from coach.method.text import fit, quoted

if TYPE_CHECKING:
    from coach.spoken import HeardTake
    from coach.voice.hearing import Hearing

SHOWN = 3  # pauses, changed sentences and sure flags listed by name before "and N more"
SNIPPET = 60  # characters of a sentence quoted in a list


def _digits(text: str) -> str:
    from coach.voice.hearing import digits

    return digits(text) or text


def _prose(text: str, indent: int = 2, first: str | None = "") -> list[str]:
    return wrapped(text, indent, first)


def _clip(text: str, size: int = SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rsplit(" ", 1)[0] + "…"


def _more(items: list[str], total: int) -> str:
    shown = "; ".join(items)
    return shown + (f"; and {total - len(items)} more" if total > len(items) else "")


def heard_view(take: HeardTake) -> str:
    """Say how a heard take went: time and pace, pauses and fillers, the script said, the facts, where it was kept."""
    h, verdict = take.heard.hearing, take.verdict
    low, high = verdict.window
    where = {"over": f"{h.spoken_seconds - high:.1f}s over the {low}-{high}s target",
             "under": f"{low - h.spoken_seconds:.1f}s under the {low}-{high}s target",
             "within": f"within the {low}-{high}s target"}[fit(h.spoken_seconds, verdict.window)]
    lines = _prose(f"{take.heard.title}: {h.spoken_seconds:.1f}s spoken, {where}.")
    timing = take.heard.transcript.timing
    pauses = _pauses(h) if timing == "words" else (
        "pauses only between stretches (the transcriber gave no word timings)" if timing == "segments" else
        "pauses not measured (the transcriber gave no timings)")
    lines += _prose(f"Pace {h.wpm} words per minute ({h.words} words); {_fillers(h)}; {pauses}.")
    lines += _script(h)
    lines += _delivery(h)
    lines += _facts(h)
    lines += _prose(f"Practiced {practiced(verdict.takes)}")
    readable = [p for p in take.saved if p.suffix == ".md"]
    if readable:
        lines += _prose(f"Transcript: {readable[0]}" + (", with the audio" if len(take.saved) > 2 else ""))
    return "\n".join(lines)


def _fillers(h: Hearing) -> str:
    if not h.fillers:
        return "no filler words heard"
    counts = Counter(f.text.lower() for f in h.fillers)
    said = ", ".join(f'"{word}"' + (f" ×{n}" if n > 1 else "") for word, n in counts.most_common())
    return f"{counted(len(h.fillers), 'filler word')} ({said})"


def _pauses(h: Hearing) -> str:
    if not h.pauses:
        return "no pause over a second"
    shown = [f"{p.seconds:.1f}s at {p.at:.0f}s after \"{_clip(p.after, 30)}\"" for p in h.pauses[:SHOWN]]
    return f"{counted(len(h.pauses), 'pause')} over a second: " + _more(shown, len(h.pauses))


def _script(h: Hearing) -> list[str]:
    said = [s for s in h.sentences if s.status == "said"]
    changed = [s for s in h.sentences if s.status == "changed"]
    skipped = [s for s in h.sentences if s.status == "skipped"]
    unheard = [s for s in h.sentences if s.status == "unheard"]
    parts = [f"{len(said)} of {len(h.sentences)} said", f"{len(changed)} changed", f"{len(skipped)} skipped"]
    if unheard:
        parts.append(f"{len(unheard)} not heard (the transcriber lost {'it' if len(unheard) == 1 else 'them'}, "
                     "so no verdict)")
    lines = _prose(f"Your script: {', '.join(parts)} ({round(h.coverage * 100)}% of its words heard).")
    for s in skipped:
        lines += _prose(f"Skipped: \"{_clip(s.text)}\"", 4, None)
    for s in changed[:SHOWN]:
        written, said = _difference(s.text, s.heard)
        lines += _prose(f"Changed: \"{_clip(written, 40)}\", heard as \"{_clip(said, 40)}\"", 4, None)
    if len(changed) > SHOWN:
        lines += _prose(f"and {len(changed) - SHOWN} more changed", 4, None)
    return lines


def _difference(text: str, heard: str, context: int = 2) -> tuple[str, str]:
    """Return the stretch where a sentence and what was heard for it differ most, with a few words either side."""
    written, said = text.split(), heard.split()
    plain = [[w.lower().strip(".,;:!?'\"") for w in part] for part in (written, said)]
    blocks = [op for op in SequenceMatcher(None, *plain, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not blocks:
        return text, heard
    _, a1, a2, b1, b2 = max(blocks, key=lambda op: max(op[2] - op[1], op[4] - op[3]))
    before, after = max(0, a1 - context), a2 + context
    return (" ".join(written[before:after]),
            " ".join(said[max(0, b1 - (a1 - before)) : b2 + (after - a2)]))


def _delivery(h: Hearing) -> list[str]:
    parts = []
    if h.hooks:
        parts.append(f"opened with your hook \"{_clip(h.hook, 40)}\"" if h.hook else
                     "the opening was not heard, so your hook cannot be judged" if h.opening_lost else
                     "no hook of yours opened the take")
    if h.key_words:
        landed = [word for word, hit in h.key_words if hit]
        missed = [word for word, hit in h.key_words if hit is False]  # None: only where the transcriber lost the take
        parts.append(f"{len(landed)} of {len(h.key_words)} key words landed"
                     + (f" (missed {quoted(missed)})" if missed else ""))
    parts.append(f"\"I\" {h.i_count} time{'s' * (h.i_count != 1)}, \"we\" {h.we_count}")
    return _prose(parts[0][0].upper() + "; ".join(parts)[1:] + ".")


def _facts(h: Hearing) -> list[str]:
    lines = []
    flagged = {_digits(flag.text): flag for flag in h.flags}
    script_says = {_digits(figure.said): figure.script for figure in h.figures}
    for figure in [f for f in h.figures if _digits(f.said) not in flagged][:SHOWN]:
        lines += _prose(f"At {figure.at:.0f}s \"{figure.said}\" was heard where your script says \"{figure.script}\"; "
                        "they sound alike, so check the recording before you take it as yours." if figure.alike else
                        f"At {figure.at:.0f}s you said \"{figure.said}\" where your script says \"{figure.script}\".")
    shown = h.flags if len(h.flags) <= SHOWN + 1 else h.flags[:SHOWN]
    for flag in shown:
        instead = script_says.get(_digits(flag.text))
        lines += _prose(f"At {flag.at:.0f}s, {flag.reason}" + (f" (your script says \"{instead}\")." if instead else "."))
    if len(h.flags) > len(shown):
        lines += _prose(f"And {len(h.flags) - SHOWN} more said that your material does not back (see --json).")
    if h.flags:
        lines += _prose("If what you said is true, add it to the story's draft or answers; if not, leave it out.")
    if h.unsure:
        heard = ", ".join(f"\"{f.text}\"" + (f" ({f.probability:.0%} sure)" if f.probability is not None else "")
                          for f in h.unsure[:SHOWN])
        lines += _prose(f"Heard too unsurely to count against you: {heard}.")
    if h.made_up:
        lines += _prose(f"Not counted: \"{_clip(' '.join(h.made_up), 40)}\", which the transcriber likely made up "
                        "over silence.")
    return lines
