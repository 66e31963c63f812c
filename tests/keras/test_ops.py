"""keras.ops (tapegrad/keras/ops.py): values and dtypes against Keras 3 on TF 2.21
(tests/data/keras_ops.npz, written by tools/record_keras_ops.py), and gradients."""

import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import ops
from tapegrad.testing import check_grads

DATA = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "keras_ops.npz"))
CASES = [str(c) for c in DATA["cases"]]
ENV = {"ops": ops, "np": np,
       "A": np.array([[1.5, -2.0, 0.25], [3.0, 0.5, -1.0]], np.float32),
       "B": np.array([[0.5, 1.0, 2.0], [-1.0, 2.0, 0.5]], np.float32),
       "I": np.array([[1, 2, 3], [4, 5, 6]], np.int32),
       "P": np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]], np.float32),
       "M": np.array([[2.0, 1.0], [1.0, 3.0]], np.float32)}
# Keras's TF backend gives int64 for these where tapegrad keeps TF's int32 (docs/keras-ops.md)
INT64_IN_KERAS = {"ops.argsort(A)", "ops.count_nonzero(I - 2)"}


@pytest.mark.parametrize("i,case", list(enumerate(CASES)), ids=CASES)
def test_as_keras(i, case):
    want = DATA[str(i)]
    got = ops.convert_to_numpy(eval(case, ENV))  # noqa: S307 - the recorded texts
    assert got.shape == want.shape, (got.shape, want.shape)
    if case not in INT64_IN_KERAS:
        assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_allclose(got, want, rtol=2e-5, atol=2e-5)


def _rng_args(*shapes, lo=-1.5, hi=1.5):
    rng = np.random.default_rng(1)
    return [rng.uniform(lo, hi, s) for s in shapes]


@pytest.mark.parametrize("f,shapes", [
    (lambda x, y: ops.logaddexp(x, y) * ops.hypot(x, y), [(2, 3), (3,)]),
    (lambda x: ops.roll(ops.repeat(x, 2, axis=1), 1, axis=1) ** 2, [(2, 3)]),
    (lambda x: ops.take_along_axis(x, np.array([[2, 0], [1, 1]]), axis=1) ** 2, [(2, 3)]),
    (lambda x: ops.diagonal(x, 1) * ops.trace(x), [(3, 3)]),
    (lambda x, y: ops.categorical_crossentropy(ops.softmax(y), x, from_logits=True), [(2, 3)] * 2),
    (lambda x: ops.layer_normalization(x, gamma=ops.ones(3, "float64")) ** 2, [(2, 3)]),
    (lambda q, k: ops.dot_product_attention(q, k, k, is_causal=True), [(1, 3, 2, 2)] * 2),
    (lambda x: ops.tril(x) + ops.triu(x, 1) * ops.glu(ops.concatenate([x, x], 1)), [(3, 3)]),
])
def test_gradients(f, shapes):
    check_grads(f, _rng_args(*shapes), order=2, modes=("rev", "fwd"))


def test_promotion_and_conventions():
    assert ops.result_type("int32", "float32") == "float32"
    assert ops.add(ops.arange(3), 1.5).dtype == tf.float32
    assert ops.shape(ops.zeros((2, 3))) == (2, 3)
    assert ops.argmax(np.array([[1, 5], [7, 0]])).numpy() == 2  # over the flattened input
    carry, ys = ops.scan(lambda c, x: (c + x, c), 0, ops.arange(4))
    assert int(carry) == 6 and ys.numpy().tolist() == [0, 0, 1, 3]
    assert ops.fori_loop(0, 3, lambda i, v: v + i, 10) == 13
    assert int(ops.while_loop(lambda a, b: a < 5, lambda a, b: (a + 1, b * 2), (0, 1))[1]) == 32
    with pytest.raises(NotImplementedError, match="channels_last"):
        ops.conv(ops.ones((1, 4, 4, 1)), ops.ones((2, 2, 1, 1)), data_format="channels_first")
    with pytest.raises(ValueError, match=r"tuple \(real, imag\)"):
        ops.fft(ops.ones(4))


def test_custom_layer_with_ops():
    """A Keras 3 custom layer written with ops trains under a tape."""
    class Scale(tf.keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

        def call(self, x):
            return ops.softmax(ops.multiply(x, self.w), axis=-1)

    layer = Scale()
    x = np.array([[1.0, 2.0, 3.0]], np.float32)
    with tf.GradientTape() as tape:
        y = ops.sum(ops.square(layer(x) - ops.convert_to_tensor([[0.0, 0.0, 1.0]])))
    g = tape.gradient(y, layer.trainable_variables)[0]
    assert g.shape == (3,) and float(ops.sum(ops.abs(g))) > 0
