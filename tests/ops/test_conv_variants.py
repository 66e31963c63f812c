"""conv3d, conv3d/conv1d transposes, atrous convolutions, 3-D pooling and the rank-generic
convolution/conv_transpose/pool (ops/conv_variants.py): gradient checks, and outputs and
gradients against TF 2.21's, recorded by tools/record_tf_conv_variants.py."""

import importlib.util
import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.testing import GradCase

ROOT = pathlib.Path(__file__).resolve().parents[2]

GRAD_CASES = [
    GradCase("conv3d", lambda x, w: tf.nn.conv3d(x, w, [1, 2, 1, 1, 1], "SAME"),
             [((1, 3, 3, 2, 2), (2, 2, 1, 2, 1))]),
    GradCase("conv3d(NCDHW, dilated)", lambda x, w: tf.nn.conv3d(
        x, w, 1, "VALID", data_format="NCDHW", dilations=[1, 1, 2, 1, 1]),
        [((1, 1, 4, 2, 2), (2, 1, 1, 1, 2))]),
    GradCase("conv3d_transpose", lambda y, w: tf.nn.conv3d_transpose(
        y, w, [1, 3, 2, 2, 2], [1, 2, 1, 1, 1], "SAME"), [((1, 2, 2, 2, 1), (2, 1, 2, 2, 1))]),
    GradCase("conv1d_transpose / conv_transpose", lambda y, w: tf.nn.conv1d_transpose(
        y, w, [1, 5, 2], 2, "VALID") + tf.nn.conv_transpose(y, w, [1, 5, 2], 2, "VALID"),
        [((1, 2, 3), (3, 2, 3))]),
    GradCase("atrous_conv2d / atrous_conv2d_transpose", lambda x, w: tf.nn.atrous_conv2d(
        x, w, 2, "SAME") + tf.nn.atrous_conv2d_transpose(x, w, [1, 4, 4, 2], 2, "SAME"),
        [((1, 4, 4, 2), (2, 2, 2, 2))]),
    GradCase("convolution", lambda x, w: tf.nn.convolution(x, w, padding="SAME"),
             [((1, 4, 2), (2, 2, 1)), ((1, 3, 3, 1), (2, 2, 1, 2))]),
    GradCase("max_pool3d / avg_pool3d / pool", lambda x: tf.nn.max_pool3d(x, 2, 1, "VALID") +
             tf.nn.avg_pool3d(x, 2, 1, "VALID") + tf.nn.pool(x, [2, 2, 2], "AVG"),
             [((1, 3, 2, 3, 2),)]),
    GradCase("avg_pool3d(SAME)", lambda x: tf.nn.avg_pool3d(x, [2, 3, 2], [2, 2, 1], "SAME"),
             [((1, 3, 3, 2, 1),)]),
]


@pytest.mark.parametrize("case", GRAD_CASES, ids=repr)
def test_grads(case):
    case.check()


def _recorder():
    spec = importlib.util.spec_from_file_location(
        "record_tf_conv_variants", ROOT / "tools" / "record_tf_conv_variants.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


REC = _recorder()
TF = json.loads((ROOT / "tests" / "data" / "tf_conv_variants.json").read_text())
CASES = REC.cases(tf, np.random.default_rng(0))


@pytest.mark.parametrize("name", sorted(TF))
def test_values_and_gradients_as_tf(name):
    f, arrays = CASES[name]
    ours = REC.run(tf, f, arrays)
    assert ours["shape"] == TF[name]["shape"]
    for got, want in zip(ours["values"], TF[name]["values"], strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=2e-5)


@pytest.mark.parametrize("call, message", [
    (lambda: tf.nn.conv3d(tf.ones([1, 2, 2, 2]), tf.ones([1, 1, 1, 1, 1]), 1, "SAME"), "5-D"),
    (lambda: tf.nn.conv3d(tf.ones([1, 2, 2, 2, 2]), tf.ones([1, 1, 1, 3, 1]), 1, "SAME"),
     "in_channels 3"),
    (lambda: tf.nn.conv3d(tf.ones([1, 2, 2, 2, 1]), tf.ones([3, 1, 1, 1, 1]), 1, "VALID"),
     "kernel depth 3"),
    (lambda: tf.nn.conv3d_transpose(tf.ones([1, 2, 2, 2, 1]), tf.ones([1, 1, 1, 1, 1]),
                                    [1, 3, 3, 3, 1], 1), "would give"),
    (lambda: tf.nn.conv1d_transpose(tf.ones([1, 2, 1]), tf.ones([2, 1, 1]), [1, 9, 1], 2),
     "conv1d_transpose"),
    (lambda: tf.nn.max_pool3d(tf.ones([1, 2, 2, 1]), 2, 2, "VALID"), "max_pool3d.*5-D"),
    (lambda: tf.nn.pool(tf.ones([1, 4, 1]), [2], "MIN"), "pooling_type"),
    (lambda: tf.nn.convolution(tf.ones([1, 4]), tf.ones([2, 2])), "3-D, 4-D or 5-D"),
    (lambda: tf.nn.atrous_conv2d(tf.ones([1, 4, 4, 1]), tf.ones([2, 2, 1, 1]), 0, "SAME"),
     "rate must be a positive"),
])
def test_refusals_name_the_op(call, message):
    with pytest.raises(ValueError, match=message):
        call()
