"""The honesty corpus: answers a capable model wrote to coach's real prompts (an agent playing the model over a
loopback server, `../shared/tools/STANDIN.md`), faithful ones and ones with one planted invention each, replayed
through the one guard each job uses. Shared by `test_honesty_corpus.py` and `measure_honesty.py`.

Each `tests/corpus/honesty/*.json` holds the job, the bank and story as they were before the job, the answer as sent,
its direction and, for an invention, the exact invented words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from coach.bank.folder import Bank
from coach.errors import CoachError
from coach.method.verdict import Verdict

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "honesty"


def entries() -> list[dict]:
    """Return every entry of the corpus, in file order."""
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(CORPUS.glob("*.json"))]


@dataclass
class Judged:
    """What the guard said of one corpus answer: every place it flagged, and what it passed."""

    entry: dict
    flags: list[tuple[str, str, str]] = field(default_factory=list)  # where, the sentence, why
    passed: int = 0

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    def caught(self, planted: str) -> bool:
        """Return True when a flag concerns the planted words: its sentence or its reason holds them."""
        words = " ".join(planted.lower().split())
        return any(words in " ".join(f"{sentence} {why}".lower().split()) for _, sentence, why in self.flags)


def _bank(entry: dict) -> Bank:
    return Bank(ROOT / entry["bank"])


def _add(judged: Judged, pairs: list[tuple[str, Verdict]]) -> None:
    for where, verdict in pairs:
        if verdict.supported:
            judged.passed += 1
        else:
            judged.flags.append((where, verdict.text, verdict.why))


def judge_entry(entry: dict) -> Judged:
    """Run one corpus answer through the guard of its job."""
    judged = Judged(entry)
    job = entry["job"]
    bank = _bank(entry)
    if job == "refine":
        from coach.jobs.refine import Refinement
        from coach.refine import task_for

        [(path, _)] = bank.select([entry["story"]])
        task = task_for(bank, path)
        _add(judged, task.judged(Refinement.model_validate(entry["answer"])))
    elif job in ("followups", "followup-answers"):
        from coach import followups
        from coach.jobs.followups import NewFollowUps, RewrittenAnswers

        args = entry.get("args") or {}
        if job == "followups":
            asked = followups.Request("generate", [], count=int(args.get("count", 3)))
            task, _ = followups.task(bank, entry["story"], asked)
            _add(judged, task.judged(NewFollowUps.model_validate(entry["answer"])))
        else:
            value = RewrittenAnswers.model_validate(entry["answer"])
            try:
                task, _ = followups.task(bank, entry["story"], followups.Request("regenerate", list(args.get("ids", []))))
            except CoachError:  # the ids were made by a generate that ran first: judge over the story's material
                from coach.jobs import grounded
                from coach.method.grounding import Material, own_answers
                from coach.method.verdict import judge_all

                [(_, story)] = bank.select([entry["story"]])
                material = Material.of(story, bank.settings(), own_answers(story))
                _add(judged, [pair for a in value.answers for pair in grounded.at(f"id {a.id}", judge_all(material, a.answer))])
            else:
                _add(judged, task.judged(value))
    elif job == "analyze":
        from coach.jobs.analyze import Analysis, _unsupported, analysis_material

        [(_, story)] = bank.select([entry["story"]])
        material = analysis_material(story, bank.settings())
        for proposal in Analysis.model_validate(entry["answer"]).questions:
            if not proposal.answerable:
                continue
            why = _unsupported(proposal, material)
            if why:
                judged.flags.append((f"question {proposal.number}", proposal.answer, "; ".join(why)))
            else:
                judged.passed += 1
    elif job == "feedback":
        from coach.interview.feedback import Feedback, feedback_problems, figures_of
        from coach.interview.feedback import judged as feedback_judged

        args = entry["args"]
        stories = {path.stem: story for path, story in bank.select([])}
        settings = bank.settings()
        value = Feedback.model_validate(entry["answer"])
        given = figures_of(float(args["seconds"]), tuple(args["window"]), int(args["wpm"]), args["answer"])
        _add(judged, list(feedback_judged(value, args["answer"], stories, settings, given).items()))
        evidence = [p for p in feedback_problems(value, args["answer"], stories, settings, given) if ".evidence" in p]
        judged.flags += [("evidence", "", problem) for problem in evidence]
    else:
        raise ValueError(f"unknown job {job!r} in {entry['id']}")
    return judged
