"""The episode file's columns and the values each may hold."""

from __future__ import annotations

EPISODE_ID = "episode_id"
CLIENT_ID = "client_id"
REFERRAL_DATE = "referral_date"
FIRST_SESSION_DATE = "first_session_date"
END_DATE = "end_date"
END_REASON = "end_reason"
SESSIONS_SCHEDULED = "sessions_scheduled"
SESSIONS_ATTENDED = "sessions_attended"
PHQ9_FIRST = "phq9_first"
PHQ9_LAST = "phq9_last"
GAD7_FIRST = "gad7_first"
GAD7_LAST = "gad7_last"
HUMILITY_MEAN = "humility_mean"
ALLIANCE_MEAN = "alliance_mean"

EPISODE_COLUMNS: tuple[str, ...] = (
    EPISODE_ID,
    CLIENT_ID,
    REFERRAL_DATE,
    FIRST_SESSION_DATE,
    END_DATE,
    END_REASON,
    SESSIONS_SCHEDULED,
    SESSIONS_ATTENDED,
    PHQ9_FIRST,
    PHQ9_LAST,
    GAD7_FIRST,
    GAD7_LAST,
    HUMILITY_MEAN,
    ALLIANCE_MEAN,
)

# Optional, as a pair: the words of a client's session notes and how many passages of them the
# language audit flagged as stigmatizing (summed over the episode's notes).  With them the
# report adds ``stigmatizing_per_1000_words``; they are never taken as attributes.
NOTE_WORDS = "note_words"
NOTE_FINDINGS = "note_findings"
NOTE_COLUMNS: tuple[str, ...] = (NOTE_WORDS, NOTE_FINDINGS)

REQUIRED_VALUES: tuple[str, ...] = (EPISODE_ID, CLIENT_ID, REFERRAL_DATE, END_REASON)
DATE_COLUMNS: tuple[str, ...] = (REFERRAL_DATE, FIRST_SESSION_DATE, END_DATE)
COUNT_COLUMNS: tuple[str, ...] = (SESSIONS_SCHEDULED, SESSIONS_ATTENDED)

# Inclusive bounds of each score: PHQ-9 and GAD-7 totals, and the 0-100 client ratings.
SCORE_RANGES: dict[str, tuple[float, float]] = {
    PHQ9_FIRST: (0, 27),
    PHQ9_LAST: (0, 27),
    GAD7_FIRST: (0, 21),
    GAD7_LAST: (0, 21),
    HUMILITY_MEAN: (0, 100),
    ALLIANCE_MEAN: (0, 100),
}

END_REASONS: tuple[str, ...] = ("completed", "dropped_out", "transferred", "ongoing")

VALUE_SEPARATOR = ";"
INTERSECTION_JOINER = "+"
NOT_DISCLOSED = "not disclosed"
