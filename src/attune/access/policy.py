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
from attune.relationships.queries import member_group_ids, supervisee_ids, supervisor_ids

# A consultation case's status values (``supervision.models.CaseStatus``), compared by value so
# the policy stays below the supervision app.
CASE_DRAFT = "draft"
CASE_POSTED = "posted"


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
    return client is not None and client.therapist_id in supervisee_ids(user)


@rules.predicate
def supervises(user, therapist) -> bool:
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
rules.add_perm("care.view_today", is_therapist)


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


# --- Scheduled check-ins (attune.measures) -------------------------------------------------
# Only the client's own therapist sets, pauses or stops the measures sent to them every few
# weeks; supervisors see the schedules with the rest of the record but cannot change them.
rules.add_perm("measures.schedule_checkins", is_therapist & is_assigned_therapist)


# --- Reflection journal (attune.care, reflections) ---------------------------------------------
# An entry is its author's alone: no supervisor, leader or other therapist sees it (404), and it
# is in no export or aggregate.  The author may share one entry with a supervisor, who then reads
# it only while it stays shared and while they supervise the author.
@rules.predicate
def wrote_reflection(user, reflection) -> bool:
    return reflection is not None and reflection.author_id == user.pk


@rules.predicate
def reflection_shared_with(user, reflection) -> bool:
    return (
        reflection is not None
        and reflection.author_id in supervisee_ids(user)
        and reflection.sharings.filter(supervisor=user, unshared_at__isnull=True).exists()
    )


rules.add_perm("care.keep_journal", is_therapist)
rules.add_perm("care.change_reflection", is_therapist & wrote_reflection)
rules.add_perm(
    "care.view_reflection",
    (is_therapist & wrote_reflection) | (is_supervisor & reflection_shared_with),
)
rules.add_perm("care.view_shared_reflections", is_supervisor)


def own_reflections_scope(user) -> Q:
    """Return the filter for journal entries ``user`` wrote (nothing unless a therapist)."""
    if not is_therapist(user):
        return Q(pk__in=[])
    return Q(author=user)


def shared_reflections_scope(user) -> Q:
    """Return the filter for entries shared with ``user`` by the therapists they supervise now."""
    if not is_supervisor(user):
        return Q(pk__in=[])
    return Q(
        author_id__in=supervisee_ids(user),
        sharings__supervisor=user,
        sharings__unshared_at__isnull=True,
    )


# --- Rupture and repair logs (attune.care, topic "repairs") -------------------------------------
# A repair log is part of the client's record: the client's own therapist writes it; a supervisor
# of the therapist who wrote it, or of the client's therapist, reads it (summary naming only);
# leaders never see one.  ``obj`` is the client for opening a log, the log otherwise.
@rules.predicate
def is_repair_clients_therapist(user, log) -> bool:
    return log is not None and log.client.therapist_id == user.pk


@rules.predicate
def supervises_repair(user, log) -> bool:
    return log is not None and bool(
        {log.therapist_id, log.client.therapist_id} & supervisee_ids(user)
    )


rules.add_perm("care.open_repair", is_therapist & is_assigned_therapist)
rules.add_perm(
    "care.view_repairs", is_clinician & (is_assigned_therapist | supervises_therapist_of)
)
rules.add_perm(
    "care.view_repair",
    (is_therapist & is_repair_clients_therapist) | (is_supervisor & supervises_repair),
)
rules.add_perm("care.change_repair", is_therapist & is_repair_clients_therapist)


def repair_scope(user) -> Q:
    """Return the filter for repair logs ``user`` may read (matches ``care.view_repair``)."""
    if is_therapist(user):
        return Q(client__therapist=user)
    if is_supervisor(user):
        ids = supervisee_ids(user)
        return Q(therapist_id__in=ids) | Q(client__therapist_id__in=ids)
    return Q(pk__in=[])


# --- Treatment plans, cultural adaptations and the client's own view (attune.care) ------------
# The plan and the adaptations are part of the client's record: the assigned therapist (or
# break-glass) reads and writes them.  A supervisor of the therapist sees the plan's summary
# (goals and signs of progress in the client's words, review date, whether the client agreed),
# never the therapist's clinical framing, the client's comments or the adaptations.  Leaders
# never see any of it.  Links to the client and the client-view choice are the therapist's.
rules.add_perm("care.view_plan", can_open_record)
rules.add_perm("care.change_plan", can_open_record)
rules.add_perm(
    "care.view_plan_summary", can_open_record | (is_supervisor & supervises_therapist_of)
)
rules.add_perm("care.send_plan_link", is_therapist & is_assigned_therapist)
rules.add_perm("care.set_client_view", is_therapist & is_assigned_therapist)
rules.add_perm("care.view_adaptations", can_open_record)
rules.add_perm("care.change_adaptations", can_open_record)


# --- Supervision: pairs, meetings, agendas, growth plans, humility feedback (attune.supervision)
# A supervisor sees a pair's meetings and agendas only while the pair is in force; the supervisee
# sees their own.  Agendas name clients by case code (a read of their summary, trailed).  Growth
# plans are the supervisee's and their current supervisor's.  Feedback on a supervisor is given
# by their current supervisees; the supervisor sees only released aggregates of three or more;
# leaders set up pairs and see the agency-wide feedback aggregate, never one supervisor's.
def _pair_of(obj):
    return getattr(obj, "pair", obj)


@rules.predicate
def leads_pair(user, obj) -> bool:
    pair = _pair_of(obj)
    if pair is None or pair.supervisor_id != user.pk:
        return False
    return pair.is_in_force()


@rules.predicate
def is_pair_supervisee(user, obj) -> bool:
    pair = _pair_of(obj)
    return pair is not None and pair.supervisee_id == user.pk


@rules.predicate
def is_self(user, other) -> bool:
    return other is not None and other.pk == user.pk


@rules.predicate
def is_current_supervisor_of_user(user, supervisor) -> bool:
    return supervisor is not None and supervisor.pk in supervisor_ids(user)


in_pair = (is_supervisor & leads_pair) | (is_therapist & is_pair_supervisee)
rules.add_perm("supervision.manage_pairs", is_leader)
rules.add_perm("supervision.view_meetings", in_pair)
rules.add_perm("supervision.plan_meeting", is_supervisor & leads_pair)
rules.add_perm("supervision.record_meeting", is_supervisor & leads_pair)
rules.add_perm("supervision.view_agenda", in_pair)
own_or_supervised = (is_therapist & is_self) | (is_supervisor & supervises)
rules.add_perm("supervision.view_growth_plan", own_or_supervised)
rules.add_perm("supervision.write_growth_plan", own_or_supervised)
rules.add_perm("supervision.give_feedback", is_therapist & is_current_supervisor_of_user)
rules.add_perm("supervision.view_feedback_results", is_supervisor)
rules.add_perm("supervision.view_agency_feedback", is_leader)


# --- Consultation groups and case presentations (attune.supervision, consultation) ----------
# Leaders create groups and choose their members but read no case. Members (therapists and
# supervisors) read their groups' de-identified cases and reply. A case is presented only by
# the client's assigned therapist, to a group they belong to; drafts are the presenter's alone.
@rules.predicate
def is_group_member(user, group) -> bool:
    return group is not None and group.pk in member_group_ids(user)


@rules.predicate
def is_member_of_case_group(user, case) -> bool:
    return (
        case is not None and case.status == CASE_POSTED and is_group_member.test(user, case.group)
    )


@rules.predicate
def presents_draft(user, case) -> bool:
    return case is not None and case.status == CASE_DRAFT and case.presenter_id == user.pk


rules.add_perm("supervision.manage_consultation_groups", is_leader)
rules.add_perm("supervision.view_consultation_groups", is_clinician | is_leader)
rules.add_perm("supervision.view_consultation_group", is_clinician & is_group_member)
rules.add_perm("supervision.present_to_group", is_therapist & is_group_member)
rules.add_perm("supervision.present_client", is_therapist & is_assigned_therapist)
rules.add_perm("supervision.post_draft", is_therapist & presents_draft)
rules.add_perm("supervision.view_case", is_clinician & is_member_of_case_group)
rules.add_perm("supervision.reply_to_case", is_clinician & is_member_of_case_group)


# --- Session notes (attune.care, topic "notes") --------------------------------------------------
# A note is part of the client's record, read as the record is (the assigned therapist, or a
# therapist holding break-glass), but only by therapists: supervisors and leaders never read a
# note, not even with break-glass.  Only the client's assigned therapist writes one.  Leaders see
# notes only as two counts per group in the equity report (words, stigmatizing findings).
rules.add_perm("care.view_notes", is_therapist & can_open_record)
rules.add_perm("care.write_note", is_therapist & is_assigned_therapist)


def session_note_scope(user) -> Q:
    """Return the filter for the notes ``user`` may read (through the note's client)."""
    if not is_therapist(user):
        return Q(pk__in=[])
    granted = BreakGlassGrant.objects.filter(staff=user, expires_at__gt=timezone.now())
    return Q(client__therapist=user) | Q(client_id__in=granted.values("client_id"))
