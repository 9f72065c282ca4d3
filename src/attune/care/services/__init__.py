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
from attune.care.services.repairs import (
    ClientNotOnCaseload,
    RepairConflict,
    RepairError,
    RepairExists,
    RepairStateError,
    repair_close,
    repair_open,
    repair_update,
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
    "ClientNotOnCaseload",
    "HeldSession",
    "ReflectionEditConflict",
    "ReflectionError",
    "RepairConflict",
    "RepairError",
    "RepairExists",
    "RepairStateError",
    "SessionStateError",
    "current_supervisors",
    "reflection_delete",
    "reflection_edit",
    "reflection_share",
    "reflection_unshare",
    "reflection_write",
    "repair_close",
    "repair_open",
    "repair_update",
    "session_cancel",
    "session_mark_held",
    "session_mark_no_show",
    "session_schedule",
]
