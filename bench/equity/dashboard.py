"""Benchmark the leaders' equity dashboard on 1,000,000 episodes in PostgreSQL.

Run from the repository root with the project's interpreter:

    .venv/bin/python bench/equity/dashboard.py seed [--episodes 1000000] [--therapists 300]
    flock /tmp/attune-bench.lock .venv/bin/python bench/equity/dashboard.py measure
    .venv/bin/python bench/equity/dashboard.py drop
    .venv/bin/python bench/equity/dashboard.py --database-url URL smoke

``smoke`` seeds a tiny database (300 episodes, 5 therapists), measures it once without the
peer, checks the live and stored reports agree, and drops it: a check that the benchmark
still runs against today's schema, not a measurement.

``seed`` creates the database ``attune_equity_bench`` (``--database-url`` to change it), runs the
migrations and fills the app's own tables (clients, self-identifications and their categories,
therapy sessions, session notes, check-in links, check-ins and measure responses) in
PostgreSQL itself, with ``INSERT ... SELECT`` over ``generate_series``: no row passes through
Python or the ORM. One client is one episode. The data are synthetic, with differences planted
between groups (``PLANTED``); ``setseed`` makes them repeatable. Every encrypted column holds
one valid ciphertext, reused (or the empty text where the field may be blank): the dashboard
never reads those columns, but the rows have their real width. Foreign keys are not checked
row by row while loading (``session_replication_role = replica``); the data are consistent by
construction and ``seed`` counts the orphans afterwards to prove it. Rows go in in the order
the app would write them (by time), so no table is conveniently ordered by client.
``seed-notes`` adds the session notes to a database seeded before they existed.

``measure`` times, on that database, the app's own code:

1. the live aggregation, ``attune.equity.database.report_from_database`` (one statement over
   every episode): the dashboard's default call and the full report with one intersection (as
   ``attune equity report`` without ``--input``), ``--runs-live`` times each, since each takes
   tens of seconds;
2. the nightly refresh, ``attune.equity.dashboard_figures.refresh_figures``: the same statement
   for every view the dashboard offers, its rows stored in the database (once);
3. what a request does now: the view's own ``_report`` over the stored figures for the
   default view, an intersection and the referral quarters, the full report from them, and
   ``GET /equity/`` itself, the first call and ``--runs`` more of each.

Requests go through Django's test client, signed in as a leader (``bench-leader``). It checks
the live and the stored figures give the same report, writes ``EXPLAIN ANALYZE`` of the statement to
``bench/equity/data/``, exports the episodes as an episode file (COPY) and times Aequitas's
significance mode on it with ``run.py``'s peer runner; then it appends one JSON line to
``bench/results/equity-dashboard.jsonl``.
"""

# ruff: noqa: S608
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "bench" / "equity" / "data" / "var"
RESULTS = ROOT / "bench" / "results" / "equity-dashboard.jsonl"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/attune_equity_bench"
SEED = 0.7
LEADER = "bench-leader"
NOTE_TEXT = (
    "Synthetic note. We talked about the week, what helped and what did not, and agreed on "
    "one small step to try before the next session. "
) * 4

# What the synthetic data plant, so that the report has findings to show.
PLANTED = {
    "never_seen_rate": "+7 points for fee tiers minimal and none; +4 without English",
    "days_to_first_session": "+10 days without English",
    "no_show_rate": "+8 points with an accessibility need",
    "dropout_rate": "+12 points for non-binary and transgender clients; +5 for black",
    "phq9_reliable_improvement_rate": "smaller PHQ-9 drops for Arabic speakers",
    "humility_mean": "-12 (0-100) for black clients, -8 for non-binary clients",
    "no effect": "sex assigned at birth, orientation and referral quarter",
}


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    # seed.json, the EXPLAIN and the exported file go beside VAR, absent in a fresh clone.
    VAR.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ATTUNE_VAR_DIR", str(VAR))
    os.environ.setdefault("ATTUNE_AUTOGENERATE_SECRETS", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _admin(database_url: str, sql: str) -> None:
    import psycopg

    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql)


def _name(database_url: str) -> str:
    return database_url.rsplit("/", 1)[1]


# Per episode: attributes (arrays of codes; empty means not disclosed) and planted outcomes.
# Each step reads random() in a fixed order in one session, so setseed() makes it repeatable.
STAGE = """
CREATE TEMP TABLE ep0 AS
SELECT n, timestamptz '2023-01-02 08:00+00' + (random() * 1094)::int * interval '1 day'
    + (random() * 36000)::int * interval '1 second' AS referred_at
FROM generate_series(1, %(episodes)s) AS n;

-- Client ids follow the date of referral, as they do when clients are added one by one.
CREATE TEMP TABLE ep AS
SELECT row_number() OVER (ORDER BY referred_at, n) AS i, referred_at,
  1 + (random() * (%(therapists)s - 1))::int AS therapist_n,
  random() < 0.93 AS identified,
  random() AS rg, random() AS rs, random() AS ro, random() AS rr, random() AS rr2,
  random() AS rl, random() AS ri, random() AS ra, random() AS ra2, random() AS rf,
  random() AS r_seen, random() AS r_wait, random() AS r_n, random() AS r_end,
  random() AS r_scores, random() AS r_phq, random() AS r_phq2, random() AS r_gad, random() AS r_gad2
FROM ep0;

CREATE TEMP TABLE ep2 AS
SELECT e.*,
  CASE WHEN NOT identified OR rg >= 0.97 THEN '{}'::text[]
    WHEN rg < 0.49 THEN '{woman}' WHEN rg < 0.86 THEN '{man}' WHEN rg < 0.92 THEN '{non-binary}'
    WHEN rg < 0.94 THEN '{transgender,woman}' WHEN rg < 0.955 THEN '{transgender,man}'
    ELSE '{genderqueer}' END AS gender,
  CASE WHEN NOT identified OR rs >= 0.985 THEN '{}'::text[]
    WHEN rs < 0.52 THEN '{female}' WHEN rs < 0.98 THEN '{male}' ELSE '{intersex}' END AS sex,
  CASE WHEN NOT identified OR ro >= 0.92 THEN '{}'::text[]
    WHEN ro < 0.70 THEN '{straight}' WHEN ro < 0.75 THEN '{gay}' WHEN ro < 0.79 THEN '{lesbian}'
    WHEN ro < 0.87 THEN '{bisexual}' WHEN ro < 0.90 THEN '{queer}' WHEN ro < 0.91 THEN '{asexual}'
    ELSE '{questioning}' END AS orientation,
  CASE WHEN NOT identified OR rr >= 0.97 THEN '{}'::text[]
    ELSE ARRAY[CASE WHEN rr < 0.55 THEN 'white' WHEN rr < 0.73 THEN 'hispanic'
      WHEN rr < 0.86 THEN 'black' WHEN rr < 0.93 THEN 'asian' WHEN rr < 0.945 THEN 'aian'
      WHEN rr < 0.95 THEN 'nhpi' ELSE 'mena' END]
      || CASE WHEN rr2 < 0.06 THEN ARRAY[CASE WHEN rr < 0.55 THEN 'hispanic' ELSE 'white' END]
         ELSE '{}'::text[] END END AS race,
  CASE WHEN rl < 0.80 THEN '{en}'::text[] WHEN rl < 0.88 THEN '{en,es}' WHEN rl < 0.94 THEN '{es}'
    WHEN rl < 0.96 THEN '{ar}' WHEN rl < 0.97 THEN '{ar,en}' WHEN rl < 0.985 THEN '{vi}'
    ELSE '{zh}' END AS languages,
  CASE WHEN NOT identified OR ra >= 0.30 THEN '{}'::text[]
    WHEN ra < 0.25 THEN ARRAY[(ARRAY['step-free','captions','large-print','quiet-room',
      'extra-time','easy-read'])[1 + (ra2 * 5)::int]]
    ELSE '{captions,extra-time}' END AS access,
  CASE WHEN NOT identified OR rf >= 0.95 THEN '{}'::text[]
    WHEN rf < 0.45 THEN '{full}' WHEN rf < 0.75 THEN '{reduced}' WHEN rf < 0.87 THEN '{minimal}'
    ELSE '{none}' END AS fee
FROM ep AS e;

CREATE TEMP TABLE ep3 AS
SELECT e.*,
  CASE WHEN 'en' = ANY(languages) THEN (CASE WHEN ri < 0.02 THEN 'not_sure' ELSE 'no' END)
    ELSE (CASE WHEN ri < 0.7 THEN 'yes' ELSE 'no' END) END AS interpreter,
  r_seen < 0.08 + 0.07 * (fee && '{minimal,none}')::int
    + 0.04 * (NOT 'en' = ANY(languages))::int AS never_seen,
  7 + (r_wait * 21)::int + 10 * (NOT 'en' = ANY(languages))::int AS wait_days,
  0.10 + 0.08 * (cardinality(access) > 0)::int AS p_no_show,
  0.18 + 0.12 * (gender && '{non-binary,transgender}')::int
    + 0.05 * ('black' = ANY(race))::int AS p_dropout,
  -1.2 * ('black' = ANY(race))::int - 0.8 * ('non-binary' = ANY(gender))::int AS humility_shift,
  3 * ('ar' = ANY(languages))::int AS phq_shift
FROM ep2 AS e;

CREATE TEMP TABLE episode AS
SELECT e.*,
  CASE WHEN never_seen THEN (r_n < 0.5)::int ELSE 1 + (r_n * 5.99)::int END AS n_sessions,
  CASE WHEN never_seen THEN (CASE WHEN r_end < 0.3 THEN 'dropped_out' ELSE '' END)
    WHEN r_end < p_dropout THEN 'dropped_out' WHEN r_end < p_dropout + 0.5 THEN 'completed'
    WHEN r_end < p_dropout + 0.55 THEN 'transferred' ELSE '' END AS end_reason,
  NOT never_seen AND r_scores < 0.7 AS has_scores,
  8 + (r_phq * 15)::int AS phq_first, 5 + (r_gad * 15)::int AS gad_first
FROM ep3 AS e;
CREATE INDEX ON episode (i);
ANALYZE episode;
"""

LOAD = """
INSERT INTO access_staffuser (password, is_superuser, username, first_name, last_name, email,
  is_staff, is_active, date_joined, role, display_name, pronouns)
SELECT '!', false, 'bench-therapist-' || n, '', '', '', false, true, now(), 'therapist',
  'Therapist ' || n, '' FROM generate_series(1, %(therapists)s) AS n;
CREATE TEMP TABLE therapist AS
SELECT row_number() OVER (ORDER BY id) AS n, id FROM access_staffuser WHERE role = 'therapist';

INSERT INTO clients_client (id, case_code, chosen_name, pronouns, legal_name, email, phone,
  contact_consent, preferred_language, interpreter_needed, created_at, updated_at, closed_at,
  therapist_id, page_language, access_needs, latest_identity_id, end_reason)
SELECT e.i, 'BQ' || lpad(e.i::text, 10, '0'), %(name)s, '', '', '', '', 'none',
  e.languages[1], CASE WHEN e.identified THEN e.interpreter ELSE '' END,
  e.referred_at, e.referred_at, CASE WHEN e.end_reason <> '' THEN e.referred_at
    + (e.wait_days + 7 * e.n_sessions) * interval '1 day' END,
  t.id, 'en', to_jsonb(e.access), CASE WHEN e.identified THEN e.i END, e.end_reason
FROM episode AS e JOIN therapist AS t ON t.n = e.therapist_n ORDER BY e.i;

INSERT INTO clients_selfidentification (id, version, created_at, answers, declined, client_id,
  written_by_id, written_via_link_id)
SELECT e.i, 1, e.referred_at, %(identity)s, '[]', e.i, t.id, NULL
FROM episode AS e JOIN therapist AS t ON t.n = e.therapist_n WHERE e.identified ORDER BY e.i;

INSERT INTO clients_identitycategory (question, code, self_identification_id)
SELECT q.question, q.code, q.i FROM episode AS e, LATERAL (
  SELECT e.i, 'gender' AS question, unnest(e.gender) AS code
  UNION ALL SELECT e.i, 'sex_at_birth', unnest(e.sex)
  UNION ALL SELECT e.i, 'orientation', unnest(e.orientation)
  UNION ALL SELECT e.i, 'race_ethnicity', unnest(e.race)
  UNION ALL SELECT e.i, 'languages', unnest(e.languages)
  UNION ALL SELECT e.i, 'interpreter', e.interpreter
  UNION ALL SELECT e.i, 'accessibility', unnest(e.access)
  UNION ALL SELECT e.i, 'fee_tier', unnest(e.fee)
) AS q WHERE e.identified ORDER BY e.i;

INSERT INTO care_therapysession (starts_at, status, cancelled_by, held_at, interpreter,
  created_at, updated_at, client_id, therapist_id)
-- A held session records the interpreter: there when the client asked for one, else not needed.
SELECT s.starts_at, s.status, CASE s.status WHEN 'cancelled' THEN s.who ELSE '' END,
  CASE s.status WHEN 'held' THEN s.starts_at END,
  CASE WHEN s.status <> 'held' THEN '' WHEN s.interpreter = 'yes' THEN 'professional'
    ELSE 'not_needed' END,
  s.starts_at - interval '7 days', s.starts_at, s.i, s.therapist_id
FROM (
  SELECT d.i, d.therapist_id, d.starts_at, d.interpreter,
    CASE WHEN d.never_seen THEN (CASE WHEN d.r < 0.6 THEN 'no_show' ELSE 'cancelled' END)
      WHEN d.k = 1 THEN 'held' WHEN d.r < d.p_no_show THEN 'no_show'
      WHEN d.r < d.p_no_show + 0.08 THEN 'cancelled' ELSE 'held' END AS status,
    CASE WHEN d.r < d.p_no_show + 0.05 THEN 'client' ELSE 'therapist' END AS who
  FROM (
    SELECT e.i, t.id AS therapist_id, k, e.never_seen, e.p_no_show, e.interpreter, random() AS r,
      e.referred_at + (e.wait_days + 7 * (k - 1)) * interval '1 day' AS starts_at
    FROM episode AS e JOIN therapist AS t ON t.n = e.therapist_n,
      generate_series(1, e.n_sessions) AS k
  ) AS d
) AS s ORDER BY s.starts_at, s.i;

-- Rows go in in the order the app would write them (by time).
-- One check-in per held session with probability 0.6 (the session check-in), and for 70%%
-- of the seen clients a first and a last check-in carrying a PHQ-9 and a GAD-7 each.
CREATE TEMP TABLE mc AS
SELECT row_number() OVER (ORDER BY sent_at, client_id, kind) AS n, * FROM (
  SELECT e.i AS client_id, NULL::bigint AS session_id, 'first' AS kind,
    e.referred_at + e.wait_days * interval '1 day' - interval '2 days' AS sent_at,
    e.phq_first::float AS phq, e.gad_first::float AS gad, NULL::float AS h, NULL::float AS a
  FROM episode AS e WHERE e.has_scores
  UNION ALL
  SELECT e.i, NULL, 'last',
    e.referred_at + (e.wait_days + 7 * e.n_sessions) * interval '1 day',
    greatest(0, least(27, e.phq_first - (e.r_phq2 * 13)::int + 2 + e.phq_shift))::float,
    greatest(0, least(21, e.gad_first - (e.r_gad2 * 9)::int + 1))::float, NULL, NULL
  FROM episode AS e WHERE e.has_scores
  UNION ALL
  SELECT s.client_id, s.id, 'session', s.starts_at + interval '2 hours', NULL, NULL,
    greatest(0, least(10, round(8 + 1.3 * (random() + random() + random() - 1.5) * 2
      + e.humility_shift))),
    greatest(0, least(10, round(7.5 + 1.3 * (random() + random() + random() - 1.5) * 2)))
  FROM care_therapysession AS s JOIN episode AS e ON e.i = s.client_id
  WHERE s.status = 'held' AND random() < 0.6
) AS x;

INSERT INTO clients_clientlink (id, purpose, token_hash, created_at, expires_at, single_use,
  used_at, revoked_at, client_id, created_by_id)
SELECT %(link0)s + m.n, %(purpose)s, md5('link' || m.n) || md5('hash' || m.n),
  m.sent_at, m.sent_at + interval '14 days', true, m.sent_at + interval '1 hour', NULL,
  m.client_id, NULL FROM mc AS m ORDER BY m.n;

INSERT INTO measures_checkin (id, goal_texts, sent_at, reminder_sent_at, expires_at, client_id,
  link_id, sent_by_id, session_id, instrument_id, due_on, schedule_id)
SELECT %(checkin0)s + m.n, '', m.sent_at, NULL, m.sent_at + interval '14 days', m.client_id,
  %(link0)s + m.n, NULL, m.session_id,
  CASE m.kind WHEN 'session' THEN %(session_checkin)s ELSE %(phq9)s END, NULL, NULL
FROM mc AS m ORDER BY m.n;

INSERT INTO measures_response (answers, total, band, subscales, items_answered, items_missing,
  safety_items, submitted_at, checkin_id, client_id, instrument_id)
SELECT r.answers, r.total, '', r.subscales, r.items, 0, '[]', r.at, r.checkin, r.client_id,
  r.instrument FROM (
  SELECT %(answers)s AS answers, m.phq AS total, '{}'::jsonb AS subscales, 9 AS items,
    m.sent_at + interval '1 hour' AS at, %(checkin0)s + m.n AS checkin, m.client_id,
    %(phq9)s AS instrument, m.n, 1 AS part FROM mc AS m WHERE m.kind <> 'session'
  UNION ALL
  SELECT %(answers)s, m.gad, '{}'::jsonb, 7, m.sent_at + interval '1 hour', %(checkin0)s + m.n,
    m.client_id, %(gad7)s, m.n, 2 FROM mc AS m WHERE m.kind <> 'session'
  UNION ALL
  SELECT %(answers)s, m.h + m.a, '{}'::jsonb || jsonb_build_object('humility', m.h,
    'alliance', m.a), 2, m.sent_at + interval '1 hour', %(checkin0)s + m.n, m.client_id,
    %(session_checkin)s, m.n, 3 FROM mc AS m WHERE m.kind = 'session'
) AS r ORDER BY r.at, r.n, r.part;
"""

# Four in five held sessions have a current note. Only its two counts matter to the report;
# planted: twice the rate of stigmatizing findings in the notes of black clients.
NOTES = """
INSERT INTO care_sessionnote (version, text, word_count, stigmatizing_findings, created_at,
  superseded_at, client_id, session_id, written_by_id)
SELECT 1, %(note)s, n.words, least(n.words, floor(n.r * n.words * n.rate / 500)::int),
  n.starts_at + interval '3 hours', NULL, n.client_id, n.id, n.therapist_id
FROM (
  SELECT s.id, s.client_id, s.therapist_id, s.starts_at, 80 + (random() * 320)::int AS words,
    random() AS r,
    CASE WHEN EXISTS (SELECT 1 FROM clients_client AS c JOIN clients_identitycategory AS k
      ON k.self_identification_id = c.latest_identity_id
      WHERE c.id = s.client_id AND k.question = 'race_ethnicity' AND k.code = 'black')
    THEN 4 ELSE 2 END AS rate
  FROM care_therapysession AS s WHERE s.status = 'held' AND random() < 0.8
) AS n ORDER BY n.starts_at, n.id
"""

TABLES = (
    "clients_client",
    "clients_selfidentification",
    "clients_identitycategory",
    "care_therapysession",
    "clients_clientlink",
    "measures_checkin",
    "measures_response",
    "care_sessionnote",
)

# Every foreign key the load wrote, as (table, column, referenced table).
REFERENCES = (
    ("clients_client", "therapist_id", "access_staffuser"),
    ("clients_client", "latest_identity_id", "clients_selfidentification"),
    ("clients_selfidentification", "client_id", "clients_client"),
    ("clients_selfidentification", "written_by_id", "access_staffuser"),
    ("clients_identitycategory", "self_identification_id", "clients_selfidentification"),
    ("care_therapysession", "client_id", "clients_client"),
    ("care_therapysession", "therapist_id", "access_staffuser"),
    ("clients_clientlink", "client_id", "clients_client"),
    ("measures_checkin", "client_id", "clients_client"),
    ("measures_checkin", "link_id", "clients_clientlink"),
    ("measures_checkin", "session_id", "care_therapysession"),
    ("measures_checkin", "instrument_id", "measures_storedinstrument"),
    ("measures_response", "checkin_id", "measures_checkin"),
    ("measures_response", "client_id", "clients_client"),
    ("measures_response", "instrument_id", "measures_storedinstrument"),
    ("care_sessionnote", "client_id", "clients_client"),
    ("care_sessionnote", "session_id", "care_therapysession"),
    ("care_sessionnote", "written_by_id", "access_staffuser"),
)


def _unnamed_column_defaults(connection) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """Return (table, column, SQL literal) for every required column the load may not name.

    The statements above name the columns that existed when they were written; a column
    added to the app since (with a default in Django, never in the database) would stop the
    load on a null. Each gets its Django default as a database default for the load only.
    """
    from django.apps import apps
    from psycopg import sql

    tables = {*TABLES, "access_staffuser"}
    defaults = []
    for model in apps.get_models():
        if model._meta.db_table not in tables:
            continue
        for field in model._meta.concrete_fields:
            if field.null or field.primary_key or getattr(field, "auto_now_add", False):
                continue
            default = field.get_default()
            if default is None:
                continue
            value = field.get_db_prep_save(default, connection)
            literal = sql.Literal(value).as_string(connection.connection)
            defaults.append((model._meta.db_table, field.column, literal))
    return defaults


def _statements(script: str) -> list[str]:
    parts = [part.strip() for part in script.split(";\n")]
    return [part for part in parts if part and not part.startswith("SELECT coalesce")]


def seed(arguments: argparse.Namespace) -> int:
    """Create, migrate and fill the benchmark database."""
    url = arguments.database_url
    started = time.perf_counter()
    _admin(url, f'DROP DATABASE IF EXISTS "{_name(url)}"')
    _admin(url, f'CREATE DATABASE "{_name(url)}"')
    _django(url)
    from django.core.management import call_command
    from django.db import connection, transaction

    from attune.access.models import Role, StaffUser
    from attune.clients.encrypted import cipher
    from attune.measures.services import CHECKIN_PURPOSE, bundled_instrument_stored

    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    instruments = {name: bundled_instrument_stored(name).pk for name in ("phq9", "gad7")}
    instruments["session_checkin"] = bundled_instrument_stored("session-checkin").pk
    StaffUser.objects.create_user(LEADER, role=Role.LEADER, display_name="Bench leader")

    def encrypted(value: object) -> str:
        return cipher().encrypt(json.dumps(value).encode()).decode("ascii")

    params = {
        "episodes": arguments.episodes,
        "therapists": arguments.therapists,
        "name": cipher().encrypt(b"Synthetic Client").decode("ascii"),
        "identity": encrypted({"gender": {"words": "", "categories": ["woman"]}}),
        "answers": encrypted({f"item{n}": 2 for n in range(1, 10)}),
        "note": cipher().encrypt(NOTE_TEXT.encode()).decode("ascii"),
        "purpose": CHECKIN_PURPOSE,
        "link0": 0,
        "checkin0": 0,
        **instruments,
    }
    timings: dict[str, float] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # Consistent by construction: skip the per-row foreign-key triggers while loading.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SELECT setseed(%s)", [SEED])
        defaults = _unnamed_column_defaults(connection)
        for table, column, literal in defaults:
            cursor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET DEFAULT {literal}')
        for statement in _statements(STAGE) + _statements(LOAD) + [NOTES]:
            step = time.perf_counter()
            cursor.execute(statement, params if "%(" in statement else None)
            label = " ".join(statement.split()[:3])
            timings[label] = round(timings.get(label, 0) + time.perf_counter() - step, 1)
            print(f"{time.perf_counter() - started:7.1f} s  {label}", file=sys.stderr)
        for table, column, _literal in defaults:
            cursor.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" DROP DEFAULT')
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
    loaded = time.perf_counter()
    orphans = _orphans(connection)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    summary = {
        "database": _name(url),
        "episodes": arguments.episodes,
        "therapists": arguments.therapists,
        "rows": counts,
        "orphans": orphans,
        "size_gib": round(size / 2**30, 2),
        "migrate_s": round(migrated - started, 1),
        "load_s": round(loaded - migrated, 1),
        "seed_s": round(time.perf_counter() - started, 1),
        "steps_s": timings,
    }
    print(json.dumps(summary))
    (VAR.parent / "seed.json").write_text(json.dumps(summary, indent=2) + "\n")
    return 0 if not any(orphans.values()) else 1


def _orphans(connection) -> dict[str, int]:  # type: ignore[no-untyped-def]
    found = {}
    with connection.cursor() as cursor:
        for table, column, target in REFERENCES:
            cursor.execute(
                f"SELECT count(*) FROM {table} AS a WHERE a.{column} IS NOT NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {target} AS b WHERE b.id = a.{column})"
            )
            found[f"{table}.{column}"] = cursor.fetchone()[0]
    return found


EXPORT = """{measures}, attrs AS (
  SELECT k.self_identification_id AS identity_id, {columns}
  FROM {category} AS k GROUP BY k.self_identification_id
)
SELECT ep.id AS episode_id, ep.id AS client_id,
  (ep.referred_at AT TIME ZONE 'UTC')::date AS referral_date,
  (ep.referred_at AT TIME ZONE 'UTC')::date + ep.wait_days AS first_session_date,
  NULL AS end_date, CASE ep.end_reason WHEN '' THEN 'ongoing' ELSE ep.end_reason END AS end_reason,
  ep.scheduled AS sessions_scheduled, ep.attended AS sessions_attended,
  ep.phq9_first, ep.phq9_last, ep.gad7_first, ep.gad7_last,
  ep.h AS humility_mean, ep.a AS alliance_mean, {attributes}
FROM ep LEFT JOIN attrs ON attrs.identity_id = ep.identity_id ORDER BY ep.id"""


def export_csv(path: Path) -> float:
    """Write the database's episodes as an episode file (for the peer), with PostgreSQL's COPY."""
    from django.db import connection

    from attune.equity import database

    measures, params = database._measures_sql(None)
    assert not params
    names = database.ATTRIBUTES
    sql = EXPORT.format(
        measures=measures,
        category=database._tables()["category"],
        columns=", ".join(
            f"string_agg(CASE WHEN k.question = '{name}' THEN k.code END, ';' ORDER BY k.code) "
            f"AS {name}"
            for name in names
        ),
        attributes=", ".join(f"attrs.{name}" for name in names),
    )
    started = time.perf_counter()
    connection.ensure_connection()
    with connection.connection.cursor() as cursor, path.open("wb") as output:
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for data in copy:
                output.write(data)
    return round(time.perf_counter() - started, 1)


def _timed(function, runs: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Call ``function`` once (the first, cold call) and then ``runs`` times; seconds."""
    times = []
    result = None
    for _ in range(runs + 1):
        started = time.perf_counter()
        result = function()
        times.append(round(time.perf_counter() - started, 3))
    print(f"    first {times[0]} s, then {times[1:]}", file=sys.stderr)
    return {
        "first_s": times[0],
        "runs_s": times[1:],
        "median_s": statistics.median(times[1:]) if runs else None,
        "result": result,
    }


def _rows(report) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    from dataclasses import asdict

    return [asdict(row) for row in report.rows]


def _same(first: list[dict[str, object]], second: list[dict[str, object]]) -> bool:
    """Whether two reports agree: everything equal but floats, and floats to 1e-6.

    Sums of floats taken in another order differ in their last bits, and through the
    Benjamini-Hochberg step a q-value can move in its ninth digit; the largest relative
    difference is printed.
    """
    import math

    if len(first) != len(second):
        print(f"    reports differ: {len(first)} and {len(second)} rows", file=sys.stderr)
        return False
    largest, same = 0.0, True
    for row, other in zip(first, second, strict=True):
        for key, value in row.items():
            theirs = other.get(key)
            if isinstance(value, float) and isinstance(theirs, float):
                scale = max(abs(value), abs(theirs))
                if scale > 1e-300:
                    largest = max(largest, abs(value - theirs) / scale)
                if not math.isclose(value, theirs, rel_tol=1e-6, abs_tol=1e-300):
                    same = False
            elif value != theirs:
                where = (row["metric"], row["attribute"], row["group"])
                print(f"    reports differ at {where}: {key} {value!r} {theirs!r}", file=sys.stderr)
                same = False
    print(f"    largest relative difference of a float: {largest:.1e}", file=sys.stderr)
    return same


def _page(runs: int, query: str = "", shows: str = "") -> dict[str, object]:
    """Time GET /equity/ through Django's test client, signed in as a leader.

    ``shows`` is the attribute the page's "Group by" must have selected, so that a view
    asked for is the view timed (any view for the default page, which picks its own).
    """
    from django.test import Client

    from attune.access.models import StaffUser

    client = Client()
    client.force_login(StaffUser.objects.get(username=LEADER))

    def get():  # type: ignore[no-untyped-def]
        response = client.get(f"/equity/{query}", secure=True)
        assert response.status_code == 200, response.status_code
        selected = f'value="{shows}" selected' if shows else " selected>"
        assert selected.encode() in response.content, f"{query} does not show {shows!r}"
        return len(response.content)

    return _timed(get, runs)


def _explain(sql: str, params, path: Path) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        path.write_text("\n".join(row[0] for row in cursor.fetchall()) + "\n")


def measure(arguments: argparse.Namespace) -> int:
    """Time the dashboard on the seeded database (see the module docstring)."""
    os.environ.setdefault("ATTUNE_ALLOWED_HOSTS", "testserver")
    # As in the test suite: the page is timed without the second-factor sign-in step.
    os.environ.setdefault("ATTUNE_REQUIRE_MFA", "false")
    _django(arguments.database_url)
    from django.db import connection

    from attune.equity import database, views
    from attune.equity.dashboard_figures import figures_statistics
    from attune.equity.database import statistics_statement
    from attune.equity.report import report_from_statistics

    load = os.getloadavg()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"load before: {uptime}", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM clients_client")
        episodes = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database()), version()")
        size, version = cursor.fetchone()
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    full = {"intersect": [("gender", "languages")]}
    results: dict[str, object] = {
        "benchmark": "equity-dashboard",
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "episodes": episodes,
        "database_gib": round(size / 2**30, 2),
        "postgresql": version.split(" on ")[0],
        "work_mem": work_mem,
        "shared_buffers": shared_buffers,
        "cpus": os.cpu_count(),
        "load_average_before": [round(value, 2) for value in load],
        "runs": arguments.runs,
        "runs_live": arguments.runs_live,
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
    }
    results["page"] = "/equity/ (the default view, which the page chooses)"
    results["planted"] = PLANTED

    from attune.equity.dashboard_figures import INTERSECTIONS, refresh_figures
    from attune.equity.models import DashboardCell

    def live(**kwargs):  # type: ignore[no-untyped-def]
        return lambda: database.report_from_database(**kwargs)

    timings: dict[str, dict[str, object]] = {}
    if arguments.runs_live:
        print("live: dashboard", file=sys.stderr)
        timings["live_dashboard"] = _timed(live(), arguments.runs_live - 1)
        print("live: full report", file=sys.stderr)
        timings["live_full_report"] = _timed(live(**full), arguments.runs_live - 1)

    print("refresh: every view", file=sys.stderr)
    started = time.perf_counter()
    figures = refresh_figures()
    results["refresh_s"] = round(time.perf_counter() - started, 1)
    results["cells"] = figures.n_cells
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pg_total_relation_size('{DashboardCell._meta.db_table}')"  # noqa: S608
        )
        results["cells_mib"] = round(cursor.fetchone()[0] / 2**20, 1)

    def stored(view: str):  # type: ignore[no-untyped-def]
        return lambda: views._report(view, figures)

    def stored_full():  # type: ignore[no-untyped-def]
        statistics = figures_statistics(figures, **full)
        return report_from_statistics(statistics)

    intersection, trend = "gender+languages", "referral_quarter+fee_tier"
    assert intersection in INTERSECTIONS and trend in INTERSECTIONS
    for name, function in (
        ("stored_dashboard", stored(views.ATTRIBUTES[0])),
        ("stored_intersection", stored(intersection)),
        ("stored_quarters", stored(trend)),
        ("stored_full_report", stored_full),
    ):
        print(f"stored: {name}", file=sys.stderr)
        timings[name] = _timed(function, arguments.runs)
    for label, query, shows in (
        ("page", "", ""),
        # quote(): a "+" in a query string would read as a space.
        ("page_intersection", f"?attribute={quote(intersection)}", intersection),
        ("page_quarters", f"?attribute={quote(trend)}", trend),
    ):
        print(f"stored: GET /equity/{query}", file=sys.stderr)
        timings[label] = _page(arguments.runs, query, shows)

    if "live_dashboard" in timings:
        for name in ("dashboard", "full_report"):
            results[f"same_report_{name}"] = _same(
                _rows(timings[f"live_{name}"]["result"]), _rows(timings[f"stored_{name}"]["result"])
            )
    report = timings["stored_full_report"]["result"]
    results["report_rows"] = len(report.rows)
    results["report_tests"] = report.n_tests
    results["report_significant"] = sum(bool(row.significant) for row in report.rows)
    for timing in timings.values():
        timing.pop("result", None)
    results["timings"] = timings

    plain = statistics_statement(database.ATTRIBUTES)
    _explain(*plain, VAR.parent / "explain-live-dashboard.txt")
    if not arguments.skip_peer:
        sys.path.insert(0, str(ROOT / "bench" / "equity"))
        import run as peer_runner

        episodes_file = VAR.parent / f"dashboard-episodes-{episodes}.csv"
        print(f"peer: export {episodes_file}", file=sys.stderr)
        results["export_s"] = export_csv(episodes_file)
        print("peer: aequitas", file=sys.stderr)
        peer = peer_runner._peer_run(episodes_file)
        results["aequitas"] = peer
        for name in ("live_dashboard", "stored_dashboard", "page"):
            if name in timings:
                ours = timings[name]["median_s"] or timings[name]["first_s"]
                results[f"ratio_significance_to_{name}"] = round(
                    float(peer["significance_seconds"]) / float(ours), 1
                )
    results["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    with arguments.output.open("a") as output:
        output.write(json.dumps(results) + "\n")
    print(json.dumps(results, indent=2))
    return 0


def seed_notes(arguments: argparse.Namespace) -> int:
    """Add the session notes to a database seeded before notes existed (same statement)."""
    _django(arguments.database_url)
    from django.core.management import call_command
    from django.db import connection, transaction

    from attune.clients.encrypted import cipher

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SELECT setseed(%s)", [SEED])
        cursor.execute(NOTES, {"note": cipher().encrypt(NOTE_TEXT.encode()).decode("ascii")})
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('care_sessionnote', 'id'), "
            "(SELECT coalesce(max(id), 1) FROM care_sessionnote))"
        )
    loaded = round(time.perf_counter() - started, 1)
    orphans = _orphans(connection)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) care_sessionnote")
        cursor.execute("SELECT count(*) FROM care_sessionnote")
        print(json.dumps({"notes": cursor.fetchone()[0], "load_s": loaded, "orphans": orphans}))
    return 0


def drop(arguments: argparse.Namespace) -> int:
    """Drop the benchmark database."""
    _admin(arguments.database_url, f'DROP DATABASE IF EXISTS "{_name(arguments.database_url)}"')
    return 0


def smoke(arguments: argparse.Namespace) -> int:
    """Seed a tiny database, measure it once without the peer, check, and drop it."""
    import tempfile

    # As measure sets them, before seed sets Django up.
    os.environ.setdefault("ATTUNE_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("ATTUNE_REQUIRE_MFA", "false")
    arguments.episodes, arguments.therapists = 300, 5
    arguments.runs, arguments.runs_live, arguments.skip_peer = 1, 1, True
    try:
        if seed(arguments) != 0:
            return 1
        with tempfile.TemporaryDirectory(prefix="attune-dashboard-smoke-") as directory:
            arguments.output = Path(directory) / "smoke.jsonl"
            measure(arguments)
            result = json.loads(arguments.output.read_text())
        same = result["same_report_dashboard"] and result["same_report_full_report"]
        print(f"smoke: dashboard on {result['episodes']} episodes, live and stored agree: {same}")
        return 0 if same else 1
    finally:
        from django.db import connections

        connections.close_all()
        drop(arguments)


def main() -> int:
    """Seed, measure, drop, or all three at a tiny size (smoke)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    commands = parser.add_subparsers(dest="command", required=True)
    seeding = commands.add_parser("seed", help="create and fill the database")
    seeding.add_argument("--episodes", type=int, default=1_000_000)
    seeding.add_argument("--therapists", type=int, default=300)
    seeding.set_defaults(run=seed)
    measuring = commands.add_parser("measure", help="time the dashboard and the peer")
    measuring.add_argument("--runs", type=int, default=5, help="warm runs after the first")
    measuring.add_argument(
        "--runs-live", type=int, default=1, help="runs of the live aggregation (0: none)"
    )
    measuring.add_argument("--skip-peer", action="store_true")
    measuring.add_argument("--output", type=Path, default=RESULTS, help="JSON lines to append to")
    measuring.set_defaults(run=measure)
    noting = commands.add_parser("seed-notes", help="add session notes to an older seed")
    noting.set_defaults(run=seed_notes)
    dropping = commands.add_parser("drop", help="drop the database")
    dropping.set_defaults(run=drop)
    smoking = commands.add_parser("smoke", help="seed, measure and drop a tiny database")
    smoking.set_defaults(run=smoke)
    arguments = parser.parse_args()
    return arguments.run(arguments)


if __name__ == "__main__":
    sys.exit(main())
