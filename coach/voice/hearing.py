"""What a spoken take says, measured against the candidate's own script and material (no I/O, no model call).

    hearing = hear(transcript, script)

The script's words are aligned with the words heard (`align`), so each sentence of the refined version is said
(SAID of its words heard or more), changed, or skipped (under SKIPPED). A stretch the transcriber lost (nothing
heard, or only its noise, where the script's words would fit in the time) is `unheard`: never held against the
candidate, and left out of the shares and the coverage. Fillers are a lower bound (`fillers`): transcribers drop
many. The fact guard (`facts`) flags a number or name the material does not back only on words heard at SURE
confidence or more, and the rest go to `unsure`; a transcriber that gives no confidence (an endpoint) has its
words flagged, the reason saying so. A take with no word heard clearly is `nothing_heard`: no sentences, nothing
judged.

Thresholds were read off 45 real takes (tests/fixtures/heard, tiny.en hearing espeak-ng): a sentence said in full
is heard at 0.71 of its words or more, one left out at 0.14 or less; SAID sits below the first with room for a
worse recording, SKIPPED well above the second.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from coach.method.grounding import Material
from coach.method.style import pronoun_counts
from coach.voice.align import HEARD, SAME, HeardWords, Pair, ScriptWords, align
from coach.voice.cleanup import joined_figures, made_up_ends
from coach.voice.facts import Place, teen_or_ty, unbacked
from coach.voice.fillers import fillers as filler_words
from coach.voice.listen import hook_heard, landed, lost_tokens
from coach.voice.transcript import Transcript, Word

PAUSE_SECONDS = 1.0  # a silence longer than this between two words is a pause worth showing
SURE = 0.5  # a word heard with less confidence than this is never flagged as the candidate's invention
SAID, SKIPPED = 0.6, 0.3  # a sentence with this share of its words heard is said; under the second, skipped
PAUSE_CONTEXT = 4  # words shown before a pause
STATUSES = ("said", "changed", "skipped", "unheard")  # unheard: the transcriber lost it; no verdict on the candidate


@dataclass(frozen=True)
class Script:
    """What the take is measured against: the refined version, its hooks and key words, the story's material."""

    refined: str
    hooks: tuple[str, ...] = ()
    key_words: tuple[str, ...] = ()
    material: Material | None = None  # None: no fact guard
    window: tuple[int, int] | None = None


@dataclass(frozen=True)
class Pause:
    """A silence between two words: where it fell (seconds into the take, after which words) and how long."""

    at: float
    seconds: float
    after: str  # the few words said before it
    sentence: int | None  # the script sentence (0-based) it fell in or after, None when not aligned


@dataclass(frozen=True)
class Filler:
    """A filler word or phrase said ("um", "uh", "you know", "like" as a filler), and when."""

    text: str
    at: float


@dataclass(frozen=True)
class SentenceHeard:
    """One sentence of the refined version: said, changed, skipped or unheard, and what was heard for it."""

    index: int
    text: str
    status: str  # said | changed | skipped | unheard (in a stretch the transcriber lost: not judged)
    share: float  # the share of its words heard, 0 to 1 (of the words that could be heard)
    heard: str  # the transcript's words aligned to it ("" when skipped)


@dataclass(frozen=True)
class Flag:
    """A number or name said that the material does not back, with the transcriber's confidence in it."""

    text: str
    at: float
    probability: float | None
    reason: str


@dataclass(frozen=True)
class Step:
    """One step of the word alignment, for a word diff: same, changed (script word heard as another), skipped,
    extra, or unheard (a script word in a stretch the transcriber lost)."""

    op: str  # same | changed | skipped | extra | unheard
    script: str  # the script's word ("" for extra)
    said: str  # the word heard ("" for skipped)
    at: float | None  # when the heard word started


@dataclass(frozen=True)
class FigureChanged:
    """A figure of the script said as another ("15%" for "50%"), when, and in which script sentence."""

    script: str
    said: str
    at: float
    sentence: int
    alike: bool = False  # they sound alike ("40" for "14"): as likely the transcriber's mishearing as a change


@dataclass
class Hearing:
    """Everything a take says, for the terminal, --json, the practice log and the page."""

    spoken_seconds: float  # first word to last (a lost start or end counted in)
    words: int  # words said
    wpm: int
    window: tuple[int, int] | None
    pauses: list[Pause] = field(default_factory=list)
    fillers: list[Filler] = field(default_factory=list)
    sentences: list[SentenceHeard] = field(default_factory=list)
    coverage: float = 0.0  # the share of the script's words heard, 0 to 1 (of those that could be heard)
    hook: str | None = None  # the hook that opened the take, None when none did (or there are no hooks)
    hooks: tuple[str, ...] = ()
    # each key word and whether it landed: None when the script has it only where the transcriber lost the take
    key_words: list[tuple[str, bool | None]] = field(default_factory=list)
    i_count: int = 0
    we_count: int = 0
    flags: list[Flag] = field(default_factory=list)  # numbers and names said that the material does not back
    unsure: list[Flag] = field(default_factory=list)  # the same, heard too unsurely to blame on the candidate
    steps: list[Step] = field(default_factory=list)
    step_sentences: list[int | None] = field(default_factory=list)  # per step, its script sentence (None: extra)
    lost: list[tuple[float, float]] = field(default_factory=list)  # stretches the transcriber heard nothing of
    opening_lost: bool = False  # the transcriber lost the take's opening: whether a hook opened it cannot be told
    figures: list[FigureChanged] = field(default_factory=list)  # the script's figures said as other figures
    made_up: list[str] = field(default_factory=list)  # words the transcriber made up at the ends, left out
    clear_words: int = 0  # words heard that are no transcriber's noise (align.noise: "I, I, I, I", 10% confidence)

    @property
    def nothing_heard(self) -> bool:
        """Return True when no word was heard clearly (no take to record: silence, or a transcriber's noise only)."""
        return self.clear_words == 0

    def as_dict(self) -> dict:
        """Return the hearing as plain data for JSON output."""
        return {
            "spoken_seconds": round(self.spoken_seconds, 1), "words": self.words, "wpm": self.wpm,
            "window": list(self.window) if self.window else None, "nothing_heard": self.nothing_heard,
            "clear_words": self.clear_words, "made_up": self.made_up,
            "pauses": [_rounded(asdict(pause)) for pause in self.pauses],
            "fillers": [_rounded(asdict(filler)) for filler in self.fillers],
            "sentences": [_rounded(asdict(sentence)) for sentence in self.sentences],
            "coverage": round(self.coverage, 2), "hook": self.hook, "hooks": list(self.hooks),
            "opening_lost": self.opening_lost,
            "key_words": [{"text": text, "landed": hit} for text, hit in self.key_words],
            "i_count": self.i_count, "we_count": self.we_count,
            "flags": [_rounded(asdict(flag)) for flag in self.flags],
            "unsure": [_rounded(asdict(flag)) for flag in self.unsure],
            "figures": [_rounded(asdict(figure)) for figure in self.figures],
            "steps": [_rounded(asdict(step)) for step in self.steps],
            "lost": [[round(start, 2), round(end, 2)] for start, end in self.lost],
        }


def _rounded(data: dict) -> dict:
    return {key: round(value, 2 if key != "probability" else 3) if isinstance(value, float) else value
            for key, value in data.items()}


def hear(transcript: Transcript, script: Script) -> Hearing:
    """Measure a take: time, pace, pauses, fillers, which sentences were said, the hook, key words, I/we, and the
    numbers and names said that the material does not back (only on words heard surely; sound-alikes pass)."""
    said, made_up = made_up_ends(joined_figures([word for word in transcript.words if word.text.strip()]),
                                 script.refined)
    if not said:
        return Hearing(0.0, 0, 0, script.window, hooks=script.hooks, key_words=[(k, False) for k in script.key_words],
                       made_up=[word.text.strip() for word in made_up])
    written, heard = ScriptWords.of(script.refined), HeardWords.of(said)
    pairs = align(written.tokens, heard.tokens)
    span = max(said[-1].end - said[0].start, 0.0)
    wpm = round(len(said) * 60 / span) if span > 0 else 0
    lost = lost_tokens(pairs, written, heard, transcript.duration, wpm)
    places, scripted, sentence_of = _places(pairs, written, heard)
    hearing = Hearing(span, len(said), wpm, script.window, hooks=script.hooks, clear_words=sum(heard.reliable),
                      made_up=[word.text.strip() for word in made_up])
    hearing.lost = [stretch for stretch, _ in lost]
    hearing.spoken_seconds = _spoken(said, hearing.lost)
    if transcript.timing != "audio":  # timings spread evenly over the audio show no silence
        hearing.pauses = _pauses(said, sentence_of, hearing.lost)
    hearing.fillers = [Filler(text, at) for text, at in filler_words(said, scripted)]
    gone = {token for _, tokens in lost for token in tokens}
    hearing.sentences, hearing.coverage = _sentences(pairs, written, heard, gone)
    hearing.steps, step_sentences = _steps(pairs, written, heard, gone)
    hearing.step_sentences = step_sentences
    hearing.figures = _figures_changed(hearing.steps, step_sentences)
    for figure in hearing.figures:  # a sentence whose figure changed was not said as written
        sentence = hearing.sentences[figure.sentence]
        if sentence.status == "said" and not figure.alike:
            hearing.sentences[figure.sentence] = replace(sentence, status="changed")
    lost_start = bool(lost) and lost[0][0][0] <= said[0].start  # the opening was lost: no hook can be told
    hearing.opening_lost = lost_start
    hearing.hook = None if lost_start else hook_heard(script.hooks, heard)
    hearing.key_words = [(key, landed(key, heard, pairs, written, gone)) for key in script.key_words]
    clear = " ".join(word.text.strip() for word, sure in zip(said, heard.reliable, strict=True) if sure)
    # as `coach check` counts them, after the opening sentence; a transcript with no full stop is counted whole
    hearing.i_count, hearing.we_count = pronoun_counts(clear, unpunctuated=True)
    if script.material is not None:
        unheard = frozenset(written.tokens[i].text for pair in pairs if not pair.heard  # heard as nothing at all
                            for i in pair.script if written.tokens[i].text[:1].isdigit())
        hearing.flags, hearing.unsure = _guard(said, places, script, unheard)
    return hearing


def _spoken(said: list[Word], lost: list[tuple[float, float]]) -> float:
    """Return the seconds spoken: first word to last, with a stretch lost at either end counted in."""
    start = min([said[0].start, *(begin for begin, _ in lost)])
    end = max([said[-1].end, *(finish for _, finish in lost)])
    return round(end - start, 2)


def _places(pairs: list[Pair], written: ScriptWords, heard: HeardWords) -> tuple[list[Place], list[bool], list[int | None]]:
    """Return, for each heard word, what the script has there, whether it is the script's own word, and the
    script sentence it fell in or after."""
    count = len(heard.words)
    places = [Place("", 0.0, False)] * count
    scripted = [False] * count
    sentence_of: list[int | None] = [None] * count
    seen = [False] * count
    current: int | None = None
    for pair in pairs:
        if pair.script:
            current = written.tokens[pair.script[-1]].sentence
        text = "".join(written.tokens[i].text for i in pair.script)
        blank = any(written.tokens[i].blank for i in pair.script)
        for token in pair.heard:
            word = heard.word_of[token]
            sentence_of[word] = current
            if pair.script:  # a word of several tokens ("45%") is as alike as its least alike token
                was = places[word] if seen[word] else Place("", 1.0, False)
                places[word] = Place(was.script + text, min(was.similarity, pair.similarity), was.blank or blank)
                scripted[word] = places[word].similarity >= SAME and not places[word].blank  # a blank's "um" is one
            seen[word] = True
    return places, scripted, sentence_of


def _pauses(said: list[Word], sentence_of: list[int | None], lost: list[tuple[float, float]]) -> list[Pause]:
    """Return the silences over PAUSE_SECONDS between words (a stretch the transcriber lost is no silence)."""
    found = []
    for index in range(1, len(said)):
        before, after = said[index - 1], said[index]
        gap = after.start - before.end
        if gap > PAUSE_SECONDS and not any(start <= before.end + 0.01 and end >= after.start - 0.01 for start, end in lost):
            words = " ".join(word.text.strip() for word in said[max(0, index - PAUSE_CONTEXT) : index])
            found.append(Pause(round(before.end, 2), round(gap, 2), words, sentence_of[index - 1]))
    return found


def _sentences(pairs: list[Pair], written: ScriptWords, heard: HeardWords, gone: set[int]) -> tuple[list[SentenceHeard], float]:
    """Return each script sentence's verdict and the share of the script's words heard."""
    size = [0] * len(written.sentences)
    got = [0] * len(written.sentences)
    lost = [0] * len(written.sentences)
    words: list[list[int]] = [[] for _ in written.sentences]
    for pair in pairs:
        for index in pair.script:
            token = written.tokens[index]
            if index in gone:
                lost[token.sentence] += 1
                continue
            if token.blank:
                continue
            size[token.sentence] += 1
            got[token.sentence] += pair.similarity >= HEARD and bool(pair.heard)
        if pair.script and pair.heard:
            words[written.tokens[pair.script[0]].sentence] += [heard.word_of[t] for t in pair.heard]
    found = []
    for number, text in enumerate(written.sentences):
        share = got[number] / size[number] if size[number] else (0.0 if lost[number] else 1.0)
        status = ("unheard" if not size[number] and lost[number] else
                  "said" if share >= SAID else "skipped" if share < SKIPPED else "changed")
        spoken = " ".join(heard.words[w].text.strip() for w in sorted(set(words[number])))
        spoken = spoken if status in ("said", "changed") else ""
        found.append(SentenceHeard(number, text, status, round(share, 2), spoken))
    total = sum(size)
    return found, (sum(got) / total if total else 0.0)


def _steps(pairs: list[Pair], written: ScriptWords, heard: HeardWords, gone: set[int]) -> tuple[list[Step], list[int | None]]:
    """Return the word diff: pairs that share a script word or a heard word are one step."""
    groups: list[tuple[list[Pair], set[int], set[int]]] = []
    for pair in pairs:
        script_words = {written.tokens[i].word for i in pair.script}
        heard_words = {heard.word_of[t] for t in pair.heard}
        if groups and (script_words & groups[-1][1] or heard_words & groups[-1][2]):
            groups[-1][0].append(pair)
            groups[-1][1].update(script_words)
            groups[-1][2].update(heard_words)
        else:
            groups.append(([pair], script_words, heard_words))
    steps, sentences = [], []
    for group, script_words, heard_words in groups:
        tokens = [i for pair in group for i in pair.script]
        op = ("extra" if not tokens else "unheard" if all(i in gone for i in tokens) else
              "skipped" if not heard_words else
              "same" if all(p.similarity >= SAME and p.script and p.heard for p in group) else "changed")
        text = " ".join(written.words[w] for w in sorted(script_words))
        spoken = " ".join(heard.words[w].text.strip() for w in sorted(heard_words))
        steps.append(Step(op, text, spoken, heard.words[min(heard_words)].start if heard_words else None))
        sentences.append(written.tokens[tokens[0]].sentence if tokens else None)
    return steps, sentences


def _figures_changed(steps: list[Step], sentence_of: list[int | None]) -> list[FigureChanged]:
    """Return the figures of the script said as other figures ("15%" for "50%"): sound-alike or not, a changed
    result is worth knowing, even where it is not called an invention."""
    changed = []
    for step, sentence in zip(steps, sentence_of, strict=True):
        script, said = digits(step.script), digits(step.said)
        if step.op == "changed" and script and said and script != said and sentence is not None:
            changed.append(FigureChanged(step.script, "".join(step.said.split()), step.at or 0.0, sentence,
                                         teen_or_ty(script, said)))
    return changed


def digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _guard(said: list[Word], places: list[Place], script: Script,
           unheard: frozenset[str] = frozenset()) -> tuple[list[Flag], list[Flag]]:
    """Return the numbers and names said that nothing backs: flags on sure words, the rest unsure."""
    flags, unsure = [], []
    for item in unbacked(said, places, script.material, script.refined, unheard):
        what = "number" if item.kind == "number" else "name"
        shown = " ".join(item.text.split()).replace(" %", "%")
        reason = f'the {what} "{shown}" is not in your material'
        if item.probability is None:
            flags.append(Flag(item.text, item.at, None, reason + " (the transcriber gave no confidence)"))
        elif item.probability >= SURE:
            flags.append(Flag(item.text, item.at, item.probability, reason))
        else:
            reason += f", but it was heard at {round(item.probability * 100)}% confidence: perhaps a mishearing"
            unsure.append(Flag(item.text, item.at, item.probability, reason))
    return flags, unsure
