"""Signed trail checkpoints, and the head row's own protection in the database."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from attune.access import checkpoints, trail
from attune.access.actor import Actor
from attune.access.models import AccessEvent, TrailAction, TrailHead


def record(n: int) -> None:
    """Write ``n`` entries and seal them, as the application and its sealer do."""
    for i in range(n):
        trail.record(actor=Actor.system(), action=TrailAction.VIEW, detail=f"entry {i}")
    trail.seal()


def drop_all_trail_triggers() -> None:
    """Act as an insider with DDL rights: remove the entries' and the head's triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER access_trail_no_change ON access_accessevent")
            cursor.execute("DROP TRIGGER access_trail_head_guard ON access_trailhead")
        else:
            for name in (
                "access_trail_no_update",
                "access_trail_no_delete",
                "access_trail_head_forward",
                "access_trail_head_no_delete",
            ):
                cursor.execute(f"DROP TRIGGER {name}")


def cut_tail_and_rehead(keep: int) -> None:
    """Remove every entry after #keep and point the head at #keep, as the insider would."""
    last = AccessEvent.objects.get(seq=keep)
    AccessEvent.objects.filter(seq__gt=keep)._raw_delete(AccessEvent.objects.db)
    TrailHead.objects.filter(pk=1).update(seq=keep, entry_hash=last.entry_hash)


def test_a_checkpoint_is_signed_and_read_back(db):
    record(3)
    line = checkpoints.make()
    assert line.startswith("attune-trail-checkpoint v1 seq=3 hash=")
    [point] = checkpoints.parse(f"# kept by the operator\n\n{line}\n")
    assert point.seq == 3
    assert point.entry_hash == TrailHead.objects.get(pk=1).entry_hash
    assert checkpoints.unmatched([point]) == ""


def test_the_trail_still_extends_older_checkpoints_as_it_grows(db):
    record(2)
    first = checkpoints.make()
    record(5)
    second = checkpoints.make()
    record(1)
    points = checkpoints.parse(f"{first}\n{second}\n")
    assert trail.verify().ok
    assert checkpoints.unmatched(points) == ""


def test_a_forged_or_edited_checkpoint_is_refused(db, settings):
    record(2)
    line = checkpoints.make()
    edited = line.replace("seq=2", "seq=1")
    with pytest.raises(checkpoints.CheckpointError, match="wrong signature"):
        checkpoints.parse(edited)
    settings.ATTUNE_TRAIL_CHECKPOINT_KEY = "another key the insider made up"
    with pytest.raises(checkpoints.CheckpointError, match="wrong signature"):
        checkpoints.parse(line)
    with pytest.raises(checkpoints.CheckpointError, match="not a trail checkpoint"):
        checkpoints.parse("seq=2 hash=abc")


def test_no_checkpoint_without_a_key(db, settings):
    settings.ATTUNE_TRAIL_CHECKPOINT_KEY = ""
    with pytest.raises(checkpoints.CheckpointError, match="ATTUNE_TRAIL_CHECKPOINT_KEY"):
        checkpoints.make()


def test_a_cut_and_reheaded_trail_passes_verify_but_not_the_checkpoint(db):
    record(6)
    kept = checkpoints.parse(checkpoints.make())
    drop_all_trail_triggers()
    cut_tail_and_rehead(keep=4)
    assert trail.verify().ok  # the unkeyed chain alone cannot tell
    assert checkpoints.unmatched(kept) == f"entry #6 of the checkpoint made {kept[0].at} is gone"


def test_a_rewritten_chain_does_not_pass_through_the_kept_hash(db):
    record(5)
    kept = checkpoints.parse(checkpoints.make())
    drop_all_trail_triggers()
    # Rewrite entry #2 and recompute every hash after it: the chain is whole again...
    AccessEvent.objects.filter(seq=2).update(detail="nothing to see")
    prev = AccessEvent.objects.get(seq=1).entry_hash
    for event in AccessEvent.objects.filter(seq__gte=2).order_by("seq"):
        values = {name: getattr(event, name) for name in trail.HASHED_FIELDS if name != "actor_id"}
        values["actor_id"] = event.actor_id
        digest = trail.entry_digest(values, prev)
        AccessEvent.objects.filter(pk=event.pk).update(prev_hash=prev, entry_hash=digest)
        prev = digest
    TrailHead.objects.filter(pk=1).update(entry_hash=prev)
    assert trail.verify().ok
    # ...but it no longer passes through the hash the operator kept.
    assert "differs from the checkpoint" in checkpoints.unmatched(kept)


def test_the_database_refuses_to_move_the_head_back_or_remove_it(db):
    record(4)
    fourth = AccessEvent.objects.get(seq=4)
    third = AccessEvent.objects.get(seq=3)
    with pytest.raises(DatabaseError), transaction.atomic():
        TrailHead.objects.filter(pk=1).update(seq=3, entry_hash=third.entry_hash)
    with pytest.raises(DatabaseError), transaction.atomic():
        TrailHead.objects.filter(pk=1).update(seq=5, entry_hash="f" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        TrailHead.objects.filter(pk=1).update(entry_hash="f" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        TrailHead.objects.filter(pk=1)._raw_delete(TrailHead.objects.db)
    head = TrailHead.objects.get(pk=1)
    assert (head.seq, head.entry_hash) == (4, fourth.entry_hash)
    record(2)  # the application still moves it forward
    assert TrailHead.objects.get(pk=1).seq == 6
    assert trail.verify().ok


def test_the_command_line_catches_a_cut_and_reheaded_trail(tmp_path):
    """As the operator and the insider would: checkpoint, cut with triggers dropped, verify."""
    from tests.access.test_trail import run_attune

    assert run_attune(tmp_path, "demo", "--no-serve", "--clients", "3").returncode == 0
    made = run_attune(tmp_path, "trail", "checkpoint")
    assert made.returncode == 0, made.stderr
    kept = tmp_path / "kept.txt"
    kept.write_text(f"# nightly checkpoints\n{made.stdout}")
    seq = int(made.stdout.split("seq=")[1].split()[0])
    ok = run_attune(tmp_path, "trail", "verify", "--checkpoint", str(kept))
    assert ok.returncode == 0, ok.stdout
    assert "passes through 1 kept checkpoint" in ok.stdout

    database = sqlite3.connect(tmp_path / "attune.sqlite3")
    for name in (
        "access_trail_no_delete",
        "access_trail_head_forward",
        "access_trail_head_no_delete",
    ):
        database.execute(f"DROP TRIGGER {name}")
    database.execute("DELETE FROM access_accessevent WHERE seq > ?", [seq - 2])
    database.execute(
        "UPDATE access_trailhead SET seq = ?, entry_hash = "
        "(SELECT entry_hash FROM access_accessevent WHERE seq = ?)",
        [seq - 2, seq - 2],
    )
    database.commit()
    database.close()
    plain = run_attune(tmp_path, "trail", "verify")
    assert plain.returncode == 0  # the chain alone cannot tell
    caught = run_attune(tmp_path, "trail", "verify", "--checkpoint", str(kept))
    assert caught.returncode == 1
    assert caught.stdout.count("\n") == 1
    assert caught.stdout.startswith("TAMPERED: the trail no longer extends a kept checkpoint")
    forged = tmp_path / "forged.txt"
    forged.write_text(made.stdout.replace(f"seq={seq}", f"seq={seq - 2}"))
    refused = run_attune(tmp_path, "trail", "verify", "--checkpoint", str(forged))
    assert refused.returncode == 1
    assert "wrong signature" in refused.stdout
