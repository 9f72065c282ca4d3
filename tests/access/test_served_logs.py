"""``attune serve``: gunicorn's access log and the server's output never hold a link's token."""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.error
import urllib.request

from tests.measures.test_serve_with_worker import answers, attune_env, free_port, wait_for

MAKE_LINK = """
from attune.access.actor import Actor
from attune.access.models import Role, StaffUser
from attune.clients import services
therapist = StaffUser.objects.create(username="tess", role=Role.THERAPIST, display_name="Tess")
client = services.client_create(
    actor=Actor.system(), therapist=therapist, chosen_name="Servedname Quillby",
    email="served.client@example.org", phone="+1 555 0199", contact_consent="both",
    preferred_language="en",
)
print(services.link_issue(actor=Actor(user=therapist), client=client).token)
"""


def status_of(url: str) -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_served_link_leaves_no_token_in_any_log(tmp_path):
    env = {**attune_env(tmp_path), "ATTUNE_AUTOGENERATE_SECRETS": "true", "ATTUNE_HTTPS": "false"}
    env["ATTUNE_LOG_LEVEL"] = "INFO"
    run = [sys.executable, "-m", "attune.cli"]
    migrated = subprocess.run([*run, "manage", "migrate", "-v0"], env=env, capture_output=True)
    assert migrated.returncode == 0, migrated.stderr
    made = subprocess.run(
        [*run, "manage", "shell", "-c", MAKE_LINK], env=env, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip().splitlines()[-1]

    port, access_log, output = free_port(), tmp_path / "access.log", tmp_path / "serve.out"
    with output.open("w") as out:
        server = subprocess.Popen(
            [*run, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
            + ["--access-log", str(access_log)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: answers(f"{base}/healthz")), output.read_text()
        assert status_of(f"{base}/c/{token}/") == 302
        assert status_of(f"{base}/c/{token}/?from=sms") == 302
        assert status_of(f"{base}/c/{token[:-1]}x/") == 404  # Django logs "Not Found: <path>"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    logged = access_log.read_text() + output.read_text()
    assert logged.count('"GET /c/[link]/" 302') == 2, logged
    assert "Not Found: /c/[link]/" in logged, logged
    for secret in (token, token[:-1], "served.client@example.org", "555 0199", "Servedname"):
        assert secret not in logged
