"""The equity report of the app's own episodes, aggregated in the database.

This is the statistics engine's bridge to the app's tables; it, the dashboard's stored
figures, the models and the views are the equity modules that import Django. The SQL text
holds only table names from the models and constants of this module; every value travels as
a parameter (hence the file-wide S608 exemption). It never loads a row about a person into
Python: one statement computes every episode's measures once and returns, for each
group of each attribute and intersection asked for, its sums and its table of waits;
``report_from_statistics`` does the rest.

An episode is a client (one episode per client). Its fields, as SQL over the app's tables:

- ``referral_date``: the date (UTC) the client was added; ``first_session_date``: the date
  (UTC) of the first held session.
- ``sessions_scheduled``: held, no-show and client-cancelled sessions; ``sessions_attended``:
  held sessions.
- ``end_reason``: the client's end reason, empty meaning ongoing.
- ``phq9_first``/``phq9_last``, ``gad7_first``/``gad7_last``: first and last scored totals.
- ``humility_mean``/``alliance_mean``: the mean of the client's session check-in subscales
  (0-10) times ten (0-100).
- ``note_words``/``note_findings``: the sums of the two integers each current session note
  keeps (``word_count``, ``stigmatizing_findings``); a client with no words of notes is not
  in the documentation-language metric.  The notes' encrypted text is never read.
- ``invitations``/``unreached``: the client's check-ins with an invitation message (email or
  text), and those whose every invitation message ended undelivered, failed or refused because
  the client opted out of texts (one still on its way is not unreached); a client never
  invited is not in the reach metric.
- ``sms_consented``/``sms_opted_out``: the client agreed to texts and has a number (its blind
  index is set: the encrypted number is never read), and has texted STOP since.

Each attribute is a self-identification question; a client's groups are the codes of their
newest self-identification, and a client without one is ``not disclosed``.
"""

# ruff: noqa: S608
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from django.db import connection, transaction

from attune.equity import schema
from attune.equity.errors import EquityInputError
from attune.equity.report import report_from_statistics
from attune.equity.summaries import (
    AGGREGATE_FIELDS,
    NOTE_AGGREGATE_FIELDS,
    REACH_AGGREGATE_FIELDS,
    AttributeSummaries,
    EquityStatistics,
    GroupSummaries,
    metric_summaries,
)
from attune.equity.suppression import MINIMUM_CELL

if TYPE_CHECKING:
    from attune.equity.report import Report

ATTRIBUTES: tuple[str, ...] = (
    "gender",
    "sex_at_birth",
    "orientation",
    "race_ethnicity",
    "languages",
    "interpreter",
    "accessibility",
    "fee_tier",
)

# Not self-identified: the calendar quarter of referral ("2025-Q3"), for trends. Intersect
# it with an attribute so that each group's quarters add up to the group's shown cell.
QUARTER = "referral_quarter"
KNOWN = (*ATTRIBUTES, QUARTER)

PHQ9 = "phq9"
GAD7 = "gad7"
SESSION_CHECKIN = "session-checkin"


def _tables() -> dict[str, str]:
    from attune.care.models import SessionNote, TherapySession
    from attune.clients.models import Client, IdentityCategory
    from attune.measures.models import CheckIn, MessageDelivery, Response, StoredInstrument

    return {
        "checkin": CheckIn._meta.db_table,
        "delivery": MessageDelivery._meta.db_table,
        "client": Client._meta.db_table,
        "session": TherapySession._meta.db_table,
        "note": SessionNote._meta.db_table,
        "response": Response._meta.db_table,
        "instrument": StoredInstrument._meta.db_table,
        "category": IdentityCategory._meta.db_table,
    }


def _vendor_sql() -> dict[str, str]:
    """Return the few expressions that differ between SQLite and PostgreSQL."""
    if connection.vendor == "postgresql":
        return {
            "days": "((s.first_held AT TIME ZONE 'UTC')::date"
            " - (e.referred_at AT TIME ZONE 'UTC')::date)",
            "humility": "(r.subscales ->> 'humility')::double precision",
            "alliance": "(r.subscales ->> 'alliance')::double precision",
            "quarter": "to_char(m.referred_at AT TIME ZONE 'UTC', 'YYYY-\"Q\"Q')",
        }
    if connection.vendor == "sqlite":
        return {
            "days": "CAST(julianday(date(s.first_held)) - julianday(date(e.referred_at))"
            " AS INTEGER)",
            "humility": "CAST(json_extract(r.subscales, '$.humility') AS REAL)",
            "alliance": "CAST(json_extract(r.subscales, '$.alliance') AS REAL)",
            "quarter": "strftime('%%Y', m.referred_at) || '-Q' || "
            "((CAST(strftime('%%m', m.referred_at) AS INTEGER) + 2) / 3)",
        }
    raise EquityInputError(
        f"the equity report supports SQLite and PostgreSQL, not {connection.vendor}"
    )


def _measures_sql(period: tuple[date, date] | None) -> tuple[str, list[object]]:
    """Return the CTEs ``ep`` (one row per episode) and ``m`` (its per-metric measures)."""
    t = _tables()
    v = _vendor_sql()
    where, params = "", []
    if period is not None:
        start, end = period
        where = "WHERE c.created_at >= %s AND c.created_at < %s"
        params = [
            datetime.combine(start, time.min, tzinfo=UTC),
            datetime.combine(end, time.min, tzinfo=UTC),
        ]
    held = "s.status = 'held'"
    client_cancelled = "(s.status = 'cancelled' AND s.cancelled_by = 'client')"
    counted = f"({held} OR s.status = 'no_show' OR {client_cancelled})"
    sql = f"""
WITH e AS (
  SELECT c.id, c.latest_identity_id AS identity_id, c.created_at AS referred_at, c.end_reason,
    CASE WHEN c.contact_consent IN ('sms', 'both') AND c.phone_index <> '' THEN 1 ELSE 0 END
      AS sms_ok,
    CASE WHEN c.contact_consent IN ('sms', 'both') AND c.phone_index <> ''
      AND c.sms_opted_out_at IS NOT NULL THEN 1 ELSE 0 END AS sms_out
  FROM {t["client"]} AS c {where}
), invited AS (
  SELECT ch.client_id, ch.id,
    MIN(CASE WHEN d.state IN ('undelivered', 'failed', 'opted_out') THEN 1 ELSE 0 END)
      AS unreached
  FROM {t["checkin"]} AS ch JOIN {t["delivery"]} AS d ON d.checkin_id = ch.id
  WHERE d.purpose = 'invitation' AND ch.client_id IN (SELECT id FROM e)
  GROUP BY ch.client_id, ch.id
), reach AS (
  SELECT client_id, COUNT(*) AS inv, SUM(unreached) AS unr FROM invited GROUP BY client_id
), s AS (
  SELECT e.id, MIN(CASE WHEN {held} THEN s.starts_at END) AS first_held,
    SUM(CASE WHEN {counted} THEN 1 ELSE 0 END) AS scheduled,
    SUM(CASE WHEN {held} THEN 1 ELSE 0 END) AS attended
  FROM e LEFT JOIN {t["session"]} AS s ON s.client_id = e.id
  GROUP BY e.id
), ranked AS (
  SELECT r.client_id, i.name, r.total,
    ROW_NUMBER() OVER (PARTITION BY r.client_id, i.name ORDER BY r.submitted_at, r.id) AS n_first,
    ROW_NUMBER() OVER (PARTITION BY r.client_id, i.name
                       ORDER BY r.submitted_at DESC, r.id DESC) AS n_last
  FROM {t["response"]} AS r JOIN {t["instrument"]} AS i ON i.id = r.instrument_id
  WHERE i.name IN ('{PHQ9}', '{GAD7}') AND r.total IS NOT NULL
), scores AS (
  SELECT client_id,
    MAX(CASE WHEN name = '{PHQ9}' AND n_first = 1 THEN total END) AS phq9_first,
    MAX(CASE WHEN name = '{PHQ9}' AND n_last = 1 THEN total END) AS phq9_last,
    MAX(CASE WHEN name = '{GAD7}' AND n_first = 1 THEN total END) AS gad7_first,
    MAX(CASE WHEN name = '{GAD7}' AND n_last = 1 THEN total END) AS gad7_last
  FROM ranked GROUP BY client_id
), ratings AS (
  SELECT r.client_id, 10.0 * AVG({v["humility"]}) AS h, 10.0 * AVG({v["alliance"]}) AS a
  FROM {t["response"]} AS r JOIN {t["instrument"]} AS i ON i.id = r.instrument_id
  WHERE i.name = '{SESSION_CHECKIN}'
  GROUP BY r.client_id
), notes AS (
  SELECT n.client_id, SUM(n.word_count) AS words, SUM(n.stigmatizing_findings) AS findings
  FROM {t["note"]} AS n WHERE n.superseded_at IS NULL
  GROUP BY n.client_id
), ep AS (
  SELECT e.id, e.identity_id, e.end_reason, e.referred_at,
    CASE WHEN s.first_held IS NOT NULL THEN {v["days"]} END AS wait_days,
    COALESCE(s.scheduled, 0) AS scheduled, COALESCE(s.attended, 0) AS attended,
    sc.phq9_first, sc.phq9_last, sc.gad7_first, sc.gad7_last, ra.h, ra.a,
    nt.words AS note_words, nt.findings AS note_findings,
    re.inv, re.unr, e.sms_ok, e.sms_out
  FROM e JOIN s ON s.id = e.id
  LEFT JOIN reach AS re ON re.client_id = e.id
  LEFT JOIN scores AS sc ON sc.client_id = e.id
  LEFT JOIN ratings AS ra ON ra.client_id = e.id
  LEFT JOIN notes AS nt ON nt.client_id = e.id
), m AS (
  SELECT id, identity_id, referred_at, wait_days,
    CASE WHEN wait_days IS NULL THEN 1 ELSE 0 END AS never_seen,
    CASE WHEN wait_days IS NOT NULL AND scheduled > 0 THEN scheduled END AS sch,
    CASE WHEN wait_days IS NOT NULL AND scheduled > 0 THEN scheduled - attended END AS mis,
    CASE WHEN attended >= 1 THEN 1 ELSE 0 END AS engaged,
    CASE WHEN attended >= 1 AND end_reason = 'dropped_out' THEN 1 ELSE 0 END AS dropped_out,
    CASE WHEN phq9_first IS NOT NULL AND phq9_last IS NOT NULL THEN 1 ELSE 0 END AS phq9_pairs,
    CASE WHEN phq9_first - phq9_last >= 6 THEN 1 ELSE 0 END AS phq9_improved,
    CASE WHEN gad7_first IS NOT NULL AND gad7_last IS NOT NULL THEN 1 ELSE 0 END AS gad7_pairs,
    CASE WHEN gad7_first - gad7_last >= 4 THEN 1 ELSE 0 END AS gad7_improved,
    CASE WHEN phq9_last IS NOT NULL AND gad7_last IS NOT NULL
      AND (phq9_first >= 10 OR gad7_first >= 8) THEN 1 ELSE 0 END AS cases,
    CASE WHEN phq9_last IS NOT NULL AND gad7_last IS NOT NULL
      AND (phq9_first >= 10 OR gad7_first >= 8) AND phq9_last < 10 AND gad7_last < 8
      THEN 1 ELSE 0 END AS recovered,
    h, a,
    CASE WHEN note_words > 0 THEN note_words END AS nw,
    CASE WHEN note_words > 0 THEN note_findings END AS nf,
    CASE WHEN inv > 0 THEN inv END AS ri, CASE WHEN inv > 0 THEN unr END AS ru,
    sms_ok, sms_out
  FROM ep
)"""
    return sql, params


_TOTALS = """COUNT(*) AS episodes, SUM(never_seen) AS never_seen,
  COUNT(sch) AS no_show_episodes, SUM(sch) AS scheduled, SUM(mis) AS missed,
  SUM(sch * sch) AS scheduled_sq, SUM(mis * mis) AS missed_sq,
  SUM(sch * mis) AS scheduled_missed,
  SUM(engaged) AS engaged, SUM(dropped_out) AS dropped_out,
  SUM(phq9_pairs) AS phq9_pairs, SUM(phq9_improved) AS phq9_improved,
  SUM(gad7_pairs) AS gad7_pairs, SUM(gad7_improved) AS gad7_improved,
  SUM(cases) AS cases, SUM(recovered) AS recovered,
  COUNT(h) AS humility_n, SUM(h) AS humility_sum, SUM(h * h) AS humility_sum_sq,
  COUNT(a) AS alliance_n, SUM(a) AS alliance_sum, SUM(a * a) AS alliance_sum_sq,
  COUNT(nw) AS note_clients, SUM(nw) AS note_words, SUM(nf) AS note_findings,
  COUNT(ri) AS reach_clients, SUM(ri) AS invitations, SUM(ru) AS unreached,
  SUM(ri * ri) AS invitations_sq, SUM(ru * ru) AS unreached_sq,
  SUM(ri * ru) AS invitations_unreached,
  SUM(sms_ok) AS sms_clients, SUM(sms_out) AS sms_opted_out"""


# The columns of ``m`` that ``_TOTALS`` reads.
_MEASURES = (
    "wait_days", "never_seen", "sch", "mis", "engaged", "dropped_out", "phq9_pairs",
    "phq9_improved", "gad7_pairs", "gad7_improved", "cases", "recovered", "h", "a", "nw", "nf",
    "ri", "ru", "sms_ok", "sms_out",
)  # fmt: skip
_FIELDS = (*AGGREGATE_FIELDS, *NOTE_AGGREGATE_FIELDS, *REACH_AGGREGATE_FIELDS)


def _statement(
    names: list[str], plans: list[tuple[str, tuple[str, ...]]], period: tuple[date, date] | None
) -> tuple[str, list[object]]:
    """Return one statement giving every view's sums, its wait tables and the episode count.

    Every episode's measures (``m``) are computed once, however many attributes and
    intersections are asked for. ``g`` has one row per episode, attribute and code chosen
    (``not disclosed`` when none), carrying the episode's measures; ``v`` one per episode and
    group of each view (an attribute or an intersection); ``cells`` sums ``v`` by view, group
    and wait in one grouping. A row's ``kind`` says what it holds: 0 a group's ``_TOTALS``
    (sums of its cells), 1 how many of a group's episodes waited ``wait_days``, 2 the number
    of episodes.
    """
    measures, params = _measures_sql(period)
    category = _tables()["category"]
    questions = [name for name in names if name != QUARTER]
    parts: list[str] = []
    if questions:
        marks = ", ".join(["%s"] * len(questions))
        asked = " UNION ALL ".join(["SELECT %s AS attr"] * len(questions))
        parts += [
            f"SELECT m.*, k.question AS attr, k.code AS value FROM m JOIN {category} AS k "
            f"ON k.self_identification_id = m.identity_id WHERE k.question IN ({marks})",
            f"SELECT m.*, a.attr, '{schema.NOT_DISCLOSED}' FROM m CROSS JOIN ({asked}) AS a "
            f"WHERE NOT EXISTS (SELECT 1 FROM {category} AS k "
            "WHERE k.self_identification_id = m.identity_id AND k.question = a.attr)",
        ]
        params += questions + questions
    if QUARTER in names:
        parts.append(f"SELECT m.*, '{QUARTER}', {_vendor_sql()['quarter']} FROM m")
    columns = ", ".join(f"g1.{name}" for name in _MEASURES)
    views = [f"SELECT g1.attr AS view, g1.value AS v1, '' AS v2, {columns} FROM g AS g1"]
    for name, components in plans:
        if len(components) == 2:
            views.append(
                f"SELECT %s, g1.value, g2.value, {columns} FROM g AS g1 JOIN g AS g2 "
                "ON g2.id = g1.id AND g2.attr = %s WHERE g1.attr = %s"
            )
            params += [name, components[1], components[0]]
    nulls = ", ".join(["NULL"] * (len(_FIELDS) - 1))
    sums = ", ".join(f"SUM({name}) AS {name}" for name in _FIELDS)
    sql = (
        f"{measures}, g AS ({' UNION ALL '.join(parts)}), v AS ({' UNION ALL '.join(views)}), "
        f"cells AS (SELECT v.view, v.v1, v.v2, v.wait_days, {_TOTALS} FROM v "
        "GROUP BY v.view, v.v1, v.v2, v.wait_days) "
        f"SELECT 0 AS kind, view, v1, v2, NULL AS wait_days, {sums} FROM cells "
        "GROUP BY view, v1, v2 "
        f"UNION ALL SELECT 1, view, v1, v2, wait_days, episodes, {nulls} FROM cells "
        "WHERE wait_days IS NOT NULL "
        f"UNION ALL SELECT 2, '', '', '', NULL, COUNT(*), {nulls} FROM m"
    )
    return sql, params


def plan_views(
    attributes: Sequence[str], intersect: Sequence[tuple[str, str]]
) -> tuple[list[str], list[tuple[str, tuple[str, ...]]]]:
    """Check the attributes and intersections asked for; return the names and the views.

    A view is an attribute, ``(name, (name,))``, or an intersection, ``("a+b", ("a", "b"))``.
    An intersection's suppression needs its components' own cells, so they are always in.
    """
    for pair in intersect:
        if len(pair) != 2 or pair[0] == pair[1]:
            raise EquityInputError(f"cannot intersect {pair!r}: give two different attributes")
        for component in pair:
            if component not in KNOWN:
                raise EquityInputError(
                    f"cannot intersect {'+'.join(pair)}: {component!r} is not an attribute "
                    f"(attributes: {', '.join(KNOWN)})"
                )
    for name in attributes:
        if name not in KNOWN:
            raise EquityInputError(f"{name!r} is not an attribute (attributes: {', '.join(KNOWN)})")
    names = list(dict.fromkeys([*attributes, *(name for pair in intersect for name in pair)]))
    plans: list[tuple[str, tuple[str, ...]]] = [(name, (name,)) for name in names]
    plans += [(schema.INTERSECTION_JOINER.join(pair), tuple(pair)) for pair in intersect]
    return names, plans


def statistics_statement(
    attributes: Sequence[str], intersect: Sequence[tuple[str, str]] = ()
) -> tuple[str, list[object]]:
    """Return the one statement of ``database_statistics`` over every episode, and its values.

    Its columns: ``kind``, ``view``, the two groups, ``wait_days``, then ``SUM_FIELDS``.
    """
    names, plans = plan_views(attributes, intersect)
    return _statement(names, plans, None)


# The sums each row of the statement carries, after its first five columns.
SUM_FIELDS = _FIELDS


def statistics_from_rows(
    plans: Sequence[tuple[str, tuple[str, ...]]], rows: Sequence[Sequence[object]]
) -> EquityStatistics:
    """Return the statistics of the views ``plans`` from rows shaped as the statement's."""
    summaries = {name: AttributeSummaries(name, components) for name, components in plans}
    waits: dict[tuple[str, ...], list[tuple[float, int]]] = {}
    totals: list[tuple[tuple[str, ...], dict[str, object]]] = []
    n_episodes = 0
    for kind, view, first, second, wait_days, *sums in rows:
        if kind == 2:
            n_episodes = int(sums[0])  # type: ignore[call-overload]
            continue
        if view not in summaries:
            continue
        key = (view, first) if len(summaries[view].components) == 1 else (view, first, second)
        if kind == 1:
            waits.setdefault(key, []).append((wait_days, sums[0]))  # type: ignore[arg-type]
        else:
            totals.append((key, dict(zip(SUM_FIELDS, sums, strict=True))))  # type: ignore[arg-type]
    for key, sums in totals:
        view, parts = key[0], key[1:]
        group = schema.INTERSECTION_JOINER.join(parts)
        summaries[view].groups[group] = GroupSummaries(
            group, parts, int(sums["episodes"]), metric_summaries(sums, waits.get(key, []))
        )
    return EquityStatistics(n_episodes, [summaries[name] for name, _ in plans])


def run_statement(sql: str, params: Sequence[object]) -> list[tuple[object, ...]]:
    """Run one of this module's statements and return its rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner overestimates these CTEs by orders of magnitude, and would spend
            # about a second compiling the statement (JIT) to save less than that.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


def database_statistics(
    *,
    attributes: Sequence[str] = ATTRIBUTES,
    intersect: Sequence[tuple[str, str]] = (),
    period: tuple[date, date] | None = None,
) -> EquityStatistics:
    """Return the group-level sums of the app's episodes, computed by the database.

    ``period`` (start, end) keeps the episodes referred from ``start`` up to, not including,
    ``end`` (UTC dates).
    """
    names, plans = plan_views(attributes, intersect)
    sql, params = _statement(names, plans, period)
    return statistics_from_rows(plans, run_statement(sql, params))


def report_from_database(
    *,
    attributes: Sequence[str] = ATTRIBUTES,
    intersect: Sequence[tuple[str, str]] = (),
    reference: Mapping[str, str] | None = None,
    min_cell: int = MINIMUM_CELL,
    period: tuple[date, date] | None = None,
) -> Report:
    """Return the equity report of the app's own episodes (see the module docstring)."""
    statistics = database_statistics(attributes=attributes, intersect=intersect, period=period)
    return report_from_statistics(statistics, reference=reference, min_cell=min_cell)
