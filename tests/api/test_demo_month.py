"""The demo month `make run` loads: generated deterministically and committed as generated,
small, with real audio; loaded as make run loads it, every page has something true to show —
a scorecard and a bonus for every agent, the profiles' stories, the alerts, a call whose audio
seeks to its evidence — and a second start changes nothing but the tokens.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.demo import DemoLoaded, load_demo
from api.http.app import create_app
from api.runtime import build_runtime
from api.services.users import CredentialsRejectedError, hash_token, principal_for_token
from api.settings import Settings
from coaching.demo import generate_demo_month, read_demo_folder, write_demo_month
from coaching.tickets import load_tickets
from inspection.transcription import decode_audio
from models import Conversation
from tests.api.demo_database import DEMO, demo_settings, first_load, loaded_copy

PERIOD = "period=2026-11&template=finance"
VETO_CALL = "c-20261127-A211-rec"  # 否决待确认, with audio


def roster() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEMO / "roster.json").read_text(encoding="utf-8"))
    return data


# --- the files -------------------------------------------------------------------------------

def test_the_committed_demo_is_what_the_generator_writes(tmp_path: Path) -> None:
    written = write_demo_month(generate_demo_month(), tmp_path)
    for path in written:
        committed = DEMO / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), f"{committed}: run make demo"
    committed_text = {p.relative_to(DEMO) for p in DEMO.rglob("*")
                      if p.is_file() and p.suffix != ".flac"}
    assert committed_text == {p.relative_to(tmp_path) for p in written}


def test_the_seed_decides_everything() -> None:
    assert generate_demo_month() == generate_demo_month()
    assert generate_demo_month(seed=7).transcripts != generate_demo_month().transcripts


def test_the_demo_is_small_and_its_calls_have_audio_as_long_as_their_script() -> None:
    assert sum(p.stat().st_size for p in DEMO.rglob("*") if p.is_file()) < 5 * 1024 * 1024
    calls = read_demo_folder(DEMO).calls
    assert len(calls) >= 5
    for script, audio in calls:
        assert audio is not None, f"{script}: no audio (make demo-audio)"
        recording = decode_audio(audio)
        turns = json.loads(script.read_text(encoding="utf-8"))["utterances"]
        assert len(recording.channels) == 2  # agent left, customer right
        assert recording.duration >= max(turn["end"] for turn in turns)


def test_one_call_centre_three_teams_fifteen_agents_each_with_a_story() -> None:
    data = roster()
    assert len(data["teams"]) == 3 and len(data["agents"]) == 15
    assert {"star", "veto_risk", "improver", "slow", "csat_slide", "weak"} <= {
        agent["profile"] for agent in data["agents"]}
    assert {login["role"] for login in data["logins"]} == {"qa_reviewer", "supervisor", "agent"}


def test_a_few_hundred_chats_and_calls_over_three_months_in_four_queues() -> None:
    demo = generate_demo_month()
    conversations = [*demo.transcripts, *(call for _, call in demo.recorded)]
    assert 300 <= len(conversations) <= 500
    assert {c["metadata"]["queue"] for c in conversations} == {
        "credit_card", "card_mall", "wealth_outbound", "collections"}
    assert {(c["channel"], c["industry"]) for c in conversations} == {
        ("voice", "finance"), ("chat", "ecommerce")}
    assert {c["started_at"][:7] for c in conversations} == {"2026-09", "2026-10", "2026-11"}
    for agent in roster()["agents"]:  # so every page opens on November
        assert any(c["agent_id"] == agent["id"] and c["started_at"] >= "2026-11-28"
                   for c in conversations), agent["id"]


def test_tickets_cover_every_agent_every_day_and_match_the_conversations() -> None:
    parsed = load_tickets(DEMO / "tickets.csv")
    assert parsed.errors == ()
    tickets = parsed.tickets
    assert len({(t.agent_id, t.opened_at.date()) for t in tickets}) == 15 * (30 + 31 + 30)
    ids = {t.ticket_id for t in tickets}
    demo = generate_demo_month()
    assert all(c["metadata"]["ticket_id"] in ids for c in demo.transcripts)
    repeats = Counter((t.customer_id, t.issue_key) for t in tickets)
    assert sum(1 for n in repeats.values() if n > 1) > 100  # FCR repeat contacts
    assert sum(t.complaint for t in tickets) > 10 and sum(t.escalated for t in tickets) > 5
    assert 0.6 < sum(t.csat is not None for t in tickets) / len(tickets) < 0.9


def test_the_guides_ticket_file_has_no_ids_a_repeated_row_and_a_bad_one() -> None:
    path = DEMO / "import" / "tickets-extra.csv"
    assert "ticket_id" not in path.read_text(encoding="utf-8").splitlines()[0]
    parsed = load_tickets(path)
    assert len(parsed.tickets) == 4
    assert sorted(error.line for error in parsed.errors) == [5, 6]


# --- loaded as make run loads it ------------------------------------------------------------

@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return loaded_copy(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def client(loaded: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(loaded)) as test_client:
        yield test_client


def bearer(role: str) -> dict[str, str]:
    token = next(token for login, token in first_load().logins if login.role == role)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def cards(client: TestClient) -> dict[str, dict[str, Any]]:
    response = client.get(f"/api/scorecards?{PERIOD}", headers=bearer("qa_reviewer"))
    assert response.status_code == 200, response.text
    return {card["agent_id"]: card for card in response.json()["agents"]}


@pytest.mark.slow
def test_the_first_load_inspects_everything_and_applies_the_earlier_reviews(
        loaded: Settings) -> None:
    demo = generate_demo_month()
    assert first_load() == DemoLoaded(
        stored=len(demo.transcripts) + len(demo.recorded),
        inspected=len(demo.transcripts) + len(demo.recorded), failed=0,
        tickets=len(demo.tickets), decisions=len(demo.decisions), logins=first_load().logins,
        manual=len(demo.manual))
    runtime = build_runtime(loaded)
    with runtime.session() as session:
        rows = session.exec(select(Conversation)).all()
        assert {row.status for row in rows} == {"done"}
        assert sum(1 for row in rows if row.audio_path) == len(demo.recorded)
    runtime.engine.dispose()


@pytest.mark.slow
def test_every_agent_has_a_scorecard_a_bonus_and_three_months_of_trend(
        cards: dict[str, dict[str, Any]]) -> None:
    assert len(cards) == 15
    for agent_id, card in cards.items():
        assert card["total"] is not None and card["tier"] != "insufficient_data", agent_id
        assert card["weight_coverage"] == 100, agent_id  # the knowledge test too (manual.csv)
        assert card["metrics"]["knowledge_test_score"] is not None, agent_id
        assert card["bonus_amount"] is not None and card["rank"] is not None, agent_id
        assert [point["total"] is not None for point in card["trend"]] == [True, True], agent_id


@pytest.mark.slow
def test_the_profiles_tell_their_stories(cards: dict[str, dict[str, Any]]) -> None:
    assert cards["A201"]["top_band"] and cards["A201"]["promotion_candidate"]  # the star
    assert cards["A211"]["veto"] and cards["A211"]["bonus_amount"] == 0  # the compliance risk
    assert cards["A211"]["pending_vetoes"] and cards["A211"]["tier"] == "D"
    assert cards["A223"]["improvement_plan"]  # bottom 10 % three months running
    improver = [p["total"] for p in cards["A221"]["trend"]] + [cards["A221"]["total"]]
    assert improver == sorted(improver) and improver[-1] - improver[0] > 10  # after coaching
    slowest = max(cards, key=lambda a: cards[a]["metrics"]["first_response_seconds_mean"])
    assert slowest == "A205"


@pytest.mark.slow
def test_the_alerts_are_the_stories_and_nothing_else(client: TestClient) -> None:
    response = client.get(f"/api/alerts?{PERIOD}", headers=bearer("qa_reviewer"))
    alerts = response.json()["alerts"]
    streaks = [a for a in alerts if a["kind"] == "metric_streak"]
    assert [(a["agent_id"], a["days"]) for a in streaks] == [
        ("A203", ["2026-11-28", "2026-11-29", "2026-11-30"])]
    assert {(a["kind"], a["agent_id"]) for a in alerts} >= {
        ("veto", "A211"), ("veto_pending", "A211"), ("complaint_intent_rise", "A203")}


@pytest.mark.slow
def test_the_team_dashboard_shows_distribution_trend_heatmap_and_alerts(
        client: TestClient) -> None:
    page = client.get("/team", headers=bearer("qa_reviewer")).text
    for shown in ("得分分布", "近三个月趋势", "2026-09", "2026-10", "技能 × 坐席 热力图",
                  "csat_satisfied_rate 连续 3 天", "否决待确认"):
        assert shown in page, shown


@pytest.mark.slow
def test_the_recorded_veto_call_plays_and_seeks_to_its_evidence(client: TestClient) -> None:
    headers = bearer("qa_reviewer")
    page = client.get(f"/conversations/{VETO_CALL}", headers=headers).text
    assert 'id="player"' in page and "fin.guaranteed_return" in page
    script = json.loads((DEMO / "calls" / "wealth_guaranteed_return.json").read_text())
    promise = next(u for u in script["utterances"] if "保本" in u["text"])
    assert f'data-seek="{promise["start"]}"' in page
    audio = client.get(f"/conversations/{VETO_CALL}/audio", headers=headers)
    assert audio.status_code == 200 and len(audio.content) > 100_000


@pytest.mark.slow
def test_the_supervisor_and_the_agent_see_their_own(client: TestClient) -> None:
    team = client.get("/team", headers=bearer("supervisor")).text
    assert "A211" in team and "A201" not in team
    agent = bearer("agent")
    assert client.get("/agents/A211", headers=agent).status_code == 200
    assert client.get("/agents/A201", headers=agent).status_code == 404
    assert client.get("/team", headers=agent).status_code == 403


@pytest.mark.slow
def test_a_second_start_changes_nothing_but_the_tokens(tmp_path: Path) -> None:
    settings = loaded_copy(tmp_path)
    again = load_demo(settings, DEMO)
    assert (again.stored, again.inspected, again.tickets, again.decisions, again.manual) == (
        0, 0, 0, 0, 0)
    runtime = build_runtime(settings)
    with runtime.session() as session:
        for (_, old), (_, new) in zip(first_load().logins, again.logins, strict=True):
            assert old != new
            principal_for_token(session, token_hash=hash_token(new))
            with pytest.raises(CredentialsRejectedError):
                principal_for_token(session, token_hash=hash_token(old))
    runtime.engine.dispose()


@pytest.mark.postgres
def test_a_demo_folder_loads_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    """A cut-down folder (November's first conversations, one recorded call, its tickets)
    on the real PostgreSQL: stored, inspected, reviewed, and idempotent."""
    folder = tmp_path / "demo"
    (folder / "calls").mkdir(parents=True)
    for name in ("roster.json", "reviews.json", "manual.csv"):
        shutil.copy(DEMO / name, folder / name)
    for suffix in (".json", ".flac"):
        shutil.copy(DEMO / "calls" / f"wealth_guaranteed_return{suffix}", folder / "calls")
    (folder / "conversations").mkdir()
    november = (DEMO / "conversations" / "2026-11.jsonl").read_text(encoding="utf-8")
    lines = [line for line in november.splitlines() if '"c-20261112-A211"' in line]
    (folder / "conversations" / "2026-11.jsonl").write_text(
        "\n".join([*november.splitlines()[:20], *lines]) + "\n", encoding="utf-8")
    tickets = (DEMO / "tickets.csv").read_text(encoding="utf-8").splitlines()
    (folder / "tickets.csv").write_text("\n".join(tickets[:300]) + "\n", encoding="utf-8")
    settings = demo_settings(tmp_path / "data", database_url=postgres_url,
                             sentiment_enabled=False, job_workers=2)
    first = load_demo(settings, folder)
    assert (first.stored, first.inspected, first.failed, first.tickets) == (22, 22, 0, 299)
    assert first.decisions == 1  # the November veto confirmed
    assert first.manual == len(generate_demo_month().manual)
    again = load_demo(settings, folder)
    assert (again.stored, again.inspected, again.tickets, again.decisions, again.manual) == (
        0, 0, 0, 0, 0)
