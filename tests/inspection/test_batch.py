"""`zhijian inspect DIR --jobs N --resume OUTPUT`: parallel workers, streaming, resuming.

The batch process is killed for real (SIGKILL) part-way; running the same command again must
write every conversation exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from inspection.batch import ResumeLog
from zhijian.cli import main

REPO = Path(__file__).resolve().parents[2]


def day_of_chats(examples_dir: Path, folder: Path, copies: int) -> set[str]:
    """`copies` files of each bundled example conversation, each with its own id; the ids."""
    folder.mkdir()
    ids = set()
    for source in sorted(examples_dir.glob("*.json")):
        data = json.loads(source.read_text(encoding="utf-8"))
        for copy in range(copies):
            body = dict(data, id=f"{data['id']}-{copy:03d}")
            (folder / f"{body['id']}.json").write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
            ids.add(body["id"])
    return ids


def batch_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "zhijian", "inspect", "--no-sentiment", "--format", "json", *args]


def test_jobs_give_the_serial_output_and_keep_going_past_a_bad_file(
    capsys: pytest.CaptureFixture[str], examples_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "day"
    ids = day_of_chats(examples_dir, folder, copies=2)
    (folder / "broken.json").write_text('{"id": "x"}', encoding="utf-8")
    assert main(["inspect", "--no-sentiment", "--format", "json", str(folder)]) == 2
    serial = capsys.readouterr()
    assert main(["inspect", "--no-sentiment", "--format", "json", "--jobs", "2", str(folder)]) == 2
    parallel = capsys.readouterr()
    assert set(parallel.out.splitlines()) == set(serial.out.splitlines())
    assert {json.loads(line)["id"] for line in parallel.out.splitlines()} == ids
    assert f"{folder / 'broken.json'}: utterances: 缺少必填字段" in parallel.err
    assert "每 CPU 小时" in parallel.err  # the rate line ends every run


def test_resume_after_a_killed_batch_writes_each_conversation_once(
    examples_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "day"
    ids = day_of_chats(examples_dir, folder, copies=60)
    output = folder / "results.jsonl"  # inside the folder: the output is never read as input
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    batch = subprocess.Popen(batch_command(str(folder), "--resume", str(output)), cwd=REPO, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and batch.poll() is None:
        if output.exists() and output.read_bytes().count(b"\n") >= 20:
            batch.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    assert batch.wait(timeout=60) == -signal.SIGKILL, "the batch finished before it could be killed"
    written = output.read_bytes()
    assert 20 <= written.count(b"\n") < len(ids)
    with output.open("ab") as handle:  # a kill in the middle of a line leaves half of it
        handle.write(b'{"id": "c-20261101-0001-059", "sco')
    done = subprocess.run(batch_command(str(folder), "--resume", str(output), "--jobs", "2"),
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = output.read_text(encoding="utf-8").splitlines()
    written_ids = [json.loads(line)["id"] for line in lines]
    assert sorted(written_ids) == sorted(ids)  # none twice, none lost
    assert "末尾有一行不完整" in done.stderr


def test_resume_log_reads_ids_and_cuts_a_torn_last_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text('{"id": "a"}\n{"id": "b"}\n{"id": "c", "sc', encoding="utf-8")
    log = ResumeLog(path).open()
    log.write('{"id": "d"}')
    log.close()
    assert log.done == {"a", "b"}
    assert path.read_text(encoding="utf-8") == '{"id": "a"}\n{"id": "b"}\n{"id": "d"}\n'
