"""The fast JSON helpers write the same text with orjson and with the standard library."""

from __future__ import annotations

import json

import numpy as np
import pytest

from claimcheck.core import fastjson

SAMPLES = [
    {"rule": "CC101", "text": "Naïve “quotes” — dashes\n\ttabs \u2028 and emoji 💡", "confidence": 0.9},
    {"nested": [1, 2.5, None, True, False, "", [], {}], "zero": 0.0, "negative": -0.001, "big": 10**15},
    ["a", {"b": {"c": [1.0, 0.001, 0.999]}}],  # report numbers: confidences rounded to 3 places
]


@pytest.mark.parametrize("value", SAMPLES)
def test_orjson_and_the_standard_library_write_the_same_text(monkeypatch, value):
    fast = fastjson.dumps(value)
    monkeypatch.setattr(fastjson, "orjson", None)
    assert fastjson.dumps(value) == fast
    assert fastjson.loads(fast) == json.loads(fast) == value


def test_numpy_numbers_are_written_as_plain_numbers(monkeypatch):
    value = {"p": np.float64(0.25), "n": np.int64(3), "flag": np.bool_(True)}
    fast = fastjson.dumps(value)
    assert json.loads(fast) == {"p": 0.25, "n": 3, "flag": True}


def test_invalid_json_is_a_value_error():
    with pytest.raises(ValueError):
        fastjson.loads(b"{not json")
