"""A password rule Django's validators lack: no password made of one short pattern repeated.

Django's list of common passwords stops at the ones people actually chose, so ``aaaaaaaaaaaa``
and ``abcabcabcabc`` pass it while being guessed in seconds by any cracking tool.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

MIN_DIFFERENT_CHARACTERS = 5


def repeats_a_pattern(password: str) -> bool:
    """Return whether ``password`` is some shorter string written out several times."""
    size = len(password)
    return any(
        size % length == 0 and password == password[:length] * (size // length)
        for length in range(1, size // 2 + 1)
    )


class RepeatedCharacterValidator:
    """Refuse passwords of fewer than five different characters, or of one repeated pattern."""

    def validate(self, password: str, user=None) -> None:
        if len(set(password)) < MIN_DIFFERENT_CHARACTERS or repeats_a_pattern(password):
            raise ValidationError(
                "This password repeats the same few characters; use at least "
                f"{MIN_DIFFERENT_CHARACTERS} different ones, or a few unrelated words.",
                code="password_repetitive",
            )

    def get_help_text(self) -> str:
        return (
            f"Your password must use at least {MIN_DIFFERENT_CHARACTERS} different characters "
            "and not repeat one pattern."
        )
