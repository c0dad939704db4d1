"""A synthesised stereo call for timing the transcriber: espeak-ng Mandarin, varied turns.

espeak-ng's `cmn-latn-pinyin` voice reads pypinyin TONE3 text; people understand it, whisper-base
mostly does not, so the call is only good for timing and structure (turn count, overlaps,
silences), never for recognised words. Each turn is a different sentence, as in a real call:
packing a channel's turns into shared windows (inspection.transcription.packing) behaves as it
would on real speech, which a call of one clip repeated does not show (whisper skips repeats).

    python bench/synth_call.py out.wav --minutes 5
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

RATE = 16_000
AGENT_TURNS = (
    "您好，这里是信用卡中心，工号八零二七，请问有什么可以帮您",
    "好的，请您提供一下持卡人的姓名和身份证后四位",
    "感谢您的耐心等待，已经为您查到了",
    "您这个月的账单金额是三千二百元，最后还款日是二十五号",
    "请问还有其他可以帮您的吗",
    "这款理财产品有风险，过往业绩不代表未来收益",
    "我帮您登记一下，二十四小时内会有专人回电",
    "非常抱歉给您带来了不便，我马上为您处理",
    "您可以通过手机银行办理分期，手续费按月收取",
    "为了保障您的资金安全，请不要向任何人透露验证码",
    "您的挂失申请已经提交成功了",
    "请您稍等，我这边为您核实一下交易记录",
    "这笔消费是昨天晚上八点在超市产生的",
    "额度调整需要审核，结果会短信通知您",
    "感谢您的来电，祝您生活愉快，再见",
)
CUSTOMER_TURNS = (
    "我想查一下这个月的账单",
    "我叫王建国，后四位是三五七九",
    "好的，谢谢",
    "为什么这个月多了一笔年费",
    "我没有办过这个业务啊",
    "那这个收益能保证吗",
    "你们的电话太难打了，等了半个小时",
    "我的卡丢了，要怎么挂失",
    "分期的利息是多少",
    "我要投诉，这个问题已经说了好几次了",
    "那我什么时候能收到退款",
    "好吧，那我再等等",
    "可以帮我把额度提高一点吗",
    "没有了，谢谢你",
    "嗯，我知道了",
)


def speak(text: str) -> np.ndarray:
    """One sentence as 16 kHz float32 samples (int16 scale), via espeak-ng and sox."""
    from pypinyin import Style, lazy_pinyin

    for tool in ("espeak-ng", "sox"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} 未安装 (not installed): apt-get install espeak-ng sox")
    pinyin = " ".join(lazy_pinyin(text, style=Style.TONE3, errors="ignore")).replace("，", ",")
    with tempfile.TemporaryDirectory() as folder:
        raw, resampled = Path(folder) / "raw.wav", Path(folder) / "16k.wav"
        voice = ["espeak-ng", "-v", "cmn-latn-pinyin", "-s", "165"]
        subprocess.run([*voice, "-w", str(raw), pinyin], check=True)
        no_dither = ["-D"]  # sox dithers randomly by default: the call would differ run to run
        subprocess.run(["sox", "-V1", str(raw), *no_dither, "-r", str(RATE), str(resampled), "gain", "-1"],
                       check=True)
        with wave.open(str(resampled), "rb") as handle:
            return np.frombuffer(handle.readframes(handle.getnframes()), "<i2").astype(np.float32)


Turn = tuple[str, float, float]  # role, start, end (seconds)


def synthesise_call(path: Path, minutes: float = 5.0, seed: int = 7) -> list[Turn]:
    """Agent turns on the left, customer turns on the right, alternating for `minutes`; the
    customer sometimes starts before the agent has finished. Returns the turns placed."""
    agent = [speak(text) for text in AGENT_TURNS]
    customer = [speak(text) for text in CUSTOMER_TURNS]
    total = int(minutes * 60 * RATE)
    left, right = np.zeros(total, np.float32), np.zeros(total, np.float32)
    rng = np.random.default_rng(seed)
    cursor = int(0.5 * RATE)
    turns: list[Turn] = []
    while True:
        exchange = len(turns) // 2
        said, answer = agent[exchange % len(agent)], customer[(exchange * 7) % len(customer)]
        if cursor + len(said) + len(answer) + 3 * RATE > total:
            break
        left[cursor : cursor + len(said)] = said
        turns.append(("agent", cursor / RATE, (cursor + len(said)) / RATE))
        cursor += len(said) + int(rng.uniform(-0.5, 1.2) * RATE)
        right[cursor : cursor + len(answer)] = answer
        turns.append(("customer", cursor / RATE, (cursor + len(answer)) / RATE))
        cursor += len(answer) + int(rng.uniform(0.3, 1.5) * RATE)
    write_stereo_wav(path, left, right, RATE)
    return turns


def write_stereo_wav(path: Path, left: np.ndarray, right: np.ndarray, rate: int) -> None:
    """Two channels of int16-scale samples as a 16-bit PCM stereo WAV."""
    pcm = np.stack([left, right], axis=1).clip(-32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(2)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(pcm.tobytes())


def turns_found(turns: list[Turn], utterances: list[Turn]) -> float:
    """Share of the turns that overlap an utterance of the same role (structure, not words)."""
    found = sum(
        any(role == u_role and start < u_end and u_start < end for u_role, u_start, u_end in utterances)
        for role, start, end in turns
    )
    return found / max(1, len(turns))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--minutes", type=float, default=5.0)
    args = parser.parse_args()
    turns = synthesise_call(args.output, args.minutes)
    sys.stdout.write(f"{args.output}: {len(turns)} turns, {args.minutes:g} min\n")


if __name__ == "__main__":
    main()
