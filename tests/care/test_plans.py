"""Treatment plans through their services: versions, version checks, the client's agreement."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.care import queries, services
from attune.care.models import PlanAgreement, TreatmentPlan
from attune.care.services import Goal, PlanVersionConflict
from attune.clients.services import client_close, client_create
from tests.care.builders import make_plan

pytestmark = pytest.mark.django_db


def issue(agency, purpose, client=None):
    client = client or agency.client_a
    return services.plan_link_issue(
        actor=Actor(user=client.therapist), client=client, purpose=purpose
    )


def test_it_keeps_every_version_with_its_author(agency):
    first = make_plan(agency.client_a, "Sleep through the night", framing="Insomnia, stress")
    second = make_plan(agency.client_a, "Sleep through the night", "Call my sister weekly")
    versions = list(TreatmentPlan.objects.filter(client=agency.client_a).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].goal_words == ["Sleep through the night"]
    assert versions[0].superseded_at is not None and versions[1].superseded_at is None
    assert second.written_by == agency.therapist_a and not second.written_by_client
    assert first.goals[0]["framing"] == "Insomnia, stress"
    assert queries.current_goals(agency.client_a) == [
        "Sleep through the night",
        "Call my sister weekly",
    ]


def test_it_stores_the_clients_words_encrypted(agency):
    make_plan(agency.client_a, "Volver a cantar en el coro")
    with connection.cursor() as cursor:
        cursor.execute("SELECT goals FROM care_treatmentplan")
        (stored,) = cursor.fetchone()
    assert "coro" not in stored


def test_it_refuses_a_save_from_an_older_version_and_changes_nothing(agency):
    make_plan(agency.client_a, "Sleep better")
    # Two tabs opened version 1; the first saves, the second must not overwrite it.
    services.plan_save(
        actor=Actor(user=agency.therapist_a),
        client=agency.client_a,
        based_on=1,
        goals=[Goal("First tab's goal")],
        review_on=date(2026, 12, 1),
    )
    with pytest.raises(PlanVersionConflict) as raised:
        services.plan_save(
            actor=Actor(user=agency.therapist_a),
            client=agency.client_a,
            based_on=1,
            goals=[Goal("Second tab's goal")],
            review_on=date(2026, 12, 1),
        )
    assert raised.value.current.version == 2
    assert raised.value.current.goal_words == ["First tab's goal"]
    assert TreatmentPlan.objects.filter(client=agency.client_a).count() == 2


def test_a_first_plan_from_two_tabs_is_saved_once(agency):
    make_plan(agency.client_a, "From the first tab")
    with pytest.raises(PlanVersionConflict):
        services.plan_save(
            actor=Actor(user=agency.therapist_a),
            client=agency.client_a,
            based_on=None,
            goals=[Goal("From the second tab")],
            review_on=None,
        )
    assert queries.current_goals(agency.client_a) == ["From the first tab"]


def test_the_database_refuses_two_current_versions(agency):
    plan = make_plan(agency.client_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatmentPlan.objects.create(
            client=agency.client_a, version=plan.version + 1, goals=[{"words": "x"}]
        )


@pytest.mark.parametrize(
    "goals",
    [[], [Goal("   ")], [Goal(f"goal {n}") for n in range(11)], [Goal("x" * 301)]],
)
def test_it_refuses_a_plan_without_goals_or_past_its_limits(agency, goals):
    with pytest.raises(ValueError):
        services.plan_save(
            actor=Actor(user=agency.therapist_a),
            client=agency.client_a,
            based_on=None,
            goals=goals,
            review_on=None,
        )
    assert not TreatmentPlan.objects.exists()


def test_the_client_writes_goals_through_a_link_and_the_framing_stays_beside_kept_goals(agency):
    make_plan(agency.client_a, "Sleep better", "Find work", framing="Clinician's framing")
    issued = issue(agency, services.plans.PLAN_GOALS)
    plan = services.plan_save(
        actor=Actor(link_id=issued.link.pk),
        client=agency.client_a,
        based_on=1,
        goals=[Goal("Sleep better", "I wake up rested"), Goal("Dance again")],
        review_on=None,
        via_link=issued.link,
    )
    assert plan.written_by_client and plan.written_by is None
    assert plan.review_on == date(2026, 12, 1)  # the review date is the therapist's to set
    assert [g["framing"] for g in plan.goals] == ["Clinician's framing", ""]
    assert plan.goals[0]["signs"] == "I wake up rested"
    again = services.plan_save(
        actor=Actor(link_id=issued.link.pk),
        client=agency.client_a,
        based_on=2,
        goals=[Goal("Something else")],
        review_on=None,
        via_link=issued.link,
    )
    assert again is None
    assert queries.current_goals(agency.client_a) == ["Sleep better", "Dance again"]


def test_the_client_agrees_once_and_a_second_answer_keeps_the_first(agency):
    plan = make_plan(agency.client_a)
    issued = issue(agency, services.plans.PLAN_AGREEMENT)
    actor = Actor(link_id=issued.link.pk)
    first = services.plan_agreement_submit(
        actor=actor, link=issued.link, plan_version=1, answer="agree", comment="Yes, this is it"
    )
    second = services.plan_agreement_submit(
        actor=actor, link=issued.link, plan_version=1, answer="not_yet", comment="Changed my mind"
    )
    assert first is not None and second is None
    (agreement,) = PlanAgreement.objects.all()
    assert (agreement.plan, agreement.answer, agreement.comment) == (
        plan,
        "agree",
        "Yes, this is it",
    )
    assert AccessEvent.objects.filter(object_type="plan_agreement").count() == 1


def test_not_yet_needs_what_should_change(agency):
    make_plan(agency.client_a)
    issued = issue(agency, services.plans.PLAN_AGREEMENT)
    with pytest.raises(ValueError):
        services.plan_agreement_submit(
            actor=Actor(link_id=issued.link.pk),
            link=issued.link,
            plan_version=1,
            answer="not_yet",
            comment="  ",
        )
    issued.link.refresh_from_db()
    assert issued.link.used_at is None and not PlanAgreement.objects.exists()


def test_an_answer_to_a_plan_changed_meanwhile_is_not_stored_and_the_link_stays_usable(agency):
    make_plan(agency.client_a)
    issued = issue(agency, services.plans.PLAN_AGREEMENT)
    make_plan(agency.client_a, "A newer goal")
    with pytest.raises(PlanVersionConflict):
        services.plan_agreement_submit(
            actor=Actor(link_id=issued.link.pk), link=issued.link, plan_version=1, answer="agree"
        )
    issued.link.refresh_from_db()
    assert issued.link.used_at is None


def test_plans_due_for_review_lists_current_plans_of_open_clients_in_one_query(agency):
    today = date(2026, 11, 24)
    make_plan(agency.client_a, "Due today", review_on=today)
    make_plan(agency.client_b, "Ben's client", review_on=today)
    later = client_create(actor=Actor.system(), therapist=agency.therapist_a, chosen_name="Later")
    make_plan(later, "Not yet due", review_on=date(2027, 1, 1))
    closed = client_create(actor=Actor.system(), therapist=agency.therapist_a, chosen_name="Gone")
    make_plan(closed, "Closed", review_on=date(2026, 1, 1))
    client_close(actor=Actor.system(), client=closed, reason="completed")
    overdue = client_create(actor=Actor.system(), therapist=agency.therapist_a, chosen_name="Old")
    make_plan(overdue, "Overdue", review_on=date(2026, 10, 1))
    make_plan(overdue, "Overdue, newer version", review_on=date(2026, 11, 1))
    with CaptureQueriesContext(connection) as captured:
        due = queries.plans_due_for_review(therapist=agency.therapist_a, on=today)
        names = [plan.client.chosen_name for plan in due]
        dates = [plan.review_on for plan in due]
    assert len(captured) == 1
    assert names == ["Old", "Zoë-Ann O'Brien"]
    assert dates == [date(2026, 11, 1), today]


def test_current_goals_is_empty_without_a_plan(agency):
    assert queries.current_goals(agency.client_a) == []


def test_the_client_view_turns_on_only_when_the_client_chose_it(agency):
    actor = Actor(user=agency.therapist_a)
    with pytest.raises(ValueError):
        services.client_view_set(
            actor=actor, client=agency.client_a, mode="plan", chosen_with_client=False
        )
    with pytest.raises(ValueError):
        issue(agency, services.plans.CLIENT_VIEW)
    choice = services.client_view_set(
        actor=actor, client=agency.client_a, mode="plan", chosen_with_client=True
    )
    assert (choice.set_by, choice.mode) == (agency.therapist_a, "plan")
    issued = issue(agency, services.plans.CLIENT_VIEW)
    services.client_view_set(
        actor=actor, client=agency.client_a, mode="off", chosen_with_client=False
    )
    issued.link.refresh_from_db()
    assert issued.link.revoked_at is not None  # turning it off stops links already handed out


def test_key_rotation_covers_plans_agreements_and_adaptations(agency, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from attune.clients.encrypted import _cipher
    from attune.clients.management.commands.rotate_field_keys import encrypted_columns
    from tests.care.builders import make_adaptation

    covered = {model.__name__: columns for model, columns in encrypted_columns()}
    assert covered["TreatmentPlan"] == ["goals"]
    assert covered["PlanAgreement"] == ["comment"]
    assert covered["CulturalAdaptation"] == ["what", "why"]
    assert covered["AdaptationFeedback"] == ["comment"]
    make_plan(agency.client_a, "Volver a bailar")
    make_adaptation(agency.client_a, what="Sesiones en español")
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
    _cipher.cache_clear()
    call_command("rotate_field_keys", verbosity=0)
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    _cipher.cache_clear()
    try:
        assert queries.current_goals(agency.client_a) == ["Volver a bailar"]
        assert agency.client_a.cultural_adaptations.get().what == "Sesiones en español"
    finally:
        settings.FIELD_ENCRYPTION_KEYS = old_keys
        _cipher.cache_clear()
