"""The slides of the meeting screen: their PDCA stage, stepping and auto-advance.

The meeting follows plan-do-check-act: first plan against actual (the KPIs against their
targets, the OKRs against the calendar), then check (what moved and why, the channels,
the appraisal alerts), then act (the actions due, and new ones noted in the meeting).
"""
from __future__ import annotations

STAGES = ("plan", "check", "act")
STAGE_OF = {"kpis": "plan", "okr": "plan", "why": "check", "channels": "check", "appraisal": "check",
            "actions": "act", "notes": "act"}
# Where people type: auto-advance never moves the screen away from it.
TYPING_SLIDES = frozenset({"notes"})
# A timed rerun may come a little early; this much early still counts as on time.
EARLY_SECONDS = 0.5


def clamp(index: int, slides: list[str]) -> int:
    """A slide index that exists (the list can shrink: another role, another config)."""
    return min(max(index, 0), len(slides) - 1) if slides else 0


def step(index: int, slides: list[str], delta: int) -> int:
    """The slide `delta` away, stopping at the first and the last (a presenter's clicker)."""
    return clamp(index + delta, slides)


def auto_next(index: int, slides: list[str], shown_for: float, seconds: float) -> int | None:
    """With auto-advance on: the next slide once this one has been shown `seconds` (after
    the last slide comes the first again), None to stay. Never moves away from a slide
    where people type."""
    if not slides or slides[clamp(index, slides)] in TYPING_SLIDES or shown_for < seconds - EARLY_SECONDS:
        return None
    return (clamp(index, slides) + 1) % len(slides)
