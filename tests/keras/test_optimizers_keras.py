"""Optimizers against updates recorded with Keras 3 (tools/record_keras_optimizers.py)."""

import json
import pathlib

import numpy as np
import pytest

import tapegrad as tf

FIXTURE = json.loads((pathlib.Path(__file__).parent.parent / "data" /
                      "keras_optimizers.json").read_text())


@pytest.mark.parametrize("name", sorted(FIXTURE["cases"]))
def test_three_steps_match_keras(name):
    case = FIXTURE["cases"][name]
    var = tf.Variable(np.array(FIXTURE["start"], np.float32))
    opt = getattr(tf.keras.optimizers, name.split("+")[0])(**case["kwargs"])
    scale = np.float32(case["kwargs"].get("loss_scale_factor", 1.0))
    for g, expected in zip(FIXTURE["grads"], case["after_each_step"]):
        opt.apply_gradients([(tf.constant(np.array(g, np.float32) * scale), var)])
        np.testing.assert_allclose(var.numpy(), expected, rtol=2e-6, atol=1e-7)
    if "after_finalize" in case:  # use_ema: the weights take their moving averages
        opt.finalize_variable_values([var])
        np.testing.assert_allclose(var.numpy(), case["after_finalize"], rtol=2e-6, atol=1e-7)
    # with gradient accumulation, iterations counts updates: 3 calls // 2 (as Keras 3)
    assert int(opt.iterations.numpy()) == 3 // case["kwargs"].get("gradient_accumulation_steps", 1)


@pytest.mark.parametrize("name", ["adamax", "nadam", "adadelta", "lion"])
def test_string_names_and_config(name):
    opt = tf.keras.optimizers.get(name)
    assert type(opt).__name__.lower() == name and opt.get_config()["name"].startswith(name)


@pytest.mark.parametrize("name", sorted(FIXTURE["matrix"]["cases"]))
def test_matrix_steps_match_keras(name):
    """Adafactor factors a matrix's second moments into a row and a column; Lamb's trust
    ratio uses the whole matrix's norm."""
    case = FIXTURE["matrix"]["cases"][name]
    var = tf.Variable(np.array(FIXTURE["matrix"]["start"], np.float32))
    opt = getattr(tf.keras.optimizers, name)(**case["kwargs"])
    for g, expected in zip(FIXTURE["matrix"]["grads"], case["after_each_step"]):
        opt.apply_gradients([(tf.constant(np.array(g, np.float32)), var)])
        np.testing.assert_allclose(var.numpy(), expected, rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("name", sorted(FIXTURE["schedules"]["cases"]))
def test_schedules_match_keras(name):
    case = FIXTURE["schedules"]["cases"][name]
    schedule = getattr(tf.keras.optimizers.schedules, name)(**case["kwargs"])
    got = [float(schedule(step)) for step in FIXTURE["schedules"]["steps"]]
    np.testing.assert_allclose(got, case["values"], rtol=2e-6, atol=1e-7)
    config = schedule.get_config()
    again = type(schedule)(**config)
    assert [float(again(s)) for s in FIXTURE["schedules"]["steps"]] == got


def test_loss_scale_optimizer_matches_keras():
    """Finite steps unscale and apply, doubling the scale after dynamic_growth_steps of them;
    an inf gradient skips the update and halves the scale, as Keras 3's does."""
    case = FIXTURE["loss_scale"]
    var = tf.Variable(np.array(FIXTURE["start"], np.float32))
    opt = tf.keras.optimizers.LossScaleOptimizer(
        tf.keras.optimizers.Adam(learning_rate=0.1), initial_scale=case["initial_scale"],
        dynamic_growth_steps=case["dynamic_growth_steps"])
    for g, expected in zip(case["grads"], case["after_each_step"]):
        opt.apply_gradients([(tf.constant(np.array(g, np.float32) * np.float32(4.0)), var)])
        np.testing.assert_allclose(var.numpy(), expected["var"], rtol=2e-6, atol=1e-7)
        assert float(opt.dynamic_scale.numpy()) == expected["scale"]
        assert int(opt.step_counter.numpy()) == expected["step_counter"]
        assert int(opt.iterations.numpy()) == expected["iterations"]
    assert len(opt.variables) == len(case["variables"])


def test_loss_scale_optimizer_refuses_base_arguments():
    with pytest.raises(ValueError, match="does not support clipnorm"):
        tf.keras.optimizers.LossScaleOptimizer(tf.keras.optimizers.SGD(), clipnorm=1.0)
    with pytest.raises(ValueError, match="dynamic=False"):
        tf.keras.optimizers.LossScaleOptimizer(tf.keras.optimizers.SGD(), dynamic=False)


def test_fit_scales_the_loss_and_finalizes_ema():
    """``fit`` differentiates ``optimizer.scale_loss(loss)`` (the gradients are unscaled in
    apply, so a loss_scale_factor changes nothing but the float range) and, with use_ema,
    ends with the moving averages in the weights."""
    x = np.linspace(-1, 1, 16, dtype=np.float32).reshape(8, 2)
    y = x.sum(axis=1, keepdims=True)
    weights = []
    for kwargs in ({}, {"loss_scale_factor": 64.0}):
        tf.random.set_seed(1)
        model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1, **kwargs), loss="mse")
        model.fit(x, y, epochs=2, batch_size=4, verbose=0, shuffle=False)
        weights.append(model.get_weights()[0])
    np.testing.assert_allclose(weights[0], weights[1], rtol=1e-6)
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1, use_ema=True), loss="mse")
    model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    avg = model.optimizer.slot(model.trainable_variables[0], "average")
    np.testing.assert_array_equal(model.get_weights()[0], avg.numpy())


@pytest.mark.parametrize("name", ["ftrl", "lamb", "adafactor"])
def test_new_optimizers_by_name_round_trip_config(name):
    opt = tf.keras.optimizers.get(name)
    config = opt.get_config()
    twin = type(opt)(**config)
    assert twin.get_config() == config


@pytest.mark.parametrize("name", sorted(FIXTURE["float64"]["cases"]))
def test_float64_variables_update_in_float64_as_keras(name):
    """Keras 3 casts the learning rate and the hyperparameters to the variable's dtype: a
    float64 variable stays float64 and matches Keras's float64 steps far below float32's
    resolution (rtol 1e-12)."""
    case = FIXTURE["float64"]["cases"][name]
    var = tf.Variable(np.array(FIXTURE["start"], np.float64))
    opt = getattr(tf.keras.optimizers, name.split("+")[0])(**case["kwargs"])
    for g, expected in zip(FIXTURE["grads"], case["after_each_step"]):
        opt.apply_gradients([(tf.constant(np.array(g, np.float64)), var)])
        assert var.dtype == tf.float64
        np.testing.assert_allclose(var.numpy(), expected, rtol=1e-12, atol=1e-15)
    assert all(v.dtype == tf.float64 for v in opt.variables[2:])  # every slot is float64


def test_float64_model_fits_in_float64():
    """``Dense(dtype='float64')`` trains with every optimizer and keeps float64 weights."""
    x = np.linspace(-1, 1, 24).reshape(8, 3)
    y = x @ np.array([[1.0], [-2.0], [0.5]])
    for name in ("sgd", "adam", "adamw", "adamax", "adagrad", "adadelta", "rmsprop", "nadam",
                 "ftrl", "lion", "lamb", "adafactor"):
        model = tf.keras.Sequential([tf.keras.Input((3,), dtype="float64"),
                                     tf.keras.layers.Dense(1, dtype="float64")])
        model.compile(optimizer=name, loss="mse")
        before = [w.copy() for w in model.get_weights()]
        model.fit(x, y, epochs=2, batch_size=4, verbose=0)
        after = model.get_weights()
        assert all(w.dtype == np.float64 for w in after), name
        assert any(not np.array_equal(a, b) for a, b in zip(before, after)), name


def test_float64_loss_scale_optimizer_and_sparse_rows():
    """The float32 dynamic scale meets a float64 loss and float64 gradients in their dtype;
    an IndexedSlices gradient updates a float64 variable's rows."""
    var = tf.Variable(np.array(FIXTURE["start"], np.float64))
    opt = tf.keras.optimizers.LossScaleOptimizer(tf.keras.optimizers.SGD(0.5),
                                                 initial_scale=4.0)
    assert opt.scale_loss(tf.constant(1.5, tf.float64)).dtype == tf.float64
    opt.apply_gradients([(tf.constant([4.0, 8.0, -4.0], tf.float64), var)])
    lr = np.float64(np.float32(0.5))
    np.testing.assert_allclose(var.numpy(), np.array(FIXTURE["start"]) - lr * np.array([1, 2, -1]),
                               rtol=1e-15)
    for name in ("sgd", "adagrad", "adam"):
        var = tf.Variable(np.array(FIXTURE["start"], np.float64))
        sparse = tf.IndexedSlices(tf.constant([1.0], tf.float64), tf.constant([1]),
                                  tf.constant([3]))
        tf.keras.optimizers.get(name).apply_gradients([(sparse, var)])
        assert var.dtype == tf.float64 and var.numpy()[0] == 0.5 and var.numpy()[1] < -1.0
