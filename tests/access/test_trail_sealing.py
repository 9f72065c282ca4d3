"""Writers append to the trail without waiting for each other; the sealer chains what they wrote.

What must hold: an append takes one statement and no lock; every entry is checked by ``verify``
whether sealed or not; an entry changed while it waits is never sealed; sealing twice, or from two
places at once, never gives an entry two numbers; the database lets an entry change only from
unsealed to sealed.
"""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import AccessEvent, TrailAction, TrailHead


def write(n: int, detail: str = "entry") -> None:
    for i in range(n):
        trail.record(actor=Actor.system(), action=TrailAction.VIEW, detail=f"{detail} {i}")


def chain_numbers() -> list[int]:
    return list(AccessEvent.objects.filter(seq__isnull=False).values_list("seq", flat=True))


def test_an_append_is_one_statement_that_leaves_the_head_alone(db):
    head_before = TrailHead.objects.values_list("seq", "entry_hash").get(pk=1)
    with CaptureQueriesContext(connection) as queries:
        trail.record(actor=Actor.system(), action=TrailAction.VIEW, detail="one")
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1
    assert statements[0].startswith("INSERT")
    assert "trailhead" not in statements[0].lower()
    assert TrailHead.objects.values_list("seq", "entry_hash").get(pk=1) == head_before
    entry = AccessEvent.objects.get()
    assert entry.seq is None and entry.entry_hash == "" and len(entry.content_hash) == 64


def test_entries_waiting_for_their_seal_are_verified_then_sealed_in_order(db):
    write(4)
    waiting = trail.verify()
    assert waiting.ok, waiting.problem
    assert (waiting.checked, waiting.pending, waiting.sealed) == (4, 4, 0)
    assert trail.seal() == 4
    assert trail.seal() == 0  # nothing is sealed twice
    write(2, "later")
    assert trail.seal() == 2
    result = trail.verify()
    assert result.ok, result.problem
    assert (result.checked, result.pending) == (6, 0)
    ordered = AccessEvent.objects.order_by("seq").values_list("detail", flat=True)
    assert list(ordered) == [f"entry {i}" for i in range(4)] + ["later 0", "later 1"]
    assert chain_numbers() == [1, 2, 3, 4, 5, 6]
    assert TrailHead.objects.get(pk=1).entry_hash == result.head_hash


def test_a_small_batch_size_seals_everything_in_several_transactions(db):
    write(7)
    assert trail.seal(batch_size=3) == 7
    assert trail.verify().ok
    assert sorted(chain_numbers()) == list(range(1, 8))


def drop_entry_triggers() -> None:
    """Act as an insider with DDL rights, who can remove the entries' triggers first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER access_trail_no_change ON access_accessevent")
        else:
            cursor.execute("DROP TRIGGER access_trail_no_update")


def test_an_entry_changed_while_it_waits_is_reported_and_never_sealed(db):
    write(3)
    trail.seal()
    write(3, "waiting")
    victim = AccessEvent.objects.filter(seq__isnull=True).order_by("id")[1]
    drop_entry_triggers()
    AccessEvent.objects.filter(pk=victim.pk).update(detail="nothing to see")
    result = trail.verify()
    assert not result.ok
    assert f"the entry with id {victim.pk}, not yet sealed, has been altered" in result.problem
    with pytest.raises(trail.UnsealableEntry, match=str(victim.pk)):
        trail.seal()
    assert chain_numbers() == [1, 2, 3]  # the whole batch was refused, nothing half-sealed


def test_the_database_lets_an_entry_change_only_from_unsealed_to_sealed(db):
    write(2)
    first, second = AccessEvent.objects.order_by("id")
    with pytest.raises(DatabaseError), transaction.atomic():  # sealing while changing a field
        AccessEvent.objects.filter(pk=first.pk).update(
            seq=1, prev_hash="0" * 64, entry_hash="a" * 64, detail="changed"
        )
    with pytest.raises(DatabaseError), transaction.atomic():  # a change that is not a seal
        AccessEvent.objects.filter(pk=first.pk).update(detail="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.filter(pk=second.pk)._raw_delete(AccessEvent.objects.db)
    trail.seal()
    with pytest.raises(DatabaseError), transaction.atomic():  # a sealed entry is final
        AccessEvent.objects.filter(pk=first.pk).update(seq=99, entry_hash="b" * 64)
    assert trail.verify().ok


def test_an_entry_appended_before_a_crash_is_sealed_by_the_next_sealer(db):
    """Append commits with the caller; if nothing seals it (the process died), the next run does."""
    with transaction.atomic():
        write(1, "before the crash")
    # The process that wrote it is gone; no seal ran.  A later sealer finds and chains it.
    assert AccessEvent.objects.filter(seq__isnull=True).count() == 1
    assert trail.seal() == 1
    assert AccessEvent.objects.get().seq == 1


def test_a_rolled_back_append_leaves_nothing_to_seal(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        write(2)
        raise RuntimeError("the caller failed")
    assert trail.seal() == 0
    assert not AccessEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_writers_and_two_sealers_at_once_lose_and_duplicate_nothing(agency):
    if connection.vendor != "postgresql":
        pytest.skip("true concurrency needs PostgreSQL (SQLite serialises every writer)")
    before = AccessEvent.objects.count()
    writers, per_writer = 8, 25
    barrier = threading.Barrier(writers + 2)
    sealed_counts: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    trail.record(actor=Actor.system(), action=TrailAction.VIEW, detail=f"{n}-{i}")
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    def sealer() -> None:
        try:
            barrier.wait()
            while not done.is_set():
                sealed_counts.append(trail.seal(batch_size=17))
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    writer_threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    sealer_threads = [threading.Thread(target=sealer) for _ in range(2)]
    for thread in writer_threads + sealer_threads:
        thread.start()
    for thread in writer_threads:
        thread.join()
    done.set()
    for thread in sealer_threads:
        thread.join()
    assert errors == []
    trail.seal()
    total = before + writers * per_writer
    assert AccessEvent.objects.count() == total
    assert sorted(chain_numbers()) == list(range(1, total + 1))
    result = trail.verify()
    assert result.ok, result.problem
    assert (result.checked, result.pending) == (total, 0)
