"""Files and batches for the roster tests (synthetic people only)."""

from __future__ import annotations

from attune.roster import services

ROSTER_HEADER = "external_id,chosen_name,legal_name,pronouns,language,phone,email,therapist\n"


def roster_csv(*rows: str, header: str = ROSTER_HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode("utf-8")


def schedule_csv(*rows: str) -> bytes:
    header = "appointment_id,client_id,therapist,start,status\n"
    return (header + "".join(row + "\n" for row in rows)).encode("utf-8")


def make_batch(leader, data: bytes | None = None, *, keep_content: bool = False):
    data = data or roster_csv("R-900,Quinn Example,,they/them,en,,,ana")
    return services.preview(
        leader=leader, kind="roster", data=data, filename="roster.csv", keep_content=keep_content
    ).batch
