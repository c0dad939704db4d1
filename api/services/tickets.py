"""Ticket CSV import: good rows are stored (replacing the same ticket ids), bad rows reported by
line and skipped (columns in docs/coaching.md)."""

from __future__ import annotations

import csv
import io

from api.runtime import Runtime
from api.services.uploads import decode_text
from coaching.tickets import TicketImport, parse_ticket_rows
from inspection.errors import InvalidInputError
from models.repository import save_tickets

TICKETS_SOURCE = "tickets.csv"
MAX_TICKETS_BYTES = 20 * 1024 * 1024


def import_tickets(runtime: Runtime, body: bytes) -> TicketImport:
    """Check, parse and store an uploaded ticket CSV in one transaction."""
    if len(body) > MAX_TICKETS_BYTES:
        raise InvalidInputError(TICKETS_SOURCE, f"文件超过 {MAX_TICKETS_BYTES} 字节")
    text = decode_text(body, source=TICKETS_SOURCE, not_utf8="不是 UTF-8 编码：请另存为 UTF-8")
    if not text.strip():
        raise InvalidInputError(TICKETS_SOURCE, "文件为空")
    result = parse_ticket_rows(csv.DictReader(io.StringIO(text)), source=TICKETS_SOURCE)
    with runtime.session() as session:
        save_tickets(session, tickets=result.tickets)
    return result
