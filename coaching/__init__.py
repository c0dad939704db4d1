"""Metrics, scorecards, bonus shares and coaching plans from inspected conversations + tickets.

Pure core: every function takes explicit arguments and returns frozen values; see
docs/coaching.md. The CLI lives in `coaching.cli`.
"""

from coaching.dataset import CoachingInputs
from coaching.period_report import PeriodReport, ReportOptions, build_report
from coaching.periods import Period, parse_period
from coaching.template_model import ScorecardTemplate, load_template
from coaching.tickets import Ticket, TicketImport, load_tickets

__all__ = [
    "CoachingInputs",
    "Period",
    "PeriodReport",
    "ReportOptions",
    "ScorecardTemplate",
    "Ticket",
    "TicketImport",
    "build_report",
    "load_template",
    "load_tickets",
    "parse_period",
]
