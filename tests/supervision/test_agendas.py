"""The agenda of a supervision meeting: its window, its four categories, the trail, the PDF."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from attune.access.actor import Actor
from attune.access.models import AccessEvent
from attune.care import services as care_services
from attune.clients import services as client_services
from attune.supervision import services
from attune.supervision.queries import agendas
from attune.supervision.queries.agendas import meeting_agenda
from tests.measures.checkins import answered_checkin
from tests.supervision.builders import meeting, pair_of


def _agenda(agency, meets_on=None):
    found = meeting(pair_of(agency.therapist_a), meets_on or timezone.localdate())
    return meeting_agenda(actor=Actor(user=agency.supervisor), meeting=found)


def _items(agenda, category):
    return next(s for s in agenda.sections if s.key == category).items


def test_it_lists_context_gaps_for_the_supervisees_clients_by_case_code(agency):
    agenda = _agenda(agency)
    contexts = _items(agenda, agendas.CONTEXTS)
    titles = {(item.case_code, item.title) for item in contexts}
    assert (agency.client_a.case_code, "No cultural formulation yet") in titles
    assert (agency.client_a.case_code, "Needs an interpreter") in titles
    # therapist_b's client is not this supervisee's
    assert all(item.case_code != agency.client_b.case_code for item in contexts)
    assert [s.key for s in agenda.sections] == [
        "contexts",
        "countertransference",
        "systemic",
        "ruptures",
    ]


def _held(agency, days: int, interpreter: str) -> None:
    actor = Actor(user=agency.therapist_a)
    session = care_services.session_schedule(
        actor=actor, client=agency.client_a, starts_at=timezone.now() - timedelta(days=days)
    )
    care_services.session_mark_held(
        actor=actor, session=session, base_url="http://testserver/", interpreter=interpreter
    )


def _interpreter_item(agency):
    contexts = _items(_agenda(agency), agendas.CONTEXTS)
    return next(item for item in contexts if item.title.startswith("Needs an interpreter"))


def test_sessions_held_without_a_professional_interpreter_are_counted(agency):
    for days, use in enumerate(("professional", "family_or_friend", "none", "", "none"), 1):
        _held(agency, days, use)
    item = _interpreter_item(agency)
    assert item.title == "Needs an interpreter: 3 of 5 sessions without a professional one"
    assert "1 with a professional interpreter" in item.detail
    assert "1 with a family member or friend interpreting" in item.detail
    assert "2 without an interpreter" in item.detail
    assert "1 with nothing recorded about an interpreter" in item.detail


def test_an_interpreter_at_every_session_is_said_so(agency):
    _held(agency, 2, "professional")
    _held(agency, 1, "professional")
    item = _interpreter_item(agency)
    assert item.title == "Needs an interpreter: one was there at every session"
    assert "2 sessions held in this period (2 with a professional interpreter)" in item.detail


def test_an_unrecorded_session_asks_whether_the_need_was_met(agency):
    _held(agency, 1, "")
    assert _interpreter_item(agency).title == "Needs an interpreter: check the need was met"


def test_a_formulation_takes_the_client_off_the_agenda(agency):
    client_services.cultural_formulation_record(
        actor=Actor(user=agency.therapist_a), client=agency.client_a, answers={"problem": "x"}
    )
    titles = [item.title for item in _items(_agenda(agency), agendas.CONTEXTS)]
    assert "No cultural formulation yet" not in titles


def test_it_raises_repeated_no_shows_and_fee_questions_as_systemic(agency):
    actor = Actor(user=agency.therapist_a)
    for days in (3, 2):
        session = care_services.session_schedule(
            actor=actor,
            client=agency.client_a,
            starts_at=timezone.now() - timedelta(days=days),
        )
        care_services.session_mark_no_show(actor=actor, session=session)
    client_services.self_identification_record(
        actor=actor,
        client=agency.client_a,
        answers={"chosen_name": agency.client_a.chosen_name, "fee_tier": "discuss"},
        declined=[],
    )
    systemic = _items(_agenda(agency), agendas.SYSTEMIC)
    assert [item.title for item in systemic] == ["Missed 2 sessions", "Asked to talk about fees"]
    assert {item.case_code for item in systemic} == {agency.client_a.case_code}


def test_one_missed_session_is_not_an_item(agency):
    actor = Actor(user=agency.therapist_a)
    session = care_services.session_schedule(
        actor=actor, client=agency.client_a, starts_at=timezone.now() - timedelta(days=1)
    )
    care_services.session_mark_no_show(actor=actor, session=session)
    assert _items(_agenda(agency), agendas.SYSTEMIC) == []


def test_it_lists_rupture_signals_since_the_last_meeting_only(agency):
    answered_checkin(agency.client_a, 3)
    ruptures = _items(_agenda(agency), agendas.RUPTURES)
    assert ruptures and all(item.case_code == agency.client_a.case_code for item in ruptures)
    assert all(item.title.startswith("Possible rupture from a check-in") for item in ruptures)
    # A meeting held today: the next meeting's agenda starts from it, so nothing older shows.
    pair = pair_of(agency.therapist_a)
    held = meeting(pair, timezone.localdate())
    services.meeting_record(
        actor=Actor(user=agency.supervisor), meeting=held, status="held", notes="", version=1
    )
    later = meeting(pair, timezone.localdate() + timedelta(days=14))
    signals_before = [
        item
        for item in _items(
            meeting_agenda(actor=Actor(user=agency.supervisor), meeting=later), "ruptures"
        )
        if item.on and item.on < timezone.localdate()
    ]
    assert signals_before == []
    agenda = meeting_agenda(actor=Actor(user=agency.supervisor), meeting=later)
    assert agenda.since == timezone.localdate() and agenda.since_reason == "the last meeting"


def test_shared_reflections_and_repairs_slot_into_their_categories(agency):
    from tests.care.reflection_builders import share, write
    from tests.care.repair_builders import open_log, rupture_signal

    share(write(agency.therapist_a, "I assumed", tags=["assumption"], client=agency.client_a),
          agency.supervisor)  # fmt: skip
    share(
        write(agency.therapist_a, "It stirred me", tags=["countertransference"]), agency.supervisor
    )
    share(
        write(agency.therapist_a, "Fees and power", tags=["systemic", "power"]), agency.supervisor
    )
    share(write(agency.therapist_a, "Untagged, but I chose to bring it"), agency.supervisor)
    write(agency.therapist_a, "Private and unshared", tags=["power"])
    log = open_log(agency.client_a, signal=rupture_signal(agency.client_a))

    agenda = _agenda(agency)
    reflections = [
        (item.category, item.case_code)
        for section in agenda.sections
        for item in section.items
        if item.title == "A reflection shared for supervision"
    ]
    assert sorted(reflections) == sorted(
        [
            ("contexts", agency.client_a.case_code),
            ("countertransference", ""),
            ("systemic", ""),
            ("countertransference", ""),
        ]
    )
    (repair,) = [
        item for item in _items(agenda, agendas.RUPTURES) if item.title.startswith("Repair")
    ]
    assert repair.title == "Repair: open" and repair.case_code == agency.client_a.case_code
    assert repair.link == reverse("care:repair_detail", args=[log.pk])
    assert "No check-in since says yet" in repair.detail
    # The check-in it came from is said on the repair's line, not on a second one.
    assert "(possible rupture: below the low check-in threshold;" in repair.detail
    assert [item.title for item in _items(agenda, agendas.RUPTURES)] == ["Repair: open"]


def test_the_supervisee_chooses_what_to_bring_from_the_meeting_page(agency):
    from attune.care.models import ReflectionSharing
    from tests.care.reflection_builders import write

    entry = write(agency.therapist_a, "Something to bring", tags=["power"])
    found = meeting(pair_of(agency.therapist_a), timezone.localdate() + timedelta(days=1))
    http = HttpClient()
    http.force_login(agency.therapist_a)
    page = http.get(reverse("supervision:meeting_detail", args=[found.pk])).content.decode()
    assert "Bring it" in page
    url = reverse("supervision:meeting_detail", args=[found.pk])
    response = http.post(
        reverse("care:reflection_share", args=[entry.pk]),
        {"supervisor": agency.supervisor.pk, "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    assert ReflectionSharing.objects.filter(reflection=entry, unshared_at__isnull=True).exists()
    assert "Keep private" in http.get(url).content.decode()
    # The supervisor's copy of the page offers no such list.
    http.force_login(agency.supervisor)
    assert "Something to bring" not in http.get(url).content.decode()


def test_an_empty_period_says_so_plainly(agency):
    from tests.conftest import make_staff

    newcomer = make_staff("nia", "therapist")
    pair = services.pair_create(
        actor=Actor(user=agency.leader),
        supervisor=agency.supervisor,
        supervisee=newcomer,
        starts_on=timezone.localdate(),
    )
    found = meeting(pair, timezone.localdate())
    http = HttpClient()
    http.force_login(agency.supervisor)
    response = http.get(reverse("supervision:agenda", args=[found.pk]))
    assert response.status_code == 200
    assert "Nothing came up from clients' records in this period" in response.content.decode()


def test_a_pair_ended_mid_period_covers_only_its_time_and_says_so(agency):
    pair = pair_of(agency.therapist_a)
    today = timezone.localdate()
    planned = meeting(pair, today + timedelta(days=7))
    services.pair_end(actor=Actor(user=agency.leader), pair=pair, ends_on=today)
    planned.refresh_from_db()
    agenda = meeting_agenda(actor=Actor(user=agency.supervisor), meeting=planned)
    assert agenda.until == today and agenda.ended_on == today
    http = HttpClient()
    http.force_login(agency.supervisor)
    body = http.get(reverse("supervision:agenda", args=[planned.pk])).content.decode()
    assert "This supervision pair ended on" in body
    # Once the pair is over, the supervisor no longer opens it at all.
    services.pair_end(actor=Actor(user=agency.leader), pair=pair, ends_on=today - timedelta(days=1))
    assert http.get(reverse("supervision:agenda", args=[planned.pk])).status_code == 404


def test_showing_an_agenda_records_a_summary_read_of_each_client_named(agency):
    _agenda(agency)
    reads = AccessEvent.objects.filter(
        actor=agency.supervisor, client_ref=agency.client_a.pk, section="summary"
    )
    assert reads.count() == 1
    assert "agenda" in reads.get().detail
    assert not AccessEvent.objects.filter(
        client_ref=agency.client_b.pk, actor=agency.supervisor
    ).exists()


def test_the_agenda_prints_to_pdf(agency):
    answered_checkin(agency.client_a, 3)
    found = meeting(pair_of(agency.therapist_a))
    http = HttpClient()
    http.force_login(agency.supervisor)
    response = http.get(reverse("supervision:agenda_pdf", args=[found.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert agency.client_a.chosen_name.encode() not in response.content


# --- An agenda that helps: repeats said once, one line per check-in, interpreters as recorded --


def _more_clients(agency, count: int, **fields) -> list:
    return [
        client_services.client_create(
            actor=Actor.system(),
            therapist=agency.therapist_a,
            chosen_name=f"Extra {n}",
            **fields,
        )
        for n in range(count)
    ]


def test_clients_without_a_formulation_are_one_line_with_their_list(agency):
    extra = _more_clients(agency, 4)
    contexts = _items(_agenda(agency), agendas.CONTEXTS)
    lines = [item for item in contexts if "cultural formulation" in item.title]
    assert len(lines) == 1
    (line,) = lines
    # client_a and the four new ones have none; the agency's own count of open clients.
    open_now = agency.therapist_a.clients.filter(closed_at__isnull=True).count()
    assert line.title == f"5 of {open_now} clients have no cultural formulation yet"
    codes = [member.case_code for member in line.members]
    assert codes == sorted([agency.client_a.case_code, *(c.case_code for c in extra)])
    assert line.detail.startswith("What is still unknown")


def test_two_clients_without_a_formulation_stay_two_lines(agency):
    _more_clients(agency, 1)
    contexts = _items(_agenda(agency), agendas.CONTEXTS)
    assert [item.title for item in contexts].count("No cultural formulation yet") == 2


def test_the_summary_and_its_list_are_on_screen_and_in_the_pdf(agency):
    import io

    import pdfplumber

    extra = _more_clients(agency, 3)
    found = meeting(pair_of(agency.therapist_a))
    http = HttpClient()
    http.force_login(agency.supervisor)
    page = http.get(reverse("supervision:agenda", args=[found.pk])).content.decode()
    assert page.count("No cultural formulation yet") == 0
    assert "clients have no cultural formulation yet" in page
    assert all(client.case_code in page for client in extra)
    pdf = http.get(reverse("supervision:agenda_pdf", args=[found.pk])).content
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = " ".join(p.extract_text() or "" for p in document.pages)
    assert text.count("cultural formulation yet") == 1
    assert all(client.case_code in text for client in extra)


def test_one_line_per_check_in_whatever_its_reasons(agency):
    for _ in range(3):
        answered_checkin(agency.client_a, 9)
    answered_checkin(agency.client_a, 2)  # below threshold, below usual, humility items low
    (line,) = _items(_agenda(agency), agendas.RUPTURES)
    assert line.title == (
        "Possible rupture from a check-in: below the low check-in threshold; "
        "lower than the client's usual; cultural-humility rating low"
    )
    assert "respected-values" not in line.detail
    assert "My therapist respected my values and beliefs" in line.detail


def test_a_recorded_family_interpreter_is_not_shown_as_not_sure(agency):
    from attune.clients.models import Client

    Client.objects.filter(pk=agency.client_a.pk).update(interpreter_needed="not_sure")
    _held(agency, 2, "family_or_friend")
    _held(agency, 1, "family_or_friend")
    contexts = _items(_agenda(agency), agendas.CONTEXTS)
    (item,) = [
        item
        for item in contexts
        if item.case_code == agency.client_a.case_code and "interpret" in item.title.lower()
    ]
    assert item.title == "A family member or friend interpreted at 2 of 2 sessions"
    assert "not sure" not in item.title.lower()
    assert "recorded as not sure" in item.detail


def test_interpreter_lines_with_different_details_keep_each_detail(agency):
    extra = _more_clients(agency, 3, preferred_language="ko", interpreter_needed="not_sure")
    contexts = _items(_agenda(agency), agendas.CONTEXTS)
    (line,) = [item for item in contexts if item.title.startswith("Not sure about an interpreter")]
    assert line.title == f"Not sure about an interpreter: 3 of {len(extra) + 1} clients"
    assert [member.case_code for member in line.members] == sorted(c.case_code for c in extra)
