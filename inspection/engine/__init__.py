"""The rule engine: rule packs as validated YAML data, one check function per condition type."""

from inspection.engine.loader import DEFAULT_RULES_DIR, RuleSet, load_rules
from inspection.engine.registry import CHECKS, Condition
from inspection.engine.runner import run_rule, run_rules
from inspection.engine.schema import Rule

__all__ = ["CHECKS", "DEFAULT_RULES_DIR", "Condition", "Rule", "RuleSet", "load_rules",
           "run_rule", "run_rules"]
