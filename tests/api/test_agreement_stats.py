"""Agreement per rule (issue 17 item 5) against figures worked out by hand on a small table:
precision and miss rate with Wilson 95 % intervals, Cohen's κ with its interval, the recall
estimate, the monthly trend, and the 30-day precision alert (rules page and /api/alerts).

The table, for fin.guaranteed_return: 10 machine findings reviewed, 8 confirmed and 2
overturned; 10 clean calls sampled (抽检), the rule missed on 1 of them, the other 9 clean;
2 more misses recorded outside the sample.

    precision 8/10 = 0.8, Wilson: centre (0.8 + 1.96²/20) / (1 + 1.96²/10) = 0.71673,
        half 1.96·√(0.016 + 1.96²/400) / 1.38415 = 0.22657  →  [0.4902, 0.9433]
    miss rate 1/10 = 0.1, Wilson → [0.0179, 0.4042]
    κ: a=8 b=2 c=1 d=9, n=20: p_o = 17/20 = 0.85, p_e = (10·9 + 10·11)/400 = 0.5,
        κ = 0.35/0.5 = 0.7; SE = √(0.85·0.15 / (20·0.25)) = 0.15969 → [0.3870, 1 (cut)]
    recall: TP = 0.8·10 = 8, FN = 0.1·10 clean + 2 = 3 → 8/11 = 0.7273;
        low = 4.9016 / (4.9016 + 4.0415 + 2) = 0.4479, high = 9.4329 / (9.4329 + 0.1788 + 2)
        = 0.8124
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from api.services.agreement import NONE, cohens_kappa, estimated_recall, month_of, wilson
from tests.api.helpers import Users, auth, conversation_body, submit
from tests.api.rule_helpers import clean_body, database_url  # noqa: F401

RULE = "fin.guaranteed_return"
TOLERANCE = 1e-4


def close(estimate: dict[str, object], value: float, low: float, high: float, count: int
          ) -> bool:
    return (abs(float(estimate["value"]) - value) < TOLERANCE  # type: ignore[arg-type]
            and abs(float(estimate["low"]) - low) < TOLERANCE  # type: ignore[arg-type]
            and abs(float(estimate["high"]) - high) < TOLERANCE  # type: ignore[arg-type]
            and estimate["count"] == count)


def test_wilson_by_hand() -> None:
    eight = wilson(8, 10)
    assert (eight.value, round(eight.low or 0, 4), round(eight.high or 0, 4)) == (0.8, 0.4902, 0.9433)
    one = wilson(1, 10)
    assert (round(one.low or 0, 4), round(one.high or 0, 4)) == (0.0179, 0.4042)
    none = wilson(0, 5)  # p = 0: centre = half = 0.38415 / 1.76829
    assert (none.low, round(none.high or 0, 4)) == (0.0, 0.4345)
    assert wilson(0, 0) == NONE


def test_kappa_by_hand() -> None:
    kappa = cohens_kappa(8, 2, 1, 9)
    assert (round(kappa.value or 0, 4), round(kappa.low or 0, 4), kappa.high, kappa.count) == \
        (0.7, 0.387, 1.0, 20)
    perfect = cohens_kappa(5, 0, 0, 5)
    assert perfect.value == 1.0
    only_yes = cohens_kappa(4, 0, 0, 0)  # p_e = 1: κ undefined
    assert only_yes.value is None and only_yes.count == 4


def test_recall_by_hand() -> None:
    recall = estimated_recall(wilson(8, 10), 10, wilson(1, 10), 10, 2)
    assert (round(recall.value or 0, 4), round(recall.low or 0, 4),
            round(recall.high or 0, 4), recall.count) == (0.7273, 0.4479, 0.8124, 10)
    assert estimated_recall(wilson(8, 10), 10, NONE, 10, 2) == NONE  # no sample reviewed yet


@pytest.fixture(scope="module")
def table(client: TestClient, users: Users) -> dict[str, object]:
    """The small table of the module doc, built through the API."""
    vetoed = [submit(client, users.admin, conversation_body(agent_id="A060", team="t6"))
              for _ in range(10)]
    for index, record in enumerate(vetoed):
        finding = next(f for f in record["findings"] if f["rule_id"] == RULE)
        decision = "confirm" if index < 8 else "overturn"
        response = client.post(f"/api/findings/{finding['id']}/review",
                               json={"decision": decision}, headers=auth(users.reviewer))
        assert response.status_code == 200, response.text
    clean = [submit(client, users.admin, clean_body("A061", "t6"))["id"] for _ in range(10)]
    drawn = client.post("/api/rules/samples",
                        json={"since": "2026-11-01", "until": "2026-11-30", "share": 1.0},
                        headers=auth(users.reviewer))
    assert sorted(s["conversation_id"] for s in drawn.json()) == sorted(clean)
    miss = client.post("/api/rules/misses", json={"conversation_id": clean[0], "rule_id": RULE,
                                                  "utterance_index": 2, "comment": "漏检"},
                       headers=auth(users.reviewer))
    assert miss.status_code == 201 and miss.json()["sample_id"] is not None
    for conversation_id in clean[1:]:
        closed = client.post(f"/api/rules/samples/{conversation_id}/clean",
                             headers=auth(users.reviewer))
        assert closed.status_code == 200 and closed.json()["outcome"] == "clean"
    for record in vetoed[:2]:  # misses recorded on calls outside the sample
        client.post("/api/rules/misses", json={"conversation_id": record["id"], "rule_id": RULE},
                    headers=auth(users.admin))
    return {"flagged": [record["id"] for record in vetoed]}


def raise_the_threshold(client: TestClient, users: Users, threshold: float) -> None:
    """Publish finance.yaml with `precision_alert: threshold` (upload, dry run, publish)."""
    current = client.get("/api/rules/versions/1", headers=auth(users.admin)).json()
    finance = current["texts"]["finance.yaml"]
    changed = finance.replace("\nrules:", f"\nprecision_alert: {threshold}\nrules:", 1)
    created = client.post("/api/rules/versions", json={"files": {"finance.yaml": changed}},
                          headers=auth(users.reviewer))
    assert created.status_code == 201, created.text
    number = created.json()["version"]
    period = {"since": "2026-11-01", "until": "2026-11-30"}
    for step, body in (("dry-run", period), ("publish", {"comment": "阈值"})):
        response = client.post(f"/api/rules/versions/{number}/{step}", json=body,
                               headers=auth(users.reviewer))
        assert response.status_code == 200, response.text


def test_the_api_reports_the_hand_computed_figures(client: TestClient, users: Users,
                                                    table: dict[str, object]) -> None:
    stats = {row["rule_id"]: row for row in client.get("/api/rules/stats",
                                                       headers=auth(users.supervisor)).json()}
    row = stats[RULE]
    assert (row["findings"], row["reviewed"], row["confirmed"], row["overturned"]) == (10, 10, 8, 2)
    assert row["precision"] == 0.8
    assert close(row["precision_estimate"], 0.8, 0.4902, 0.9433, 10)
    assert close(row["miss_rate"], 0.1, 0.0179, 0.4042, 10) and row["missed_elsewhere"] == 2
    assert close(row["kappa"], 0.7, 0.3870, 1.0, 20)
    assert close(row["recall"], 0.7273, 0.4479, 0.8124, 10)
    this_month = month_of(datetime.now(UTC))  # the reviews were made just now
    assert [(t["month"], t["count"], t["value"]) for t in row["trend"]] == [(this_month, 10, 0.8)]
    assert row["threshold"] == 0.8 and row["alert"] is False  # 0.8 is not below 0.8
    assert not any(r["alert"] for r in stats.values())


def test_the_packs_threshold_raises_the_alert_on_the_rules_page_and_in_api_alerts(
        client: TestClient, users: Users, table: dict[str, object]) -> None:
    raise_the_threshold(client, users, 0.85)
    row = {r["rule_id"]: r for r in client.get("/api/rules/stats",
                                               headers=auth(users.admin)).json()}[RULE]
    assert (row["threshold"], row["alert"], row["precision_30d"]["value"]) == (0.85, True, 0.8)
    alerts = client.get("/api/alerts?period=2026-11", headers=auth(users.supervisor)).json()
    mine = [a for a in alerts["alerts"] if a["kind"] == "rule_precision"]
    assert [a["metric"] for a in mine] == [RULE]
    assert mine[0]["message"] == f"规则 {RULE} 近 30 天精确率 80%（10 次裁决）低于阈值 85%"
    page = client.get("/rules", headers=auth(users.supervisor))
    assert page.status_code == 200 and mine[0]["message"] in page.text
    assert "0.7<small" in page.text.replace(" ", "")  # κ of fin.guaranteed_return
