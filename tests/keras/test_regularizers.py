"""Regularizers, constraints and add_loss/losses: Keras 3's numbers
(tests/data/keras_models.json, tools/record_keras_models.py), per-call reset, gradients."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras import constraints, layers, regularizers
from tapegrad.testing import check_grads

REF = json.loads((pathlib.Path(__file__).parent.parent / "data" / "keras_models.json")
                 .read_text(encoding="utf-8"))["regularizers"]
W = np.array(REF["w"])


@pytest.mark.parametrize("name", sorted(REF["values"]))
def test_regularizers_match_keras_and_differentiate(name):
    reg = getattr(regularizers, name)(**REF["configs"][name])
    np.testing.assert_allclose(float(reg(tf.constant(W, tf.float32))), REF["values"][name],
                               rtol=1e-5)
    if name != "L1":  # |x| is smooth away from 0; the direction is random, so order 1 here
        check_grads(reg, [W], order=2, modes=("rev", "fwd"))
    else:
        check_grads(reg, [W], order=1, modes=("rev", "fwd"))
    assert type(reg).from_config(reg.get_config()).get_config() == reg.get_config()


@pytest.mark.parametrize("name", sorted(REF["constraints"]))
def test_constraints_match_keras(name):
    con = getattr(constraints, name)(**REF["constraint_configs"][name])
    np.testing.assert_allclose(con(tf.constant(W, tf.float32)).numpy(),
                               REF["constraints"][name], rtol=1e-5, atol=1e-7)


def test_dense_losses_match_keras_and_reset_per_call():
    dense = layers.Dense(4, kernel_regularizer=regularizers.L2(0.1),
                         activity_regularizer=regularizers.L1(0.01))
    dense(np.zeros((1, 3), np.float32))
    dense.set_weights([W, np.zeros(4)])
    dense(W[:2, :3].astype(np.float32))
    np.testing.assert_allclose([float(v) for v in dense.losses], REF["dense_losses"], rtol=1e-5)
    dense(W[:2, :3].astype(np.float32))
    assert len(dense.losses) == 2  # reset on each call, not accumulated


class _WithLoss(layers.Layer):
    def call(self, x):
        self.add_loss(tf.reduce_sum(x) * 0.5)
        return x


def test_add_loss_inside_models_and_training_uses_losses():
    inp = tf.keras.Input((2,))
    model = tf.keras.Model(inp, layers.Dense(1, kernel_initializer="zeros")(_WithLoss()(inp)))
    model(np.ones((3, 2), np.float32))
    assert [float(v) for v in model.losses] == [3.0]
    model(np.ones((1, 2), np.float32))
    assert [float(v) for v in model.losses] == [1.0]
    reg = tf.keras.Sequential([layers.Dense(1, input_shape=(2,), kernel_initializer="ones",
                                            kernel_regularizer="l2")])
    reg.compile("sgd", "mse")
    logs = reg.train_step((np.zeros((4, 2), np.float32), np.zeros((4, 1), np.float32)))
    np.testing.assert_allclose(logs["loss"], 0.02, rtol=1e-6)  # 0.01 * (1 + 1), mse 0


def test_constraint_applied_after_each_optimizer_step():
    model = tf.keras.Sequential([layers.Dense(1, input_shape=(2,), use_bias=False,
                                              kernel_constraint=constraints.NonNeg())])
    model.set_weights([np.array([[0.1], [0.1]], np.float32)])
    model.compile(tf.keras.optimizers.SGD(1.0), "mse")
    model.train_step((np.ones((2, 2), np.float32), np.full((2, 1), -10.0, np.float32)))
    assert (model.get_weights()[0] >= 0).all()


def test_unknown_names_are_refused():
    with pytest.raises(ValueError, match="Unknown regularizer: 'l3'"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="Unknown constraint"):
        constraints.get("positive")
    with pytest.raises(ValueError, match="rank-2"):
        regularizers.OrthogonalRegularizer()(tf.ones((2, 2, 2)))
