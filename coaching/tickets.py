"""Ticket / work-order CSV import with row-level validation.

A bad row is reported by line number and reason and skipped; the good rows are all imported.
A file whose header lacks a required column is rejected as a whole (`InvalidInputError`).
`ticket_id` is optional: a row without one gets a stable id derived from its content
(`T-` + a digest of the row), so the same export imported twice gives the same ids and a
repeated row is still reported as a duplicate.
"""

from __future__ import annotations

import csv
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from coaching.periods import DEFAULT_TIMEZONE, localize
from inspection.errors import InvalidInputError

logger = logging.getLogger("zhijian.coaching")

REQUIRED_COLUMNS = ("agent_id", "customer_id", "issue_key", "channel", "opened_at")
OPTIONAL_COLUMNS = (
    "ticket_id",
    "first_response_at",
    "resolved_at",
    "handle_seconds",
    "csat",
    "complaint",
    "escalated",
)
_TRUE = {"1", "true", "yes", "y", "是", "t"}
_FALSE = {"0", "false", "no", "n", "否", "f", ""}


class Ticket(BaseModel):
    """One ticket / work order. Times are aware datetimes (naive input read in the import zone)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    ticket_id: str = Field(min_length=1)
    agent_id: str = Field(min_length=1)
    customer_id: str = Field(min_length=1)
    issue_key: str = Field(min_length=1)
    channel: str = Field(min_length=1)
    opened_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    handle_seconds: float | None = Field(default=None, ge=0)
    csat: int | None = Field(default=None, ge=1, le=5)
    complaint: bool = False
    escalated: bool = False

    @field_validator("complaint", "escalated", mode="before")
    @classmethod
    def _parse_bool(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            raise ValueError(f"{value!r} is not a yes/no value (1/0, true/false, 是/否)")
        return value

    @field_validator("opened_at", "first_response_at", "resolved_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a UTC offset (load_tickets reads naive times in its zone)")
        return value

    @model_validator(mode="after")
    def _times_in_order(self) -> Ticket:
        for name in ("first_response_at", "resolved_at"):
            moment = getattr(self, name)
            if moment is not None and moment < self.opened_at:
                raise ValueError(f"{name} ({moment.isoformat()}) is before opened_at")
        return self

    @property
    def first_response_seconds(self) -> float | None:
        if self.first_response_at is None:
            return None
        return (self.first_response_at - self.opened_at).total_seconds()

    @property
    def resolution_hours(self) -> float | None:
        if self.resolved_at is None:
            return None
        return (self.resolved_at - self.opened_at).total_seconds() / 3600


@dataclass(frozen=True)
class RowError:
    """One rejected row: file, 1-based line number (header is line 1) and the reason."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: line {self.line}: {self.reason}"


@dataclass(frozen=True)
class TicketImport:
    """The tickets that passed validation and the rows that did not."""

    tickets: tuple[Ticket, ...]
    errors: tuple[RowError, ...]


def load_tickets(path: Path, tz: tzinfo = DEFAULT_TIMEZONE) -> TicketImport:
    """Read a ticket CSV (UTF-8, BOM tolerated). See docs/coaching.md for the columns."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return parse_ticket_rows(csv.DictReader(handle), source=str(path), tz=tz)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInputError(str(path), f"cannot read ticket CSV: {exc}") from exc


def parse_ticket_rows(
    reader: csv.DictReader[str], *, source: str, tz: tzinfo = DEFAULT_TIMEZONE
) -> TicketImport:
    """Validate every row; rejected rows become `RowError`s, duplicates of a ticket id too."""
    _check_header(reader.fieldnames, source)
    tickets: list[Ticket] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        try:
            ticket = _parse_row(row, tz)
        except ValueError as exc:
            errors.append(RowError(source, line, _reason(exc)))
            continue
        if ticket.ticket_id in seen:
            errors.append(RowError(source, line, f"duplicate ticket_id {ticket.ticket_id!r}"))
            continue
        seen.add(ticket.ticket_id)
        tickets.append(ticket)
    for error in errors:
        logger.warning("skipped ticket row: %s", error)
    return TicketImport(tuple(tickets), tuple(errors))


def _check_header(fieldnames: Sequence[str] | None, source: str) -> None:
    present = {name.strip() for name in fieldnames or ()}
    missing = [name for name in REQUIRED_COLUMNS if name not in present]
    if missing:
        raise InvalidInputError(source, f"missing column(s) {', '.join(missing)}", "line 1")
    unknown = sorted(present - set(REQUIRED_COLUMNS) - set(OPTIONAL_COLUMNS))
    if unknown:
        raise InvalidInputError(source, f"unknown column(s) {', '.join(unknown)}", "line 1")


def _parse_row(row: dict[str, str | None], tz: tzinfo) -> Ticket:
    if None in row:
        raise ValueError("more fields than the header has")
    values = {key.strip(): (value or "").strip() for key, value in row.items() if key}
    data: dict[str, object] = {k: v for k, v in values.items() if v != ""}
    data.setdefault("ticket_id", derived_ticket_id(values))
    for name in ("opened_at", "first_response_at", "resolved_at"):
        if name in data:
            data[name] = _parse_time(name, str(data[name]), tz)
    return Ticket.model_validate(data)


def derived_ticket_id(values: dict[str, str]) -> str:
    """A stable id for a row that has none: the same row content always gives the same id."""
    canonical = "\x1f".join(f"{key}={values[key]}" for key in sorted(values) if key != "ticket_id")
    return "T-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _parse_time(name: str, text: str, tz: tzinfo) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name}: {text!r} is not an ISO 8601 time") from None
    try:
        return localize(moment, tz)
    except OverflowError:  # 0001-01-01 with an offset: no such time in `tz`
        raise ValueError(f"{name}: {text!r} is out of range") from None


def _reason(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            message = err["msg"].removeprefix("Value error, ")
            parts.append(f"{where}: {message}" if where else message)
        return "; ".join(parts)
    return str(exc)


def tickets_by_agent(tickets: Iterable[Ticket]) -> dict[str, list[Ticket]]:
    """Group tickets by agent id, keeping input order."""
    grouped: dict[str, list[Ticket]] = {}
    for ticket in tickets:
        grouped.setdefault(ticket.agent_id, []).append(ticket)
    return grouped
