"""The Django-backed sub-commands of ``attune``: demo, serve, manage, trail, seed."""

from __future__ import annotations

import argparse
import os
import shutil
import sys

# The demo runs on one machine over plain HTTP, with console email and an optional second
# factor; each value can still be overridden from the environment.
DEMO_ENVIRONMENT = {
    "ATTUNE_AUTOGENERATE_SECRETS": "true",
    "ATTUNE_HTTPS": "false",
    "ATTUNE_REQUIRE_MFA": "false",
    "ATTUNE_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    # Pages that show figures (the equity dashboard) say they come from synthetic data.
    "ATTUNE_DEMO": "true",
    # The invented agency clients see on their pages (no crisis line: the demo has none).
    "ATTUNE_AGENCY_NAME": "Riverbend Counselling (demo)",
    "ATTUNE_AGENCY_CONTACT": "Front desk 555-0100 (invented number)",
}
USAGE = """usage: attune COMMAND ...

  demo [--clients N] [--therapists N] [--no-serve] [--reset]
                      set up the synthetic agency on SQLite and serve it on 127.0.0.1:8000
                      with the background-task worker
  serve [--bind HOST:PORT] [--workers N] [--with-worker]
                      serve Attune with gunicorn (and the background-task worker)
  seed [--clients N] [--therapists N] [--supervisors N] [--seed N]
                      add a synthetic agency to the configured database
  trail verify [--checkpoint FILE]
                      check that no access-trail entry was altered or removed (and that the
                      chain still passes through every checkpoint kept in FILE)
  trail checkpoint    print the trail's signed head, to keep away from the database
  trail seal [--follow SECONDS]
                      chain the entries written since the last seal (with --follow: keep doing
                      it every SECONDS; `serve --with-worker` runs this beside the worker)
  backup FILE         write an encrypted, consistent backup of the database to FILE
  restore FILE        restore a backup into an empty database, then check it
  manage ARGS ...     run a Django management command
  lint ...            audit the language of forms, materials and notes
  equity report ...   equity analytics
  measures ...        score and import measures
  email bounces --maildir DIR | --mbox FILE
                      record the check-in emails that bounced (docs/messaging.md)
  import roster|schedule FILE.csv --as LEADER [--apply]
                      bring clients or sessions in from a clinic's CSV file (a dry run
                      unless --apply)
"""


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")
    import django

    django.setup()


def run(command: str, argv: list[str]) -> int:
    """Run a Django-backed sub-command; return its exit code."""
    handlers = {
        "demo": demo,
        "serve": serve,
        "manage": manage,
        "trail": trail,
        "seed": seed,
        "backup": backup,
        "restore": restore,
    }
    handler = handlers.get(command)
    if handler is None:
        print(f"attune: unknown command {command!r}\n", file=sys.stderr)
        print(USAGE, file=sys.stderr)
        return 2
    return handler(argv)


def manage(argv: list[str]) -> int:
    """Pass ``argv`` to Django's management commands."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["attune manage", *argv])
    return 0


def _size_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clients", type=int, default=150)
    parser.add_argument("--therapists", type=int, default=8)
    parser.add_argument("--supervisors", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)


def seed(argv: list[str]) -> int:
    """Add a synthetic agency of the requested size to the configured database."""
    parser = argparse.ArgumentParser(prog="attune seed")
    _size_arguments(parser)
    args = parser.parse_args(argv)
    _django_setup()
    from attune.demo.agency import generate_agency

    summary = generate_agency(
        clients=args.clients,
        therapists=args.therapists,
        supervisors=args.supervisors,
        seed=args.seed,
    )
    _seal_now()
    print(summary.describe())
    return 0


def _seal_now() -> None:
    """Chain what seeding wrote to the trail, so a fresh database starts with a sealed trail."""
    from attune.access.trail import seal

    seal()


def demo(argv: list[str]) -> int:
    """Migrate, seed the synthetic agency once, print the logins and serve on 127.0.0.1:8000.

    The background-task worker runs beside the server, so the demo's check-ins are reminded
    and expire as they would in production.
    """
    parser = argparse.ArgumentParser(prog="attune demo")
    _size_arguments(parser)
    parser.add_argument("--no-serve", action="store_true", help="set up, print logins, exit")
    parser.add_argument("--reset", action="store_true", help="start again from an empty database")
    parser.add_argument("--bind", default="127.0.0.1:8000")
    args = parser.parse_args(argv)
    for name, value in DEMO_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    if args.reset and not os.environ.get("DATABASE_URL"):
        from attune.config.settings import VAR_DIR

        for suffix in ("", "-wal", "-shm"):
            path = VAR_DIR / f"attune.sqlite3{suffix}"
            if path.exists():
                path.unlink()
    _django_setup()
    from django.core.management import call_command

    from attune.demo.agency import demo_logins, generate_agency, is_seeded
    from attune.demo.comments import seed_checkin_comments
    from attune.demo.consultation import seed_consultation
    from attune.demo.equity import seed_equity_gaps
    from attune.demo.notes import seed_notes
    from attune.demo.reflections import seed_reflections
    from attune.demo.repairs import seed_repairs
    from attune.demo.supervision import seed_supervision

    call_command("migrate", verbosity=0)
    if not is_seeded():
        summary = generate_agency(
            clients=args.clients,
            therapists=args.therapists,
            supervisors=args.supervisors,
            seed=args.seed,
        )
        print(summary.describe())
        call_command("seed_system_of_care")
        call_command("seed_care_plans")
        seed_reflections()
        seed_repairs()
        seed_checkin_comments()
        seed_supervision()
        seed_consultation()
        seed_notes()
        seed_equity_gaps()
        call_command("refresh_equity_dashboard")
        _seal_now()
    print(demo_logins(f"http://{args.bind}/"))
    if args.no_serve:
        return 0
    return serve(["--bind", args.bind, "--with-worker"])


def serve(argv: list[str]) -> int:
    """Serve Attune with gunicorn (replaces this process, unless a worker runs beside it)."""
    parser = argparse.ArgumentParser(prog="attune serve")
    parser.add_argument("--bind", default=os.environ.get("ATTUNE_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("ATTUNE_WORKERS", "3")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("ATTUNE_THREADS", "2")))
    parser.add_argument(
        "--access-log", default="-", help="file for the access log; '-' (default) is stdout"
    )
    parser.add_argument(
        "--with-worker",
        action="store_true",
        help="also run the background-task worker (check-in reminders and expiry), "
        "stopped with the server",
    )
    args = parser.parse_args(argv)
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    command = [
        gunicorn,
        "attune.config.wsgi:application",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--worker-class",
        "gthread",
        "--access-logfile",
        args.access_log,
        # No query strings and no client addresses: the log holds no personal data, and the
        # server-side time of each request ends every line.  The logger class redacts what is
        # left: a link's path is written /c/[link]/, never with its token.
        "--access-logformat",
        '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',
        "--logger-class",
        "attune.config.gunicorn_logging.RedactingLogger",
        "--graceful-timeout",
        "5",
    ]
    if args.with_worker:
        return _serve_with_worker(command)
    os.execv(gunicorn, command)  # noqa: S606 - replaces this process with gunicorn, no shell
    return 0  # not reached


# The background worker polls its queue table this often; the tasks it runs are hours apart.
WORKER_INTERVAL_SECONDS = 5


def worker_command() -> list[str]:
    """Return the command that runs the database task worker of this installation."""
    return [
        sys.executable,
        "-m",
        "django",
        "db_worker",
        "--no-reload",
        "--interval",
        str(WORKER_INTERVAL_SECONDS),
    ]


def sealer_command() -> list[str]:
    """Return the command that seals the access trail every few seconds (``attune trail seal``)."""
    return [sys.executable, "-m", "attune.cli", "trail", "seal", "--follow"]


def _serve_with_worker(server_command: list[str]) -> int:
    """Run gunicorn and the task worker as children; stop both when either stops or on a signal.

    Each child runs in its own session, so a Ctrl-C in the terminal reaches only this process,
    which passes one SIGTERM to each: gunicorn finishes its requests, the worker its task.
    If the worker stops by itself, the server is stopped too and the exit code is 1, so the
    service manager restarts both rather than serving without reminders.
    """
    import signal
    import subprocess
    import time

    env = {**os.environ}
    env.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")
    server = subprocess.Popen(server_command, env=env, start_new_session=True)  # noqa: S603
    worker = subprocess.Popen(worker_command(), env=env, start_new_session=True)  # noqa: S603
    sealer = subprocess.Popen(sealer_command(), env=env, start_new_session=True)  # noqa: S603
    children = (server, worker, sealer)

    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    worker_failed = False
    try:
        while server.poll() is None:
            for name, helper in (("task worker", worker), ("trail sealer", sealer)):
                if helper.poll() is not None and not (stopping or worker_failed):
                    worker_failed = True
                    print(
                        f"attune serve: the {name} stopped (exit {helper.returncode}); "
                        "stopping the server",
                        file=sys.stderr,
                    )
                    server.send_signal(signal.SIGTERM)
            time.sleep(0.2)
        code = server.wait()
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 1 if worker_failed else code


TRAIL_USAGE = (
    "usage: attune trail verify [--checkpoint FILE] | attune trail checkpoint"
    " | attune trail seal [--follow SECONDS]"
)
# How often the sealer beside the worker chains newly written trail entries.
SEAL_INTERVAL_SECONDS = 2.0


def trail(argv: list[str]) -> int:
    """``attune trail verify [--checkpoint FILE]`` and ``attune trail checkpoint``.

    verify recomputes the hash chain and, given a file of kept checkpoints, checks that the chain
    still passes through each of them; it exits 1 on any change.  checkpoint prints the signed
    head for the operator to keep elsewhere.
    """
    parser = argparse.ArgumentParser(prog="attune trail", usage=TRAIL_USAGE)
    parser.add_argument("action", choices=["verify", "checkpoint", "seal"])
    parser.add_argument("--checkpoint", metavar="FILE", help="file of kept checkpoints")
    parser.add_argument(
        "--follow",
        type=float,
        nargs="?",
        const=SEAL_INTERVAL_SECONDS,
        metavar="SECONDS",
        help="with seal: keep sealing every SECONDS until stopped",
    )
    args = parser.parse_args(argv)
    _django_setup()
    from attune.access import checkpoints
    from attune.access.trail import verify

    if args.action == "seal":
        return _seal_trail(args.follow)
    if args.action == "checkpoint":
        try:
            print(checkpoints.make())
        except checkpoints.CheckpointError as error:
            print(f"attune trail checkpoint: {error}", file=sys.stderr)
            return 2
        return 0
    kept = None
    if args.checkpoint:
        from django.conf import settings

        if not settings.ATTUNE_TRAIL_CHECKPOINT_KEY:
            print("attune trail verify: ATTUNE_TRAIL_CHECKPOINT_KEY is not set; it checks the file")
            return 2
        try:
            with open(args.checkpoint, encoding="utf-8") as handle:
                kept = checkpoints.parse(handle.read())
        except OSError as error:
            print(f"attune trail verify: cannot read {args.checkpoint} ({error.strerror})")
            return 2
        except checkpoints.CheckpointError as error:
            print(f"TAMPERED: {args.checkpoint}: {error}")
            return 1
    result = verify()
    if not result.ok:
        print(f"TAMPERED: {result.problem} ({result.checked} entries checked before it)")
        return 1
    waiting = f" ({result.pending} intact, awaiting their seal)" if result.pending else ""
    if kept is not None:
        problem = checkpoints.unmatched(kept)
        if problem:
            print(f"TAMPERED: the trail no longer extends a kept checkpoint: {problem}")
            return 1
        print(
            f"ok: {result.checked} entries{waiting}, chain head {result.head_hash}, "
            f"passes through {len(kept)} kept checkpoint(s)"
        )
        return 0
    print(f"ok: {result.checked} entries{waiting}, chain head {result.head_hash}")
    return 0


def _seal_trail(follow: float | None) -> int:
    """Seal once, or every ``follow`` seconds until SIGTERM or Ctrl-C (then finish the batch)."""
    import signal
    import time

    from django.db import close_old_connections

    from attune.access.trail import UnsealableEntry, seal

    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    if follow is not None:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, stop)
    while True:
        try:
            sealed = seal()
        except UnsealableEntry as error:
            print(f"TAMPERED: {error}; nothing after it is sealed", file=sys.stderr)
            return 1
        if follow is None:
            print(f"sealed {sealed} trail entries")
            return 0
        close_old_connections()
        deadline = time.monotonic() + follow
        while not stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, follow))
        if stopping:
            return 0


def backup(argv: list[str]) -> int:
    """``attune backup FILE``: a consistent, sealed snapshot of the database (operations.md)."""
    parser = argparse.ArgumentParser(prog="attune backup")
    parser.add_argument("file", help="where to write the backup (replaced if it exists)")
    args = parser.parse_args(argv)
    _django_setup()
    import time

    from attune.operations.backup import BackupError
    from attune.operations.backup import backup as write_backup

    started = time.monotonic()
    try:
        manifest = write_backup(args.file)
    except BackupError as error:
        print(f"attune backup: {error}", file=sys.stderr)
        return 2
    size = os.path.getsize(args.file)
    print(
        f"backed up {manifest.database}: {len(manifest.rows)} tables, {manifest.total_rows} rows, "
        f"trail head #{manifest.trail_head['seq']}, {manifest.media_files} files; "
        f"{size} bytes in {time.monotonic() - started:.1f} s to {args.file}"
    )
    return 0


def restore(argv: list[str]) -> int:
    """``attune restore FILE``: restore into an empty database, then verify trail and counts."""
    parser = argparse.ArgumentParser(prog="attune restore")
    parser.add_argument("file", help="a file written by attune backup")
    args = parser.parse_args(argv)
    _django_setup()
    from attune.operations.backup import BackupError
    from attune.operations.backup import restore as restore_backup

    try:
        report = restore_backup(args.file)
    except BackupError as error:
        print(f"attune restore: {error}", file=sys.stderr)
        return 2
    manifest = report.manifest
    if not report.ok:
        problems = ([report.trail_problem] if not report.trail_ok else []) + report.count_mismatches
        print(f"attune restore: restored, but the check failed: {'; '.join(problems)}")
        return 1
    print(
        f"restored {manifest.database} backup of {manifest.created}: {len(manifest.rows)} tables, "
        f"{manifest.total_rows} rows, as the manifest says; trail verified "
        f"({report.trail_entries} entries); {manifest.media_files} files; "
        f"{report.seconds:.1f} s"
    )
    return 0
