"""``attune measures``: score a response from the command line.

    attune measures score QUESTIONNAIRE RESPONSE [--format json|text]
    attune measures import FILE [--safety-item LINKID ...]
                                          (stores an instrument; needs the database)
    attune measures review                (instruments held "needs review", with findings)
    attune measures accept KEY --by USERNAME --reason TEXT   (a leader accepts one)
    attune measures terminology FILE      (loads a FHIR Bundle of ValueSets)
    attune measures export --client ID    (a FHIR Bundle of a client's responses)
    attune measures fit-expected [--queue] (fits the expected-response curves; needs the app)

QUESTIONNAIRE is a FHIR Questionnaire (JSON), an Attune YAML instrument, or a bundled name
(phq9, gad7, session-checkin, goals-checkin); RESPONSE is a FHIR QuestionnaireResponse in
JSON, or ``-`` for standard input. Bad input exits with status 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import NoReturn

from attune.measures.bundled import bundled_instrument_names
from attune.measures.errors import MeasuresError
from attune.measures.instrument import Instrument
from attune.measures.loading import load_instrument
from attune.measures.responses import parse_questionnaire_response
from attune.measures.scoring import ScoreResult, score

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line instead of argparse's usage block, like every other bad-input exit.
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="attune measures", description="Score and import measures.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    score_command = commands.add_parser("score", help="score a QuestionnaireResponse")
    score_command.add_argument("questionnaire", help="FHIR JSON, Attune YAML or bundled name")
    score_command.add_argument("response", help="QuestionnaireResponse JSON file, or - for stdin")
    score_command.add_argument("--format", choices=("json", "text"), default="json")
    score_command.add_argument("--language", default=None, help="language for labels (text)")
    import_command = commands.add_parser("import", help="import an instrument (needs the app)")
    import_command.add_argument("file")
    import_command.add_argument(
        "--safety-item",
        action="append",
        default=[],
        metavar="LINKID",
        help="mark this item as a safety item (repeat for several)",
    )
    commands.add_parser("review", help="list the instruments held for review (needs the app)")
    accept_command = commands.add_parser(
        "accept", help="accept an instrument held for review (a leader, with a reason)"
    )
    accept_command.add_argument("key", help="the instrument's url|version, as listed")
    accept_command.add_argument("--by", required=True, metavar="USERNAME", help="the leader")
    accept_command.add_argument("--reason", required=True, help="why it may be sent")
    terminology_command = commands.add_parser(
        "terminology", help="load a FHIR Bundle of ValueSets (needs the app)"
    )
    terminology_command.add_argument("file")
    export_command = commands.add_parser("export", help="export responses (needs the app)")
    export_command.add_argument("--client", required=True, metavar="ID", help="id or case code")
    commands.add_parser("list", help="list the bundled instruments")
    fit_command = commands.add_parser(
        "fit-expected", help="fit the expected-response curves on the agency's history"
    )
    fit_command.add_argument(
        "--queue", action="store_true", help="queue the fit for the task worker instead"
    )
    return parser


def main(argv: list[str]) -> int:
    """Run ``attune measures`` with ``argv`` (the words after "measures"); return the exit code."""
    try:
        arguments = _parser().parse_args(argv)
    except _UsageError as error:
        print(f"attune measures: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exit_request:  # --help has been printed
        return int(exit_request.code or 0)
    if arguments.command == "import":
        return _import(arguments.file, arguments.safety_item)
    if arguments.command == "review":
        return _review()
    if arguments.command == "accept":
        return _accept(arguments.key, arguments.by, arguments.reason)
    if arguments.command == "terminology":
        return _terminology(arguments.file)
    if arguments.command == "export":
        return _export(arguments.client)
    if arguments.command == "fit-expected":
        return _fit_expected(queue=arguments.queue)
    if arguments.command == "list":
        for name in bundled_instrument_names():
            print(name)
        return EXIT_OK
    try:
        instrument = load_instrument(arguments.questionnaire)
        response_text = _read_response(arguments.response)
        answers = parse_questionnaire_response(response_text, instrument)
        result = score(instrument, answers)
    except MeasuresError as error:
        print(f"attune measures: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if arguments.format == "json":
        print(json.dumps(_json_result(instrument, result), ensure_ascii=False, indent=2))
    else:
        print(_text_result(instrument, result, arguments.language))
    return EXIT_OK


def _setup_django() -> None:
    # Only import and export need the database; scoring stays free of Django.
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attune.config.settings")
    django.setup()


def _import(path: str, safety_items: list[str]) -> int:
    """Store an instrument file in the database: all of it or, on any problem, nothing."""
    _setup_django()
    from attune.access.actor import Actor
    from attune.measures.parsed_instruments import instrument_of
    from attune.measures.safety import find_safety_items
    from attune.measures.services import instrument_import_file

    try:
        stored, created = instrument_import_file(
            actor=Actor.system(), path=path, safety_items=safety_items
        )
    except MeasuresError as error:
        print(f"attune measures import: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{'imported' if created else 'already stored'}: {stored.key} ({stored.title})")
    found = find_safety_items(instrument_of(stored))
    for link_id, why in found.items():
        print(f"safety item: {link_id} ({why})")
    if not found:
        print("safety items: none (mark one with --safety-item LINKID)")
    if stored.needs_review:
        print(
            "needs review: it will not be sent until a leader accepts it "
            "(attune measures accept KEY --by USERNAME --reason TEXT)"
        )
        for finding in stored.review_findings:
            print(f"  - {finding}")
    return EXIT_OK


def _review() -> int:
    _setup_django()
    from attune.measures.models import ReviewState, StoredInstrument

    held = StoredInstrument.objects.filter(review_state=ReviewState.NEEDS_REVIEW)
    for stored in held:
        print(f"{stored.key} ({stored.title})")
        for finding in stored.review_findings:
            print(f"  - {finding}")
    if not held:
        print("no instrument is waiting for review")
    return EXIT_OK


def _accept(key: str, username: str, reason: str) -> int:
    _setup_django()
    from attune.access.actor import Actor
    from attune.access.models import StaffUser
    from attune.measures.models import StoredInstrument
    from attune.measures.services import instrument_accept

    user = StaffUser.objects.filter(username=username, is_active=True).first()
    if user is None or not user.is_leader:
        print(f"attune measures accept: {username!r} is not an active leader", file=sys.stderr)
        return EXIT_BAD_INPUT
    stored = StoredInstrument.objects.filter(key=key).first()
    if stored is None:
        print(f"attune measures accept: no stored instrument {key!r}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        instrument_accept(actor=Actor(user=user, request_id="system"), stored=stored, reason=reason)
    except MeasuresError as error:
        print(f"attune measures accept: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"accepted: {stored.key}; it can be sent")
    return EXIT_OK


def _terminology(path: str) -> int:
    _setup_django()
    from attune.access.actor import Actor
    from attune.measures.services import terminology_load

    try:
        stored = terminology_load(actor=Actor.system(), path=path)
    except MeasuresError as error:
        print(f"attune measures terminology: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for value_set in stored:
        print(f"loaded: {value_set}")
    return EXIT_OK


def _export(client_reference: str) -> int:
    """Print a client's responses and total scores as a FHIR R4 Bundle (JSON)."""
    _setup_django()
    from attune.access.actor import Actor
    from attune.clients.models import Client
    from attune.measures.queries import client_fhir_bundle

    reference = client_reference.strip()
    found = Client.objects.filter(case_code=reference.upper())
    if reference.isdigit():
        found = Client.objects.filter(pk=int(reference)) | found
    client = found.first()
    if client is None:
        print(f"attune measures export: no client {reference!r}", file=sys.stderr)
        return EXIT_BAD_INPUT
    bundle = client_fhir_bundle(actor=Actor.system(), client=client)
    print(json.dumps(bundle, ensure_ascii=False, indent=2))
    return EXIT_OK


def _fit_expected(*, queue: bool) -> int:
    """Fit the expected-response model now (or queue it) and say what each instrument used."""
    _setup_django()
    from attune.access.actor import Actor
    from attune.measures.fits import fit_expected, fit_expected_response

    if queue:
        result = fit_expected_response.enqueue()
        print(f"queued for the task worker: {result.id}")
        return EXIT_OK
    stored = fit_expected(actor=Actor.system())
    print(f"expected-response fit version {stored.version} in {stored.seconds:.2f} s")
    for name, sizes in stored.sample_sizes.items():
        fallback = sizes["bands"] - sizes["fitted_bands"]
        print(
            f"  {name}: {sizes['clients']} clients, {sizes['scores']} scores; "
            f"{sizes['fitted_bands']} intake bands fitted"
            + (f", {fallback} on the published reliable-change rule" if fallback else "")
        )
    return EXIT_OK


def _read_response(reference: str) -> str:
    if reference == "-":
        return sys.stdin.read()
    try:
        with open(reference, encoding="utf-8-sig") as handle:
            return handle.read()
    except OSError as error:
        raise MeasuresError(f"cannot read {reference}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise MeasuresError(f"{reference} is not UTF-8 text") from None


def _json_result(instrument: Instrument, result: ScoreResult) -> dict[str, object]:
    return {
        "instrument": instrument.key,
        "title": instrument.title.default,
        **result.to_dict(),
        "needs_review": list(instrument.review_findings),
    }


def _text_result(instrument: Instrument, result: ScoreResult, language: str | None) -> str:
    lines = [instrument.title.in_language(language)]
    if result.could_not_score:
        lines.append(f"total: could not score ({result.could_not_score})")
    elif result.total is None:
        lines.append(f"total: no score ({result.items_missing} scored items unanswered)")
    else:
        band = ""
        if result.band is not None and instrument.scoring is not None:
            found = instrument.scoring.band_for(result.total)
            band = f" ({found.label.in_language(language) if found else result.band})"
        prorated = " [prorated]" if result.prorated else ""
        lines.append(f"total: {result.total}{band}{prorated}")
    lines.append(f"items answered: {result.items_answered}, missing: {result.items_missing}")
    for name, value in result.subscales.items():
        lines.append(f"{name}: {'no score' if value is None else value}")
    if result.safety_items:
        lines.append("safety item needs attention: " + ", ".join(result.safety_items))
    lines.extend(f"note: {note}" for note in result.notes)
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
