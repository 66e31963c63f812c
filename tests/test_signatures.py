"""tapegrad's public functions take TF 2.21's parameters, in TF's order.

``tests/data/tf_api.json`` is TF's and Keras 3's public API with signatures, written by
``tools/tf_api_dump.py``. For every name that exists in both a tapegrad face and TF's matching
namespace, TF's parameters (names, in order) must be tapegrad's leading parameters; tapegrad may
add keyword-only extras after them. ``KNOWN`` lists the functions that still differ.
"""

import inspect
import json
import os

import pytest

import tapegrad as tf

with open(os.path.join(os.path.dirname(__file__), "data", "tf_api.json")) as _f:
    API = json.load(_f)["namespaces"]

FACES = {"tf": tf, "tf.math": tf.math, "tf.nn": tf.nn, "tf.linalg": tf.linalg,
         "tf.random": tf.random}

with open(os.path.join(os.path.dirname(__file__), "data", "signatures_known.json")) as _f:
    KNOWN = set(json.load(_f))


def _pairs():
    for space, face in FACES.items():
        for name, entry in sorted(API[space].items()):
            if entry["kind"] == "function" and entry["params"] and hasattr(face, name):
                yield f"{space}.{name}", getattr(face, name), entry["params"]


def _mismatch(fn, tf_params) -> str | None:
    try:
        ours = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return "tapegrad's signature cannot be read"
    names = [p.name for p in ours if p.kind not in (p.VAR_KEYWORD,)]
    want = [n for n, kind, _ in tf_params if kind != "VAR_KEYWORD"]
    if names[:len(want)] != want:
        return f"TF {want}, tapegrad {names}"
    return None


CASES = list(_pairs())


def test_the_table_was_written_by_tf_2_21():
    with open(os.path.join(os.path.dirname(__file__), "data", "tf_api.json")) as f:
        assert json.load(f)["tensorflow"].startswith("2.21")
    assert len(CASES) > 100


@pytest.mark.parametrize("qualname,fn,tf_params", CASES, ids=[c[0] for c in CASES])
def test_parameters_as_tf(qualname, fn, tf_params):
    why = _mismatch(fn, tf_params)
    if qualname in KNOWN:
        assert why is not None, f"{qualname} now matches TF: remove it from signatures_known.json"
    else:
        assert why is None, f"{qualname}: {why}"
