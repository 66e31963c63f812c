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
    for g, expected in zip(FIXTURE["grads"], case["after_each_step"]):
        opt.apply_gradients([(tf.constant(np.array(g, np.float32)), var)])
        np.testing.assert_allclose(var.numpy(), expected, rtol=2e-6, atol=1e-7)
    # with gradient accumulation, iterations counts updates: 3 calls // 2 (as Keras 3)
    assert int(opt.iterations.numpy()) == 3 // case["kwargs"].get("gradient_accumulation_steps", 1)


@pytest.mark.parametrize("name", ["adamax", "nadam", "adadelta", "lion"])
def test_string_names_and_config(name):
    opt = tf.keras.optimizers.get(name)
    assert type(opt).__name__.lower() == name and opt.get_config()["name"].startswith(name)
