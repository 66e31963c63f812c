"""keras.mixed_precision: policies, float16 compute with float32 variables."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import layers, mixed_precision


@pytest.fixture(autouse=True)
def _restore_policy():
    yield
    mixed_precision.set_global_policy("float32")


def test_mixed_float16_computes_in_half_keeps_float32_variables():
    mixed_precision.set_global_policy("mixed_float16")
    inp = tf.keras.Input((3,))
    dense = layers.Dense(2, kernel_initializer="ones")
    y = dense(inp)
    assert y.dtype == "float16" and dense.kernel.dtype == tf.float32
    assert dense.dtype == "float32" and dense.compute_dtype == "float16"
    assert dense.dtype_policy == mixed_precision.Policy("mixed_float16")
    model = tf.keras.Model(inp, y)
    x = np.ones((2, 3), np.float32)
    assert model(x).dtype == tf.float16
    np.testing.assert_allclose(model(x).numpy(), np.full((2, 2), 3.0))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.cast(model(x), tf.float32))
    grads = tape.gradient(loss, model.trainable_variables)
    assert [g.dtype for g in grads] == [tf.float32, tf.float32]
    np.testing.assert_allclose(grads[0].numpy(), np.full((3, 2), 2.0))


def test_layer_dtype_argument_and_errors():
    conv = layers.Conv2D(2, 3, dtype="mixed_float16")
    assert conv(np.ones((1, 5, 5, 1), np.float32)).dtype == tf.float16
    assert conv.kernel.dtype == tf.float32 and conv.get_config()["dtype"] == "mixed_float16"
    assert layers.Dense(1, dtype="float64").compute_dtype == "float64"
    assert mixed_precision.global_policy().name == "float32"
    with pytest.raises(ValueError, match="bfloat16"):
        mixed_precision.Policy("mixed_bfloat16")
    with pytest.raises(ValueError, match="unknown dtype policy 'float17'"):
        mixed_precision.Policy("float17")
