"""A leader runs the self-assessment: items from YAML, answers, documents through the audit."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.organisation import services
from attune.organisation.items import ItemsFileError, load_items, parse_items
from attune.organisation.models import Assessment, ItemDocument, ItemStatus
from attune.organisation.queries import compare
from tests.language.builders import make_docx, make_pdf

from .builders import make_assessment

INTAKE = (
    b"Title: Mr / Mrs / Miss\nName:\nSex: male / female\n"
    b"Mother's name:\nFather's name:\nRace (pick one):\n"
)


def test_it_reads_the_bundled_items_from_every_area_of_the_article():
    item_set = load_items()
    areas = {item.area_key for item in item_set.items}
    assert areas == {
        "inclusive-language",
        "welcoming-environment",
        "accessibility",
        "staff-training",
        "hiring-leadership",
        "community-engagement",
        "client-feedback",
    }
    keys = {item.key for item in item_set.items}
    assert {"interpreters", "sliding-scale", "physical-access"} <= keys
    statements = [item.statement for item in item_set.items if item.statement]
    assert all(set(s["text"]) == {"en", "es", "ar"} for s in statements)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("areas: [", "not valid YAML"),
        ("version: 1", "list of 'areas'"),
        ("areas:\n  - key: A B\n    label: x\n    items: []", "lowercase"),
        (
            "areas:\n  - key: a\n    label: A\n    items:\n"
            "      - {key: x, prompt: one}\n      - {key: x, prompt: two}",
            "used twice",
        ),
        (
            "areas:\n  - key: a\n    label: A\n    items:\n"
            "      - {key: x, prompt: p, statement: {section: nowhere, text: {en: hi}}}",
            "section must be one of",
        ),
    ],
)
def test_it_says_where_an_items_file_is_wrong(source, message):
    with pytest.raises(ItemsFileError, match=message):
        parse_items(source)


def test_it_copies_the_items_into_a_new_assessment(agency):
    assessment = make_assessment(agency.leader)
    assert [item.key for item in assessment.items.all()] == [
        "intake-forms-language",
        "sliding-scale",
        "physical-access",
    ]
    assert assessment.items.first().takes_documents
    assert AccessEvent.objects.filter(object_type="assessment", client_ref=None).exists()


def test_it_starts_an_assessment_from_the_page_with_the_default_items(agency, client):
    client.force_login(agency.leader)
    response = client.post(
        reverse("organisation:assessment_new"),
        {"title": "Autumn 2026", "started_on": "2026-10-01", "languages_served": "en, es"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Welcoming environment" in page.content.decode()
    assert "Hiring and leadership" in page.content.decode()


def test_it_refuses_language_tags_it_cannot_read(agency, client):
    client.force_login(agency.leader)
    response = client.post(
        reverse("organisation:assessment_new"),
        {"title": "x", "started_on": "2026-10-01", "languages_served": "Spanish please"},
    )
    assert response.status_code == 200
    assert "Use language tags" in response.content.decode()


def test_it_records_status_evidence_and_date(agency, client):
    item = make_assessment(agency.leader).items.get(key="sliding-scale")
    client.force_login(agency.leader)
    response = client.post(
        reverse("organisation:assessment_item", args=[item.pk]),
        {
            "status": "partly",
            "notes": "Scale exists; not advertised.",
            "evidence_links": "/organisation/actions/\nhttps://example.org/fees",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.PARTLY
    assert item.links == ["/organisation/actions/", "https://example.org/fees"]
    assert item.assessed_on is not None
    assert item.updated_by == agency.leader


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//elsewhere.example", "/\\elsewhere"])
def test_it_refuses_evidence_links_that_lead_elsewhere(agency, client, link):
    item = make_assessment(agency.leader).items.first()
    client.force_login(agency.leader)
    response = client.post(
        reverse("organisation:assessment_item", args=[item.pk]),
        {"status": "met", "evidence_links": link},
    )
    assert response.status_code == 200
    assert "must start with https://" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ""


def test_it_attaches_the_language_findings_of_an_uploaded_form(agency, client):
    item = make_assessment(agency.leader).items.get(key="intake-forms-language")
    client.force_login(agency.leader)
    upload = SimpleUploadedFile("intake.txt", INTAKE, content_type="text/plain")
    response = client.post(
        reverse("organisation:item_document_upload", args=[item.pk]), {"document": upload}
    )
    assert response.status_code == 302
    document = ItemDocument.objects.get(item=item)
    assert document.profile == "forms"
    assert document.finding_count >= 3
    rules = {finding["rule"] for finding in document.audit["findings"]}
    assert {"honorific-forced", "sex-binary-only"} <= rules
    page = client.get(reverse("organisation:assessment_item", args=[item.pk])).content.decode()
    assert "Mr / Mrs" in page
    assert "Missing:" in page
    assert AccessEvent.objects.filter(object_type="item_document").count() == 1


def test_it_audits_a_word_document(agency):
    item = make_assessment(agency.leader).items.first()
    data = make_docx(["Title: Mr / Mrs", "Sex: male / female"])
    document = services.item_document_audit(
        actor=Actor(user=agency.leader), item=item, data=data, filename="intake.docx"
    )
    assert document.finding_count >= 2


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "not a kind of file"),
        ("locked.pdf", make_pdf(["secret"], encrypted=True), "encrypted"),
        ("broken.pdf", b"%PDF-1.4 nothing else", "not a readable PDF"),
        ("big.txt", b"a" * (services.MAX_DOCUMENT_BYTES + 1), "too large"),
        ("binary.txt", b"abc\x00\x01\x02", "does not contain text"),
        ("empty.txt", b"   ", "empty"),
    ],
)
def test_it_refuses_unreadable_uploads_and_stores_nothing(agency, client, filename, data, message):
    item = make_assessment(agency.leader).items.first()
    client.force_login(agency.leader)
    before = AccessEvent.objects.count()
    upload = SimpleUploadedFile(filename, data)
    response = client.post(
        reverse("organisation:item_document_upload", args=[item.pk]), {"document": upload}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ItemDocument.objects.exists()
    assert AccessEvent.objects.count() == before


def test_it_shows_what_changed_between_two_assessments(agency, client):
    earlier = make_assessment(agency.leader, title="2025", started_on=date(2025, 3, 1))
    later = make_assessment(agency.leader, title="2026")
    actor = Actor(user=agency.leader)
    for assessment, status in ((earlier, "not_met"), (later, "met")):
        item = assessment.items.get(key="sliding-scale")
        services.assessment_item_answer(
            actor=actor, item=item, status=status, notes="", evidence_links="", assessed_on=None
        )
    rows = {row.key: row for row in compare(earlier, later)}
    assert rows["sliding-scale"].changed
    assert (rows["sliding-scale"].before, rows["sliding-scale"].after) == ("Not met", "Met")
    assert not rows["physical-access"].changed
    client.force_login(agency.leader)
    page = client.get(reverse("organisation:assessment_compare", args=[later.pk, earlier.pk]))
    assert "1 item changed status" in page.content.decode()


def test_it_uses_the_agencys_own_items_file_when_one_is_set(agency, client, settings, tmp_path):
    from .builders import SMALL_ITEMS

    own = tmp_path / "our-items.yaml"
    own.write_text(SMALL_ITEMS, encoding="utf-8")
    settings.ATTUNE_ASSESSMENT_ITEMS = str(own)
    client.force_login(agency.leader)
    client.post(
        reverse("organisation:assessment_new"), {"title": "Ours", "started_on": "2026-10-01"}
    )
    assert Assessment.objects.get().items.count() == 3


def test_it_starts_nothing_from_a_broken_items_file(agency, client, settings, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("areas:\n  - key: a\n    label: A\n    items: []\n", encoding="utf-8")
    settings.ATTUNE_ASSESSMENT_ITEMS = str(broken)
    client.force_login(agency.leader)
    response = client.post(
        reverse("organisation:assessment_new"), {"title": "Ours", "started_on": "2026-10-01"}
    )
    assert response.status_code == 200
    assert "areas[0].items: at least one item" in response.content.decode()
    assert not Assessment.objects.exists()
