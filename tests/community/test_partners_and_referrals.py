"""Partners, referrals with the client's consent, follow-up, and what leaders may see."""

from __future__ import annotations

from django.urls import reverse

from attune.access.models import AccessEvent
from attune.community.models import Partner, Referral
from attune.community.queries import referral_counts

from .builders import make_partner, make_referral


def test_it_lets_a_leader_add_a_partner(agency, client):
    client.force_login(agency.leader)
    response = client.post(
        reverse("community:partner_new"),
        {
            "name": "Centro Espiritual Luz",
            "kinds": ["faith", "cultural_healing"],
            "languages": "es, qu",
            "populations": "Andean families",
            "contact": "Pastor R., 555-0111",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.kinds == ["faith", "cultural_healing"]
    assert partner.language_tags == ["es", "qu"]


def test_it_refers_a_client_only_with_their_consent(agency, client):
    partner = make_partner(agency.leader)
    client.force_login(agency.therapist_a)
    url = reverse("community:client_referrals", args=[agency.client_a.pk])
    refused = client.post(url, {"partner": partner.pk, "consent_given_on": "2026-03-01"})
    assert refused.status_code == 200
    assert "needs the client&#x27;s consent" in refused.content.decode()
    assert not Referral.objects.exists()
    response = client.post(
        url,
        {
            "partner": partner.pk,
            "consent": "on",
            "consent_given_on": "2026-03-01",
            "reason": "Wants a healer who knows her grandmother's traditions.",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.client, referral.partner_name) == (agency.client_a, partner.name)
    entry = AccessEvent.objects.get(object_type="referral", action="create")
    assert entry.client_ref == agency.client_a.pk


def test_it_records_the_follow_up(agency, client):
    referral = make_referral(agency.therapist_a, agency.client_a, make_partner(agency.leader))
    client.force_login(agency.therapist_a)
    response = client.post(
        reverse("community:referral_detail", args=[referral.pk]),
        {"follow_up": "connected", "follow_up_notes": "First visit went well."},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.follow_up == "connected"
    assert referral.follow_up_notes == "First visit went well."


def test_it_keeps_referral_history_when_a_partner_is_removed(agency, client):
    partner = make_partner(agency.leader, name="Círculo de Pares")
    referral = make_referral(agency.therapist_a, agency.client_a, partner)
    client.force_login(agency.leader)
    response = client.post(reverse("community:partner_delete", args=[partner.pk]))
    assert response.status_code == 302
    assert not Partner.objects.exists()
    referral.refresh_from_db()
    assert referral.partner is None
    assert referral.partner_name == "Círculo de Pares"
    client.force_login(agency.therapist_a)
    page = client.get(reverse("community:client_referrals", args=[agency.client_a.pk]))
    assert "no longer a partner" in page.content.decode()


def test_it_shows_leaders_counts_by_partner_with_small_counts_hidden(agency, client):
    big, small = make_partner(agency.leader, name="Big"), make_partner(agency.leader, name="Small")
    for _ in range(11):
        make_referral(agency.therapist_a, agency.client_a, big)
    make_referral(agency.therapist_b, agency.client_b, small)
    rows = {row["partner"]: row for row in referral_counts()}
    assert rows["Big"]["n"] == 11 and rows["Small"]["n"] is None
    client.force_login(agency.leader)
    body = client.get(reverse("community:referral_counts")).content.decode()
    assert "fewer than 11" in body
    assert agency.client_a.chosen_name not in body


def test_it_finds_partners_by_what_they_offer_and_language(agency, client):
    make_partner(agency.leader, name="Voces", kinds=["interpreter"], languages="ar, so")
    make_partner(agency.leader, name="Iglesia", kinds=["faith"], languages="es-MX")
    client.force_login(agency.therapist_a)
    url = reverse("community:partner_list")
    body = client.get(url, {"kind": "interpreter"}).content.decode()
    assert "Voces" in body and "Iglesia" not in body
    body = client.get(url, {"language": "es"}).content.decode()
    assert "Iglesia" in body and "Voces" not in body
    body = client.get(url, {"kind": "legal"}).content.decode()
    assert "No partner matches" in body


def test_it_shows_ratings_only_when_neither_side_is_small(agency):
    from attune.community.models import ReferralFeedback

    partner = make_partner(agency.leader, name="Big")
    for n in range(24):
        referral = make_referral(agency.therapist_a, agency.client_a, partner)
        ReferralFeedback.objects.create(
            referral=referral, helpful="yes" if n < 12 else "no", respected="yes"
        )
    row = referral_counts()[0]
    assert (row["n"], row["rated"], row["helpful"]) == (24, 24, 12)
    assert row["respected"] is None  # 24 of 24: the rest (0) would be recoverable
