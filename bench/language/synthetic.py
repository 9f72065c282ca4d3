"""Generate a deterministic corpus of short clinic paragraphs for the speed benchmark."""

from __future__ import annotations

import random

OPENINGS = [
    "Client reports",
    "Client describes",
    "Client shared",
    "Patient states",
    "Client noted",
    "During the session the client described",
    "Therapist and client reviewed",
]
TOPICS = [
    "better sleep this week",
    "stress at work and worries about rent",
    "a visit from her sister",
    "progress on the goal of walking daily",
    "a hard conversation with a landlord",
    "feeling more hopeful about school",
    "missing two doses because of cost",
    "using the breathing exercise before meetings",
    "a long wait at the clinic",
    "plans to join a community choir",
    "grief after the loss of a grandparent",
]
FOLLOW_UPS = [
    "Discussed coping skills and the plan for next session.",
    "Reviewed the safety plan together; no changes needed.",
    "Client agreed to try the sleep diary for one week.",
    "Next session is booked for Tuesday at 3 pm.",
    "Offered an interpreter for the family meeting; client accepted.",
    "Client completed the PHQ-9 and GAD-7 today.",
    "Please bring your insurance card and a photo ID to the next visit.",
    "The group meets on Thursday evenings in room 4.",
]
# Roughly one paragraph in four carries wording a rule looks at, as real notes sometimes do.
FLAGGED = [
    "Client claims the medication does not help.",
    "Patient refused the referral.",
    "Client was non-compliant with the plan.",
    "Client has been clean for two months.",
    "Client is a poor historian.",
    "He suffers from anxiety.",
    "Like many immigrant families, they keep to themselves.",
    "Client was told to bring the form.",
    'Client said "I feel crazy some days."',
    "Client was difficult and demanding at intake.",
]


def paragraph(rng: random.Random) -> str:
    """Return one short paragraph of two to four sentences."""
    sentences = [f"{rng.choice(OPENINGS)} {rng.choice(TOPICS)}."]
    for _ in range(rng.randint(1, 3)):
        sentences.append(rng.choice(FOLLOW_UPS))
    if rng.random() < 0.25:
        sentences.insert(rng.randint(0, len(sentences)), rng.choice(FLAGGED))
    return " ".join(sentences)


def generate(target_bytes: int, *, seed: int = 7) -> str:
    """Return paragraphs separated by blank lines, about target_bytes of ASCII text."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    size = 0
    while size < target_bytes:
        text = paragraph(rng)
        paragraphs.append(text)
        size += len(text) + 2
    return "\n\n".join(paragraphs) + "\n"
