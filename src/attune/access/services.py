"""Writes about staff accounts and second factors, each with its trail entry."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from attune.access import anonymous, trail
from attune.access.actor import Actor, StaffActor
from attune.access.models import StaffUser, TrailAction


@transaction.atomic
def staff_create(
    *, actor: Actor, username: str, display_name: str, role: str, password: str, pronouns: str = ""
) -> StaffUser:
    """Create a staff account with ``role``."""
    user = StaffUser.objects.create_user(
        username=username,
        password=password,
        role=role,
        display_name=display_name,
        pronouns=pronouns,
    )
    trail.record(
        actor=actor,
        action=TrailAction.STAFF_CHANGED,
        object_type="staff",
        object_ref=user.pk,
        detail=f"created {username} as {role}",
    )
    return user


@transaction.atomic
def staff_deactivate(*, actor: Actor, staff: StaffUser) -> None:
    """Deactivate ``staff`` and end every session they have open."""
    StaffUser.objects.filter(pk=staff.pk).update(is_active=False)
    staff.is_active = False
    _end_sessions_of(staff)
    trail.record(
        actor=actor,
        action=TrailAction.STAFF_CHANGED,
        object_type="staff",
        object_ref=staff.pk,
        detail=f"deactivated {staff.username}",
    )


def _end_sessions_of(staff: StaffUser) -> None:
    # Sessions are not indexed by user; an inactive user is also refused on every request by
    # the authentication backend, so this sweep only tidies up.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(staff.pk):
            session.delete()


@transaction.atomic
def totp_device_start(*, actor: Actor) -> TOTPDevice:
    """Return the unconfirmed authenticator being set up for ``actor``, creating it if needed."""
    device = TOTPDevice.objects.filter(user=actor.user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=actor.user, name="authenticator", confirmed=False
    )


@transaction.atomic
def totp_device_confirm(*, actor: StaffActor, device: TOTPDevice, token: str) -> bool:
    """Confirm ``device`` if ``token`` is right; return whether it was."""
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    trail.record(
        actor=actor,
        action=TrailAction.MFA_ENROLLED,
        object_type="staff",
        object_ref=actor.user.pk,
    )
    return True


def sign_in_recorded(*, actor: Actor, username: str, succeeded: bool) -> None:
    """Record a sign-in attempt in the trail; failures are bounded per address and hour.

    Failures naming a real account are counted per account, those naming nobody together.
    """
    detail = f"username {username[:150]!r}"
    if succeeded:
        trail.record(
            actor=actor, action=TrailAction.SIGN_IN, object_type="staff_sign_in", detail=detail
        )
        return
    known = StaffUser.objects.filter(username=username).exists()
    anonymous.note_failure(
        actor=actor,
        action=TrailAction.SIGN_IN_FAILED,
        object_type="staff_sign_in",
        detail=detail,
        subject=username if known else "",
    )
