"""The microphone: one take recorded into a wav file until Enter, with a live timer and level meter.

The device is behind `Microphone`, so the terminal driver is tested with an injected one and no sound card.
"""

from __future__ import annotations

from pathlib import Path


def record_to(into: Path, **seams) -> float:
    """Record from the default input device into `into` (16 kHz mono wav) until Enter; return the seconds recorded.
    Ctrl-C: nothing is kept (Interrupted). No device, no permission, no audio library: one CoachError sentence."""
    raise NotImplementedError  # helper "record"
