"""Samples for the security tests: fresh, valid personal numbers (unique per call, so a test
finds only its own), a scan of every stored table for a raw value, and a short WAV tone."""

from __future__ import annotations

import io
import json
import math
import random
import struct
import wave

from sqlalchemy import Engine, select
from sqlmodel import Session, SQLModel
from stdnum import luhn
from stdnum.cn import ric


def mobile() -> str:
    """A valid mainland mobile number (139 prefix)."""
    return "139" + "".join(random.choices("0123456789", k=8))


def resident_id() -> str:
    """A resident ID number with a valid birth date and check character."""
    body = f"110105199{random.randint(0, 9)}0{random.randint(1, 9)}1{random.randint(0, 9)}" \
           f"{random.randint(100, 999)}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


def bank_card() -> str:
    """A Luhn-valid 19-digit card number."""
    body = "622202" + "".join(random.choices("0123456789", k=12))
    return body + luhn.calc_check_digit(body)


def tables_holding(engine: Engine, *raw_values: str) -> list[str]:
    """`table.column` names whose stored rows hold any of `raw_values` anywhere."""
    found = []
    with Session(engine) as session:
        for table in SQLModel.metadata.sorted_tables:
            for row in session.execute(select(table)).mappings():
                for column, value in row.items():
                    text = json.dumps(value, ensure_ascii=False, default=str)
                    if any(raw in text for raw in raw_values):
                        found.append(f"{table.name}.{column}")
    return sorted(set(found))


def tone_wav(seconds: float = 1.0, rate: int = 16_000) -> bytes:
    """A mono 16-bit WAV of a 440 Hz tone: decodable audio, no speech."""
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                      for i in range(int(seconds * rate)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(frames)
    return buffer.getvalue()
