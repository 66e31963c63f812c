"""Every public op's output dtype and shape, for each input dtype, against TensorFlow's.

The expressions are ``tests/dtype_cases.py``; TF's answers were recorded by
``tools/tf_dtype_table.py`` into ``tests/data/tf_dtype_table.json``. Where TF refuses a dtype,
tapegrad must refuse it too with a TypeError or ValueError (InvalidArgumentError is one) whose
message names the dtype. ``KNOWN`` lists the pairs where tapegrad still differs, each a line in
docs/porting.md; a pair that starts to agree must leave the list.
"""

import json
import os
import warnings

import pytest

import tapegrad as tf
from tests.dtype_cases import CASES, DTYPES, run

with open(os.path.join(os.path.dirname(__file__), "data", "tf_dtype_table.json")) as _f:
    TABLE = json.load(_f)["cases"]

with open(os.path.join(os.path.dirname(__file__), "data", "dtype_table_known.json")) as _f:
    KNOWN = {tuple(k.split(" ")) for k in json.load(_f)}


def _outcome(name: str, dtype: str) -> dict:
    try:
        with warnings.catch_warnings():  # cast complex -> float warns in NumPy (known, porting.md)
            warnings.simplefilter("ignore", __import__("numpy").exceptions.ComplexWarning)
            out = run(tf, CASES[name], dtype)
    except (TypeError, ValueError, tf.errors.OpError) as e:
        return {"error": type(e).__name__, "message": str(e)}
    outs = out if isinstance(out, tuple) else (out,)
    return {"dtypes": [o.dtype.name for o in outs], "shapes": [list(o.shape) for o in outs]}


def _agrees(want: dict, got: dict, dtype: str) -> bool:
    if "error" in want:
        return "error" in got and (dtype in got["message"] or "dtype" in got["message"])
    return got == want


def test_the_recorded_table_has_every_case():
    assert set(TABLE) == set(CASES)
    assert all(TABLE[n]["expression"] == CASES[n] for n in CASES), "rerun tools/tf_dtype_table.py"


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_dtype_as_tf(name):
    bad = []
    for dtype in DTYPES:
        want = TABLE[name]["results"][dtype]
        got = _outcome(name, dtype)
        if _agrees(want, got, dtype) == ((name, dtype) in KNOWN):
            bad.append(f"{dtype}: TF {want}, tapegrad {got}"
                       + (" (listed as known but now agrees)" if (name, dtype) in KNOWN else ""))
    assert not bad, f"{name} = {CASES[name]}:\n  " + "\n  ".join(bad)
