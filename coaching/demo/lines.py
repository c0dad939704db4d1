"""What is said in the demo call centre: per queue its greeting, closing and the scenarios of a
call or chat, and the slips (`FAULTS`) that the rule packs find.

Texts are templates filled by `coaching.demo.dialogue`: `{job}` the agent's 工号, `{nick}` how
the agent names themself (小林), `{cust}` the customer (张先生), `{id4}` four digits the customer
reads out, `{amount}` / `{limit}` / `{order}` figures. A scenario turn `("id", "")` marks where the
identity check goes (dropped by the `no_identity_check` slip, so account details come first);
a turn `("risk", …)` is the agent's risk statement (dropped by `no_risk_disclosure`, replaced by
a promise of returns in a vetoed call); a turn `("lookup", …)` is the agent's answer after
looking something up, where a hold (with or without asking the customer to wait) goes.
The bank (恒信银行) and the people are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Line = tuple[str, str]  # (role, text); role "id" = the identity check of the queue
IDENTITY = ("id", "")


@dataclass(frozen=True)
class Scenario:
    issue_key: str  # the tickets' issue_key
    turns: tuple[Line, ...]
    aside: Line | None = None  # a customer question an agent may brush off (forbidden_phrase)


@dataclass(frozen=True)
class Queue:
    key: str
    channel: str
    direction: str
    industry: str
    metadata: dict[str, Any]
    greetings: tuple[tuple[Line, ...], ...]
    closings: tuple[tuple[Line, ...], ...]
    identity: tuple[Line, ...]
    scenarios: tuple[Scenario, ...]
    faults: frozenset[str] = field(default_factory=frozenset)  # the slips possible here


CARD = Queue(
    key="card_service", channel="voice", direction="inbound", industry="finance",
    metadata={"queue": "credit_card", "ivr_recording_notice": True},
    greetings=(
        (("agent", "您好，恒信银行信用卡中心，工号{job}，很高兴为您服务。"),),
        (("agent", "您好，这里是恒信银行信用卡中心，我是{nick}，工号{job}，请问有什么可以帮您？"),),
    ),
    closings=(
        (("agent", "请问还有其他可以帮您的吗？"), ("customer", "没有了，谢谢。"),
         ("agent", "感谢您的来电，祝您生活愉快，再见。")),
        (("agent", "还有其他问题吗？"), ("customer", "没了。"),
         ("agent", "好的，稍后会有短信请您对我的服务进行评价，感谢来电，再见。")),
    ),
    identity=(
        ("agent", "为了保障您的账户安全，需要先核实一下您的身份，请您报一下身份证号码的后四位。"),
        ("customer", "后四位是{id4}。"),
        ("agent", "好的，核实通过，感谢您的配合。"),
    ),
    scenarios=(
        Scenario("bill_inquiry", (
            ("customer", "你好，我想查一下我这个月的信用卡账单。"), IDENTITY,
            ("lookup", "您本期账单金额是{amount}元，最后还款日是每月二十五号。"),
            ("customer", "那我能不能只还最低还款？"),
            ("agent", "可以的，最低还款额是账单金额的百分之十，不过未还部分会按日计息，建议您尽量全额还款。"),
            ("customer", "好的，我知道了。"),
        ), aside=("customer", "对了，我的积分快过期了，要怎么兑换？")),
        Scenario("limit_increase", (
            ("customer", "我想问一下我的信用卡额度能不能提高一点。"), IDENTITY,
            ("lookup", "您目前的固定额度是{limit}元，系统显示可以申请临时额度，有效期三十天。"),
            ("customer", "那帮我调一下吧。"),
            ("agent", "好的，已经为您提交申请，审核结果会短信通知您。"),
            ("customer", "行，谢谢。"),
        ), aside=("customer", "那固定额度什么时候能提？")),
        Scenario("annual_fee", (
            ("customer", "我这张卡怎么扣了年费啊？办卡的时候说免年费的。"),
            ("agent", "我理解您的心情，我先核实一下您的身份，请报一下身份证号码的后四位。"),
            ("customer", "{id4}。"),
            ("lookup", "谢谢。您这张卡是刷卡满六次免次年年费，去年刷了四次，所以收取了年费。"),
            ("customer", "那现在还能退吗？"),
            ("agent", "我帮您申请一次年费减免，三到五个工作日内退回，请您留意短信。"),
            ("customer", "好吧，那就麻烦你了。"),
        ), aside=("customer", "那今年要刷几次才能免？")),
        Scenario("card_loss", (
            ("customer", "我的信用卡好像丢了，要怎么办？"),
            ("agent", "别着急，我先帮您核实身份，请您报一下预留手机号的后四位。"),
            ("customer", "{id4}。"),
            ("lookup", "好的，核实通过。我现在为您办理临时挂失，挂失后这张卡就不能再使用了。"),
            ("customer", "好的，那新卡什么时候能寄到？"),
            ("agent", "补卡会在七个工作日内寄到您的账单地址，工本费免收。"),
            ("customer", "好的。"),
        ), aside=("customer", "那卡里绑定的自动还款还有效吗？")),
        Scenario("installment", (
            ("customer", "我上周买了一台电脑，想分期还，怎么办理？"), IDENTITY,
            ("lookup", "您那笔{amount}元的消费可以办理分期，分十二期每期手续费率是百分之零点六。"),
            ("customer", "那提前还清要收违约金吗？"),
            ("agent", "提前还款需要一次性支付剩余手续费，没有额外的违约金。"),
            ("customer", "行，那就分十二期吧。"),
            ("agent", "好的，已经为您办理成功，下期账单开始分期入账。"),
        ), aside=("customer", "分期以后还能再提额吗？")),
    ),
    faults=frozenset({"no_greeting", "no_closing", "no_identity_check", "hold_silence",
                      "forbidden_phrase", "impatience", "no_empathy", "complaint"}),
)

MALL = Queue(
    key="mall_chat", channel="chat", direction="inbound", industry="ecommerce",
    metadata={"queue": "card_mall"},
    greetings=(
        (("customer", "在吗？"),
         ("agent", "您好，恒信信用卡积分商城客服{nick}为您服务，请问有什么可以帮您？")),
        (("customer", "你好"), ("agent", "亲，您好，这里是恒信积分商城，我是客服{nick}，很高兴为您服务。")),
    ),
    closings=(
        (("customer", "好的，谢谢。"), ("agent", "不客气，还有其他问题随时联系我们，祝您购物愉快！")),
        (("customer", "知道了。"), ("agent", "感谢您的咨询，稍后请您对我的服务进行评价，谢谢！")),
    ),
    identity=(),
    scenarios=(
        Scenario("delivery", (
            ("customer", "你好，我上周用积分换的电饭煲怎么还没到？"),
            ("agent", "亲，我帮您查一下，麻烦提供一下订单号。"),
            ("customer", "订单号是{order}。"),
            ("lookup", "查到了，商品已经从仓库发出，物流显示明天送达，请您留意快递电话。"),
        ), aside=("customer", "快递员能送上楼吗？")),
        Scenario("return", (
            ("customer", "我收到的保温杯有划痕，能退吗？"),
            ("agent", "非常抱歉给您带来不便，支持七天无理由退换，麻烦您拍一张照片发给我。"),
            ("customer", "照片发你了。"),
            ("agent", "收到，已经为您登记换货，快递员明天上门取件，新的商品会同步发出。"),
            ("customer", "那运费谁出？"),
            ("agent", "运费由我们承担，您不需要支付任何费用。"),
        ), aside=("customer", "换货要等几天啊？")),
        Scenario("points_exchange", (
            ("customer", "积分兑换的商品可以用现金补差价吗？"),
            ("agent", "可以的，积分不足的部分可以按一百积分抵一元的比例用现金补足。"),
            ("customer", "那我兑换这个空气炸锅还差多少？"),
            ("lookup", "您的积分可以抵扣八成，剩余部分需要补差价六十八元。"),
            ("customer", "好的，我下单试试。"),
        ), aside=("customer", "积分什么时候过期？")),
        Scenario("invoice", (
            ("customer", "我想开一张发票。"),
            ("agent", "好的，请提供一下发票抬头，我们会在三个工作日内开好电子发票发到您的邮箱。"),
            ("customer", "抬头是个人就行。"),
            ("agent", "已经为您登记，开好后会短信提醒您。"),
        ), aside=("customer", "能开专票吗？")),
    ),
    faults=frozenset({"no_greeting", "no_closing", "forbidden_phrase", "no_empathy",
                      "complaint"}),
)

WEALTH = Queue(
    key="wealth_sales", channel="voice", direction="outbound", industry="finance",
    metadata={"queue": "wealth_outbound", "call_type": "sales"},
    greetings=(
        (("agent", "您好，我是恒信银行财富管理中心的理财经理{nick}，工号{job}，本次通话将被录音。"
                   "请问是{cust}吗？"), ("customer", "是我，什么事？")),
        (("agent", "您好，恒信银行财富管理中心，工号{job}，我姓{surname}，温馨提示本次通话将被录音。"
                   "请问您是{cust}吗？"), ("customer", "对，你说。")),
    ),
    closings=(
        (("agent", "好的，不打扰您了，感谢您的接听，祝您生活愉快，再见。"),),
        (("agent", "那您先考虑，有问题随时来电，再见。"),),
    ),
    identity=(),
    scenarios=(
        Scenario("fund_intro", (
            ("agent", "您在我行的定期存款下个月到期，我们最近新发了一只债券型基金，想跟您介绍一下。"),
            ("customer", "收益怎么样？"),
            ("agent", "这只基金主要投资国债和高等级信用债，过往一年的年化收益在百分之三点五左右。"),
            ("risk", "需要提醒您，基金投资有风险，过往业绩不代表未来表现，不保证收益。"),
            ("customer", "那我考虑一下吧。"),
            ("agent", "好的，产品说明书稍后发到您手机上，您可以详细看一下。"),
        )),
        Scenario("wealth_product", (
            ("agent", "我们这期有一款一百八十天的理财产品，业绩比较基准是百分之三点二，一万元起购。"),
            ("customer", "比存款高一点啊。"),
            ("risk", "是的，不过理财非存款，产品有风险，收益是浮动的，投资须谨慎。"),
            ("customer", "我先看看资料吧。"),
            ("agent", "好的，资料稍后通过短信发给您。"),
        )),
        Scenario("annuity", (
            ("agent", "我们有一款分红型年金险，适合给孩子做教育金规划，想跟您简单介绍一下。"),
            ("customer", "分红有多少？"),
            ("risk", "分红是不保证的，收益不确定，要看保险公司的实际经营情况，过往业绩不代表未来。"),
            ("customer", "那我跟家里人商量一下。"),
            ("agent", "好的，那我过两天再跟您联系。"),
        )),
    ),
    faults=frozenset({"no_recording_notice", "no_risk_disclosure", "no_closing",
                      "no_greeting"}),
)

COLLECTIONS = Queue(
    key="collections", channel="voice", direction="outbound", industry="finance",
    metadata={"queue": "collections", "call_type": "collection"},
    greetings=(
        (("agent", "您好，这里是恒信银行贷后管理中心，工号{job}，本次通话将被录音。请问是{cust}本人吗？"),
         ("customer", "是我。")),
        (("agent", "您好，恒信银行信用卡中心贷后管理部，工号{job}，温馨提示本次通话会被录音。"
                   "请问您是{cust}吗？"), ("customer", "嗯，是我。")),
    ),
    closings=(
        (("agent", "好的，请您按时还款，感谢您的配合，再见。"),),
        (("agent", "那就这样，有问题随时来电，祝您生活愉快，再见。"),),
    ),
    identity=(
        ("agent", "为了核实身份，麻烦您报一下身份证号码的后四位。"),
        ("customer", "{id4}。"),
        ("agent", "好的，核实无误。"),
    ),
    scenarios=(
        Scenario("overdue_reminder", (
            IDENTITY,
            ("lookup", "您的信用卡账单已经逾期十二天，欠款金额是{amount}元，请问今天能处理吗？"),
            ("customer", "最近手头有点紧，能不能晚几天？"),
            ("agent", "理解您的情况。逾期会产生罚息，也会影响征信记录，建议您先还上最低还款额。"),
            ("customer", "那我这周五之前先还最低的吧。"),
            ("agent", "好的，我帮您登记这周五还款，到时候会有短信提醒。"),
        )),
        Scenario("repayment_plan", (
            IDENTITY,
            ("lookup", "您的借款目前还欠{amount}元没有还，想跟您确认一下还款安排。"),
            ("customer", "我最近失业了，实在还不上。"),
            ("agent", "我非常理解您的难处。您可以申请个性化分期，把欠款分成十二期，每期压力会小很多。"),
            ("customer", "那要怎么申请？"),
            ("agent", "我现在帮您提交申请，需要您补充一份收入证明，审核通过后会短信通知您。"),
            ("customer", "好，谢谢你。"),
        )),
        Scenario("promise_follow_up", (
            IDENTITY,
            ("lookup", "您上周承诺十五号还款，目前系统还没有查到您那笔{amount}元的还款入账，"
                       "想跟您确认一下。"),
            ("customer", "哦，我忘了，今天就还。"),
            ("agent", "好的，您可以通过手机银行直接还款，还款后一到两个小时入账。"),
            ("customer", "行，知道了。"),
        )),
    ),
    faults=frozenset({"no_recording_notice", "no_identity_check", "impatience", "no_closing",
                      "no_greeting", "no_empathy", "hold_silence"}),
)

QUEUES: dict[str, Queue] = {queue.key: queue for queue in (CARD, MALL, WEALTH, COLLECTIONS)}

# The slips. Each is applied by `coaching.demo.dialogue`; the comment names the rule it trips.
FAULT_TEXTS: dict[str, tuple[Line, ...]] = {
    # svc.greeting
    "no_greeting": (("agent", "喂，请讲。"),),
    # svc.closing: the call ends without thanks or goodbye
    "no_closing": (("agent", "行，就这样吧。"),),
    # svc.forbidden_phrase: the aside brushed off
    "forbidden_phrase": (("agent", "这个不归我们管，你自己去网点问吧。"),),
    "forbidden_phrase_chat": (("agent", "这个不归我管，你自己去APP上看吧。"),),
    # svc.impatience: the customer asks again
    "impatience": (("customer", "你刚才说的我没听清，能再说一遍吗？"),
                   ("agent", "我都说了两遍了，你认真听好。")),
    # svc.empathy_missing (with the sentiment model): anger met with a bare question
    "no_empathy": (("customer", "你们这什么破服务，打了三次电话都没解决，气死我了！"),
                   ("agent", "规定就是这样的，您还有别的事吗？")),
    # risk.complaint_intent (a tag, no deduction): an upset customer the agent does calm
    "complaint": (("customer", "你们这样处理我很不满意，我要投诉！"),
                  ("agent", "非常抱歉给您带来不好的体验，我马上为您登记，二十四小时内由专人回电处理。")),
    # fin.guaranteed_return (veto): a promise instead of the risk statement
    "guaranteed_return": (("agent", "这款产品是保本的，收益稳稳的，到期稳赚不赔，您完全可以放心。"),),
}
GOOD_HOLD = ("agent", "请您稍等，我帮您查询一下。")
BAD_HOLD = ("agent", "好的。")
RECORDING_NOTICES = ("本次通话将被录音。", "温馨提示本次通话将被录音。", "温馨提示本次通话会被录音。")
