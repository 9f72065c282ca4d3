"""Writes about instruments: storing, importing, accepting after review, terminology.

Each function is atomic and writes its trail entry in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from attune.access import trail
from attune.access.actor import Actor
from attune.access.models import TrailAction
from attune.measures.bundled import load_bundled_instrument
from attune.measures.errors import InstrumentError, MeasuresError
from attune.measures.fhir_import import load_questionnaire_json, parse_json
from attune.measures.instrument import Instrument
from attune.measures.loading import load_questionnaire_file
from attune.measures.models import (
    ReviewState,
    SourceFormat,
    StoredInstrument,
    TerminologyValueSet,
)
from attune.measures.parsed_instruments import bundled_source
from attune.measures.safety import mark_safety_items
from attune.measures.terminology import shipped_value_set, value_sets_in_bundle


@transaction.atomic
def instrument_store(
    *,
    actor: Actor,
    instrument: Instrument,
    source_format: str,
    source: str,
    bundled=False,
    terminology: Mapping[str, Any] | None = None,
) -> tuple[StoredInstrument, bool]:
    """Store ``instrument`` under its ``url|version``; return it and whether it is new.

    Storing the same document again changes nothing.  A different document under a key that
    is already stored is refused: change the version instead, so stored responses keep
    scoring the way they were scored.  An instrument with review findings is stored "needs
    review" (``instrument_accept``), and is not sent until then.
    """
    existing = StoredInstrument.objects.filter(key=instrument.key).first()
    if existing is not None:
        if existing.source_format != source_format or existing.source != source:
            raise InstrumentError(
                f"{instrument.key} is already stored with different content; "
                "give the new one another version"
            )
        return existing, False
    stored = StoredInstrument.objects.create(
        key=instrument.key,
        url=instrument.url,
        version=instrument.version or "",
        name=instrument.name,
        title=instrument.title.default[:255],
        languages=list(instrument.languages()),
        validated=instrument.validated,
        bundled=bundled,
        source_format=source_format,
        source=source,
        terminology=dict(terminology or {}),
        review_state=ReviewState.NEEDS_REVIEW if instrument.review_findings else ReviewState.READY,
        review_findings=list(instrument.review_findings),
    )
    findings = len(instrument.review_findings)
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        object_type="instrument",
        object_ref=stored.pk,
        section="instruments",
        detail=f"stored {instrument.key}"
        + (f"; needs review ({findings} finding(s))" if findings else ""),
    )
    return stored, True


def agency_terminology() -> dict[str, Any]:
    """Return the agency's loaded ValueSets by ``url`` and ``url|version``."""
    found: dict[str, Any] = {}
    for value_set in TerminologyValueSet.objects.order_by("url", "loaded_at"):
        found[value_set.url] = value_set.resource  # the latest loaded wins for a bare url
        if value_set.version:
            found[f"{value_set.url}|{value_set.version}"] = value_set.resource
    return found


def _cited_value_sets(source: Mapping[str, Any], available: Mapping[str, Any]) -> dict[str, Any]:
    """Return the value sets a Questionnaire cites by url and does not contain, as resolved."""
    contained = {
        resource.get("url")
        for resource in source.get("contained") or []
        if isinstance(resource, Mapping)
    }
    cited: dict[str, Any] = {}
    stack = list(source.get("item") or [])
    while stack:
        item = stack.pop()
        if not isinstance(item, Mapping):
            continue
        stack.extend(item.get("item") or [])
        reference = item.get("answerValueSet")
        if not isinstance(reference, str) or reference.startswith("#"):
            continue
        if reference in contained or reference.partition("|")[0] in contained:
            continue
        found = available.get(reference) or available.get(reference.partition("|")[0])
        found = found or shipped_value_set(reference.partition("|")[0])
        if found is not None:
            cited[reference] = found
    return cited


def instrument_import_file(
    *, actor: Actor, path: str | Path, safety_items: Sequence[str] = ()
) -> tuple[StoredInstrument, bool]:
    """Read, check and store an instrument file; raise ``InstrumentError`` and store nothing.

    Value sets the file cites by url come from the agency's loaded terminology (then
    Attune's LOINC answer lists) and are kept with the stored instrument. ``safety_items`` are
    linkIds a leader marks as safety items at import: the mark is written into the stored
    Questionnaire (``safety.SAFETY_ITEM_EXTENSION``) and the marking is trailed.
    """
    try:
        Path(path).read_bytes()  # an unreadable file is refused before the database is read
    except OSError as error:
        raise InstrumentError(f"cannot read {path}: {error.strerror}") from None
    available = agency_terminology()
    instrument = load_questionnaire_file(path, terminology=available)
    text = Path(path).read_text(encoding="utf-8-sig")
    source_format = (
        SourceFormat.FHIR if instrument.source_questionnaire is not None else SourceFormat.YAML
    )
    marked = [link_id for link_id in safety_items if link_id.strip()]
    if marked:
        if source_format != SourceFormat.FHIR:
            raise InstrumentError(
                "mark a safety item of an Attune YAML file in the file itself (safety: true)"
            )
        text = mark_safety_items(text, marked)
        instrument = load_questionnaire_json(text, terminology=available)
    cited = (
        _cited_value_sets(instrument.source_questionnaire, available)
        if instrument.source_questionnaire is not None
        else {}
    )
    with transaction.atomic():
        stored, created = instrument_store(
            actor=actor,
            instrument=instrument,
            source_format=source_format,
            source=text,
            terminology=cited,
        )
        if marked and created:
            trail.record(
                actor=actor,
                action=TrailAction.CREATE,
                object_type="instrument",
                object_ref=stored.pk,
                section="instruments",
                detail=f"safety items marked at import: {', '.join(marked)}",
            )
    return stored, created


@transaction.atomic
def instrument_accept(*, actor: Actor, stored: StoredInstrument, reason: str) -> StoredInstrument:
    """Accept an instrument held "needs review", with the leader's reason, in the trail.

    Accepting says the findings were read; scores on which the file's total and its weights
    still disagree stay "could not score".
    """
    reason = " ".join(reason.split())
    if not reason:
        raise InstrumentError("say why the instrument is accepted")
    if actor.user is None or not getattr(actor.user, "is_leader", False):
        raise InstrumentError("only a leader can accept an instrument held for review")
    locked = StoredInstrument.objects.select_for_update().get(pk=stored.pk)
    if locked.review_state != ReviewState.NEEDS_REVIEW:
        raise InstrumentError(f"{locked.key} is not waiting for review")
    locked.review_state = ReviewState.ACCEPTED
    locked.review_reason = reason[:1000]
    locked.reviewed_by = actor.user
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["review_state", "review_reason", "reviewed_by", "reviewed_at"])
    trail.record(
        actor=actor,
        action=TrailAction.UPDATE,
        object_type="instrument",
        object_ref=locked.pk,
        section="instruments",
        detail=f"accepted {locked.key} after review of {len(locked.review_findings)} "
        f"finding(s): {reason[:200]}",
    )
    return locked


@transaction.atomic
def terminology_load(*, actor: Actor, path: str | Path) -> list[TerminologyValueSet]:
    """Store the ValueSets of a FHIR Bundle (or one ValueSet) file; all of them or none.

    A ValueSet already stored under the same url and version with other content is refused.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InstrumentError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise InstrumentError(f"{path} is not UTF-8 text") from None
    stored: list[TerminologyValueSet] = []
    for resource in list(value_sets_in_bundle(parse_json(text))):
        raw_version = resource.get("version")
        version = raw_version if isinstance(raw_version, str) else ""
        existing = TerminologyValueSet.objects.filter(url=resource["url"], version=version).first()
        if existing is not None:
            if existing.resource != resource:
                raise InstrumentError(
                    f"ValueSet {resource['url']} version {version or '(none)'} is already "
                    "loaded with other content; give it another version"
                )
            stored.append(existing)
            continue
        stored.append(
            TerminologyValueSet.objects.create(
                url=resource["url"][:255], version=version[:40], resource=resource
            )
        )
    trail.record(
        actor=actor,
        action=TrailAction.CREATE,
        object_type="terminology",
        object_ref=stored[0].pk if stored else "",
        section="instruments",
        detail=f"loaded {len(stored)} value set(s): "
        + ", ".join(value_set.url for value_set in stored)[:250],
    )
    return stored


class InstrumentNotReady(MeasuresError):
    """The instrument is held for review and cannot be sent to a client yet."""


def _refuse_unreviewed(instrument: StoredInstrument) -> None:
    if instrument.needs_review:
        raise InstrumentNotReady(
            f"{instrument.title} needs review by a leader before it can be sent "
            f"({len(instrument.review_findings)} finding(s) at import); nothing was sent"
        )


def bundled_instrument_stored(name: str) -> StoredInstrument:
    """Return the stored row of bundled instrument ``name``, storing it on first use."""
    instrument = load_bundled_instrument(name)
    found = StoredInstrument.objects.filter(key=instrument.key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return instrument_store(
                actor=Actor.system(),
                instrument=instrument,
                source_format=SourceFormat.YAML,
                source=bundled_source(name),
                bundled=True,
            )[0]
    except IntegrityError:  # stored by a concurrent request a moment ago
        return StoredInstrument.objects.get(key=instrument.key)
