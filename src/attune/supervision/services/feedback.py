"""Feedback on a supervisor's humility: given once per period, released once when it closes."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import StaffUser, TrailAction
from attune.supervision import humility
from attune.supervision.models import FeedbackRelease, HumilityFeedback


class FeedbackError(ValueError):
    """The feedback cannot be stored; the message is for people."""


class AlreadyAnsweredError(FeedbackError):
    """This supervisee has already answered about this supervisor for this period."""


@transaction.atomic
def feedback_submit(
    *,
    actor: StaffActor,
    supervisor: StaffUser,
    answers: dict[str, int | None],
    comment: str = "",
    today: date | None = None,
) -> HumilityFeedback:
    """Store ``actor``'s answers about ``supervisor`` for the current period, exactly once.

    The period is the one of the day of answering, so a period that has ended never gains an
    answer: a late answer counts towards the next period.
    """
    today = today or timezone.localdate()
    period = humility.Period.containing(today)
    unknown = set(answers) - set(humility.ITEM_KEYS)
    if unknown or any(
        value is not None and not humility.SCALE_MIN <= value <= humility.SCALE_MAX
        for value in answers.values()
    ):
        raise FeedbackError("Choose an answer from 0 to 4 for each statement, or leave it blank.")
    if all(answers.get(key) is None for key in humility.ITEM_KEYS):
        raise FeedbackError("Answer at least one statement.")
    try:
        with transaction.atomic():
            feedback = HumilityFeedback.objects.create(
                supervisor=supervisor,
                supervisee=actor.user,
                period=period.key,
                answers={key: answers.get(key) for key in humility.ITEM_KEYS},
                comment=comment.strip(),
                submitted_at=timezone.now(),
            )
    except IntegrityError as error:
        raise AlreadyAnsweredError(
            f"You have already given feedback on {supervisor} for {period.label}. "
            "You can answer again from the start of the next period."
        ) from error
    # The trail says that feedback was given, not what it said.
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        object_type="humility_feedback",
        object_ref=feedback.pk,
        section="supervision_feedback",
        detail=f"period {period.key}",
    )
    return feedback


def release_period(
    *, actor: Actor, supervisor: StaffUser, period: humility.Period
) -> FeedbackRelease:
    """Release ``supervisor``'s results for a closed ``period`` once; return the release.

    Idempotent: a period already released is returned unchanged, so what a supervisor sees of a
    period never changes (nothing to subtract).
    """
    existing = FeedbackRelease.objects.filter(supervisor=supervisor, period=period.key).first()
    if existing is not None:
        return existing
    rows = list(
        HumilityFeedback.objects.filter(supervisor=supervisor, period=period.key).order_by("pk")
    )
    summary = humility.summarise(
        [row.answers for row in rows],
        [row.comment for row in rows],
        salt=f"{supervisor.pk}:{period.key}:{timezone.now().isoformat()}",
    )
    try:
        with transaction.atomic():
            release = FeedbackRelease.objects.create(
                supervisor=supervisor,
                period=period.key,
                respondents=len(rows),
                summary=summary or {},
                released_at=timezone.now(),
            )
    except IntegrityError:  # released by a concurrent request a moment ago
        return FeedbackRelease.objects.get(supervisor=supervisor, period=period.key)
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        object_type="feedback_release",
        object_ref=release.pk,
        section="supervision_feedback",
        detail=f"period {period.key}, {'held' if release.held else 'released'}",
    )
    return release


@transaction.atomic
def feedback_release_due(
    *, actor: Actor, supervisor: StaffUser, today: date | None = None, viewing: bool = False
) -> list[FeedbackRelease]:
    """Release every closed period in which ``supervisor`` received feedback; return all releases.

    Called when the supervisor opens their results (``viewing``: the look is trailed too) and
    by ``release_supervision_feedback``.
    """
    today = today or timezone.localdate()
    periods = set(
        HumilityFeedback.objects.filter(supervisor=supervisor)
        .values_list("period", flat=True)
        .distinct()
    )
    for key in sorted(periods):
        period = humility.Period.parse(key)
        if period.is_closed(today):
            release_period(actor=actor, supervisor=supervisor, period=period)
    releases = list(FeedbackRelease.objects.filter(supervisor=supervisor).order_by("-period"))
    if viewing:
        trail.record(
            actor=actor,
            action=TrailAction.VIEW,
            object_type="feedback_results",
            object_ref=supervisor.pk,
            section="supervision_feedback",
            detail=f"{len(releases)} periods",
        )
    return releases
