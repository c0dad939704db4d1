"""The rule engine: rule packs as validated YAML data, one check function per condition type.

Layout: `loader` reads packs into a `RuleSet` (`schema` has the rule-file models), `registry`
lists the condition modules (`conditions/`, one type each), `runner` turns a rule's hits into
findings with evidence, `examples` runs every rule's own examples (`zhijian rules check`, in
`cli`). Helpers: `base` (model bases, role scopes), `window`, `hits`, `context` (what a check
receives), `phrases` and `matching` (phrase lists on Chinese text), `entities` (`@amount`,
`@date` … in phrase lists).
"""

from inspection.engine.base import ConditionModel
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit
from inspection.engine.loader import DEFAULT_RULES_DIR, RuleSet, load_rule_files, load_rules
from inspection.engine.registry import CHECKS, CONDITION_MODULES, Condition
from inspection.engine.runner import run_rule, run_rules
from inspection.engine.schema import Rule

__all__ = ["CHECKS", "CONDITION_MODULES", "DEFAULT_RULES_DIR", "CheckContext", "Condition",
           "ConditionModel", "Hit", "Rule", "RuleSet", "load_rule_files", "load_rules",
           "run_rule", "run_rules"]
