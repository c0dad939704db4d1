"""The coaching report of a period, built from what is stored (finished conversations with
reviews and appeals applied, imported tickets), and each caller's visible part of it:
scorecards, coaching plans, alerts. Reading them writes nothing (computed on read); keeping a
period's scorecards and plans is the explicit, audited `save_scorecards`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlmodel import Session

from api.services.access import Principal
from api.services.rules import agreement_stats, precision_alerts_of
from coaching import CoachingInputs, PeriodReport, build_report, load_template, parse_period
from coaching.render import agent_json
from coaching.scorecard import AgentScorecard
from coaching.template_model import list_templates
from inspection.engine import RuleSet
from inspection.errors import InvalidInputError
from inspection.scoring import ScoringPolicy
from models.errors import NotFoundError
from models.queries import append_audit
from models.repository import save_scorecard, stored_inspections, stored_manual, stored_tickets
from models.repository.reinspection import rule_versions_of

TEAM_ALERT = "team"  # the agent id of alerts about the whole team


def period_report(session: Session, policy: ScoringPolicy, *, period: str,
                  template: str) -> PeriodReport:
    """`NotFoundError` for an unknown template, `InvalidInputError` for a bad period."""
    if template not in list_templates():
        raise NotFoundError(f"没有评分模板 {template!r}（可用：{', '.join(list_templates())}）")
    try:
        parsed = parse_period(period)
    except ValueError as exc:
        raise InvalidInputError("period", str(exc)) from None
    inputs = CoachingInputs(inspected=tuple(stored_inspections(session, policy)),
                            tickets=stored_tickets(session), manual=stored_manual(session))
    return build_report(inputs, load_template(template), parsed)


def scorecards(session: Session, policy: ScoringPolicy, principal: Principal, *, period: str,
               template: str) -> tuple[str, list[dict[str, Any]]]:
    """(period label, the visible agents' scorecards), computed from what is stored; nothing
    is written."""
    report = period_report(session, policy, period=period, template=template)
    allowed = principal.visible_agent_ids(session)
    cards = [{**agent_json(report, card), "rule_versions": _rule_versions(session, report, card)}
             for card in report.team.cards if allowed is None or card.agent_id in allowed]
    return report.team.period.label, cards


def _rule_versions(session: Session, report: PeriodReport, card: AgentScorecard) -> list[int]:
    """The rule-pack versions the card's conversations were inspected with."""
    ids = [conversation.id for conversation, _ in report.team.per_agent[card.agent_id].inspected]
    return rule_versions_of(session, ids=ids)


def save_scorecards(session: Session, policy: ScoringPolicy, principal: Principal, *,
                    period: str, template: str) -> tuple[str, list[str]]:
    """Keep the visible agents' scorecards of the period and their coaching plans (replacing
    earlier ones), with an audit entry naming who saved which, committed before it returns;
    (period label, agent ids)."""
    label, cards = scorecards(session, policy, principal, period=period, template=template)
    for card in cards:
        save_scorecard(session, agent_id=card["agent_id"], period=label, template=template,
                       card=card)
    agents = [card["agent_id"] for card in cards]
    append_audit(session, actor=principal.actor, action="scorecards.saved", entity="scorecard",
                 entity_id=f"{label}/{template}", before=None,
                 after={"period": label, "template": template, "agents": agents})
    session.commit()
    return label, agents


def coaching_plans(session: Session, policy: ScoringPolicy, principal: Principal, *,
                   period: str, template: str) -> tuple[str, dict[str, Any]]:
    """(period label, recommendations per visible agent)."""
    report = period_report(session, policy, period=period, template=template)
    allowed = principal.visible_agent_ids(session)
    plans = {card.agent_id: agent_json(report, card)["recommendations"]
             for card in report.team.cards if allowed is None or card.agent_id in allowed}
    return report.team.period.label, plans


def alerts(session: Session, policy: ScoringPolicy, principal: Principal, *, period: str,
           template: str, rules: RuleSet | None = None) -> tuple[str, list[dict[str, Any]]]:
    """(period label, the alerts on visible agents and on the team; with `rules`, also each
    rule whose last-30-days precision is below its pack's threshold)."""
    report = period_report(session, policy, period=period, template=template)
    allowed = principal.visible_agent_ids(session)
    shown = [asdict(a) for a in report.alerts
             if allowed is None or a.agent_id == TEAM_ALERT or a.agent_id in allowed]
    if rules is not None:
        shown += precision_alerts_of(agreement_stats(session, rules))
    return report.team.period.label, shown
