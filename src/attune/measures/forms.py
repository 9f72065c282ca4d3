"""The client's check-in form, built from the instruments it asks, and the staff forms.

Every question may be skipped.  Anything the page did not offer (an unknown option, a number
out of range, a field it does not have, an over-long text) is refused with a clear message, the
answers given so far are kept, and nothing is saved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from attune.clients.language_names import language_name
from attune.measures.bundled import bundled_instruments
from attune.measures.errors import ResponseError
from attune.measures.goals import CLIENT_NAMED_GOALS_LIMIT, GOALS_CHECKIN
from attune.measures.instrument import CHOICE_TYPES, Instrument, Item, ItemType, LocalizedText
from attune.measures.languages import complete_languages, has_language
from attune.measures.models import (
    MAX_INTERVAL_WEEKS,
    ReviewState,
    SignalState,
    StoredInstrument,
)
from attune.measures.parsed_instruments import instrument_of
from attune.measures.responses import normalise_answers
from attune.measures.scoring import enabled_items, score

TEXT_LIMIT = 2000
# A check-in with more questions than this does not fit one phone screen: it is shown in pages
# (one per top-level group, a group or run of loose questions longer than this in chunks), and
# the answers are kept as a draft between pages.
PAGE_ITEM_LIMIT = 12
SHORT_TEXT_LIMIT = 300
SCALE_MAX_OPTIONS = 11
TAMPERED = _(
    "This form came back with answers it does not ask for, so nothing was saved. "
    "Please check your answers and send them again."
)
NOT_AN_OPTION = _("Please choose one of the options shown.")
TOO_LONG = _("Please shorten this to %(limit_value)d characters or fewer.")


@dataclass
class Block:
    """One thing on the check-in page: a heading, a paragraph, or a question."""

    kind: str  # "heading", "text", "scale", "choice", "text-answer", "number"
    text: str
    language: str | None = None  # set when the text is not in the page's language
    field_name: str = ""
    bound: Any = None
    starts_section: bool = False  # a new page may start here (a part or a top-level group)


def localized(text: LocalizedText | None, instrument: Instrument, language: str):
    """Return the text in ``language`` and the language it is really in when it had to fall back."""
    if text is None:
        return "", None
    shown = text.in_language(language)
    base = language.split("-")[0]
    has_translation = language in text.translations or base in text.translations
    if has_translation or instrument.language.split("-")[0] == base:
        return shown, None
    return shown, instrument.language


def _is_small_scale(item: Item) -> bool:
    if item.type is not ItemType.INTEGER or item.min_value is None or item.max_value is None:
        return False
    low, high = item.min_value, item.max_value
    return float(low).is_integer() and float(high).is_integer() and 0 < high - low + 1 <= 11


class CheckInForm(forms.Form):
    """The questions of one check-in: ``parts`` is a list of (stored, instrument) pairs."""

    def __init__(
        self, *args, parts: list[tuple[StoredInstrument, Instrument]], language: str, **kw
    ):
        super().__init__(*args, **kw)
        self.parts = parts
        self.language = language
        self.layout: list[Block] = []
        self._pages: list[list[Block]] | None = None
        self.field_items: dict[str, tuple[StoredInstrument, Item]] = {}
        for number, (stored, instrument) in enumerate(parts, start=1):
            title, title_language = localized(instrument.title, instrument, language)
            if number > 1:
                self.layout.append(Block("heading", title, title_language, starts_section=True))
            top_groups = {item.link_id for item in instrument.items if item.type is ItemType.GROUP}
            for item in instrument.all_items():
                self._add_item(
                    f"p{number}-{item.link_id}",
                    stored,
                    instrument,
                    item,
                    starts_section=number == 1 and item.link_id in top_groups,
                )

    def _add_item(
        self, name: str, stored, instrument: Instrument, item: Item, starts_section=False
    ) -> None:
        text, text_language = localized(item.text, instrument, self.language)
        if item.type is ItemType.GROUP:
            if text:
                self.layout.append(
                    Block("heading", text, text_language, starts_section=starts_section)
                )
            elif starts_section:
                self.layout.append(Block("break", "", starts_section=True))
            return
        if item.type is ItemType.DISPLAY:
            self.layout.append(Block("text", text, text_language))
            return
        if item.is_calculated:
            return
        kind, form_field = self._field_for(item, instrument)
        form_field.label = text
        self.fields[name] = form_field
        self.field_items[name] = (stored, item)
        self.layout.append(Block(kind, text, text_language, name))

    def _field_for(self, item: Item, instrument: Instrument) -> tuple[str, forms.Field]:
        choice_errors = {"invalid_choice": NOT_AN_OPTION}
        field: forms.Field
        if _is_small_scale(item):
            assert item.min_value is not None and item.max_value is not None  # a scale's bounds
            low, high = int(item.min_value), int(item.max_value)
            choices = [(str(n), str(n)) for n in range(low, high + 1)]
            field = forms.ChoiceField(
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages=choice_errors,
            )
            return "scale", field
        if item.type in CHOICE_TYPES:
            choices = [
                (option.code, localized(option.display, instrument, self.language)[0])
                for option in item.options
            ]
            if item.repeats:
                field = forms.MultipleChoiceField(
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages=choice_errors,
                )
            else:
                field = forms.ChoiceField(
                    choices=choices,
                    required=False,
                    widget=forms.RadioSelect,
                    error_messages=choice_errors,
                )
            return "choice", field
        if item.type is ItemType.BOOLEAN:
            field = forms.ChoiceField(
                choices=[("yes", _("Yes")), ("no", _("No"))],
                required=False,
                widget=forms.RadioSelect,
                error_messages=choice_errors,
            )
            return "choice", field
        if item.type is ItemType.INTEGER:
            field = forms.IntegerField(
                required=False,
                # Django compares any number; the stubs ask for whole ones.
                min_value=item.min_value,  # type: ignore[arg-type]
                max_value=item.max_value,  # type: ignore[arg-type]
            )
            return "number", field
        if item.type in (ItemType.DECIMAL, ItemType.QUANTITY):
            field = forms.FloatField(
                required=False, min_value=item.min_value, max_value=item.max_value
            )
            return "number", field
        limit = TEXT_LIMIT if item.type is ItemType.TEXT else SHORT_TEXT_LIMIT
        widget = forms.Textarea(attrs={"rows": 4}) if item.type is ItemType.TEXT else None
        field = forms.CharField(
            required=False,
            max_length=limit,
            widget=widget or forms.TextInput,
            error_messages={"max_length": TOO_LONG},
        )
        return "text-answer", field

    def blocks(self, page: int | None = None, hide: frozenset[str] = frozenset()) -> list[Block]:
        """Return the blocks of ``page`` (1-based; default: all) with their bound fields,
        leaving out the questions in ``hide`` (see ``hidden_questions``)."""
        shown = self.layout if page is None else self.pages()[page - 1]
        for block in shown:
            if block.field_name:
                block.bound = self[block.field_name]
        return [block for block in shown if block.kind != "break" and block.field_name not in hide]

    def hidden_questions(self, page: int, known: Mapping[str, Any]) -> frozenset[str]:
        """Return the questions of ``page`` that answers on earlier pages hide.

        A question with ``enableWhen`` or ``enableWhenExpression`` (its own or a parent
        group's) is left out when everything its conditions read was answered (or skipped)
        on an earlier page and the conditions do not hold.  Conditions on answers of the same
        page cannot be decided without a script, so those questions stay; scoring ignores
        answers to questions that turn out hidden.
        """
        pages = self.pages()
        earlier = {name for number in range(page - 1) for name in self.page_fields(number + 1)}
        on_page = self.page_fields(page)
        conditioned = {}
        for name in on_page:
            stored, item = self.field_items[name]
            prefix = name[: -len(item.link_id)]
            instrument = self._instrument_of(stored)
            depends = _condition_inputs(instrument, item.link_id)
            if not depends:
                continue
            by_link_id = instrument.items_by_link_id()
            asked = [  # a group's linkId in a path selects, it is not an answer
                link_id
                for link_id in depends
                if link_id not in by_link_id
                or by_link_id[link_id].type not in (ItemType.GROUP, ItemType.DISPLAY)
            ]
            if asked and all(f"{prefix}{link_id}" in earlier for link_id in asked):
                conditioned[name] = (stored, item)
        if not conditioned or len(pages) < 2:
            return frozenset()
        data = QueryDict(mutable=True)
        for name, value in known.items():
            if name in earlier and name in self.fields:
                data.setlist(name, value if isinstance(value, list) else [value])
        answered = CheckInForm(data, parts=self.parts, language=self.language)
        if not answered.is_valid():
            return frozenset()
        by_key = answered.answers_by_key()
        hidden = set()
        for name, (stored, item) in conditioned.items():
            instrument = self._instrument_of(stored)
            try:
                shown = enabled_items(
                    instrument, normalise_answers(instrument, by_key.get(stored.key, {}))
                )
            except ResponseError:
                continue
            if item.link_id not in shown:
                hidden.add(name)
        return frozenset(hidden)

    def _instrument_of(self, stored: StoredInstrument) -> Instrument:
        return next(instrument for part, instrument in self.parts if part is stored)

    @property
    def is_long(self) -> bool:
        """Whether the questions are more than one phone screen holds (``PAGE_ITEM_LIMIT``)."""
        return len(self.fields) > PAGE_ITEM_LIMIT

    def pages(self) -> list[list[Block]]:
        if self._pages is None:
            self._pages = self._split_pages()
        return self._pages

    def _split_pages(self) -> list[list[Block]]:
        """Return the layout split into pages: one page for a short check-in.

        A long one starts a page at each part and top-level group, and after every
        ``PAGE_ITEM_LIMIT`` questions; a heading or text always stays with what follows it.
        """
        if not self.is_long:
            return [self.layout]
        pages: list[list[Block]] = []
        current: list[Block] = []
        questions = 0
        for block in self.layout:
            if block.starts_section and questions:
                pages.append(current)
                current, questions = [], 0
            elif block.field_name and questions == PAGE_ITEM_LIMIT:
                leading: list[Block] = []
                while current and not current[-1].field_name:  # a heading goes with its questions
                    leading.insert(0, current.pop())
                pages.append(current)
                current, questions = leading, 0
            current.append(block)
            questions += bool(block.field_name)
        if questions or not pages:
            pages.append(current)
        else:
            pages[-1].extend(current)  # closing text with no question joins the last page
        return pages

    def page_fields(self, page: int) -> list[str]:
        """Return the names of the fields on ``page`` (1-based)."""
        return [block.field_name for block in self.pages()[page - 1] if block.field_name]

    def draft_data(self) -> dict[str, Any]:
        """Return the form's data as a draft keeps it: each field's value, or its values."""
        data: dict[str, Any] = {}
        for name, field in self.fields.items():
            if name not in self.data:
                continue
            if isinstance(field, forms.MultipleChoiceField):
                data[name] = cast(QueryDict, self.data).getlist(name)  # bound to a POST
            else:
                data[name] = self.data.get(name)
        return data

    def clean(self):
        cleaned = super().clean()
        expected = set(self.fields) | {"csrfmiddlewaretoken"}
        if set(self.data) - expected:
            raise ValidationError(TAMPERED, code="tampered")
        if not self.errors:
            for stored, instrument in self.parts:
                try:
                    score(instrument, self.answers_by_key().get(stored.key, {}))
                except ResponseError as error:
                    raise ValidationError(TAMPERED, code="tampered") from error
        return cleaned

    def answers_by_key(self) -> dict[str, dict[str, Any]]:
        """Return the answers given, by stored instrument key and linkId, skipped ones left out."""
        answers: dict[str, dict[str, Any]] = {stored.key: {} for stored, _ in self.parts}
        for name, (stored, item) in self.field_items.items():
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            if _is_small_scale(item):
                value = int(value)
            elif item.type is ItemType.BOOLEAN:
                value = value == "yes"
            elif isinstance(value, str):
                value = value.strip()
                if not value:
                    continue
            answers[stored.key][item.link_id] = value
        return answers


_LINK_ID_IN_EXPRESSION = re.compile(r"linkId\s*=\s*'([^']+)'")


def _condition_inputs(instrument: Instrument, link_id: str) -> set[str] | None:
    """Return the linkIds an item's show conditions read (its own and its groups'), an empty
    set when it has none, or None when they cannot be told (an expression reading no linkId)."""
    path: list[Item] = []

    def find(items: tuple[Item, ...]) -> bool:
        for item in items:
            path.append(item)
            if item.link_id == link_id or find(item.items):
                return True
            path.pop()
        return False

    find(instrument.items)
    inputs: set[str] = set()
    for item in path:
        inputs |= {condition.question for condition in item.enable_when}
        if item.enable_when_expression is not None:
            named = set(_LINK_ID_IN_EXPRESSION.findall(item.enable_when_expression))
            if not named:
                return None
            inputs |= named
    return inputs


# Staff forms --------------------------------------------------------------------------------


class SendMeasureForm(forms.Form):
    """Choose a measure to send: a bundled one by name, or one the agency imported by key.

    Each choice says which languages the measure has.  With a client whose language is known,
    the measures in it come first, and a measure without it is sent only when the therapist
    ticks that the client will read it in another language: never silently.
    """

    instrument = forms.ChoiceField(
        label="Measure to send",
        error_messages={"invalid_choice": "Choose a measure from the list."},
    )
    other_language = forms.BooleanField(
        label="Send it anyway: I have talked with the client about reading it in this language",
        required=False,
    )

    def __init__(self, *args, client=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_language = client_reading_language(client) if client is not None else ""
        self.offers = measure_offers()
        if self.client_language:
            self.offers.sort(
                key=lambda offer: not has_language(offer.instrument, self.client_language)
            )
        cast(forms.ChoiceField, self.fields["instrument"]).choices = [
            (offer.choice, offer.label) for offer in self.offers
        ]
        self._held = {offer.choice: offer.title for offer in self.offers if offer.needs_review}

    @property
    def client_language_name(self) -> str:
        return language_name(self.client_language)

    def missing_language(self) -> list[MeasureOffer]:
        """Return the measures not in the client's language (empty when it is not known)."""
        if not self.client_language:
            return []
        return [o for o in self.offers if not has_language(o.instrument, self.client_language)]

    def clean_instrument(self):
        choice = self.cleaned_data["instrument"]
        if choice in self._held:
            raise ValidationError(
                f"{self._held[choice]} needs review by a leader before it can be sent; "
                "nothing was sent."
            )
        return choice

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        choice = cleaned.get("instrument")
        offer = next((offer for offer in self.offers if offer.choice == choice), None)
        if (
            offer is not None
            and self.client_language
            and not has_language(offer.instrument, self.client_language)
            and not cleaned.get("other_language")
        ):
            raise ValidationError(
                f"Nothing was sent. {offer.title} is not available in "
                f"{self.client_language_name}, the client's language: they would read it in "
                f"{offer.language_names}. Choose a measure in {self.client_language_name}, or "
                "tick the box to send it anyway."
            )
        return cleaned


@dataclass(frozen=True)
class MeasureOffer:
    choice: str
    title: str
    instrument: Instrument
    validated: bool | None
    needs_review: bool = False

    @property
    def language_names(self) -> str:
        names = [language_name(tag) for tag in complete_languages(self.instrument)]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]

    @property
    def label(self) -> str:
        validated = "" if self.validated is not False else ", not validated"
        held = " — needs review, cannot be sent yet" if self.needs_review else ""
        return f"{self.title} (in {self.language_names}{validated}){held}"


def measure_offers() -> list[MeasureOffer]:
    """Return every measure a therapist can send, bundled first, each with its instrument."""
    offers = [
        MeasureOffer(f"bundled:{name}", instrument.title.default, instrument, instrument.validated)
        for name, instrument in bundled_instruments().items()
        if name != GOALS_CHECKIN
    ]
    for stored in StoredInstrument.objects.filter(bundled=False):
        offers.append(
            MeasureOffer(
                f"stored:{stored.pk}",
                f"{stored.title} ({stored.key})",
                instrument_of(stored),
                stored.validated,
                needs_review=stored.review_state == ReviewState.NEEDS_REVIEW,
            )
        )
    return offers


def client_reading_language(client) -> str:
    """Return the language the client reads their pages in, or the one they prefer, or ""."""
    return client.page_language or client.preferred_language or ""


class CloseSignalForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[
            (SignalState.RESOLVED, "Resolved: we talked about it"),
            (SignalState.DISMISSED, "Dismissed"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="What happened, or why it is dismissed",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if (
            cleaned.get("outcome") == SignalState.DISMISSED
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", "Say why the signal is dismissed.")
        return cleaned


class ScheduleForm(SendMeasureForm):
    """Send a measure every few weeks, from a first date, with the client's goals if named."""

    interval_weeks = forms.IntegerField(
        label="Every how many weeks",
        min_value=1,
        max_value=MAX_INTERVAL_WEEKS,
        initial=4,
        error_messages={
            "min_value": f"Choose 1 to {MAX_INTERVAL_WEEKS} weeks.",
            "max_value": f"Choose 1 to {MAX_INTERVAL_WEEKS} weeks.",
            "required": "Say every how many weeks.",
            "invalid": "Write a whole number of weeks.",
        },
    )
    first_due_on = forms.DateField(
        label="First one on",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Choose the date of the first one."},
    )
    goals = forms.CharField(
        label="Goals the client named to rate each time (optional, one per line)",
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        from django.utils import timezone

        super().__init__(*args, **kwargs)
        self.fields["instrument"].label = "Measure"
        self.fields["first_due_on"].initial = timezone.localdate()

    def clean_first_due_on(self):
        from django.utils import timezone

        value = self.cleaned_data["first_due_on"]
        if value < timezone.localdate():
            raise ValidationError("Choose today or a later date.")
        return value

    def clean_goals(self):
        goals = [line.strip() for line in self.cleaned_data["goals"].splitlines() if line.strip()]
        if len(goals) > CLIENT_NAMED_GOALS_LIMIT:
            raise ValidationError(f"Name at most {CLIENT_NAMED_GOALS_LIMIT} goals.")
        return goals


class ScheduleChangeForm(forms.Form):
    change = forms.ChoiceField(choices=[(name, name) for name in ("pause", "resume", "stop")])


class AcceptInstrumentForm(forms.Form):
    """A leader accepts an instrument held for review, saying why."""

    reason = forms.CharField(
        label="Why it may be sent, having read the findings",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the instrument may be sent."},
    )
