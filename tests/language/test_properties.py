"""Property tests: any input is survived, and every span lies inside its line."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attune.language import audit_bytes, audit_text
from attune.language.results import PROFILES

RISKY_WORDS = st.sampled_from(
    [
        "addict",
        "non-\ncompliant",
        "\u201cclaims\u201d",
        '"',
        "Mr/Mrs",
        "male / female",
        "mother's name:",
        "\u0130",
        "\u00df",
        "\r\n",
        "attune-lint: allow *",
        "\u2028",
        "\t",
        "wheelchair-",
        "bound",
        "typical of",
        "Black families",
        "he or she",
        "<b>",
        "&amp;",
    ]
)
TEXTS = st.lists(st.one_of(st.text(max_size=40), RISKY_WORDS), max_size=30).map("".join)


def assert_spans_inside_lines(text: str, report, *, exact_text: bool = True) -> None:
    lines = text.split("\n")
    for finding in report.findings:
        assert 1 <= finding.line <= finding.end_line <= len(lines)
        assert 1 <= finding.column <= len(lines[finding.line - 1])
        assert 1 <= finding.end_column <= len(lines[finding.end_line - 1]) + 1
        if finding.line == finding.end_line:
            assert finding.column < finding.end_column
        if exact_text:
            assert text[finding.start_offset : finding.end_offset] == finding.text
        assert finding.severity in {"info", "warning", "error"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, profile=st.sampled_from(PROFILES))
def test_it_never_crashes_and_keeps_spans_inside_lines(text: str, profile: str) -> None:
    report = audit_text(text, profile=profile)
    assert_spans_inside_lines(text, report)


@settings(max_examples=150, deadline=None)
@given(text=TEXTS, kind=st.sampled_from(["markdown", "html"]))
def test_it_never_crashes_on_markup(text: str, kind: str) -> None:
    report = audit_text(text, kind=kind, profile="forms")
    # Inside markup the reported words skip tags, so only the span itself must line up.
    assert_spans_inside_lines(text, report, exact_text=False)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=300), name=st.sampled_from(["a.txt", "a.md", "a.html", "a.json"]))
def test_it_never_crashes_on_arbitrary_bytes(data: bytes, name: str) -> None:
    try:
        audit_bytes(data, name)
    except Exception as error:  # only the documented one-line error is allowed out
        from attune.language import ReaderError

        assert isinstance(error, ReaderError)
        assert "\n" not in str(error)
