"""Give a demo agency a self-assessment, action items, partners and training records.

Everything is invented.  Written through the services, so every row has its trail entry.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from attune.access.actor import StaffActor
from attune.access.models import Role
from attune.community import services as community
from attune.organisation import services
from attune.organisation.models import Assessment

INTAKE_FORM = b"""New client registration

Title: Mr / Mrs / Miss
Full legal name:
Sex: male / female
Marital status: single / married / divorced
Mother's name:
Father's name:
Race (pick one): White / Black / Asian / Hispanic / Other
"""

ANSWERS = {
    "intake-forms-language": ("not_met", "The registration form forces titles and a binary sex."),
    "self-identification-options": ("partly", "Pronouns are asked; no prefer-not-to-say."),
    "signage-languages": ("partly", "Signs in English and Spanish; none in Arabic yet."),
    "interpreters": ("met", "Contract with a community interpreter service since 2024."),
    "sliding-scale": ("met", "Six fee tiers; nobody refused for inability to pay."),
    "physical-access": ("partly", "Step-free entrance; the quiet room is also a store room."),
    "sensory-communication-access": ("not_met", "No captions on video sessions."),
    "cultural-humility-training": ("partly", "Clinicians trained; front-desk staff not yet."),
    "feedback-collected": ("met", "Session check-ins in English, Spanish and Arabic."),
}

PARTNERS = [
    (
        "Raíces Healing Circle",
        ["cultural_healing", "peer"],
        "es, nah",
        "Mexican and Nahua families",
    ),
    (
        "Al-Noor Community Centre",
        ["faith", "social"],
        "ar, so",
        "Arabic- and Somali-speaking families",
    ),
    ("Bridge Interpreters Cooperative", ["interpreter"], "ar, es, so, prs, ase", ""),
    ("Open Door Legal Clinic", ["legal"], "en, es", "People facing eviction or immigration cases"),
]


class Command(BaseCommand):
    help = "Add an invented self-assessment, action items, partners and training records."

    def handle(self, *args, **options) -> None:
        staff = get_user_model().objects.filter(is_active=True).order_by("pk")
        leader = staff.filter(role=Role.LEADER).first()
        therapists = list(staff.filter(role=Role.THERAPIST)[:3])
        if leader is None or not therapists:
            raise CommandError("Needs a leader and a therapist; run `attune demo` first.")
        if Assessment.objects.exists():
            raise CommandError("This agency already has a self-assessment; nothing was added.")
        today = timezone.localdate()
        actor = StaffActor(user=leader, request_id="seed")
        assessment = services.assessment_start(
            actor=actor,
            title="First self-assessment",
            started_on=today - timedelta(days=30),
            languages_served="en, es",
            public_contact="Front desk, Monday to Friday, 9 to 5",
        )
        items = {item.key: item for item in assessment.items.all()}
        for key, (status, notes) in ANSWERS.items():
            if key in items:
                services.assessment_item_answer(
                    actor=actor,
                    item=items[key],
                    status=status,
                    notes=notes,
                    evidence_links="",
                    assessed_on=today - timedelta(days=20),
                )
        if "intake-forms-language" in items:
            services.item_document_audit(
                actor=actor,
                item=items["intake-forms-language"],
                data=INTAKE_FORM,
                filename="registration-form.txt",
            )
            services.action_item_create(
                actor=actor,
                title="Rewrite the registration form with the peer advisory group",
                owner=therapists[0],
                due_on=today + timedelta(days=5),
                assessment_item=items["intake-forms-language"],
            )
        services.action_item_create(
            actor=actor,
            title="Offer Arabic-speaking clients a first appointment as quickly as others",
            owner=leader,
            due_on=today + timedelta(days=45),
            origin_kind="equity",
            origin="Clients who prefer Arabic waited longer for a first session than others.",
        )
        for name, kinds, languages, populations in PARTNERS:
            community.partner_create(
                actor=actor,
                name=name,
                kinds=kinds,
                languages=languages,
                populations=populations,
                contact="",
                notes="",
            )
        for n, therapist in enumerate(therapists):
            services.training_record_add(
                actor=StaffActor(user=therapist, request_id="seed"),
                staff=therapist,
                topic="cultural_humility",
                title="Cultural humility in everyday practice",
                attended_on=today - timedelta(days=60 + n),
                hours=6,
                reflection="I want to ask more and assume less in first sessions.",
            )
        completed = today - timedelta(days=10)
        services.assessment_update(
            actor=actor,
            assessment=assessment,
            title=assessment.title,
            languages_served=assessment.languages_served,
            public_contact=assessment.public_contact,
            completed_on=completed,
        )
        self.stdout.write("Added a self-assessment, 2 action items, 4 partners and training.")
