"""The system of care in Chromium: a leader's self-assessment with the language audit, an
action item, the public access statement in three languages, and a client rating a referral."""

from __future__ import annotations

import re

import pytest

from attune.access.actor import Actor
from attune.community import services as community_services
from attune.community.models import ReferralFeedback
from attune.organisation.models import ActionItem, ItemDocument
from tests.browser.test_pages import assert_accessible, sign_in
from tests.community.builders import make_partner, make_referral

pytestmark = pytest.mark.django_db(transaction=True)

INTAKE_FORM = (
    b"New client intake\n\nTitle: Mr / Mrs / Miss\nFull name:\nSex: male / female\n"
    b"Mother's name:\nFather's name:\nRace (pick one):\n"
)


def test_a_leader_audits_a_form_adds_an_action_and_publishes_the_statement(
    agency, live_server, desktop
):
    make_partner(
        agency.leader, name="Voces Interpreters", kinds=["interpreter"], languages="ar, so"
    )
    sign_in(desktop, live_server, "lee")
    desktop.get_by_role("link", name="Self-assessment").click()
    desktop.get_by_role("link", name="Start an assessment").click()
    assert_accessible(desktop)
    desktop.get_by_label("Name of this assessment").fill("Spring 2026 review")
    desktop.get_by_label("Languages you offer services in directly").fill("en, es")
    desktop.get_by_label("How the public can reach you").fill("Front desk, 555-0100")
    desktop.get_by_role("button", name="Start").click()
    desktop.get_by_role("heading", name="Welcoming environment").wait_for()
    assert_accessible(desktop)

    desktop.get_by_role("link", name=re.compile("Our intake and registration forms")).click()
    desktop.get_by_label("Upload a form or material to audit").set_input_files(
        files=[{"name": "intake.txt", "mimeType": "text/plain", "buffer": INTAKE_FORM}]
    )
    desktop.get_by_role("button", name="Upload and audit").click()
    desktop.get_by_role("table", name="Wording findings in intake.txt").wait_for()
    assert "Mr / Mrs / Miss" in desktop.content()
    assert desktop.get_by_text("Missing:").count() >= 1
    assert_accessible(desktop)
    assert ItemDocument.objects.get().finding_count >= 3

    desktop.get_by_label("Status").select_option("not_met")
    desktop.get_by_label("Notes").fill("The intake form forces titles and a binary sex field.")
    desktop.get_by_role("button", name="Save", exact=True).click()
    desktop.get_by_role("link", name="Add an action item").click()
    assert_accessible(desktop)
    desktop.get_by_label("What will change").fill("Rewrite the intake form with the peer group")
    desktop.get_by_label("Owner").select_option(label="Ana Therapist (Therapist)")
    desktop.get_by_label("Due on").fill("2026-09-30")
    desktop.get_by_role("button", name="Save").click()
    desktop.get_by_role("heading", name="Progress").wait_for()
    assert_accessible(desktop)
    action = ActionItem.objects.get()
    assert action.owner == agency.therapist_a and action.assessment_item is not None

    desktop.get_by_role("link", name="Action items").first.click()
    desktop.get_by_role("heading", name=re.compile("To do")).wait_for()
    assert "Rewrite the intake form" in desktop.content()
    assert_accessible(desktop)

    desktop.get_by_role("link", name="Self-assessment").click()
    desktop.get_by_role("link", name="Spring 2026 review").click()
    desktop.get_by_role("link", name=re.compile("Fees follow a sliding scale")).click()
    desktop.get_by_label("Status").select_option("met")
    desktop.get_by_role("button", name="Save", exact=True).click()
    desktop.get_by_role("heading", name="Accessibility").wait_for()

    for language, fees, direction in (
        ("en", "Our fees follow a sliding scale", "ltr"),
        ("es", "Nuestras tarifas son variables", "ltr"),
        ("ar", "تتغيّر رسومنا حسب قدرتك على الدفع", "rtl"),
    ):
        desktop.goto(f"{live_server.url}/access-statement/{language}/")
        assert desktop.locator("html").get_attribute("dir") == direction
        desktop.get_by_text(fees).wait_for()
        assert_accessible(desktop)
    assert "الصومالية" in desktop.content() and "الإسبانيّة" in desktop.content()
    desktop.goto(f"{live_server.url}/access-statement/en/")
    for name in ("English", "Spanish", "Arabic", "Somali"):
        assert desktop.get_by_role("listitem").filter(has_text=name).count() >= 1


def test_a_therapist_takes_their_action_item(agency, live_server, desktop):
    from tests.organisation.builders import make_action

    make_action(agency.leader, agency.therapist_a, title="Put up signs in Spanish and Arabic")
    sign_in(desktop, live_server, "ana")
    desktop.get_by_role("link", name="Action items").click()
    desktop.get_by_role("link", name="Put up signs in Spanish and Arabic").click()
    desktop.get_by_label("Status").select_option("in_progress")
    desktop.get_by_label("Progress note").fill("Asked the community centre to check the wording.")
    desktop.get_by_role("button", name="Add progress").click()
    desktop.get_by_text("Progress noted.").wait_for()
    assert_accessible(desktop)


def test_a_client_rates_a_referral_through_a_link(agency, live_server, phone):
    referral = make_referral(
        agency.therapist_a, agency.client_a, make_partner(agency.leader, name="Casa Luz")
    )
    issued = community_services.referral_feedback_link_issue(
        actor=Actor(user=agency.therapist_a), referral=referral
    )
    phone.goto(f"{live_server.url}/c/{issued.token}/")
    phone.get_by_role("button", name="Español").tap()
    phone.get_by_role("heading", name="¿Cómo le fue con la derivación?").wait_for()
    assert_accessible(phone)
    phone.get_by_role("group", name="¿Le ayudó esta organización?").get_by_label("Sí").check()
    phone.get_by_role("group", name="¿Sintió que allí le trataron con respeto?").get_by_label(
        "En parte"
    ).check()
    phone.get_by_label("Algo más que quiera contarnos").fill("Me atendieron en mi idioma.")
    phone.get_by_role("button", name="Enviar").tap()
    phone.get_by_role("heading", name=re.compile("Gracias")).wait_for()
    assert_accessible(phone)
    feedback = ReferralFeedback.objects.get(referral=referral)
    assert (feedback.helpful, feedback.respected) == ("yes", "partly")


def test_the_referral_page_reads_right_to_left_in_arabic(agency, live_server, phone):
    referral = make_referral(agency.therapist_a, agency.client_a, make_partner(agency.leader))
    issued = community_services.referral_feedback_link_issue(
        actor=Actor(user=agency.therapist_a), referral=referral
    )
    phone.goto(f"{live_server.url}/c/{issued.token}/")
    phone.get_by_role("button", name="العربيّة").tap()
    phone.get_by_role("heading", name="كيف كانت الإحالة؟").wait_for()
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert_accessible(phone)


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        ("lee", ["/organisation/training/summary/", "/community/partners/",
                 "/community/partners/new/", "/community/referrals/counts/",
                 "/organisation/training/new/"]),
        ("ana", ["/clients/{client_a}/referrals/", "/organisation/training/",
                 "/community/partners/", "/organisation/actions/"]),
    ],
)  # fmt: skip
def test_it_passes_axe_on_every_system_of_care_page(agency, live_server, desktop, username, paths):
    make_partner(agency.leader, name="Peer circle", kinds=["peer", "faith"])
    sign_in(desktop, live_server, username)
    for path in paths:
        response = desktop.goto(f"{live_server.url}{path.format(client_a=agency.client_a.pk)}")
        assert response.status == 200, path
        assert_accessible(desktop)
