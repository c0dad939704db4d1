"""Benchmark the rule engine: utterances per second through the whole text stage (normalise,
jieba, pinyin, every default rule) beside a naive baseline (one regex search per keyword per
utterance); the same with a pack of `similar` rules added (sentence encoder on every clause the
pack scopes: the agent's); the sentence encoder alone; and keyword matching alone with 5,000
keywords against the same kind of baseline.

    .venv/bin/python -m bench.rules [--utterances 10000] [--keywords 5000] [--seed 7]
                                     [--similar-pack DIR]

Runs pinned to one CPU core and reports items per CPU-second (the machine may be shared; wall
times are logged beside). Utterances are one to three call-centre clauses filled in from
templates (seeded, so every run sees the same text), half of the calls voice (pinyin matching
on), half chat; many carry phrases the default rules look for — promises, disclosures, hold
phrases, complaints, insults — negated or not.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import jieba

from inspection.embeddings import DEFAULT_ENCODER, Embedder, default_embedder
from inspection.engine import RuleSet, load_rules, run_rules
from inspection.engine.conditions.similar import clauses_of
from inspection.engine.loader import DEFAULT_RULES_DIR, load_rule_files, rule_files
from inspection.engine.matching import PhraseMatcher
from inspection.text import (
    PreparedConversation,
    PreparedUtterance,
    prepare_conversation,
    prepare_utterance,
)
from inspection.types import Conversation, Finding, Utterance

logger = logging.getLogger("bench.rules")

TURNS_PER_CONVERSATION = 12
TARGET_FULL_PER_SECOND = 3_000
TARGET_SIMILAR_PER_SECOND = 1_000
SIMILAR_PACK = Path(__file__).resolve().parents[1] / "tests/inspection/engine/conditions/similar_pack"
TARGET_KEYWORDS_PER_SECOND = 85_000

SLOTS: dict[str, tuple[str, ...]] = {
    "bank": ("XX银行", "招商", "平安银行", "信用卡中心", "XX保险", "XX证券", "XX旗舰店"),
    "product": ("理财产品", "基金", "定期存款", "信用卡分期", "万能险", "大额存单", "净值型理财"),
    "amount": ("三千五百元", "两万", "一千二百元", "五十万", "八百八十八元", "{number}元",
               "{number}块", "{number}"),
    "day": ("二十号", "下周一", "月底", "明天", "三个工作日内", "本月15日"),
    "rate": ("百分之三点五", "3.2%", "百分之四", "年化百分之五", "二点八"),
    "thing": ("账单", "积分", "额度", "还款", "订单", "快递", "退款", "密码", "验证码", "地址"),
    "name": ("小王", "小李", "张经理", "客服小美", "工号{number}", "{number}号客服"),
    "risky": ("保本", "稳赚不赔", "零风险", "验证码报一下", "老赖", "不归我管", "我不是说了吗",
              "投诉", "12378", "宝本", "请稍等", "抱歉", "你有病吧", "加我微信"),
}
AGENT = (
    "您好，这里是{bank}，我是{name}，请问有什么可以帮您？",
    "好的，我帮您查一下{thing}，请您稍等",
    "您本期{thing}金额是{amount}，最后还款日是{day}",
    "这款{product}的业绩比较基准是{rate}，起购金额{amount}",
    "理财非存款，投资有风险，{product}不保本，请您谨慎选择",
    "请问是您本人吗？麻烦报一下身份证后四位",
    "已经帮您登记了，{day}会有专人联系您",
    "非常抱歉给您带来不便，我马上为您处理{thing}的问题",
    "您的{thing}已经处理好了，还有其他问题吗？",
    "感谢您的来电，祝您生活愉快，再见",
    "这个{product}我们不承诺收益，过往业绩不代表未来表现",
    "您可以在手机银行里查看{thing}，也可以去网点办理",
    "逾期会影响您的个人征信，请您在{day}之前还款{amount}",
    "亲，您的订单已经打包，预计{day}发货哦",
    "嗯嗯，明白，我这边给您备注一下",
    "这个问题{risky}，我再跟您确认一下",
    "我跟您说，{risky}，您放心",
    "稍后会有短信发到您手机，请不要把验证码告诉任何人",
)
CUSTOMER = (
    "我想查一下这个月的{thing}",
    "为什么我的{thing}还没到账",
    "你们这个{product}收益怎么样",
    "好的，谢谢",
    "我上个月已经还了{amount}了",
    "能不能帮我把{thing}改一下",
    "我等了半个小时了，怎么还没处理",
    "那我{day}再打过来吧",
    "喂，听得到吗",
    "这个{product}{risky}吗",
    "你们再不处理我就{risky}",
    "嗯",
    "行吧，那就这样",
    "我的{thing}是不是被盗刷了",
)


def generate_utterances(count: int, seed: int) -> list[tuple[str, str]]:
    """`count` (role, text) turns, alternating roles, agent first. A turn is one to three
    filled-in templates, joined with or without punctuation (ASR often leaves it out)."""
    rng = random.Random(seed)
    turns = []
    for i in range(count):
        role = "agent" if i % 2 == 0 else "customer"
        pool = AGENT if role == "agent" else CUSTOMER
        clauses = [_fill(rng.choice(pool), rng) for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))]
        turns.append((role, rng.choice(("，", "。", " ", "")).join(clauses)))
    return turns


def _fill(template: str, rng: random.Random) -> str:
    def slot(match: re.Match[str]) -> str:
        if match.group(1) == "number":
            return str(rng.randint(1, 99_999))
        return _fill(rng.choice(SLOTS[match.group(1)]), rng)

    return re.sub(r"\{(\w+)\}", slot, template)


def conversations(turns: Sequence[tuple[str, str]]) -> list[Conversation]:
    """Calls of `TURNS_PER_CONVERSATION` turns, voice and chat alternately."""
    out = []
    for number, first in enumerate(range(0, len(turns), TURNS_PER_CONVERSATION)):
        chunk = turns[first:first + TURNS_PER_CONVERSATION]
        utterances = [Utterance(role=role, text=text, start=4.0 * i, end=4.0 * i + 3.5)
                      for i, (role, text) in enumerate(chunk)]
        out.append(Conversation(id=f"bench-{number}", channel="voice" if number % 2 else "chat",
                                utterances=tuple(utterances)))
    return out


def rule_phrases(rules: RuleSet) -> list[str]:
    """Every phrase any default rule looks for (keywords, proximity sides, anchors …)."""
    phrases: list[str] = []
    for rule in rules.rules:
        for top in (rule.condition, rule.applies_condition):
            for condition in top.walk() if top is not None else ():
                for field in ("keywords", "a", "b", "event", "requires", "unless_preceded_by"):
                    value = getattr(condition, field, None)
                    if isinstance(value, list):
                        phrases += [item for item in value if isinstance(item, str)]
    return list(dict.fromkeys(phrases))


def naive_search(texts: Sequence[str], phrases: Sequence[str]) -> int:
    """The baseline: one compiled `re.search` per keyword per utterance."""
    patterns = [re.compile(re.escape(phrase)) for phrase in phrases]
    return sum(1 for text in texts for pattern in patterns if pattern.search(text))


def full_stage(calls: Sequence[Conversation], rules: RuleSet, embedder: Embedder | None = None
               ) -> int:
    """Prepare every call once and run every rule over it; returns the finding count.
    `embedder`: what `similar` rules use (default: the process-wide one)."""
    return sum(len(run_rules(rules, prepare_conversation(call), embedder=embedder))
               for call in calls)


REPEATS = 3


def per_second(function: Callable[[], object], items: int) -> float:
    """Items per CPU-second of this process (pinned to one core), best of `REPEATS` runs as
    `timeit` advises. CPU time, not wall time: the machine may be shared, and other processes'
    load would otherwise be measured too."""
    times = []
    for _ in range(REPEATS):
        started, wall = time.process_time(), time.perf_counter()
        function()
        cpu, wall = time.process_time() - started, time.perf_counter() - wall
        logger.info("%d items: %.2f s CPU, %.2f s wall", items, cpu, wall)
        times.append(cpu)
    return items / min(times)


def dictionary_words(count: int, seed: int) -> list[str]:
    """`count` real Chinese words (2–4 characters) from jieba's dictionary, seeded."""
    jieba.dt.initialize()
    words = sorted(w for w, f in jieba.dt.FREQ.items()
                   if f > 0 and 2 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w))
    return random.Random(seed).sample(words, count)


def bench_full(turns: Sequence[tuple[str, str]], rules: RuleSet) -> None:
    phrases = rule_phrases(rules)
    print(f"full text stage, {len(rules.rules)} default rules, {len(turns):,} utterances "
          f"({len(phrases)} phrases), per CPU-second on one core, best of {REPEATS}")
    full = _engine_rates(turns, rules, TARGET_FULL_PER_SECOND)
    naive = per_second(lambda: naive_search([t for _, t in turns], phrases), len(turns))
    print(f"  naive baseline (re.search per phrase, raw text): {naive:10,.0f} utterances/s")
    print(f"  ratio engine / naive: {full / naive:.2f} (the engine also normalises, segments, "
          "transliterates, and handles negation, questions, roles, windows and timing)")


def bench_similar(turns: Sequence[tuple[str, str]], rules: RuleSet, pack: Path) -> None:
    """The full text stage again with the `similar` pack added to the default rules: every
    clause embedded (the embedder's memory of recent texts off), then with that memory, emptied
    before each repeat (so only reuse across the calls of one pass counts)."""
    with_similar = load_rule_files([*rule_files(DEFAULT_RULES_DIR), *rule_files(pack)])
    added = len(with_similar.rules) - len(rules.rules)
    cold, warm = Embedder(recent_size=0), Embedder()
    print(f"full text stage with {added} `similar` rules added ({pack.name}), "
          f"{len(with_similar.rules)} rules, encoder {cold.backend}, every clause embedded")
    _engine_rates(turns, with_similar, TARGET_SIMILAR_PER_SECOND, cold)
    distinct = len({clause for call in conversations(turns) for clause in _agent_clauses(
        prepare_conversation(call))})
    print(f"  … with the embedder's memory of {warm.recent_size:,} recent texts "
          f"({distinct:,} distinct agent clauses in this text)")
    _engine_rates(turns, with_similar, TARGET_SIMILAR_PER_SECOND, warm)


def _agent_clauses(prepared: PreparedConversation) -> list[str]:
    return [clause.text for u in prepared.by_role("agent") for clause in clauses_of(u)]


def _engine_rates(turns: Sequence[tuple[str, str]], rules: RuleSet, target: int,
                  embedder: Embedder | None = None) -> float:
    """Print and return the engine's rate (text preparation included), then the rules' alone.
    The embedder's memory of recent texts is emptied before each repeat."""
    calls = conversations(turns)
    embedder = embedder or default_embedder()
    full_stage(conversations(generate_utterances(600, seed=99)), rules, embedder)  # warm up

    def engine() -> int:
        embedder.forget_recent()
        return full_stage(calls, rules, embedder)

    def rules_alone() -> list[list[Finding]]:
        embedder.forget_recent()
        return [run_rules(rules, p, embedder=embedder) for p in prepared]

    prepared = [prepare_conversation(call) for call in calls]
    full = per_second(engine, len(turns))
    rules_only = per_second(rules_alone, len(turns))
    verdict = "OK" if full >= target else "BELOW"
    print(f"  engine (normalise + jieba + pinyin + all rules): {full:10,.0f} utterances/s"
          f"   target ≥ {target:,}  {verdict}")
    print(f"  of which the rules alone (text prepared):        {rules_only:10,.0f} utterances/s")
    return full


def bench_encoder(turns: Sequence[tuple[str, str]]) -> None:
    """The sentence encoder alone, on the agent's clauses, one call per conversation."""
    calls = [prepare_conversation(call) for call in conversations(turns)]
    batches = [_agent_clauses(call) for call in calls]
    encoder = Embedder(recent_size=0).encoder()
    clauses = sum(map(len, batches))
    rate = per_second(lambda: [encoder.encode(batch) for batch in batches], clauses)
    agent_turns = sum(len(call.by_role("agent")) for call in calls)
    print(f"sentence encoder alone ({DEFAULT_ENCODER}), {clauses:,} agent clauses of "
          f"{agent_turns:,} agent utterances, one call per conversation")
    print(f"  {rate:10,.0f} clauses/s = {rate * agent_turns / clauses:10,.0f} agent utterances/s")


def bench_keywords(turns: Sequence[tuple[str, str]], keyword_count: int, seed: int,
                   naive_sample: int) -> None:
    keywords = dictionary_words(keyword_count, seed)
    prepared = [prepare_utterance(i, Utterance(role=role, text=text))
                for i, (role, text) in enumerate(turns)]
    matcher = PhraseMatcher(keywords)
    pinyin_matcher = PhraseMatcher(keywords, pinyin=True)
    plain = per_second(lambda: _find_all(matcher, prepared), len(prepared))
    with_pinyin = per_second(lambda: _find_all(pinyin_matcher, prepared), len(prepared))
    sample = [u.text for u in prepared[:naive_sample]]
    naive = per_second(lambda: naive_search(sample, keywords), len(sample))
    verdict = "OK" if plain >= TARGET_KEYWORDS_PER_SECOND else "BELOW"
    print(f"keyword matching alone, {len(keywords):,} keywords, {len(prepared):,} utterances")
    print(f"  PhraseMatcher (Aho-Corasick):          {plain:10,.0f} utterances/s   target ≥ "
          f"{TARGET_KEYWORDS_PER_SECOND:,}  {verdict}")
    print(f"  PhraseMatcher with pinyin homophones:  {with_pinyin:10,.0f} utterances/s")
    print(f"  naive baseline (re.search × {len(keywords):,}, {len(sample):,} utterances): "
          f"{naive:10,.0f} utterances/s")
    print(f"  ratio PhraseMatcher / naive: {plain / naive:.0f}")


def _find_all(matcher: PhraseMatcher, prepared: Sequence[PreparedUtterance]) -> int:
    return sum(len(matcher.find(utterance)) for utterance in prepared)


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="规则引擎基准测试 (rule engine benchmark)")
    parser.add_argument("--utterances", type=int, default=10_000)
    parser.add_argument("--keywords", type=int, default=5_000)
    parser.add_argument("--naive-sample", type=int, default=1_000,
                        help="utterances for the 5,000-keyword naive baseline (it is slow)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--similar-pack", type=Path, default=SIMILAR_PACK,
                        help="a folder of `similar` rules added to the defaults for the second run")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    pin_to_one_core()
    turns = generate_utterances(args.utterances, args.seed)
    rules = load_rules()
    bench_full(turns, rules)
    bench_similar(turns, rules, args.similar_pack)
    bench_encoder(turns)
    bench_keywords(turns, args.keywords, args.seed, args.naive_sample)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
