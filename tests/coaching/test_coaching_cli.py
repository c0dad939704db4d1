"""`zhijian metrics | scorecard | coach`: output shapes, skipped rows, exit code 2 on bad input."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from coaching import cli
from tests.coaching.coaching_builders import finding, inspected

HEADER = (
    "ticket_id,agent_id,customer_id,issue_key,channel,opened_at,first_response_at,"
    "resolved_at,handle_seconds,csat,complaint,escalated\n"
)
ROWS = (
    "T1,A017,C1,bill,voice,2026-11-02T10:00:00+08:00,2026-11-02T10:00:10+08:00,"
    "2026-11-02T10:05:00+08:00,300,5,0,0\n"
    "T2,A023,C2,fund,voice,2026-11-03T10:00:00+08:00,,,,9,0,0\n"  # csat 9: skipped
    "T3,A023,C3,fund,voice,2026-11-03T11:00:00+08:00,2026-11-03T11:00:40+08:00,"
    "2026-11-03T11:10:00+08:00,600,3,1,0\n"
)
ITEMS = [
    inspected("c-1", agent="A017", started="2026-11-02 10:00"),
    inspected(
        "c-2",
        agent="A023",
        started="2026-11-03 10:00",
        findings=(finding("fin.risk_disclosure", 2, "收益很稳"), finding("fin.guaranteed_return", 4, "保本")),
    ),
    inspected(
        "c-3",
        agent="A023",
        started="2026-11-03 11:00",
        findings=(finding("fin.risk_disclosure", 3, "放心买"),),
    ),
]


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="zhijian")
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.fixture
def tickets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cli, "load_inspected", lambda paths, rules_dir, exclude=(): ITEMS)
    path = tmp_path / "tickets.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def test_metrics_prints_the_dictionary(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["metrics"]) == 0
    assert "首次解决率 FCR" in capsys.readouterr().out
    assert run(["metrics", "--format", "json"]) == 0
    names = [m["name"] for m in json.loads(capsys.readouterr().out)]
    assert "fcr_rate" in names and "de_escalation_rate" in names


def test_scorecard_json(tickets: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "scorecard",
        "--conversations",
        "x",
        "--tickets",
        str(tickets),
        "--template",
        "finance",
        "--period",
        "2026-11",
        "--format",
        "json",
    ]
    assert run(argv) == 0
    captured = capsys.readouterr()
    assert f"{tickets}: line 3: csat" in captured.err
    data = json.loads(captured.out)
    assert data["period"] == "2026-11"
    agents = {a["agent_id"]: a for a in data["agents"]}
    a017, a023 = agents["A017"], agents["A023"]
    for key in ("metrics", "total", "tier", "rank", "veto", "bonus_share", "recommendations"):
        assert key in a017
    assert a017["metrics"]["csat_mean"] == 5.0
    assert a017["rank"] == 1 and a017["bonus_share"] == 1.0
    assert a023["veto"] is True and a023["tier"] == "D" and a023["rank"] == 2
    recs = {r["skill"]: r for r in a023["recommendations"]}
    assert a023["recommendations"][0]["skill"] == "compliance_redline"  # veto first
    assert recs["risk_disclosure"]["module"] == "M-RISK-101"
    evidence = recs["risk_disclosure"]["evidence"]
    assert [(e["conversation_id"], e["text"]) for e in evidence] == [("c-2", "收益很稳"), ("c-3", "放心买")]
    assert data["skipped_rows"] == [f"{tickets}: line 3: csat: Input should be less than or equal to 5"]


@pytest.mark.parametrize("command", ["scorecard", "coach"])
def test_tables(tickets: Path, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run([command, "--tickets", str(tickets), "--period", "2026-11"]) == 0
    out = capsys.readouterr().out
    assert "A023" in out
    assert ("排名" in out) if command == "scorecard" else ("M-RISK-101" in out and "热力图" in out)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--tickets", "missing.csv"], "missing.csv"),
        (["--template", "nope"], "nope: no such template"),
        (["--period", "2026-13"], "month 13"),
        (["--timezone", "Mars/Olympus"], "Mars/Olympus"),
        (["--fcr-days", "0"], "at least 1 day"),
        (["--manual", "manual.csv"], "manual.csv"),
        (["--de-escalation", "sentiment.json"], "sentiment.json"),
    ],
)
def test_invalid_input_exits_2_naming_the_file(
    tickets: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tickets.parent / "sentiment.json").write_text('{"c-1": "yes"}', encoding="utf-8")
    argv = ["scorecard", "--tickets", str(tickets), "--period", "2026-11"]
    argv += [str(tickets.parent / e) if e.endswith((".csv", ".json")) else e for e in extra]
    assert run(argv) == 2
    assert message in capsys.readouterr().err


def test_ticket_file_missing_a_column_exits_2(
    tickets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tickets.write_text("ticket_id,agent_id\nT1,A017\n", encoding="utf-8")
    assert run(["coach", "--tickets", str(tickets), "--period", "2026-11"]) == 2
    assert f"{tickets}: line 1: missing column(s)" in capsys.readouterr().err


def test_de_escalation_input_feeds_the_metric(tickets: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sentiment = tickets.parent / "sentiment.json"
    sentiment.write_text('{"c-2": true, "c-3": false, "c-1": null}', encoding="utf-8")
    argv = [
        "scorecard",
        "--tickets",
        str(tickets),
        "--period",
        "2026-11",
        "--format",
        "json",
        "--de-escalation",
        str(sentiment),
    ]
    assert run(argv) == 0
    agents = {a["agent_id"]: a for a in json.loads(capsys.readouterr().out)["agents"]}
    assert agents["A023"]["metrics"]["de_escalation_rate"] == 50.0
    assert agents["A017"]["metrics"]["de_escalation_rate"] is None


def test_examples_end_to_end(capsys: pytest.CaptureFixture[str]) -> None:
    """The README demo: the lead's example conversations + examples/tickets.csv."""
    root = Path(__file__).resolve().parents[2]
    argv = [
        "scorecard",
        "--conversations",
        str(root / "examples" / "conversations"),
        "--tickets",
        str(root / "examples" / "tickets.csv"),
        "--period",
        "2026-11",
        "--format",
        "json",
    ]
    assert run(argv) == 0
    data = json.loads(capsys.readouterr().out)
    agents = {a["agent_id"] for a in data["agents"]}
    assert {"A017", "A023", "A031"} <= agents
    assert data["skipped_rows"] == []
    assert all(a["trend"][-1]["period"] == "2026-10" for a in data["agents"])


def test_coach_plans_effectiveness(tickets: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plans = tickets.parent / "plans.csv"
    plans.write_text(
        "agent_id,skill,done_at\n"
        "A023,risk_disclosure,2026-11-03T10:30:00+08:00\n"
        "A023,juggling,2026-11-03T10:30:00+08:00\n"
        "A017,efficiency,yesterday\n",
        encoding="utf-8",
    )
    argv = [
        "coach",
        "--tickets",
        str(tickets),
        "--period",
        "2026-11",
        "--format",
        "json",
        "--plans",
        str(plans),
    ]
    assert run(argv) == 0
    captured = capsys.readouterr()
    assert f"{plans}: line 3: skill 'juggling'" in captured.err
    assert f"{plans}: line 4: done_at" in captured.err
    (outcome,) = json.loads(captured.out)["plan_outcomes"]
    # before 10:30: c-2 (risk_disclosure) → 100%; after: c-3 (risk_disclosure) → 100%
    assert (outcome["before_rate"], outcome["after_rate"], outcome["improved"]) == (100.0, 100.0, False)
    assert run(["coach", "--tickets", str(tickets), "--period", "2026-11", "--plans", str(plans)]) == 0
    assert "辅导效果" in capsys.readouterr().out
