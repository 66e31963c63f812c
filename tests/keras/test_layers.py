"""Layers: tracking through attributes/lists/dicts, freezing, naming, and each layer's values."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import initializers as I
from tapegrad.keras import layers


def _has(variables, v):
    return any(x is v for x in variables)


class Block(tf.keras.layers.Layer):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.scale = tf.Variable(2.0, name="scale")
        self.parts = [layers.Dense(3), [layers.Dense(3)]]
        self.heads = {"a": layers.Dense(1), "b": {"inner": layers.Dense(2)}}
        self.stats = tf.Variable([0.0], trainable=False, name="stats")

    def call(self, x):
        x = self.parts[0](x) * self.scale
        x = self.parts[1][0](x)
        return self.heads["a"](x) + self.heads["b"]["inner"](x)


def test_tracking_through_nested_lists_and_dicts():
    block = Block()
    block(tf.ones((2, 4)))
    vs = block.variables
    assert len(vs) == 2 + 4 * 2 and len({id(v) for v in vs}) == len(vs)
    assert vs[0] is block.scale and vs[1] is block.stats  # own variables first, as Keras
    assert len(block.trainable_variables) == 9
    assert block.non_trainable_variables == [block.stats]
    shapes = [tuple(v.shape) for v in block.trainable_variables[1:]]
    assert shapes == [(4, 3), (3,), (3, 3), (3,), (3, 1), (1,), (3, 2), (2,)]
    assert len(block.submodules) == 4
    late = layers.Dense(5)
    block.parts.append(late)  # appended after assignment: still tracked
    late(tf.ones((1, 2)))
    assert _has(block.variables, late.kernel)


def test_gradients_reach_every_tracked_variable():
    block = Block()
    x = tf.ones((2, 4))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(block(x))
    grads = tape.gradient(y, block.trainable_variables)
    assert all(g is not None for g in grads)


def test_trainable_false_freezes_layer_and_sublayers():
    block = Block()
    block(tf.ones((1, 4)))
    block.parts[0].trainable = False
    assert not _has(block.trainable_variables, block.parts[0].kernel)
    assert _has(block.non_trainable_variables, block.parts[0].kernel)
    block.trainable = False
    assert block.trainable_variables == []
    assert len(block.non_trainable_variables) == len(block.variables)
    model = tf.keras.Sequential([layers.Dense(2, trainable=False), layers.Dense(1)])
    model(tf.ones((1, 3)))
    assert [tuple(v.shape) for v in model.trainable_variables] == [(2, 1), (1,)]


def test_names_and_variable_names():
    tf.keras.backend.clear_session()
    d0, d1 = layers.Dense(2, activation="relu"), layers.Dense(2)
    d0(tf.ones((1, 3)))
    d1(tf.ones((1, 3)))
    assert (d0.name, d1.name) == ("dense", "dense_1")
    assert [v.name for v in d0.variables] == ["dense/kernel:0", "dense/bias:0"]
    assert [v.name for v in d1.variables] == ["dense_1/kernel:0", "dense_1/bias:0"]
    assert layers.BatchNormalization().name == "batch_normalization"
    assert layers.Conv2D(1, 1).name == "conv2d"
    assert np.all(d0.bias.numpy() == 0)
    limit = np.sqrt(6 / (3 + 2))  # glorot uniform
    assert np.all(np.abs(d0.kernel.numpy()) <= limit)


def test_dense_values_and_errors():
    d = layers.Dense(2, activation="relu", kernel_initializer=I.Constant(0.5),
                     bias_initializer=I.Constant(-1.0))
    y = d(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 1.0]]))
    np.testing.assert_allclose(y.numpy(), [[2.0, 2.0], [0.0, 0.0]])
    assert y.dtype == tf.float32  # float64 NumPy inputs compute in the layer's float32
    y3 = d(tf.ones((2, 5, 3)))
    assert y3.shape == (2, 5, 2)
    with pytest.raises(ValueError, match=r"built for inputs with last dimension 3"):
        d(tf.ones((2, 4)))
    with pytest.raises(ValueError, match="units must be a positive integer"):
        layers.Dense(0)
    with pytest.raises(ValueError, match="Unknown activation"):
        layers.Dense(2, activation="relu7")


def test_activations_by_name_and_callable():
    x = tf.constant([-2.0, -0.5, 0.0, 1.5])
    xv = x.numpy().astype(np.float64)
    sig = 1 / (1 + np.exp(-xv))
    want = {"relu": np.maximum(xv, 0), "sigmoid": sig, "tanh": np.tanh(xv),
            "softmax": np.exp(xv) / np.exp(xv).sum(), "elu": np.where(xv > 0, xv, np.expm1(xv)),
            "silu": xv * sig, "swish": xv * sig, "softplus": np.log1p(np.exp(xv)),
            "leaky_relu": np.where(xv > 0, xv, 0.2 * xv), "linear": xv,
            "selu": 1.0507009873554805 * np.where(xv > 0, xv, 1.6732632423543772 * np.expm1(xv))}
    for name, ref in want.items():
        got = layers.Activation(name)(x).numpy()
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-6, err_msg=name)
    from math import erf
    gelu = np.array([0.5 * v * (1 + erf(v / np.sqrt(2))) for v in xv])
    np.testing.assert_allclose(layers.Activation("gelu")(x).numpy(), gelu, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layers.Activation(lambda t: t * 3)(x).numpy(), 3 * xv)


def test_dropout_only_in_training():
    drop = layers.Dropout(0.5, seed=3)
    x = tf.ones((200,))
    assert np.all(drop(x).numpy() == 1) and np.all(drop(x, training=False).numpy() == 1)
    y = drop(x, training=True).numpy()
    assert set(np.unique(y)) <= {0.0, 2.0} and 0.3 < np.mean(y == 0) < 0.7
    model = tf.keras.Sequential([layers.Dropout(0.9)])
    assert np.all(model(x).numpy() == 1)
    assert np.mean(model(x, training=True).numpy() == 0) > 0.5


def test_flatten_reshape():
    x = tf.reshape(tf.range(24.0), (2, 3, 4))
    np.testing.assert_array_equal(layers.Flatten()(x).numpy(), np.arange(24.0).reshape(2, 12))
    assert layers.Reshape((4, -1))(x).shape == (2, 4, 3)
    with pytest.raises(ValueError, match=r"cannot reshape an input of shape \(2, 3, 4\)"):
        layers.Reshape((5, 5))(x)


def test_layer_normalization():
    x = np.array([[1.0, 2.0, 4.0], [0.0, -3.0, 3.0]], np.float32)
    ln = layers.LayerNormalization(epsilon=1e-3)
    m, v = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    np.testing.assert_allclose(ln(x).numpy(), (x - m) / np.sqrt(v + 1e-3), rtol=1e-5,
                               atol=1e-6)
    assert [tuple(w.shape) for w in ln.trainable_variables] == [(3,), (3,)]


def test_batch_normalization_train_and_inference():
    rng = np.random.default_rng(0)
    x = (rng.normal(size=(16, 3)) * [1.0, 2.0, 3.0] + [0.0, 5.0, -1.0]).astype(np.float32)
    bn = layers.BatchNormalization(momentum=0.9, epsilon=1e-3)
    y = bn(x, training=True).numpy()
    mean, var = x.mean(0), x.var(0)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.1 * mean, rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.9 + 0.1 * var, rtol=1e-5)
    assert [v.name.split("/")[1] for v in bn.trainable_variables] == ["gamma:0", "beta:0"]
    assert [v.name.split("/")[1] for v in bn.non_trainable_variables] == [
        "moving_mean:0", "moving_variance:0"]
    # inference: uses the moving statistics and leaves them alone
    mm, mv = bn.moving_mean.numpy(), bn.moving_variance.numpy()
    y_inf = bn(x, training=False).numpy()
    np.testing.assert_allclose(y_inf, (x - mm) / np.sqrt(mv + 1e-3), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), mm)
    np.testing.assert_array_equal(bn(x).numpy(), y_inf)  # default is inference
    # gradients flow to gamma and beta, none to the moving statistics
    with tf.GradientTape() as tape:
        out = tf.reduce_sum(bn(x, training=True) * np.arange(3.0, dtype=np.float32))
    grads = tape.gradient(out, bn.variables)
    assert grads[0] is not None and grads[1] is not None and grads[2] is None


def test_normalization_layers_match_tensorflow():
    x = np.arange(12, dtype=np.float32).reshape(4, 3) ** 1.5
    bn = layers.BatchNormalization()
    y_train = bn(x, training=True).numpy().ravel()[:4]
    y_infer = bn(x, training=False).numpy().ravel()[:4]
    # TensorFlow 2.21 / Keras 3.15 outputs of the same program
    np.testing.assert_allclose(y_train, [-1.141004, -1.193663, -1.222104, -0.635272], atol=2e-6)
    np.testing.assert_allclose(y_infer, [-0.081946, 0.558879, 1.644072, 3.550174], atol=2e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), [2.0456488, 2.3238132, 2.5885022],
                               rtol=1e-6)
    ln = layers.LayerNormalization()
    np.testing.assert_allclose(ln(x).numpy().ravel()[:4],
                               [-1.089304, -0.235713, 1.325017, -1.198169], atol=2e-6)


def test_frozen_batch_normalization_runs_in_inference_mode():
    x = np.array([[0.0], [4.0]], np.float32)
    bn = layers.BatchNormalization(trainable=False)
    y = bn(x, training=True).numpy()
    np.testing.assert_allclose(y, x / np.sqrt(1 + 1e-3), rtol=1e-6)  # moving stats 0 and 1
    np.testing.assert_array_equal(bn.moving_mean.numpy(), [0.0])


def test_batch_normalization_conv_axis():
    x = np.random.default_rng(1).normal(size=(4, 3, 3, 2)).astype(np.float32)
    bn = layers.BatchNormalization(momentum=0.0)
    bn(x, training=True)
    np.testing.assert_allclose(bn.moving_mean.numpy(), x.mean((0, 1, 2)), rtol=1e-5,
                               atol=1e-6)


def _conv_ref(x, k, stride=1):
    n, h, w, c = x.shape
    kh, kw, _, o = k.shape
    oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
    out = np.zeros((n, oh, ow, o))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            out[:, i, j, :] = np.tensordot(patch, k, axes=([1, 2, 3], [0, 1, 2]))
    return out


def test_conv_and_pooling_layers():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 6, 6, 3)).astype(np.float32)
    conv = layers.Conv2D(4, 3, strides=1, activation="relu", bias_initializer=I.Constant(0.1))
    y = conv(x).numpy()
    ref = np.maximum(_conv_ref(x, conv.kernel.numpy()) + 0.1, 0)
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)
    assert layers.Conv2D(4, 3, padding="same", strides=2)(x).shape == (2, 3, 3, 4)
    c1 = layers.Conv1D(2, 3)
    x1 = rng.normal(size=(2, 7, 3)).astype(np.float32)
    y1 = c1(x1).numpy()
    ref1 = _conv_ref(x1[:, None], c1.kernel.numpy()[None])[:, 0]
    np.testing.assert_allclose(y1, ref1, rtol=1e-4, atol=1e-5)
    mp = layers.MaxPooling2D(2)(x).numpy()
    np.testing.assert_allclose(mp, x.reshape(2, 3, 2, 3, 2, 3).max((2, 4)))
    ap = layers.AveragePooling2D(2)(x).numpy()
    np.testing.assert_allclose(ap, x.reshape(2, 3, 2, 3, 2, 3).mean((2, 4)), rtol=1e-5,
                               atol=1e-6)
    gap = layers.GlobalAveragePooling2D()(x).numpy()
    np.testing.assert_allclose(gap, x.mean((1, 2)), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="expects inputs of rank 4"):
        layers.Conv2D(1, 3)(tf.ones((3, 3)))
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        layers.MaxPooling2D(padding="full")


def test_embedding_values():
    emb = layers.Embedding(6, 2, embeddings_initializer=I.Constant(0.0))
    emb.build(None)
    emb.embeddings.assign(np.arange(12, dtype=np.float32).reshape(6, 2))
    np.testing.assert_array_equal(emb(np.array([[5, 0]])).numpy(), [[[10, 11], [0, 1]]])
    assert emb.embeddings.name.endswith("/embeddings:0")


def test_initializers_are_seeded_and_scaled():
    for cls in (I.GlorotUniform, I.GlorotNormal, I.HeNormal, I.HeUniform, I.RandomNormal,
                I.RandomUniform):
        a, b = cls(seed=7)((50, 40)), cls(seed=7)((50, 40))
        np.testing.assert_array_equal(a, b)
        assert a.dtype == np.float32
    assert abs(I.HeNormal(seed=1)((400, 300)).std() - np.sqrt(2 / 400)) < 0.005
    assert abs(I.GlorotNormal(seed=1)((400, 300)).std() - np.sqrt(2 / 700)) < 0.004
    he_u = I.HeUniform(seed=1)((400, 300))
    assert np.abs(he_u).max() <= np.sqrt(6 / 400) and he_u.std() > 0.9 * np.sqrt(2 / 400)
    assert abs(I.RandomNormal(seed=1)((200, 200)).std() - 0.05) < 0.002
    np.testing.assert_array_equal(I.Ones()((2,)), [1, 1])
    assert isinstance(I.get("GlorotUniform"), I.GlorotUniform)
    tf.random.set_seed(5)
    a = layers.Dense(3)
    a(tf.ones((1, 2)))
    tf.random.set_seed(5)
    b = layers.Dense(3)
    b(tf.ones((1, 2)))
    np.testing.assert_array_equal(a.kernel.numpy(), b.kernel.numpy())


def test_tf_module_tracking():
    class Inner(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(1.0, name="v")

    class Outer(tf.Module):
        def __init__(self):
            super().__init__(name="outer")
            self.z = tf.Variable(0.0, name="z")
            self.parts = {"x": [Inner(), Inner()]}
            self.a = tf.Variable(0.0, name="a", trainable=False)
            self.dense = layers.Dense(1)

    m = Outer()
    m.dense(tf.ones((1, 2)))
    # own variables in sorted attribute order (a, z), as tf.Module, then sub-modules'
    assert [v.name for v in m.variables][:2] == ["a:0", "z:0"]
    assert len(m.variables) == 2 + 2 + 2
    assert [v.name for v in m.non_trainable_variables] == ["a:0"]
    assert len(m.submodules) == 3 and m.name == "outer" and Inner().name == "inner"
    with m.name_scope:
        assert tf.Variable(1.0, name="w").name == "outer/w:0"


def test_add_weight_takes_tf2_and_keras3_argument_orders():
    class Scale(tf.keras.layers.Layer):
        def build(self, input_shape):
            self.a = self.add_weight((input_shape[-1],), "ones", name="a")  # Keras 3
            self.b = self.add_weight("b", (2,), "float64", "ones")  # TF 2: name, shape, dtype
            self.c = self.add_weight(name="c", shape=(3,), initializer="zeros", trainable=False)

    layer = Scale(name="scale")
    layer(tf.ones((1, 4)))
    assert [(v.name, tuple(v.shape), v.dtype.name, v.trainable) for v in layer.variables] == [
        ("scale/a:0", (4,), "float32", True), ("scale/b:0", (2,), "float64", True),
        ("scale/c:0", (3,), "float32", False)]
    np.testing.assert_array_equal(layer.a.numpy(), [1, 1, 1, 1])
    with pytest.raises(TypeError, match="unsupported argument"):
        Scale().add_weight("w", (1,), colour="red")


def test_input_layer_in_sequential():
    model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), layers.Dense(2), layers.Dense(1)])
    assert [tuple(v.shape) for v in model.variables] == [(3, 2), (2,), (2, 1), (1,)]
    assert len(model.layers) == 2
    with pytest.raises(ValueError, match="must come first"):
        tf.keras.Sequential([layers.Dense(2), layers.InputLayer(shape=(3,))])
