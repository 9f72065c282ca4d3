"""Builders for reflection-journal tests: write and share entries through the real services."""

from __future__ import annotations

from attune.access.actor import Actor
from attune.care import services


def write(author, text: str, *, client=None, session=None, tags=(), answers=None):
    """Write an entry as ``author`` and return it."""
    return services.reflection_write(
        actor=Actor(user=author),
        answers=answers or {},
        text=text,
        tags=tags,
        client=client,
        session=session,
    )


def share(reflection, supervisor):
    """Share ``reflection`` with ``supervisor`` as its author."""
    return services.reflection_share(
        actor=Actor(user=reflection.author), reflection=reflection, supervisor=supervisor
    )


def unshare(reflection, supervisor=None):
    """Stop sharing ``reflection`` as its author."""
    return services.reflection_unshare(
        actor=Actor(user=reflection.author), reflection=reflection, supervisor=supervisor
    )
