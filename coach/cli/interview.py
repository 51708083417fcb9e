"""`coach interview` and `coach sessions`: three drivers of the interview machine (the terminal, an answers file, the
microphone), and the list of past sessions."""

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from coach.cli.io import Output, Terminal, echo
from coach.cli.options import DEFAULT_BANK, AsJson, Model, ShowPrompt, StoriesDir, complete_story
from coach.errors import CoachError, Interrupted, LLMError

# the candidate's next answer, whether a probe could be put to them, and the seconds it took to say (None: estimate)
Reply = Callable[[], tuple[str, bool, float | None]]


def add_commands(app: typer.Typer, out: Output, terminal: Terminal) -> None:
    """Declare `coach interview` and `coach sessions` on app."""

    @app.command("interview")
    def interview_command(
        questions: Annotated[int, typer.Option("--questions", "-n", metavar="N", help="How many main questions.")] = 3,
        values: Annotated[str | None, typer.Option("--values", metavar="LIST", help='Values to practise, e.g. "Candor,Courage" (default: those your stories cover least).')] = None,
        story: Annotated[str | None, typer.Option("--story", metavar="STORY", autocompletion=complete_story, help="Rehearse the questions one story should answer, its follow-ups included.")] = None,
        persona: Annotated[str, typer.Option("--persona", metavar="NAME", help="friendly, neutral or tough.")] = "neutral",
        round: Annotated[str | None, typer.Option("--round", metavar="ROUND", help="The round to practise: recruiter, manager, peer or bar-raiser (its questions, and an interviewer told which round it is).")] = None,
        level: Annotated[str | None, typer.Option("--level", metavar="LEVEL", help="Your level: junior, mid, senior or staff (questions that suit it).")] = None,
        answers: Annotated[Path | None, typer.Option("--answers", metavar="FILE", help="Take the answers from FILE, separated by lines of ---, instead of the terminal.")] = None,
        voice: Annotated[bool, typer.Option("--voice", help="Answer out loud: each answer is recorded and transcribed.")] = False,
        seed: Annotated[int | None, typer.Option("--seed", hidden=True, help="Seed the choice of questions.")] = None,
        model: Model = None,
        show_prompt: ShowPrompt = False,
        as_json: AsJson = False,
        stories: StoriesDir = DEFAULT_BANK,
    ) -> None:
        """Practise with a mock interviewer: questions, probes, scored feedback, and a saved transcript."""
        import random

        from coach import interview

        bank = out.bank(stories)
        if not 1 <= questions <= 10:
            raise CoachError(f"--questions takes 1 to 10, not {questions}")
        interview.check_persona(persona)
        from coach.questions import check_level, check_round

        round, level = check_round(round), check_level(level)
        if show_prompt and as_json:
            raise CoachError("--show-prompt prints the prompt as text; leave out --json")
        if voice and (answers is not None or as_json):
            raise CoachError(f"--voice records your answers in the terminal; leave out {'--answers' if answers else '--json'}")
        if as_json and answers is None:
            raise CoachError("--json needs --answers FILE: an interview without one talks to you in the terminal")
        if story and values:
            raise CoachError("--story rehearses that story's own questions and values; leave out --values")
        scripted = interview.read_answers(answers) if answers is not None else None
        planned = interview.plan(bank, questions, values.split(",") if values else None, story, random.Random(seed),
                                 round=round, level=level)
        if show_prompt:
            from coach.cli.model import prompts

            prompts(as_json, bank, lambda own: [first_prompt(bank, planned, persona, model, terminal, own)])
            return
        from coach.display.interview import interview_heading

        listener = _Voice(terminal) if voice else None  # the microphone and transcriber, found before any question
        engine, progress = terminal.engine(bank, model)
        screen = _Screen(out, quiet=as_json)
        if not as_json:
            out.say(interview_heading(bank.settings(), planned, persona, live=scripted is None and not voice))
        else:
            for note in interview.stand_ins(planned):
                out.say(f"Note: {note}.", err=True)
        machine = interview.Interview(bank, engine, planned, persona=persona, now=terminal.now, on_words=screen.words,
                                      on_speaking=screen.speaking, busy=progress.spinning)
        if listener is not None:
            from coach.display.recording import voice_how

            out.say(voice_how())
            with tempfile.TemporaryDirectory(prefix="coach-voice-") as folder:
                session = _converse(machine, screen, _spoken(terminal, screen, machine, listener, Path(folder)))
        elif scripted is not None:
            session = _converse(machine, screen, _written(interview.Replies(scripted), screen))
        elif terminal.interactive():
            session = _converse(machine, screen, _typed(terminal.input))
        else:  # answers piped in: the terminal echoes nothing, so each is shown as read
            session = _converse(machine, screen, _piped(terminal.input, screen))
        if as_json:
            out.json(session.as_dict())
        else:
            from coach.display.interview import interview_report

            out.say("\n" + interview_report(session))

    @app.command("sessions")
    def sessions_command(as_json: AsJson = False, stories: StoriesDir = DEFAULT_BANK) -> None:
        """List past mock interviews with their average scores, to see progress over time."""
        from coach.display.interview import sessions_table
        from coach.interview import past_sessions

        rows, warnings = past_sessions(out.bank(stories))
        for warning in warnings:
            out.say(f"Warning: {warning}", err=True, wrap=True)
        out.show(rows, as_json, sessions_table)


def first_prompt(bank, planned, persona: str, model: str | None, terminal: Terminal, own) -> list[dict[str, str]]:
    """Return the messages the interviewer's first question would be asked with the bank's prompts `own`; no call,
    no endpoint needed."""
    from coach.interview import Interview
    from coach.llm.engine import Engine
    from coach.llm.settings import settings_from_env

    engine = Engine(settings_from_env(model=model), prompts=own)
    machine = Interview(bank, engine, planned, persona=persona, now=terminal.now)
    return machine.next_prompt()


def _converse(machine, screen: "_Screen", reply: Reply):
    """Drive the interview: show what the machine returns, and give it the next answer when it waits for one."""
    from coach.interview import Done, RoundFeedback, Skipped

    try:
        event = machine.start()
        while not isinstance(event, Done):
            screen.show(event)
            if isinstance(event, RoundFeedback | Skipped):
                event = machine.next()
                continue
            try:
                text, can_probe, seconds = reply()
            except EOFError:  # the answers ran out, or Ctrl-D
                text, can_probe, seconds = "/quit", False, None
            event = machine.answer(text, can_probe=can_probe, seconds=seconds)
        return event.session
    except KeyboardInterrupt:  # while waiting for an answer: the machine ends the session
        screen.line("")
        raise machine.interrupted() from None
    except Interrupted:
        screen.line("")
        raise
    except LLMError:
        if screen.mid_sentence:  # the interviewer's words stopped short: end their line
            screen.line("")
        screen.line("")
        raise
    except (CoachError, OSError) as error:  # the recorder or the transcriber failed: the session so far is kept
        from coach.errors import file_system_message
        from coach.interview import transcripts

        screen.line("")
        machine.session.status = "stopped: the answer could not be recorded or transcribed"
        said = file_system_message(error) if isinstance(error, OSError) else str(error)
        raise CoachError(f"{said}; {transcripts.keep(machine.session)}") from None


def _typed(ask: Callable[[str], str]) -> Reply:
    """Return a reader of answers typed over several lines, an empty line sending one; a command sends at once."""

    def reply() -> tuple[str, bool, None]:
        return _typed_answer(ask, ask("You: ")), True, None

    return reply


def _typed_answer(ask: Callable[[str], str], first: str) -> str:
    """Return an answer typed over several lines from its first line on, an empty line ending it; a command at once."""
    lines: list[str] = []
    text = first
    while True:
        if not text.strip():
            if lines:
                return "\n".join(lines)
        elif text.strip().startswith("/") and not lines:
            return text.strip()
        else:
            lines.append(text)
        text = ask("You: " if not lines else "     ")


def _piped(read: Callable[[str], str], screen: "_Screen") -> Reply:
    """Return a reader of answers piped in (stdin not a terminal), each shown after `You:` as it was read, wrapped as
    an answers file's are: nothing echoes piped input, so the screen would otherwise run the interviewer's words on
    from the prompt. Lines up to an empty one make an answer (input that ends sends the lines read so far); a command
    is sent at once."""
    from coach.display.layout import wrapped

    def reply() -> tuple[str, bool, None]:
        lines: list[str] = []
        while True:
            try:
                text = read("")
            except EOFError:
                if not lines:
                    raise
                break
            if not text.strip():
                if lines:
                    break
            elif text.strip().startswith("/") and not lines:
                lines.append(text.strip())
                break
            else:
                lines.append(text)
        answer = "\n".join(lines)
        screen.line("\n".join(wrapped(answer, 5, "You:")))
        return answer, True, None

    return reply


class _Voice:
    """What `--voice` hears answers with: the microphone (checked at once) and the transcriber."""

    def __init__(self, terminal: Terminal):
        from coach.cli.voice import INTERVIEW_INSTEAD, Spinning, microphone, transcriber

        self.microphone = microphone(terminal, INTERVIEW_INSTEAD)
        self.transcriber = Spinning(transcriber(terminal))
        self.transcriber.prepare()  # its library and model, loaded before the first question


def _spoken(terminal: Terminal, screen: "_Screen", machine, voice: _Voice, folder: Path) -> Reply:
    """Return a reader of answers said out loud: Enter records one, shown as heard once transcribed (its audio then
    deleted); a command, or an answer, typed instead of Enter is taken as typed."""
    from coach.cli.voice import INTERVIEW_INSTEAD, record_answer
    from coach.display.recording import TRY_AGAIN, nothing_heard, spoken_line
    from coach.interview.machine import Stage
    from coach.voice.cleanup import seconds_spoken, spoken_part
    from coach.voice.record import EmptyTake, NotFinished

    def reply() -> tuple[str, bool, float | None]:
        while True:
            first = terminal.input("You (Enter to speak): ")
            if first.strip():
                return _typed_answer(terminal.input, first), True, None
            audio = folder / "answer.wav"
            window = None if machine.stage is Stage.PROBED else machine.session.window  # a probe's reply is short
            try:
                recorded = record_answer(terminal, audio, window, voice.microphone, INTERVIEW_INSTEAD)
                transcript = voice.transcriber.transcribe(audio)
            except EmptyTake as error:
                screen.line(f"{str(error)[:1].upper()}{str(error)[1:]}. {TRY_AGAIN}")
                continue
            except Interrupted:  # Ctrl-C mid-take: the machine ends the session and says what was kept
                raise KeyboardInterrupt from None
            except NotFinished:  # input ended mid-take: as at the prompt, the session ends
                raise EOFError from None
            finally:
                audio.unlink(missing_ok=True)
            transcript = spoken_part(transcript)  # not what the transcriber made up over the silence at the end
            if not transcript.text.strip():
                screen.line(nothing_heard())
                continue
            seconds = seconds_spoken(transcript, recorded)
            screen.line(spoken_line(transcript.text, seconds))
            return transcript.text, True, seconds

    return reply


def _written(replies, screen: "_Screen") -> Reply:
    """Return a reader of the answers file's answers, each shown as if typed."""
    from coach.display.layout import wrapped

    def reply() -> tuple[str, bool, None]:
        answer = replies.next()
        screen.line("\n".join(wrapped(answer.text, 5, "You:")))
        return answer.text, replies.probe_next, None

    return reply


class _Screen:
    """The interview in the terminal: the interviewer's words wrapped as they stream, the lines between them and the
    feedback; nothing at all with --json. Until the interviewer's first words arrive, their line waits unwritten
    (on a terminal a spinner with the seconds stands in it), so a failure leaves no empty "Interviewer:" behind."""

    def __init__(self, out: Output, quiet: bool, tty: bool | None = None):
        import threading

        from coach.display.layout import StreamWrap

        self.out, self.quiet = out, quiet
        self.stream = StreamWrap(_write)
        self.mid_sentence = False  # the interviewer is speaking: their line is not ended yet
        self.tty = sys.stdout.isatty() if tty is None else tty
        self.waiting = ""  # the start of the interviewer's line, held until their first words
        self._lock = threading.Lock()
        self._stop: threading.Event | None = None

    def line(self, text: str) -> None:
        """Print a whole line; after streamed words, end their line first (a line still waiting is dropped)."""
        if not self.quiet:
            waited = self._unwait()
            self.stream.flush()
            self.stream.column = 0
            if not (waited and text == ""):  # no words came: there is no line to end
                echo(text)

    def words(self, text: str) -> None:
        """Stream the interviewer's words onto the current line, opening it with the first of them."""
        if not self.quiet and text:
            start = self._unwait()
            self.stream.feed(start + text)

    def speaking(self, speaking) -> None:
        """Open the interviewer's line: a question's heading first, then a waiting sign until the first words."""
        from coach.display.interview import interview_speaking

        self.mid_sentence = True
        line, start = interview_speaking(speaking)
        if line is not None:
            self.line(line)
        if self.quiet:
            return
        self.waiting = start
        if self.tty:
            self._spin(start)

    def _spin(self, start: str) -> None:
        """Show the line's start with a spinner and the seconds waited, from a thread, until the words arrive."""
        import threading
        import time

        from coach.display.terminal import SPINNER

        stop, began = threading.Event(), time.monotonic()
        self._stop = stop

        def turn() -> None:
            frame = 0
            while not stop.wait(0.1):
                with self._lock:
                    if not stop.is_set():
                        _write(f"\r{start}{SPINNER[frame % len(SPINNER)]} {time.monotonic() - began:.0f}s\x1b[K")
                frame += 1

        threading.Thread(target=turn, daemon=True).start()

    def _unwait(self) -> str:
        """Stop waiting: take the spinner off the line and return the line's start still to write ("" if none)."""
        with self._lock:
            if self._stop is not None:
                self._stop.set()
                self._stop = None
                _write("\r\x1b[K")
            start, self.waiting = self.waiting, ""
        return start

    def show(self, event) -> None:
        """Show what the machine returned."""
        from coach.display.interview import interview_feedback, interview_said
        from coach.interview import Probe, Question, RoundFeedback

        if isinstance(event, Question | Probe):
            self.mid_sentence = False
            self.line("")
        elif isinstance(event, RoundFeedback):
            if not self.quiet:
                self.out.say(interview_feedback(event.round, event.session))
        elif (said := interview_said(event)) is not None:
            self.line(said)


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
