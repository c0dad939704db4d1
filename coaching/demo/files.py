"""The demo month as files a user can read (`zhijian demo generate --out DIR`), and read back
by the loader (`zhijian serve --load-demo DIR`).

    DIR/README.md                  what is in the folder, who the agents are (Chinese)
    DIR/roster.json                teams, agents (name, team, profile), the demo logins
    DIR/conversations/YYYY-MM.jsonl  chats and calls, one canonical conversation per line
    DIR/calls/NAME.json (+ .flac)  the recorded calls: script (= transcript) and audio
    DIR/tickets.csv                the three months' tickets (docs/coaching.md columns)
    DIR/reviews.json               reviewers' decisions applied at load (earlier vetoes confirmed)
    DIR/plans.csv                  coaching plans done (`zhijian coach --plans`)
    DIR/manual.csv                 manually entered metrics: monthly knowledge-test scores
    DIR/import/tickets-extra.csv   tickets for the guide's import step (not loaded)

The audio is not written here (the product has no speech synthesis): `make demo-audio`
synthesises every `calls/*.json` with tools/speech into the `.flac` beside it. Writing is
deterministic: the same month gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from coaching.demo.manual import manual_csv
from coaching.demo.month import CompletedPlan, Decision, DemoMonth
from coaching.demo.readme import readme_text
from coaching.demo.roster import AGENTS, LOGINS, TEAMS, DemoLogin
from coaching.tickets import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, Ticket
from inspection.errors import InvalidInputError

TICKET_COLUMNS = ("ticket_id", *REQUIRED_COLUMNS, *(c for c in OPTIONAL_COLUMNS if c != "ticket_id"))
AUDIO_SUFFIX = ".flac"


@dataclass(frozen=True)
class DemoAgentRow:
    id: str
    name: str
    team_id: str


@dataclass(frozen=True)
class DemoFolder:
    """A demo folder as the loader needs it."""

    root: Path
    teams: tuple[str, ...]
    agents: tuple[DemoAgentRow, ...]
    logins: tuple[DemoLogin, ...]
    transcripts: tuple[Path, ...]
    calls: tuple[tuple[Path, Path | None], ...]  # (script, its audio when synthesised)
    tickets: Path
    decisions: tuple[Decision, ...]
    manual: Path | None = None  # manual.csv, when the folder has one


def write_demo_month(demo: DemoMonth, out: Path) -> list[Path]:
    """Write the demo's files under `out` (created when missing; files of the same names are
    replaced, audio files are left alone); returns the paths written."""
    files: dict[str, str] = {
        "README.md": readme_text(demo),
        "roster.json": _json(_roster(demo)),
        "tickets.csv": tickets_csv(demo.tickets),
        "reviews.json": _json([asdict(d) for d in demo.decisions]),
        "plans.csv": _plans_csv(demo.plans),
        "manual.csv": manual_csv(demo.manual),
        "import/tickets-extra.csv": import_example_csv(demo),
    }
    for start in demo.month_starts():
        label = f"{start:%Y-%m}"
        lines = [json.dumps(c, ensure_ascii=False, separators=(",", ":"))
                 for c in demo.transcripts if c["started_at"].startswith(label)]
        files[f"conversations/{label}.jsonl"] = "".join(f"{line}\n" for line in lines)
    for name, conversation in demo.recorded:
        files[f"calls/{name}.json"] = _json(conversation)
    written = []
    for relative, text in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _json(value: Any) -> str:
    """The format tools/speech/synth_call.py writes back beside its audio: same bytes."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def _roster(demo: DemoMonth) -> dict[str, Any]:
    return {
        "month": f"{demo.month:%Y-%m}", "seed": demo.seed,
        "teams": [{"id": team.id, "queues": list(team.queues)} for team in TEAMS],
        "agents": [{"id": a.id, "name": a.name, "team_id": a.team_id, "job_number": a.job_number,
                    "profile": a.profile.key, "profile_label": a.profile.label,
                    "story": a.profile.story} for a in AGENTS],
        "logins": [asdict(login) for login in LOGINS],
    }


def tickets_csv(tickets: tuple[Ticket, ...] | list[Ticket]) -> str:
    """Tickets in the documented CSV columns, times in ISO 8601 with their offset."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TICKET_COLUMNS)
    for ticket in tickets:
        row = ticket.model_dump()
        writer.writerow([_cell(row[column]) for column in TICKET_COLUMNS])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if hasattr(value, "isoformat"):
        return str(value.isoformat(timespec="seconds"))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _plans_csv(plans: tuple[CompletedPlan, ...]) -> str:
    rows = [f"{p.agent_id},{p.skill},{p.done_at.isoformat()}" for p in plans]
    return "agent_id,skill,done_at\n" + "".join(f"{row}\n" for row in rows)


def import_example_csv(demo: DemoMonth) -> str:
    """The guide's import: evening tickets of the last day, exported without `ticket_id`,
    one row repeated (reported as a duplicate) and one with a CSAT of 6 (reported, skipped)."""
    day = demo.last_day().isoformat()
    header = "agent_id,customer_id,issue_key,channel,opened_at,first_response_at,resolved_at," \
             "handle_seconds,csat,complaint,escalated\n"
    rows = [
        f"A212,C40117,fund_intro,voice,{day}T20:05:10+08:00,{day}T20:05:19+08:00,{day}T20:11:02+08:00,343,5,0,0",
        f"A213,C40118,wealth_product,voice,{day}T20:12:40+08:00,{day}T20:12:47+08:00,{day}T20:19:30+08:00,403,5,0,0",
        f"A214,C40119,annuity,voice,{day}T20:31:05+08:00,{day}T20:31:20+08:00,,512,,0,0",
        f"A212,C40117,fund_intro,voice,{day}T20:05:10+08:00,{day}T20:05:19+08:00,{day}T20:11:02+08:00,343,5,0,0",
        f"A215,C40121,fund_intro,voice,{day}T20:44:51+08:00,{day}T20:45:02+08:00,{day}T20:50:13+08:00,311,6,0,0",
        f"A211,C40122,wealth_product,voice,{day}T20:58:16+08:00,{day}T20:58:30+08:00,{day}T21:06:45+08:00,495,2,1,0",
    ]
    return header + "".join(f"{row}\n" for row in rows)


def read_demo_folder(root: Path) -> DemoFolder:
    """The folder written by `write_demo_month` (or edited by hand); `InvalidInputError`
    naming the file when roster.json, tickets.csv or reviews.json is missing or malformed."""
    roster = _read_json(root / "roster.json")
    try:
        agents = tuple(DemoAgentRow(a["id"], a["name"], a["team_id"]) for a in roster["agents"])
        logins = tuple(DemoLogin(**login) for login in roster["logins"])
        teams = tuple(team["id"] for team in roster["teams"])
        decisions = tuple(Decision(**d) for d in _read_json(root / "reviews.json"))
    except (KeyError, TypeError) as exc:
        raise InvalidInputError(str(root / "roster.json"), f"格式不对：{exc}") from None
    tickets = root / "tickets.csv"
    if not tickets.is_file():
        raise InvalidInputError(str(tickets), "文件不存在")
    scripts = sorted((root / "calls").glob("*.json"))
    return DemoFolder(
        root=root, teams=teams, agents=agents, logins=logins,
        transcripts=tuple(sorted((root / "conversations").glob("*.jsonl"))),
        calls=tuple((s, a if (a := s.with_suffix(AUDIO_SUFFIX)).is_file() else None)
                    for s in scripts),
        tickets=tickets, decisions=decisions,
        manual=manual if (manual := root / "manual.csv").is_file() else None)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInputError(str(path), "文件不存在：请先运行 zhijian demo generate --out 目录") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInputError(str(path), f"不是有效的 JSON：{exc}") from None
