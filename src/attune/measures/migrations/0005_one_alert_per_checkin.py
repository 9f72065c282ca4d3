"""One alert per check-in: the signals a response raised, one per rule, become one per kind.

Existing rupture signals of the same response are merged into one alert listing every reason
(in the rules' order); repair logs opened from any of them point to the merged alert.  The
merged alert is still open (or acknowledged) if any of its parts was; it is closed only if all
were.  Humility-item sentences are rewritten with the items' own words instead of their ids.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import migrations, models

ORDER = [
    "safety_item",
    "low_session_total",
    "drop_from_baseline",
    "low_humility_item",
    "reliable_deterioration",
]
LIVE = ("open", "acknowledged")


def _labels(stored) -> dict[str, str]:
    """The items' own words of a stored instrument, by linkId; {} if it cannot be read."""
    try:
        if stored.source_format == "fhir":
            from attune.measures.fhir_import import load_questionnaire_json

            instrument = load_questionnaire_json(stored.source)
        else:
            from attune.measures.yaml_format import load_instrument_yaml

            instrument = load_instrument_yaml(stored.source)
    except Exception:  # an unreadable source keeps the ids it had
        return {}
    return {
        item.link_id: item.text.in_language("en").strip()
        for item in instrument.all_items()
        if item.text is not None and item.text.default
    }


def _show(value) -> str:
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded.is_integer() else str(rounded)


def _humility_summary(facts: dict, labels: dict[str, str], fallback: str) -> str:
    items, threshold = facts.get("items"), facts.get("threshold")
    if not isinstance(items, dict) or not items or threshold is None:
        return fallback
    try:
        named = "; ".join(
            f"“{(labels.get(link_id) or link_id).rstrip('.')}” {_show(value)}"
            for link_id, value in items.items()
        )
        return f"Cultural-humility ratings at or below {_show(threshold)}: {named}."
    except (TypeError, ValueError):
        return fallback


def _settle(schema_editor) -> None:
    """Check PostgreSQL's deferred foreign keys now, so the table can be altered next."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def merge_signals(apps, schema_editor):
    Signal = apps.get_model("measures", "Signal")
    RepairLog = apps.get_model("care", "RepairLog")
    groups = defaultdict(list)
    for signal in Signal.objects.select_related("response__instrument").order_by("pk"):
        groups[(signal.response_id, signal.kind)].append(signal)
    labels_by_instrument: dict[int, dict[str, str]] = {}
    for parts in groups.values():
        parts.sort(key=lambda s: ORDER.index(s.rule) if s.rule in ORDER else len(ORDER))
        stored = parts[0].response.instrument
        if stored.pk not in labels_by_instrument:
            labels_by_instrument[stored.pk] = _labels(stored)
        labels = labels_by_instrument[stored.pk]
        reasons, facts = [], {}
        for part in parts:
            summary = part.summary
            if part.rule == "low_humility_item":
                summary = _humility_summary(part.facts or {}, labels, summary)
            reasons.append({"rule": part.rule, "summary": summary})
            facts[part.rule] = part.facts or {}
        ids = [part.pk for part in parts]
        with_log = set(
            RepairLog.objects.filter(signal_id__in=ids).values_list("signal_id", flat=True)
        )
        kept = next((part for part in parts if part.pk in with_log), None)
        kept = kept or min(parts, key=lambda s: s.pk)
        live = [part for part in parts if part.state in LIVE]
        acknowledged = [part for part in parts if part.acknowledged_at is not None]
        if live:
            state = "acknowledged" if any(p.state == "acknowledged" for p in live) else "open"
            kept.closed_at = kept.closed_by_id = None
            kept.close_reason = ""
        else:
            latest = max(parts, key=lambda s: s.closed_at)
            state = latest.state
            kept.closed_at, kept.closed_by_id = latest.closed_at, latest.closed_by_id
            kept.close_reason = latest.close_reason
        kept.state = state
        if acknowledged and state != "open":
            first = min(acknowledged, key=lambda s: s.acknowledged_at)
            kept.acknowledged_at, kept.acknowledged_by_id = (
                first.acknowledged_at,
                (first.acknowledged_by_id),
            )
        elif state == "open":
            kept.acknowledged_at = kept.acknowledged_by_id = None
        kept.rule = parts[0].rule
        kept.reasons = reasons
        kept.facts = facts
        kept.summary = " ".join(reason["summary"] for reason in reasons)[:1000]
        kept.raised_at = min(part.raised_at for part in parts)
        kept.save()
        others = [pk for pk in ids if pk != kept.pk]
        if others:
            RepairLog.objects.filter(signal_id__in=others).update(signal_id=kept.pk)
            Signal.objects.filter(pk__in=others).delete()
    _settle(schema_editor)


def shorten_summaries(apps, schema_editor):
    """Going back: the alerts stay merged (still one per rule), their sentences fit 300 again."""
    from django.db.models.functions import Length, Substr

    Signal = apps.get_model("measures", "Signal")
    Signal.objects.annotate(length=Length("summary")).filter(length__gt=300).update(
        summary=Substr("summary", 1, 300)
    )
    _settle(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0004_instrument_review_terminology_could_not_score"),
        ("care", "0003_repair_logs"),
    ]

    operations = [
        migrations.AddField(
            model_name="signal",
            name="reasons",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AlterField(
            model_name="signal",
            name="summary",
            field=models.CharField(max_length=1000),
        ),
        migrations.RemoveConstraint(model_name="signal", name="one_signal_per_rule"),
        migrations.RunPython(merge_signals, shorten_summaries, elidable=False),
        migrations.AddConstraint(
            model_name="signal",
            constraint=models.UniqueConstraint(
                fields=("response", "kind"), name="one_alert_per_response_kind"
            ),
        ),
    ]
