"""The registry: every kind listed once, placeholders that hold nothing of what they hide, and
every detector module documenting what it finds, how it validates and its false-positive guard."""

from __future__ import annotations

import importlib
from typing import get_args

import pytest

from inspection.redaction import DETECTORS, PiiKind
from tests.inspection.redaction.redaction_builders import DIGIT_CHARS

MODULE_OF_KIND: dict[PiiKind, str] = {
    "email": "email", "id_number": "id_number", "mobile": "mobile", "landline": "landline",
    "bank_card": "bank_card", "person_name": "entities", "address": "entities",
}


def test_registry_covers_every_kind_and_placeholders_hold_no_digits() -> None:
    assert set(DETECTORS) == set(get_args(PiiKind)) == set(MODULE_OF_KIND)
    for kind, detector in DETECTORS.items():
        assert detector.kind == kind
        assert not DIGIT_CHARS & set(detector.placeholder)
        assert not set("@＠") & set(detector.placeholder)
        assert detector.placeholder.startswith("[") and detector.placeholder.endswith("]")
    assert len({detector.placeholder for detector in DETECTORS.values()}) == len(DETECTORS)


@pytest.mark.parametrize("module", sorted(set(MODULE_OF_KIND.values())))
def test_every_detector_module_states_what_it_finds_and_its_guard(module: str) -> None:
    doc = importlib.import_module(f"inspection.redaction.{module}").__doc__ or ""
    for heading in ("Finds:", "Validation:", "False-positive guard:"):
        assert heading in doc, f"{module}: docstring lacks {heading!r}"
