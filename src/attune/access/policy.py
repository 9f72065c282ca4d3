"""The access policy: who may see or change what.  Every view and API route asks here.

Object permissions are ``rules`` predicates, checked with ``user.has_perm(name, obj)``.
List pages use the matching ``*_scope`` functions so a list never shows more than the
single-object check would allow.  Out-of-scope objects answer 404, never 403, so their existence
is not revealed.
"""

from __future__ import annotations

import rules
from django.db.models import Q
from django.utils import timezone

from attune.access.models import BreakGlassGrant, Role


@rules.predicate
def is_therapist(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.THERAPIST


@rules.predicate
def is_supervisor(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.SUPERVISOR


@rules.predicate
def is_leader(user) -> bool:
    return user.is_authenticated and user.is_active and user.role == Role.LEADER


is_clinician = is_therapist | is_supervisor


@rules.predicate
def is_assigned_therapist(user, client) -> bool:
    return client is not None and client.therapist_id == user.pk


@rules.predicate
def holds_break_glass(user, client) -> bool:
    return client is not None and (
        BreakGlassGrant.objects.filter(
            staff=user, client=client, expires_at__gt=timezone.now()
        ).exists()
    )


@rules.predicate
def supervises_therapist_of(user, client) -> bool:
    from attune.supervision.queries import supervisee_ids

    return client is not None and client.therapist_id in supervisee_ids(user)


@rules.predicate
def supervises(user, therapist) -> bool:
    from attune.supervision.queries import supervisee_ids

    return therapist is not None and therapist.pk in supervisee_ids(user)


can_open_record = is_clinician & (is_assigned_therapist | holds_break_glass)

# The full client record, contact details and links: the assigned therapist, or break-glass.
rules.add_perm("clients.view_record", can_open_record)
rules.add_perm("clients.change_record", can_open_record)
rules.add_perm("clients.issue_link", is_therapist & is_assigned_therapist)
# The legal name is for billing and legal duties only.
rules.add_perm("clients.view_legal_name", can_open_record)
# A summary (chosen name, pronouns, languages; no contact or clinical content).
rules.add_perm("clients.view_summary", can_open_record | (is_supervisor & supervises_therapist_of))
rules.add_perm("clients.view_caseload", is_therapist)
rules.add_perm("clients.break_glass", is_clinician)
rules.add_perm("supervision.view_supervisees", is_supervisor)
rules.add_perm("supervision.view_supervisee_caseload", is_supervisor & supervises)
rules.add_perm("agency.view_aggregates", is_leader)
rules.add_perm("agency.manage_staff", is_leader)
rules.add_perm("agency.view_trail", is_leader)


def client_record_scope(user) -> Q:
    """Return the filter for clients whose full record ``user`` may open."""
    if not is_clinician(user):
        return Q(pk__in=[])
    granted = BreakGlassGrant.objects.filter(staff=user, expires_at__gt=timezone.now())
    return Q(therapist=user) | Q(pk__in=granted.values("client_id"))


def client_summary_scope(user) -> Q:
    """Return the filter for clients ``user`` may see a summary of."""
    if is_supervisor(user):
        from attune.supervision.queries import supervisee_ids

        return client_record_scope(user) | Q(therapist_id__in=supervisee_ids(user))
    return client_record_scope(user)


# --- Measures, check-ins, signals and therapy sessions (attune.measures, attune.care) --------
# A client's measures, check-ins and signals are part of the full record; supervisors and
# leaders never see them one client at a time.
rules.add_perm("measures.view_measures", can_open_record)
rules.add_perm("measures.send_checkin", is_therapist & is_assigned_therapist)
rules.add_perm("measures.view_signals", is_therapist)
rules.add_perm("measures.handle_signal", is_therapist & is_assigned_therapist)
rules.add_perm("care.view_sessions", can_open_record)
rules.add_perm("care.manage_sessions", is_therapist & is_assigned_therapist)


def own_clients_scope(user, field: str = "client") -> Q:
    """Return the filter for rows about clients on ``user``'s own caseload (through ``field``)."""
    if not is_therapist(user):
        return Q(pk__in=[])
    return Q(**{f"{field}__therapist": user})


# --- The system of care: self-assessment, action items, training, partners, referrals ---------
# (attune.organisation, attune.community).  None of the organisation's rows is about a client;
# referrals are part of the client's record, and leaders see them only as counts by partner.
@rules.predicate
def owns_action(user, action) -> bool:
    return action is not None and action.owner_id == user.pk


is_staff_member = is_therapist | is_supervisor | is_leader
rules.add_perm("organisation.manage_assessment", is_leader)
rules.add_perm("organisation.manage_actions", is_leader)
rules.add_perm("organisation.view_actions", is_staff_member)
rules.add_perm("organisation.progress_action", is_leader | (is_staff_member & owns_action))
rules.add_perm("organisation.record_training", is_staff_member)
rules.add_perm("organisation.view_training_summary", is_leader)
rules.add_perm("community.view_partners", is_staff_member)
rules.add_perm("community.manage_partners", is_leader)
rules.add_perm("community.refer", is_therapist & is_assigned_therapist)
rules.add_perm("community.view_referral_counts", is_leader)


# --- Language audit pages (attune.language) ----------------------------------------------------
# Leaders audit agency documents (forms, leaflets, templates), never client records. A draft note
# check is a private nudge for whoever writes notes: nothing is stored, counted or reported.
rules.add_perm("language.audit_documents", is_leader)
rules.add_perm("language.check_draft_note", is_clinician)


# --- Equity dashboard (attune.equity) ------------------------------------------------------------
# Leaders see the equity report as aggregates only: groups under the minimum cell are hidden and
# no client is named, counted alone or linked from it.
rules.add_perm("equity.view_dashboard", is_leader)


# --- Consultation groups and case presentations (attune.supervision, consultation) ----------
# Leaders create groups and choose their members but read no case. Members (therapists and
# supervisors) read their groups' de-identified cases and reply. A case is presented only by
# the client's assigned therapist, to a group they belong to; drafts are the presenter's alone.
@rules.predicate
def is_group_member(user, group) -> bool:
    from attune.supervision.queries.consultation import member_group_ids

    return group is not None and group.pk in member_group_ids(user)


@rules.predicate
def is_member_of_case_group(user, case) -> bool:
    from attune.supervision.models import CaseStatus

    return (
        case is not None
        and case.status == CaseStatus.POSTED
        and is_group_member.test(user, case.group)
    )


@rules.predicate
def presents_draft(user, case) -> bool:
    from attune.supervision.models import CaseStatus

    return case is not None and case.status == CaseStatus.DRAFT and case.presenter_id == user.pk


rules.add_perm("supervision.manage_consultation_groups", is_leader)
rules.add_perm("supervision.view_consultation_groups", is_clinician | is_leader)
rules.add_perm("supervision.view_consultation_group", is_clinician & is_group_member)
rules.add_perm("supervision.present_to_group", is_therapist & is_group_member)
rules.add_perm("supervision.present_client", is_therapist & is_assigned_therapist)
rules.add_perm("supervision.post_draft", is_therapist & presents_draft)
rules.add_perm("supervision.view_case", is_clinician & is_member_of_case_group)
rules.add_perm("supervision.reply_to_case", is_clinician & is_member_of_case_group)
