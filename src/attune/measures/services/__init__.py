"""Every write of the measures app, one module per topic; each function is importable from here.

Each function is atomic and writes its trail entry in the same transaction.  The parsed
instruments (``attune.measures.parsed_instruments``) and the check-in follow-ups
(``attune.measures.followups``) are re-exported for callers that know them as services.
"""

from attune.measures.errors import InstrumentError, MeasuresError
from attune.measures.followups import checkin_expire, checkin_remind, checkin_reminders_due
from attune.measures.parsed_instruments import (
    SESSION_CHECKIN,
    bundled_source,
    comment_of,
    goals_instrument,
    instrument_of,
    item_labels,
    questionnaire_of,
)
from attune.measures.queries import rule_settings
from attune.measures.services.checkins import (
    CHECKIN_PURPOSE,
    DraftConflict,
    SentCheckIn,
    checkin_draft,
    checkin_draft_save,
    checkin_drafts_purge,
    checkin_for_link,
    checkin_instruments,
    checkin_send,
    checkin_submit,
    clean_goal_texts,
)
from attune.measures.services.instruments import (
    InstrumentNotReady,
    agency_terminology,
    bundled_instrument_stored,
    instrument_accept,
    instrument_import_file,
    instrument_store,
    terminology_load,
)
from attune.measures.services.schedules import (
    SCHEDULE_CHANGES,
    ScheduleError,
    next_due_after,
    schedule_change,
    schedule_create,
    scheduled_checkins_due,
)
from attune.measures.services.signals import (
    SignalStateError,
    signal_acknowledge,
    signal_close,
    signals_raise,
)

__all__ = [
    "CHECKIN_PURPOSE",
    "SCHEDULE_CHANGES",
    "SESSION_CHECKIN",
    "DraftConflict",
    "InstrumentError",
    "InstrumentNotReady",
    "MeasuresError",
    "ScheduleError",
    "SentCheckIn",
    "SignalStateError",
    "agency_terminology",
    "bundled_instrument_stored",
    "bundled_source",
    "checkin_draft",
    "checkin_draft_save",
    "checkin_drafts_purge",
    "checkin_expire",
    "checkin_for_link",
    "checkin_instruments",
    "checkin_remind",
    "checkin_reminders_due",
    "checkin_send",
    "checkin_submit",
    "clean_goal_texts",
    "comment_of",
    "goals_instrument",
    "instrument_accept",
    "instrument_import_file",
    "instrument_of",
    "instrument_store",
    "item_labels",
    "next_due_after",
    "questionnaire_of",
    "rule_settings",
    "schedule_change",
    "schedule_create",
    "scheduled_checkins_due",
    "signal_acknowledge",
    "signal_close",
    "signals_raise",
    "terminology_load",
]
