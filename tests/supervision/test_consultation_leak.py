"""The leak test: none of a client's identifiers, in any form, appears anywhere in a posted case
(its stored text, every page members can open, its replies, the group page)."""

from __future__ import annotations

import uuid
from datetime import date

from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils.html import escape

from attune.access.actor import Actor
from attune.clients import services as client_services
from attune.clients.models import FormulationTopic, Question
from attune.supervision.deidentify import fold
from attune.supervision.models import CaseFeedback, CasePresentation, CaseStatus
from tests.supervision.consultation_builders import make_group

BIRTH = date(1987, 3, 15)
SECRETS = [
    "María Elena López",
    "María",
    "Maria",
    "MARIA",
    "López",
    "Lopez",
    "Marita",
    "Mari",
    "Garcia",
    "maria.lopez88@example.org",
    "maria.lopez88",
    "mlopez88",
    "(312) 555-0142",
    "312-555-0142",
    "555-0142",
    "5550142",
    "03/15/1987",
    "3/15/87",
    "1987-03-15",
    "15 March 1987",
    "March 15, 1987",
    "15 de marzo de 1987",
    "742 Evergreen",
    "Evergreen Terrace",
    "Springfield",
    "62704",
    "Rosa",
    "Tomás",
    "Herrera",
]

CONTEXT = """MARIA (legal name María Elena López García, "Mari" to friends, Marita to her mother
Rosa López) is a 37-year-old who moved from Springfield last year. Email
maria.lopez88@example.org; forum name mlopez88; phone (312) 555-0142. DOB 03/15/1987 (she
writes 15 de marzo de 1987). Lives at 742 Evergreen Terrace, Springfield, IL 62704.
Her brother Tomás Herrera came to the session on 2 May 2024. M. López said María's faith
matters; Maria's mother disagrees."""


def test_no_identifier_of_the_client_appears_anywhere_in_a_posted_case(agency):
    actor = Actor(user=agency.therapist_a)
    client = client_services.client_create(
        actor=Actor.system(),
        therapist=agency.therapist_a,
        chosen_name="María",
        pronouns="she/her",
        legal_name="María Elena López García",
        email="maria.lopez88@example.org",
        phone="(312) 555-0142",
    )
    client_services.self_identification_record(
        actor=actor,
        client=client,
        answers={
            Question.CHOSEN_NAME: "María",
            Question.RELIGION: "Católica, like Mamá Rosa López",
            Question.ANYTHING_ELSE: "Call me Mari, never Maria Elena.",
        },
        declined=[],
    )
    client_services.cultural_formulation_record(
        actor=actor,
        client=client,
        answers={
            FormulationTopic.PROBLEM: "Since I left Springfield, María feels alone (Mari).",
            FormulationTopic.SUPPORTS: "My brother Tomás and church on Evergreen Terrace.",
        },
    )
    group = make_group(agency.leader, agency.therapist_a, agency.supervisor, agency.therapist_b)
    ana = HttpClient()
    ana.force_login(agency.therapist_a)
    start = reverse("supervision:consultation_case_new", args=[group.pk, client.pk])
    prefilled = ana.get(start).context["form"].initial["context"]
    assert "Mari" in prefilled and "Springfield" in prefilled  # from the record, for the presenter
    source = {
        "title": "Maria López and her family's expectations",
        "question": "How can I honour María's faith (she is 37 years old) without her mother Rosa?",
        "context": prefilled + "\n\n" + CONTEXT,
        "other_names": "Rosa López\nTomás Herrera",
        "places": "742 Evergreen Terrace, Springfield, IL 62704",
        "birth_date": BIRTH.isoformat(),
    }
    preview = ana.post(start, {**source, "preview": "1"})
    form = preview.context["form"]
    finals = {
        name: form.initial[name] for name in ("final_title", "final_question", "final_context")
    }
    draft = CasePresentation.objects.get(client=client)
    posted = ana.post(
        reverse("supervision:consultation_case_post", args=[draft.pk]),
        {**source, **finals, "confirm": "on", "post": "1"},
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    case = CasePresentation.objects.get(pk=draft.pk, status=CaseStatus.POSTED)

    # Replies from members, one nested; one reply that names the client is refused.
    sol, ben = HttpClient(), HttpClient()
    sol.force_login(agency.supervisor)
    ben.force_login(agency.therapist_b)
    reply_url = reverse("supervision:consultation_case_reply", args=[case.pk])
    sol.post(reply_url, {"body": "What does [Client] hope for?", "submission_key": uuid.uuid4()})
    first = CaseFeedback.objects.get()
    ben.post(
        reply_url,
        {"body": "Ask about church.", "parent": first.pk, "submission_key": uuid.uuid4()},
    )
    refused = ben.post(reply_url, {"body": "Is she Marita?", "submission_key": uuid.uuid4()})
    assert refused.status_code == 400
    assert CaseFeedback.objects.count() == 2

    stored = [
        case.title,
        case.question,
        case.context,
        *(f.body for f in CaseFeedback.objects.all()),
    ]
    pages = []
    for member in (sol, ben, ana):
        for url in (
            reverse("supervision:consultation_case", args=[case.pk]),
            reverse("supervision:consultation_group", args=[group.pk]),
            reverse("supervision:consultation_groups"),
        ):
            response = member.get(url)
            assert response.status_code == 200
            pages.append(response.content.decode())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, question, context FROM supervision_casepresentation WHERE id = %s",
            [case.pk],
        )
        raw = [value for row in cursor.fetchall() for value in row]
    everything = "\n".join([*stored, *pages, *raw])
    folded = fold(everything)
    for secret in SECRETS:
        assert secret not in everything and escape(secret) not in everything, secret
        if len(secret) > 4:
            assert fold(secret) not in folded, secret
    assert "[Client]" in case.context and "[Person 1]" in case.context
