"""Who works in the demo call centre: three teams, fifteen agents, each with a profile that
decides how they talk and what their tickets say, and the three logins the demo prints.

A profile's figures are per month of the demo, oldest first (two earlier months, then the
current one), so a trend can rise (the agent coached in the first month) or a veto can land in a
chosen month. The values follow the seeds (`shared/seeds/`): CSAT answered by most customers, 4–5
from nine in ten; first response within 30 s; FCR around 80 %; escalations rare.
"""

from __future__ import annotations

from dataclasses import dataclass

MonthFigures = tuple[float, float, float]  # two earlier months, then the current one


@dataclass(frozen=True)
class DemoTeam:
    id: str
    queues: tuple[str, ...]  # keys of `coaching.demo.lines.QUEUES`


@dataclass(frozen=True)
class Profile:
    """How an agent works. `faults` are the slips drawn (`coaching.demo.lines.FAULTS`) with
    probability `fault_rate` per conversation; `vetoes` are (month index, day of month) of the
    conversations with a red-line breach."""

    key: str
    label: str
    story: str
    fault_rate: MonthFigures
    faults: tuple[str, ...]
    satisfied: MonthFigures  # share of CSAT answers of 4 or 5
    fcr: MonthFigures  # share of tickets resolved without a repeat contact
    reply_seconds: tuple[float, float] = (0.5, 1.4)  # voice: customer → agent gap
    chat_reply_seconds: tuple[float, float] = (6.0, 24.0)
    first_response_seconds: tuple[float, float] = (4.0, 22.0)  # tickets
    handle_seconds: tuple[int, int] = (240, 420)
    escalation: float = 0.004
    vetoes: tuple[tuple[int, int], ...] = ()
    csat_slide_days: int = 0  # the current month's last days with sliding CSAT


STEADY = Profile(
    "steady", "稳定", "各项指标平稳，偶有小的服务瑕疵",
    fault_rate=(0.2, 0.2, 0.2), faults=("no_closing", "hold_silence", "no_greeting"),
    satisfied=(0.93, 0.93, 0.93), fcr=(0.84, 0.85, 0.85))
AVERAGE = Profile(
    "average", "一般", "服务用语与流程时有疏漏",
    fault_rate=(0.32, 0.3, 0.3), faults=("no_closing", "forbidden_phrase", "no_greeting",
                                         "hold_silence"),
    satisfied=(0.9, 0.9, 0.9), fcr=(0.8, 0.8, 0.81), escalation=0.006)
PROFILES: dict[str, Profile] = {profile.key: profile for profile in (
    Profile("star", "标杆", "质检近满分、满意度与首解率最高：排名前 10%，晋升候选",
            fault_rate=(0.05, 0.04, 0.03), faults=("no_closing",),
            satisfied=(0.97, 0.98, 0.98), fcr=(0.92, 0.93, 0.94), reply_seconds=(0.4, 1.0),
            handle_seconds=(220, 320), escalation=0.0),
    STEADY,
    AVERAGE,
    Profile("veto_risk", "合规风险", "理财外呼承诺保本保收益：10 月、11 月各有一次经复核确认的"
            "一票否决，11 月 27 日还有一通否决待确认（有录音，见 calls/）",
            fault_rate=(0.4, 0.45, 0.45), faults=("no_risk_disclosure", "no_recording_notice"),
            satisfied=(0.9, 0.9, 0.89), fcr=(0.8, 0.79, 0.79), escalation=0.01,
            vetoes=((1, 16), (2, 12))),
    Profile("improver", "辅导后进步", "9 月质检问题多（不耐烦、漏告知录音、未核身），辅导后 10、11 月"
            "逐月改善：趋势图上升",
            fault_rate=(0.7, 0.35, 0.08), faults=("impatience", "no_recording_notice",
                                                  "no_identity_check", "no_closing"),
            satisfied=(0.86, 0.91, 0.95), fcr=(0.72, 0.8, 0.87)),
    Profile("slow", "响应慢", "来电接起慢、回复间隔长、静默不请客户稍等：响应时长与处理时长垫底",
            fault_rate=(0.45, 0.45, 0.45), faults=("hold_silence", "no_closing"),
            satisfied=(0.89, 0.88, 0.88), fcr=(0.8, 0.8, 0.8), reply_seconds=(3.0, 8.0),
            chat_reply_seconds=(70.0, 210.0), first_response_seconds=(28.0, 75.0),
            handle_seconds=(480, 720)),
    Profile("csat_slide", "满意度下滑", "11 月最后 3 天满意度连续走低（< 85%）触发预警，"
            "同期出现客户投诉倾向",
            fault_rate=(0.15, 0.15, 0.2), faults=("no_closing", "no_empathy"),
            satisfied=(0.94, 0.94, 0.93), fcr=(0.86, 0.86, 0.84), csat_slide_days=3),
    Profile("weak", "待改进", "连续三个月排名后 10%：进入绩效改进计划",
            fault_rate=(0.7, 0.7, 0.7), faults=("impatience", "forbidden_phrase", "no_closing",
                                                "no_identity_check", "no_greeting"),
            satisfied=(0.82, 0.82, 0.82), fcr=(0.62, 0.62, 0.63), escalation=0.02),
)}


@dataclass(frozen=True)
class DemoAgent:
    id: str
    name: str
    team_id: str
    job_number: str  # 工号, said in the greeting
    profile: Profile


@dataclass(frozen=True)
class DemoLogin:
    """A user the demo creates; the loader prints its token at every start."""

    name: str
    role: str
    agent_id: str | None = None
    team_id: str | None = None


CARD_TEAM, WEALTH_TEAM, COLLECTIONS_TEAM = "信用卡一组", "财富营销组", "贷后管理组"
TEAMS = (
    DemoTeam(CARD_TEAM, ("card_service", "mall_chat")),
    DemoTeam(WEALTH_TEAM, ("wealth_sales",)),
    DemoTeam(COLLECTIONS_TEAM, ("collections",)),
)


def _agent(agent_id: str, name: str, team: str, job: str, profile: str) -> DemoAgent:
    return DemoAgent(agent_id, name, team, job, PROFILES[profile])


AGENTS = (
    _agent("A201", "林静", CARD_TEAM, "8201", "star"),
    _agent("A202", "周婷", CARD_TEAM, "8202", "steady"),
    _agent("A203", "陈晓", CARD_TEAM, "8203", "csat_slide"),
    _agent("A204", "吴磊", CARD_TEAM, "8204", "average"),
    _agent("A205", "孙悦", CARD_TEAM, "8205", "slow"),
    _agent("A211", "郑浩", WEALTH_TEAM, "6611", "veto_risk"),
    _agent("A212", "王芳", WEALTH_TEAM, "6612", "steady"),
    _agent("A213", "何俊", WEALTH_TEAM, "6613", "star"),
    _agent("A214", "马丽", WEALTH_TEAM, "6614", "average"),
    _agent("A215", "黄伟", WEALTH_TEAM, "6615", "steady"),
    _agent("A221", "刘强", COLLECTIONS_TEAM, "3121", "improver"),
    _agent("A222", "杨帆", COLLECTIONS_TEAM, "3122", "steady"),
    _agent("A223", "许诺", COLLECTIONS_TEAM, "3123", "weak"),
    _agent("A224", "高明", COLLECTIONS_TEAM, "3124", "average"),
    _agent("A225", "罗敏", COLLECTIONS_TEAM, "3125", "steady"),
)

LOGINS = (
    DemoLogin("演示质检员 李静怡", "qa_reviewer"),
    DemoLogin("演示班组长 宋涛", "supervisor", team_id=WEALTH_TEAM),
    DemoLogin("演示坐席 郑浩", "agent", agent_id="A211", team_id=WEALTH_TEAM),
)
REVIEWER_NAME = LOGINS[0].name


def team_of(team_id: str) -> DemoTeam:
    return next(team for team in TEAMS if team.id == team_id)


def agent_by_id(agent_id: str) -> DemoAgent:
    return next(agent for agent in AGENTS if agent.id == agent_id)
