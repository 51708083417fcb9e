"""`coach refine`, the use case: refine one story or many (several requests in flight), each a `RefineTask` run by
the job runner, and say what happened to each as data: what was merged, or the error that stopped it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from coach.bank.catalog import unknown_type
from coach.bank.folder import Bank, read_text
from coach.bank.storyfile import parse_story
from coach.errors import CatalogError, CoachError, Interrupted
from coach.jobs import runner
from coach.jobs.refine import Merge, RefineTask, Target
from coach.llm.jobs import JobsInterrupted, run_jobs
from coach.method.check import Finding, check_refined
from coach.method.text import Timing, fit, timing
from coach.method.verdict import Verdict, judge_all


@dataclass
class Explanation:
    """The last refine of a story, sentence by sentence: read back from the call log (`log`, with the call's id) or,
    when no logged answer wrote the refined text the file holds, from the file (`file`, sources unknown); `none`
    when the story has no refined version."""

    slug: str
    path: Path
    source: str
    sentences: list[Verdict] = field(default_factory=list)
    call: int | None = None

    def as_dict(self) -> dict:
        """Return the explanation as plain data for JSON output."""
        return {"story": self.slug, "file": str(self.path), "from": self.source, "call": self.call,
                "sentences": [s.as_dict() for s in self.sentences]}


@dataclass
class RefineOutcome:
    """What refining one story did: the merged story and the answer, or the error that stopped it."""

    slug: str
    path: Path
    target: Target | None
    merge: Merge | None = None
    answer: object | None = None  # the engine's Answer
    error: CoachError | None = None
    findings: list[Finding] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    sentences: list[Verdict] = field(default_factory=list)  # the guard's verdict on each sentence of the refined version
    skipped: bool = False  # not started: the endpoint had already failed for another story

    @property
    def timing(self) -> Timing:
        """Return the refined version's words and how long it takes to say at the target's rate."""
        return timing(self.merge.story.refined if self.merge else "", self.target.wpm)

    @property
    def words(self) -> int:
        """Return the refined version's length in words."""
        return self.timing.words

    @property
    def seconds(self) -> float:
        """Return how long the refined version takes to say at the target's rate."""
        return self.timing.seconds

    @property
    def within_window(self) -> bool:
        """Return True when the refined version fits the target window."""
        return fit(self.seconds, self.target.window) == "within"

    def as_dict(self) -> dict:
        """Return what refining the story did as plain data for JSON output (`refined` false with the error on failure)."""
        data = {"story": self.slug, "file": str(self.path), "refined": self.merge is not None, "skipped": self.skipped,
                "error": None if self.error is None else str(self.error),
                "window": list(self.target.window) if self.target else None, "words_per_minute": self.target.wpm if self.target else None,
                "words": None, "seconds": None, "within_window": None, "changes": [], "added": {}, "replaced": {}, "kept_previous": False,
                "unsupported": self.unsupported, "sentences": [], "findings": [asdict(f) for f in self.findings], "call": None}
        if self.merge is not None:
            data |= {"words": self.words, "seconds": self.seconds, "within_window": self.within_window,
                     "changes": self.answer.value.changes, "kept_previous": self.merge.kept_previous,
                     "added": {name.replace(" ", "_").replace("-", "_"): n for name, n in self.merge.added.items()},
                     "replaced": {name.replace(" ", "_").replace("-", "_"): n for name, n in self.merge.replaced.items()},
                     "sentences": [s.as_dict() for s in self.sentences]}
        if self.answer is not None:
            data["call"] = {"attempts": self.answer.attempts, "tokens_in": self.answer.tokens_in,
                            "tokens_out": self.answer.tokens_out, "cached": self.answer.cached,
                            "doubts": list(self.answer.doubts)}
        return data


@dataclass
class RefineRun:
    """What a refine command did to every story it named, and how the command ends."""

    outcomes: list[RefineOutcome]

    @property
    def done(self) -> list[RefineOutcome]:
        """Return the outcomes of the stories refined and saved."""
        return [o for o in self.outcomes if o.merge is not None]

    @property
    def failures(self) -> list[str]:
        """Return one line per story that failed for a reason of its own (an endpoint that failed is said once)."""
        from coach.llm.engine import EndpointDown

        return [f"{o.slug}: not refined: {o.error}" for o in self.outcomes
                if o.error is not None and not isinstance(o.error, EndpointDown)]

    def stop(self) -> CoachError | None:
        """Return the error the command ends with: the endpoint's (said once, with how many stories were left
        alone), or the one story's own; None when every story was refined."""
        from coach.llm.engine import EndpointDown

        failed = [o for o in self.outcomes if o.error is not None]
        if len(self.outcomes) == 1 and failed:
            return failed[0].error
        down = next((o.error for o in failed if isinstance(o.error, EndpointDown)), None)
        if down is not None:
            left = len(self.outcomes) - len(self.done)
            were = "story was left as it was" if left == 1 else "stories were left as they were"
            return type(down)(f"{down}; {left} of {len(self.outcomes)} {were}")
        return None

    def as_dict(self) -> list[dict]:
        """Return every story's outcome as plain data for JSON output."""
        return [o.as_dict() for o in self.outcomes]


def task_for(bank: Bank, path: Path, window=None, wpm=None) -> RefineTask:
    """Return the refine task of a story file as it is now."""
    settings = bank.settings()
    story = parse_story(read_text(path), path)
    return RefineTask(path, story, settings, Target.of(story, settings, window, wpm))


def refine_story(bank: Bank, path: Path, engine, *, window=None, wpm=None, fresh=False,
                 now: Callable[[], datetime] = datetime.now) -> RefineOutcome:
    """Refine one story file; on any failure the file is left byte-for-byte unchanged."""
    task = task_for(bank, path, window, wpm)
    outcome = RefineOutcome(task.slug, path, task.target)
    try:
        if problem := unknown_type(task.story, path, bank.root):  # the type names the story to the model
            raise CatalogError(problem)
        runner.require_material(task, "refine")
        saved = runner.run(bank, engine, task, fresh=fresh, now=now)
    except Interrupted:
        raise
    except CoachError as error:
        outcome.error = error
        return outcome
    outcome.answer, outcome.merge = saved.answer, saved.changed
    outcome.sentences = task.verdicts(saved.answer.value)
    outcome.unsupported = [v.text for v in outcome.sentences if not v.supported]
    outcome.findings = check_refined(outcome.merge.story.refined, outcome.merge.story, task.settings, task.target.window,
                                     task.target.wpm)
    return outcome


def explain(bank: Bank, refs: list[str], every: bool, log) -> list[Explanation]:
    """Return the last refine of each story named, read from the call log or the file: no model call, no write."""
    return [explain_story(bank, path, log) for path in chosen_stories(bank, refs, every)]


def explain_story(bank: Bank, path: Path, log) -> Explanation:
    """Return the last refine of one story: the logged answer that wrote its refined text, else the text itself."""
    from coach.method.text import sentences

    task = task_for(bank, path)
    refined = task.story.refined
    if not refined.strip():
        return Explanation(task.slug, path, "none")
    found = last_refine(log, refined) if log is not None else None
    if found is None:
        # sources unknown: each sentence is judged on the material alone
        return Explanation(task.slug, path, "file", judge_all(task.material, sentences(refined)))
    call, value = found
    return Explanation(task.slug, path, "log", task.verdicts(value), call)


def last_refine(log, refined: str):
    """Return the id and answer of the latest logged refine that wrote this refined text (as saved: after the gate),
    or None."""
    from coach.jobs.refine import Refinement
    from coach.llm.answers import InvalidOutput, parse_content
    from coach.llm.gate import clean_answer

    wanted = " ".join(refined.split())
    for call, content in log.answers(RefineTask.command):
        try:
            value = parse_content(content, Refinement)
        except InvalidOutput:
            continue
        clean_answer(value, RefineTask.limits)
        if " ".join(value.refined.split()) == wanted:
            return call, value
    return None


def chosen_stories(bank: Bank, refs: list[str], every: bool) -> list[Path]:
    """Return the story files a refine command names, refusing to guess when it names none."""
    if not refs and not every:
        raise CoachError("name a story to refine (e.g. `coach refine risk`) or pass --all")
    return [path for path, _ in bank.select([] if every else refs)]


def refine_tasks(bank: Bank, refs: list[str], every: bool, window=None, wpm=None) -> list[RefineTask]:
    """Return the refine task of each story a command names, asking nothing (for --show-prompt)."""
    return [task_for(bank, path, window, wpm) for path in chosen_stories(bank, refs, every)]


def refine_bank(bank: Bank, refs: list[str], engine, *, every: bool = False, progress=None, **options) -> RefineRun:
    """Refine the named stories (or every story) with a bounded number of requests in flight.

    A failure of the endpoint itself (unreachable, key, model) leaves the stories not yet started alone; Ctrl-C
    keeps the stories already saved and leaves the rest untouched. `progress`, if given, is told which stories are
    planned, started and finished (its `planned`, `started` and `finished` methods).
    """
    from coach.llm.engine import EndpointDown

    paths = chosen_stories(bank, refs, every)
    workers = max(1, min(engine.settings.workers, len(paths)))
    _ = engine.client  # build the one client before the workers share it
    if progress is not None:
        progress.planned([path.stem for path in paths])

    def run(path: Path) -> RefineOutcome:
        if progress is not None:
            progress.started(path.stem)
        try:
            return refine_story(bank, path, engine.labelled(path.stem) if len(paths) > 1 else engine.about(path.stem),
                                **options)
        finally:
            if progress is not None:
                progress.finished(path.stem)

    def down(outcome: RefineOutcome) -> bool:
        return isinstance(outcome.error, EndpointDown)

    # an endpoint whose request shape is not known yet is probed by one story, so the others send what it learned
    probe = 0 if engine.shapes.known else 1
    try:
        engine.in_flight = 1
        results = run_jobs(paths[:probe], run, 1, engine.stop, down)
        if not any(result is not None and down(result) for result in results):
            engine.in_flight = workers
            results += run_jobs(paths[probe:], run, workers, engine.stop, down)
    except JobsInterrupted:
        raise Interrupted(_kept_after_interrupt(engine.stop.saved, len(paths))) from None
    results += [None] * (len(paths) - len(results))
    return RefineRun([result or RefineOutcome(path.stem, path, None, skipped=True)
                      for result, path in zip(results, paths, strict=True)])


def _kept_after_interrupt(saved: list[str], total: int) -> str:
    if not saved:
        return "interrupted; no story file was changed"
    others = total - len(saved)
    return f"interrupted; {', '.join(saved)} {'was' if len(saved) == 1 else 'were'} saved, the other {others} left as they were"
