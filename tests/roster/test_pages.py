"""The leader's import pages: upload, preview without changes, confirm, refusals."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient

from attune.access.models import AccessEvent
from attune.clients.models import Client
from attune.roster.models import BatchStatus, ExternalIdentifier, ImportBatch

from .builders import roster_csv

ROWS = ("R-1,Quinn Example,,they/them,es,,,ana", "R-2,Sam Example,,he/him,,,,ben")


def leader_http(agency) -> HttpClient:
    http = HttpClient()
    http.force_login(agency.leader)
    return http


def upload(http, data: bytes, kind: str = "roster", name: str = "roster.csv"):
    return http.post(
        "/roster/import/", {"kind": kind, "file": SimpleUploadedFile(name, data, "text/csv")}
    )


def test_an_upload_shows_a_preview_and_changes_nothing(agency):
    http = leader_http(agency)
    before = Client.objects.count()
    response = upload(http, roster_csv(*ROWS))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/roster/import/{batch.pk}/"
    page = http.get(response["Location"]).content.decode()
    assert "A preview: nothing has changed yet." in page
    assert "Apply these changes" in page
    assert "Quinn" not in page  # ids, outcomes and field names only
    assert Client.objects.count() == before
    assert batch.content and batch.status == BatchStatus.PREVIEWED


def test_confirming_applies_the_file_and_forgets_its_content(agency):
    http = leader_http(agency)
    upload(http, roster_csv(*ROWS))
    batch = ImportBatch.objects.get()
    response = http.post(f"/roster/import/{batch.pk}/apply/", follow=True)
    assert "Applied: 2 to create" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED and batch.content == ""
    assert ExternalIdentifier.objects.count() == 2
    assert AccessEvent.objects.filter(
        actor=agency.leader, object_type="import_batch", action="update"
    ).exists()
    # A second confirmation stores nothing twice.
    response = http.post(f"/roster/import/{batch.pk}/apply/", follow=True)
    assert "it was applied already" in response.content.decode()
    assert ExternalIdentifier.objects.count() == 2


def test_rejected_rows_need_the_leaders_choice_to_leave_them_out(agency):
    http = leader_http(agency)
    upload(http, roster_csv(*ROWS, "R-3,Ari Example,,,,,,nobody"))
    batch = ImportBatch.objects.get()
    page = http.get(f"/roster/import/{batch.pk}/").content.decode()
    assert "rejected: no active therapist has the username" not in page  # the table has words
    assert "no active therapist has the username &#x27;nobody&#x27;" in page
    assert "Import the other rows and leave the rejected ones out" in page
    response = http.post(f"/roster/import/{batch.pk}/apply/", follow=True)
    assert "1 row rejected; nothing was stored" in response.content.decode()
    assert not ExternalIdentifier.objects.exists()
    http.post(f"/roster/import/{batch.pk}/apply/", {"skip_rejected": "on"})
    assert ExternalIdentifier.objects.count() == 2


def test_a_file_that_cannot_be_read_is_refused_on_the_form(agency):
    http = leader_http(agency)
    response = upload(http, b"name;phone\nQuinn;555\n")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Missing required columns: external_id, therapist" in body
    assert not ImportBatch.objects.exists()


def test_an_oversize_upload_is_refused_in_words(agency):
    http = leader_http(agency)
    response = upload(http, b"x" * 1_500_001)
    assert response.status_code == 400
    assert "larger than 1.5 MB" in response.content.decode()


def test_a_therapist_cannot_upload(agency):
    http = HttpClient()
    http.force_login(agency.therapist_a)
    assert upload(http, roster_csv(*ROWS)).status_code == 404
    assert not ImportBatch.objects.exists()


def test_the_leaders_menu_links_to_the_import(agency):
    page = leader_http(agency).get("/roster/import/").content.decode()
    assert 'href="/roster/import/"' in page and "Import roster" in page
