"""The client's real address behind a proxy: lockouts, the trail and link limits use one rule."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client as HttpClient

from attune.access.client_address import client_ip
from attune.access.models import AccessEvent, TrailAction
from tests.conftest import PASSWORD

PROXY = "10.0.0.2"  # the TLS proxy in front of Attune: every connection comes from it
ATTACKER = "198.51.100.7"
USER = "192.0.2.44"


def through_proxy(client_address: str, forged: str = "") -> HttpClient:
    """A browser at ``client_address``; the proxy appends it to whatever the browser sent."""
    header = f"{forged}, {client_address}" if forged else client_address
    return HttpClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)


def sign_in(http: HttpClient, password: str = PASSWORD):
    return http.post("/sign-in/", {"username": "ana", "password": password, "otp_token": ""})


@pytest.fixture
def behind_one_proxy(settings):
    settings.ATTUNE_PROXY_COUNT = 1


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "203.0.113.9", "192.0.2.1"),  # no proxy: the header is ignored
        (1, PROXY, "203.0.113.9, 192.0.2.1", "192.0.2.1"),  # the hop the proxy added
        (2, PROXY, "203.0.113.9, 192.0.2.1, 10.0.0.1", "192.0.2.1"),
        (1, PROXY, "", PROXY),  # not through the proxy as configured
        (2, PROXY, "192.0.2.1", PROXY),
        (1, PROXY, "203.0.113.9, not-an-address", PROXY),
        (1, PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        (1, PROXY, "192.0.2.1:5123", "192.0.2.1"),
    ],
)
def test_it_takes_the_hop_the_proxies_wrote(rf, settings, count, remote, forwarded, expected):
    settings.ATTUNE_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_axes_asks_the_same_function():
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "attune.access.client_address.client_ip"


def test_an_attacker_behind_the_proxy_does_not_lock_out_the_real_user(agency, behind_one_proxy):
    attacker = through_proxy(ATTACKER)
    for _ in range(5):
        sign_in(attacker, "a wrong guess")
    assert sign_in(attacker).status_code == 429  # the attacker's address is paused...
    assert sign_in(through_proxy(USER)).status_code == 302  # ...the user's own is not
    failed = AccessEvent.objects.filter(action=TrailAction.SIGN_IN_FAILED)
    assert set(failed.values_list("ip", flat=True)) == {ATTACKER}
    assert AccessEvent.objects.filter(action=TrailAction.SIGN_IN, ip=USER).exists()


def test_the_attacker_cannot_dodge_the_lock_by_forging_the_header(agency, behind_one_proxy):
    for n in range(6):
        sign_in(through_proxy(ATTACKER, forged=f"203.0.113.{n}"), "a wrong guess")
    assert sign_in(through_proxy(ATTACKER, forged="203.0.113.99")).status_code == 429


def test_a_forged_header_without_a_proxy_changes_nothing(agency, settings):
    settings.ATTUNE_PROXY_COUNT = 0
    for n in range(5):
        sign_in(HttpClient(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"), "guess")
    forged = HttpClient(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=USER)
    assert sign_in(forged).status_code == 429
    assert set(AccessEvent.objects.values_list("ip", flat=True).exclude(ip=None)) == {ATTACKER}


def test_bad_link_opens_from_one_address_do_not_block_another(agency, behind_one_proxy):
    prober = through_proxy(ATTACKER)
    for n in range(settings_limit()):
        assert prober.get(f"/c/not-a-real-token-{n}/").status_code == 404
    assert prober.get("/c/not-a-real-token-x/").status_code == 429
    assert through_proxy(USER).get(f"/c/{agency.link_token}/").status_code == 302
    opened = AccessEvent.objects.get(action=TrailAction.LINK_OPENED)
    assert opened.ip == USER


def settings_limit() -> int:
    return django_settings.ATTUNE_LINK_OPENS_PER_MINUTE
