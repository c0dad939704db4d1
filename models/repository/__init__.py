"""Between table rows and the core's types: the only place one becomes the other.

    canonical conversation ─► `add_conversation` ─► Conversation row (+ agent, team)
    PipelineResult ─► `store_result` ─► Utterance and Finding rows, the verdict on the row
    Finding rows ─► `current_result` / `rescore` ─► InspectionResult (reviews applied)
    rows ─► `stored_inspections` / `stored_tickets` / `stored_manual` ─► coaching inputs
    audit entries ─► `verify_audit` / `write_checkpoint` ─► checked against signed checkpoints

Functions take the session and keyword arguments; they flush but never commit (the caller's
`session_scope` owns the transaction).
"""

from models.repository.audit import AuditVerdict, install_checkpoints, verify_audit, write_checkpoint
from models.repository.coaching import (
    save_scorecard,
    save_tickets,
    stored_inspections,
    stored_tickets,
    ticket_owners,
)
from models.repository.conversations import add_conversation, core_conversation, existing_or_conflict
from models.repository.manual import (
    StoredManualValue,
    manual_keys_stored,
    manual_values,
    save_manual_values,
    stored_manual,
)
from models.repository.results import current_result, finding_to_core, rescore, store_result, verdict

__all__ = ["AuditVerdict", "StoredManualValue", "add_conversation", "core_conversation",
           "current_result", "existing_or_conflict", "finding_to_core", "install_checkpoints",
           "manual_keys_stored", "manual_values", "rescore", "save_manual_values",
           "save_scorecard", "save_tickets", "store_result", "stored_inspections",
           "stored_manual", "stored_tickets", "ticket_owners", "verdict", "verify_audit", "write_checkpoint"]
