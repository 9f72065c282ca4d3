"""The goals check-in, shaped at render time around the client's own goals.

The bundled ``goals-checkin`` holds one template item whose text contains ``{goal}``. Before it
is shown, ``goals_checkin`` repeats that item once per goal (``goal-1``, ``goal-2``, …) with the
goal's words in place, and scores the mean over the goals the client rates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from attune.measures.bundled import load_bundled_instrument
from attune.measures.errors import InstrumentError
from attune.measures.instrument import Instrument, Item, LocalizedText

GOALS_CHECKIN = "goals-checkin"
TEMPLATE_LINK_ID = "goal"
PLACEHOLDER = "{goal}"
# With no co-created plan yet, the client names at most this many goals to rate.
CLIENT_NAMED_GOALS_LIMIT = 3
PLAN_GOALS_LIMIT = 10


def goal_link_id(position: int) -> str:
    """Return the linkId of the goal at ``position`` (1-based)."""
    return f"goal-{position}"


def goals_checkin(goals: Sequence[str], *, from_plan: bool = True) -> Instrument:
    """Return the goals check-in with one 0–10 item per goal, in the client's own words.

    ``from_plan`` is False when the client names goals without a plan; then at most
    ``CLIENT_NAMED_GOALS_LIMIT`` goals are allowed.
    """
    limit = PLAN_GOALS_LIMIT if from_plan else CLIENT_NAMED_GOALS_LIMIT
    cleaned = [goal.strip() for goal in goals if goal and goal.strip()]
    if not cleaned:
        raise InstrumentError("the goals check-in needs at least one goal")
    if len(cleaned) > limit:
        raise InstrumentError(f"the goals check-in takes at most {limit} goals here")
    template = load_bundled_instrument(GOALS_CHECKIN)
    scoring = template.scoring
    if scoring is None:  # pragma: no cover - the bundled file is scored
        raise InstrumentError("the bundled goals check-in has no scoring")
    items: list[Item] = []
    goal_ids: list[str] = []
    for item in template.items:
        if item.link_id != TEMPLATE_LINK_ID:
            items.append(item)
            continue
        for position, goal in enumerate(cleaned, start=1):
            link_id = goal_link_id(position)
            goal_ids.append(link_id)
            items.append(replace(item, link_id=link_id, text=_fill(item.text, goal)))
    return replace(
        template,
        items=tuple(items),
        scoring=replace(scoring, items=tuple(goal_ids), max_missing=len(goal_ids) - 1),
    )


def checked_goals(goals: Sequence[str], *, from_plan: bool) -> list[str]:
    """Return ``goals`` without blanks; raise ValueError past the limit for their source.

    Goals from the client's current plan (``from_plan``) may number up to ``PLAN_GOALS_LIMIT``;
    goals the client names without a plan, up to ``CLIENT_NAMED_GOALS_LIMIT``.
    """
    limit = PLAN_GOALS_LIMIT if from_plan else CLIENT_NAMED_GOALS_LIMIT
    cleaned = [goal.strip() for goal in goals if goal and goal.strip()]
    if len(cleaned) > limit:
        raise ValueError(f"at most {limit} goals")
    return cleaned


def stored_goals_checkin(goals: Sequence[str]) -> Instrument:
    """Return the goals check-in for goals stored on a sent check-in.

    Their number was checked against its source's limit when the check-in was sent, so any
    count up to the plan's limit is shown.
    """
    return goals_checkin(goals, from_plan=True)


def _fill(text: LocalizedText | None, goal: str) -> LocalizedText:
    # The goal stays in the client's words in every language; only the frame is translated.
    if text is None:
        return LocalizedText(default=goal)
    return LocalizedText(
        default=text.default.replace(PLACEHOLDER, goal),
        translations={
            language: value.replace(PLACEHOLDER, goal)
            for language, value in text.translations.items()
        },
    )
