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


# Form questions in several wordings, some inclusive and some not, for the forms-profile corpus.
FORM_LINES = [
    "Name you use: ______",
    "Legal name (only for insurance billing): ______",
    "First name: ______",
    "Last name: ______",
    "Name you want us to use: ______",
    "Pronouns: ______",
    "Date of birth: ______",
    "Gender: [ ] Woman [ ] Man [ ] Non-binary [ ] I use a different term: ____",
    "Sex: [ ] Male [ ] Female",
    "Race or ethnicity (check all that apply):",
    "[ ] Black or African American [ ] White [ ] Asian [ ] In your own words: ____",
    "Race (check one): [ ] White [ ] Black [ ] Hispanic [ ] Other",
    "Preferred language: ______",
    "Do you need an interpreter? [ ] Yes [ ] No",
    "Do you need any accommodations (large print, sign language)? ______",
    "Marital status: [ ] Single [ ] Married [ ] Divorced [ ] Widowed",
    "Household income: [ ] Under $20,000 [ ] $20,000 or more [ ] Prefer not to say",
    "Religion or faith: ______",
    "Emergency contact and phone: ______",
    "Mother's maiden name: ______",
    "What brings you to the clinic today? ______",
    "Have you ever been arrested? [ ] Yes [ ] No",
    "Who referred you? ______",
    "Please bring your insurance card and a photo ID to your first visit.",
    "Your answers are private and only shared with your care team.",
]


def form(rng: random.Random) -> str:
    """Return one intake form of eight to fourteen lines, under a heading."""
    lines = [f"Intake form {rng.randint(1, 999)}", ""]
    lines.extend(rng.choice(FORM_LINES) for _ in range(rng.randint(8, 14)))
    return "\n".join(lines)


def generate_forms(target_bytes: int, *, seed: int = 11) -> str:
    """Return intake forms separated by blank lines, about target_bytes of ASCII text."""
    rng = random.Random(seed)
    forms: list[str] = []
    size = 0
    while size < target_bytes:
        text = form(rng)
        forms.append(text)
        size += len(text) + 2
    return "\n\n".join(forms) + "\n"
