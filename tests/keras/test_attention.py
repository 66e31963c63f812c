"""Attention layers and EinsumDense against Keras 3 with the same weights
(tests/data/keras_layers.json, tools/record_keras_models.py): outputs, scores, weight
gradients; gradient checks w.r.t. inputs and weights; masks; configs; errors."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import layers
from tapegrad.testing import check_grads

from .weight_grads import check_weight_grads

REF = json.loads((pathlib.Path(__file__).parent.parent / "data" / "keras_layers.json")
                 .read_text(encoding="utf-8"))["attention"]
Q, V, K = (np.array(REF[n], np.float32) for n in ("q", "v", "k"))
QM, VM = np.array(REF["query_mask"]), np.array(REF["value_mask"])


def _close(got, want, tol=1e-5):
    np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=tol, atol=tol)


def _compare(layer, case, args, tol=1e-5, **call):
    with tf.GradientTape() as tape:
        outs = layer(*args, **call)
        outs = list(outs) if isinstance(outs, tuple) else [outs]
        loss = tf.reduce_sum(outs[0] * np.array(case["coeff"], np.float32))
    assert len(outs) == len(case["outputs"])
    for got, want in zip(outs, case["outputs"]):
        _close(got, want, tol)
    grads = tape.gradient(loss, layer.trainable_variables)
    assert len(grads) == len(case["grads"])
    for got, want in zip(grads, case["grads"]):
        _close(got, want, 10 * tol)
    return outs


def _call_args(case):
    return {k: (np.array(v) if isinstance(v, list) else v) for k, v in case["call"].items()}


@pytest.mark.parametrize("key", ["mha_scores", "mha_masks", "mha_masks_scores", "mha_causal"])
def test_multi_head_attention_matches_keras(key):
    case = REF[key]
    layer = layers.MultiHeadAttention(**case["config"])
    query, value = tf.constant(Q), tf.constant(V if key != "mha_causal" else Q)
    if case["masked"]:
        query._keras_mask, value._keras_mask = tf.constant(QM), tf.constant(VM)
    key_input = K if key == "mha_masks" else None
    layer(query, value, key_input)
    layer.set_weights([np.array(w) for w in case["weights"]])
    names = [v.name for v in layer.variables]
    assert names[0].endswith("query/kernel:0") and names[-1].startswith(
        "attention_output") or not layer.use_bias
    outs = _compare(layer, case, [query, value, key_input], **_call_args(case))
    if case["masked"]:
        _close(outs[0]._keras_mask, QM)


@pytest.mark.parametrize("key", ["attention_dot", "attention_concat", "additive"])
def test_attention_and_additive_attention_match_keras(key):
    case = REF[key]
    layer = getattr(layers, case["layer"])(**case["config"])
    inputs = [Q, V[..., :5], V[..., :5] * 0.5]
    layer(inputs)
    layer.set_weights([np.array(w) for w in case["weights"]])
    _compare(layer, case, [inputs], mask=[QM, VM], **case["call"])


@pytest.mark.parametrize("key", ["einsum_heads", "einsum_ellipsis", "einsum_project"])
def test_einsum_dense_matches_keras(key):
    case = REF[key]
    layer = layers.EinsumDense(case["equation"], output_shape=case["output_shape"],
                               bias_axes=case["bias_axes"])
    layer.build(Q.shape)
    assert [list(v.shape) for v in layer.variables] == [
        list(np.shape(w)) for w in case["weights"]]
    layer.set_weights([np.array(w) for w in case["weights"]])
    _compare(layer, case, [Q])
    symbolic = layer(tf.keras.Input((None, 5)))
    assert symbolic.shape == (None, None) + tuple(np.shape(case["outputs"][0]))[2:]


def test_gradients_wrt_inputs_and_weights():
    rng = np.random.default_rng(0)
    q, v = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4))
    am = rng.random((2, 3, 5)) > 0.3
    mha = layers.MultiHeadAttention(2, 3, value_dim=2, dtype="float64")
    mha(q, v)
    check_grads(lambda q, v: mha(q, v, attention_mask=am, use_causal_mask=True), [q, v],
                order=2, modes=("rev", "fwd"))
    check_weight_grads(mha, lambda: mha(q, v, attention_mask=am), order=1)
    for layer in (layers.Attention(use_scale=True, score_mode="concat", dtype="float64"),
                  layers.AdditiveAttention(dtype="float64"),
                  layers.Attention(dtype="float64")):
        layer([q, v])
        check_grads(lambda q, v, k, layer=layer: layer([q, v, k], mask=[None, VM[:, :5]]),
                    [q, v, v * 0.3], order=2, modes=("rev", "fwd"))
        if layer.trainable_variables:
            check_weight_grads(layer, lambda layer=layer: layer([q, v], use_causal_mask=True))
    dense = layers.EinsumDense("...b,bc->...c", output_shape=3, bias_axes="c",
                               activation="tanh", dtype="float64")
    check_grads(dense, [q], order=2, modes=("rev", "fwd"))
    check_weight_grads(dense, lambda: dense(q))


def test_masks_flow_into_attention_in_a_functional_model():
    tokens = tf.keras.Input((None,), dtype="int32")
    x = layers.Embedding(10, 4, mask_zero=True)(tokens)
    y = layers.MultiHeadAttention(2, 2)(x, x)
    pooled = layers.GlobalAveragePooling1D()(y)
    model = tf.keras.Model(tokens, pooled)
    ids = np.array([[1, 2, 0], [3, 0, 0]])
    full = model(ids)
    # the same with the masks spelled out: padding is no key and left out of the mean
    mha = model.layers[2]
    emb = model.layers[1]
    e = emb(ids)
    e._keras_mask = None
    keep = ids[:, None, :] != 0
    ref = mha(e, e, attention_mask=keep & (ids[:, :, None] != 0))
    _close(full, [ref.numpy()[0, :2].mean(0), ref.numpy()[1, 0]])


def test_softmax_mask_configs_and_errors():
    sm = layers.Softmax(axis=(1, 2))
    x = np.random.default_rng(2).standard_normal((2, 2, 3))
    _close(np.asarray(sm(x)).reshape(2, -1).sum(-1), [1, 1])
    check_grads(lambda x: layers.Softmax(dtype="float64")(x, mask=QM[:, :3]), [x], order=2,
                modes=("rev", "fwd"))
    for layer in (layers.MultiHeadAttention(2, 3, value_dim=4, dropout=0.1),
                  layers.Attention(use_scale=True, score_mode="concat"),
                  layers.AdditiveAttention(use_scale=False),
                  layers.EinsumDense("ab,bc->ac", output_shape=3, bias_axes="c")):
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()
    with pytest.raises(ValueError, match="invalid equation"):
        layers.EinsumDense("ab->b", output_shape=3)(Q)
    with pytest.raises(ValueError, match="must be called on a list"):
        layers.Attention()(Q)
    with pytest.raises(ValueError, match="expects a query of shape"):
        layers.MultiHeadAttention(2, 2)(Q[0], Q[0])
    with pytest.raises(ValueError, match="must broadcast to the inputs"):
        layers.Softmax()(Q, mask=np.ones((3, 3), bool))
    out = layers.MultiHeadAttention(2, 2)(tf.keras.Input((None, 5)), tf.keras.Input((7, 5)))
    assert out.shape == (None, None, 5)


def test_dropout_only_while_training():
    mha = layers.MultiHeadAttention(2, 2, dropout=0.5, seed=1)
    a = mha(Q, V)
    _close(mha(Q, V), a)
    assert not np.allclose(mha(Q, V, training=True), a)
