"""`coach interview`: a mock behavioral interview, and `coach sessions`, the progress across them.

An interviewer for the bank's company and role asks questions chosen to cover the values the bank covers least,
seeded from a built-in bank of common questions so that sessions vary and still work with a weak model; the model
phrases them, streamed as it writes. After each answer the method's checks decide whether a real interviewer would
probe, and the model phrases up to two probes. Then structured feedback: four scores from the model, each with
evidence that must be quoted from the answer, and concision measured, not judged. Every turn is saved at once to a
Markdown transcript under the bank's `sessions/`.

session.py      the data: Planned, Turn, Round, Session          planning.py     which questions, and /hint
interviewer.py  the interviewer's prompt, persona and words      probing.py      what a probe digs into
feedback.py     the feedback model, its checks, FeedbackTask     events.py       what the machine returns
machine.py      Interview, the state machine drivers feed        answers.py      an answers file, read
report.py       the one rendering: feedback, report, transcript  transcripts.py  the files under sessions/
"""

from coach.interview.answers import Replies, Scripted, parse_answers, read_answers
from coach.interview.events import (
    COMMANDS,
    Done,
    Event,
    Help,
    Hint,
    Probe,
    Question,
    Repeat,
    RoundFeedback,
    Skipped,
    Speaking,
    Waiting,
)
from coach.interview.feedback import (
    Feedback,
    FeedbackTask,
    Scored,
    apply_feedback,
    concision,
    feedback_problems,
    quoted_in,
)
from coach.interview.interviewer import PERSONAS, check_persona
from coach.interview.machine import Interview, OutOfTurn, Stage
from coach.interview.planning import hint, plan, stand_ins, values_by_need
from coach.interview.probing import MAX_PROBES, PROBES, open_gaps
from coach.interview.report import Line, feedback_lines, proof, report_lines, transcript
from coach.interview.session import DIMENSIONS, JUDGED, Planned, Round, Session, Turn
from coach.interview.transcripts import SESSIONS, past_sessions

__all__ = [
    "COMMANDS", "DIMENSIONS", "JUDGED", "MAX_PROBES", "PERSONAS", "PROBES", "SESSIONS", "Done", "Event", "Feedback",
    "FeedbackTask", "Help", "Hint", "Interview", "Line", "OutOfTurn", "Planned", "Probe", "Question", "Repeat",
    "Replies", "Round", "RoundFeedback", "Scored", "Scripted", "Session", "Skipped", "Speaking", "Stage", "Turn",
    "Waiting", "apply_feedback", "check_persona", "concision", "feedback_lines", "feedback_problems", "hint",
    "open_gaps", "parse_answers", "past_sessions", "plan", "proof", "quoted_in", "read_answers", "report_lines", "stand_ins",
    "transcript", "values_by_need",
]
