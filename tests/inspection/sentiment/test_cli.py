import argparse
import io
import json

import pytest

from inspection.sentiment import cli


def run_cli(argv: list[str], monkeypatch, capsys, stdin: str = "") -> tuple[int, list[dict]]:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    args = parser.parse_args(["sentiment", *argv])
    code = args.func(args)
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def test_lexicon_mode_reads_a_file(tmp_path, monkeypatch, capsys) -> None:
    path = tmp_path / "texts.txt"
    path.write_text("你们这什么破服务，我要投诉\n\n好的，谢谢你，问题解决了\n", encoding="utf-8")
    code, records = run_cli(["--lexicon", str(path)], monkeypatch, capsys)
    assert code == 0
    assert [r["label"] for r in records] == ["negative", "neutral", "positive"]
    assert records[1] == {"text": "", "label": "neutral", "score": 0.5}


def test_missing_file_exits_2(tmp_path, monkeypatch, capsys) -> None:
    code, records = run_cli(["--lexicon", str(tmp_path / "none.txt")], monkeypatch, capsys)
    assert code == 2 and records == []


def test_unusable_model_directory_exits_2(tmp_path, monkeypatch, capsys) -> None:
    code, _ = run_cli(["--model", str(tmp_path)], monkeypatch, capsys, stdin="你好\n")
    assert code == 2


@pytest.mark.slow
def test_embedded_model_from_stdin(monkeypatch, capsys) -> None:
    stdin = "你们这什么破服务，我要投诉\n好的，谢谢你，问题解决了\n"
    code, records = run_cli(["--threads", "1"], monkeypatch, capsys, stdin=stdin)
    assert code == 0
    assert [r["label"] for r in records] == ["negative", "positive"]
    assert all(set(r) == {"text", "label", "score"} for r in records)
