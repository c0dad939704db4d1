"""`zhijian rules check [DIR]`: validate rule packs and run every rule's examples."""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from inspection.commandline import EXIT_FAILED_CHECKS, EXIT_INVALID_INPUT, EXIT_OK, SubParsers
from inspection.engine.examples import ExampleOutcome, run_examples
from inspection.engine.loader import load_rules
from inspection.errors import RuleConfigError
from inspection.sentiment import load_default_sentiment


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("rules", help="规则包：校验与运行示例",
                                   description="规则包管理。")
    actions = parser.add_subparsers(dest="rules_command", metavar="动作", required=True)
    check = actions.add_parser("check", help="校验规则包并运行每条规则的正反示例",
                               description="校验目录中所有规则包，运行每条规则的必中 / 必不中示例。")
    check.add_argument("directory", nargs="?", type=Path, default=None, metavar="DIR",
                       help="规则目录（默认：内置 rules/）")
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    try:
        rules = load_rules(args.directory)
    except RuleConfigError as exc:
        sys.stderr.write(f"错误: {exc}\n")
        return EXIT_INVALID_INPUT
    outcomes: dict[str, list[ExampleOutcome]] = defaultdict(list)
    for outcome in run_examples(rules, load_default_sentiment()):
        outcomes[outcome.rule_id].append(outcome)
    failures = 0
    for rule in rules.rules:
        results = outcomes[rule.id]
        bad = [o for o in results if not o.passed]
        failures += len(bad)
        mark = "✓" if not bad else "✗"
        sys.stdout.write(f"{mark} {rule.id} v{rule.header.version} {rule.header.name}："
                         f"{len(results) - len(bad)}/{len(results)} 示例通过\n")
        for outcome in bad:
            expectation = "应命中却未命中" if outcome.expected_hit else "不应命中却命中"
            sys.stdout.write(f"    {expectation}: {outcome.example}\n")
    sys.stdout.write(f"{len(rules.rules)} 条规则（{', '.join(rules.packs)}），"
                     f"{failures} 个示例失败\n")
    return EXIT_FAILED_CHECKS if failures else EXIT_OK
