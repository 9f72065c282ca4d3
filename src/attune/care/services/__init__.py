"""Every write of the care app, one module per topic; each function is importable from here."""

from attune.care.services.reflections import (
    ReflectionEditConflict,
    ReflectionError,
    current_supervisors,
    reflection_delete,
    reflection_edit,
    reflection_share,
    reflection_unshare,
    reflection_write,
)
from attune.care.services.sessions import (
    HeldSession,
    SessionStateError,
    session_cancel,
    session_mark_held,
    session_mark_no_show,
    session_schedule,
)

__all__ = [
    "ReflectionEditConflict",
    "ReflectionError",
    "current_supervisors",
    "reflection_delete",
    "reflection_edit",
    "reflection_share",
    "reflection_unshare",
    "reflection_write",
    "HeldSession",
    "SessionStateError",
    "session_cancel",
    "session_mark_held",
    "session_mark_no_show",
    "session_schedule",
]
