"""String tensors, tf.strings (ops/strings.py) and tf.ragged (ops/ragged.py): values against
TF 2.21 (tests/data/tf_strings.json, from tools/record_strings.py), and gradients through a
RaggedTensor's flat values."""

import json
import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError
from tapegrad.testing import check_grads

with open(os.path.join(os.path.dirname(__file__), "data", "tf_strings.json")) as _f:
    DATA = json.load(_f)


def _plain(v):
    v = v.numpy() if hasattr(v, "numpy") else v
    a = np.asarray(v, dtype=object) if isinstance(v, bytes) else np.asarray(v)
    if a.dtype == object:
        return "string", np.vectorize(lambda b: b.decode("latin-1"), otypes=[object])(a).tolist()
    return a.dtype.name, a.tolist()


@pytest.mark.parametrize("case", DATA, ids=[c["call"] for c in DATA])
def test_as_tf(case):
    got = eval(case["call"], {"tf": tf})  # noqa: S307 - the recorded texts
    dtype, value = _plain(got)
    assert list(np.shape(got.numpy())) == case["shape"]
    assert dtype == case["dtype"]
    if dtype.startswith("float"):
        np.testing.assert_allclose(value, case["value"], rtol=1e-6)
    else:
        assert value == case["value"]


def test_gradients_through_flat_values():
    def f(v):
        rt = tf.RaggedTensor.from_row_lengths(v, [2, 0, 1])
        sq = tf.ragged.map_flat_values(lambda t: t * t, rt)
        return tf.reduce_sum(sq.to_tensor(), axis=1) + rt[0][1]
    check_grads(f, [np.array([0.5, -1.0, 2.0])], order=2, modes=("rev", "fwd"))


def test_errors_and_properties():
    rt = tf.ragged.constant([[1, 2], [3]])
    assert rt.shape.as_list() == [2, None] and rt.dtype == tf.int32 and rt.ragged_rank == 1
    with pytest.raises(InvalidArgumentError, match="row_splits must start at 0"):
        tf.RaggedTensor.from_row_splits([1, 2], [0, 3])
    with pytest.raises(TypeError, match="strings.lower: the input must be a string tensor"):
        tf.strings.lower([1, 2])
    with pytest.raises(InvalidArgumentError, match="could not correctly convert string: x"):
        tf.strings.to_number(["x"])
