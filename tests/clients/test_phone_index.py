"""Finding a client by phone number through the blind index, never by decrypting everyone."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attune.clients.models import Client
from attune.clients.phone_index import e164, phone_index, phone_index_rebuild, phone_indexes
from attune.measures.delivery import clients_with_number

pytestmark = pytest.mark.django_db

US_WAYS = ("(555) 555-0142", "555.555.0142", "+1 555 555 0142", "1-555-555-0142", "5555550142")


@pytest.fixture
def keys(settings):
    settings.ATTUNE_PHONE_INDEX_KEYS = ["first-test-index-key"]
    settings.ATTUNE_PHONE_REGION = "US"
    return settings


def test_every_national_way_of_writing_a_number_gives_one_index(keys):
    indexes = {phone_index(way) for way in US_WAYS}
    assert len(indexes) == 1 and len(indexes.pop()) == 64
    keys.ATTUNE_PHONE_REGION = "GB"
    assert phone_index("020 7946 0018") == phone_index("+44 20 7946 0018")
    assert e164("020 7946 0018") == "+442079460018"


def test_no_index_for_no_number_or_an_impossible_one(keys):
    assert phone_index("") == "" and phone_index("12") == "" and phone_indexes("abc") == []


def test_the_index_is_not_the_number_and_depends_on_the_key(keys):
    first = phone_index("+15555550142")
    assert "5555550142" not in first
    keys.ATTUNE_PHONE_INDEX_KEYS = ["another-test-index-key"]
    assert phone_index("+15555550142") != first


def test_saving_a_client_keeps_the_index_in_step(keys, agency):
    client = agency.client_a
    client.phone = "(555) 555-0142"
    client.save(update_fields=["phone"])
    stored = Client.objects.values_list("phone_index", flat=True).get(pk=client.pk)
    assert stored == phone_index("+15555550142")
    client.phone = ""
    client.save()
    assert Client.objects.get(pk=client.pk).phone_index == ""


def test_a_lookup_decrypts_only_the_clients_the_index_names(keys, agency):
    agency.client_a.phone = "(555) 555-0142"
    agency.client_a.save()
    agency.client_b.phone = "(555) 555-0199"
    agency.client_b.save()
    with CaptureQueriesContext(connection) as queries:
        found = clients_with_number("+1 555-555-0142")
    assert [c.pk for c in found] == [agency.client_a.pk]
    (query,) = queries.captured_queries
    assert "phone_index" in query["sql"]
    assert clients_with_number("(555) 555-0100") == []


def test_a_rotation_finds_numbers_under_the_old_key_until_the_rebuild(keys, agency):
    agency.client_a.phone = "555-555-0142"
    agency.client_a.save()
    old = Client.objects.get(pk=agency.client_a.pk).phone_index
    keys.ATTUNE_PHONE_INDEX_KEYS = ["second-test-index-key", "first-test-index-key"]
    assert [c.pk for c in clients_with_number("5555550142")] == [agency.client_a.pk]

    read, changed = phone_index_rebuild()
    assert changed >= 1
    new = Client.objects.get(pk=agency.client_a.pk).phone_index
    assert new != old and new == phone_index("5555550142")
    keys.ATTUNE_PHONE_INDEX_KEYS = ["second-test-index-key"]  # the old key retired
    assert [c.pk for c in clients_with_number("5555550142")] == [agency.client_a.pk]


def test_the_rebuild_command_and_the_field_key_rotation_reindex(keys, agency, capsys):
    agency.client_a.phone = "555-555-0142"
    agency.client_a.save()
    keys.ATTUNE_PHONE_INDEX_KEYS = ["third-test-index-key"]
    call_command("phone_index_rebuild")
    assert "re-indexed" in capsys.readouterr().out
    assert Client.objects.get(pk=agency.client_a.pk).phone_index == phone_index("5555550142")
    keys.ATTUNE_PHONE_INDEX_KEYS = ["fourth-test-index-key"]
    call_command("rotate_field_keys")
    assert Client.objects.get(pk=agency.client_a.pk).phone_index == phone_index("5555550142")


def test_without_index_keys_the_field_keys_key_the_index(keys, agency):
    keys.ATTUNE_PHONE_INDEX_KEYS = []
    agency.client_a.phone = "555-555-0142"
    agency.client_a.save()
    assert [c.pk for c in clients_with_number("+15555550142")] == [agency.client_a.pk]
