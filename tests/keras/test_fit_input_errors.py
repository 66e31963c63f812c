"""``fit``/``evaluate``/``predict`` name what is wrong with their data: strings, parts without
an axis of examples, and a ``validation_data`` whose form, counts or shapes are wrong (refused
before the first epoch rather than after it)."""

import numpy as np
import pytest

import tapegrad as tf


def _model():
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    model.compile("sgd", "mse")
    return model


X, Y = np.ones((8, 3), np.float32), np.ones((8, 2), np.float32)


@pytest.mark.parametrize("call", [
    lambda m: m.fit("abc", verbose=0),
    lambda m: m.fit(x="abc", y=Y, verbose=0),
    lambda m: m.evaluate(b"abc", verbose=0),
    lambda m: m.predict("abc", verbose=0),
])
def test_a_string_is_not_data(call):
    with pytest.raises(ValueError, match=r"Model\.\w+: unrecognized data type: x=.*"
                                         r"\(of type (str|bytes)\)"):
        call(_model())


@pytest.mark.parametrize("kwargs, part", [
    ({"y": "abc"}, "y"), ({"y": 1.0}, "y"), ({"y": [Y, "abc"]}, "y"),
    ({"y": Y, "sample_weight": 2.0}, "sample_weight"),
])
def test_a_part_without_examples_is_refused(kwargs, part):
    with pytest.raises(ValueError, match=f"Model.fit: {part} must be an array or a tensor "
                                         f"with one row per example"):
        _model().fit(X, verbose=0, **kwargs)


def test_a_non_iterable_x_names_its_type():
    with pytest.raises(TypeError, match="unrecognized data type.*of type object"):
        _model().fit(object(), Y, verbose=0)


@pytest.mark.parametrize("validation_data, message", [
    ("abc", r"\(validation_data\): unrecognized data type str"),
    (3.0, r"\(validation_data\): unrecognized data type float"),
    ((X,), r"expected \(x_val, y_val\) .* got a tuple of 1 items"),
    ((X, Y, None, None), "got a tuple of 4 items"),
    ((X, None), "y_val is None"),
    ((X[:4], Y[:5]), r"\(validation_data\): x has 4 examples but y has 5"),
    ((X[:4], Y[:4], np.ones(7)), "x has 4 examples but sample_weight has 7"),
    ((np.ones((4, 5)), Y[:4]), r"x of shape \(4, 5\) does not fit the model's input "
                               r"'input_layer\w*' of shape \(None, 3\) \(axis 1 has size 5"),
    ((np.ones((4, 3, 2)), Y[:4]), r"rank 3, the model expects rank 2"),
    ((X[:4], "abc"), "y must be an array"),
])
def test_bad_validation_data_is_refused_before_training(validation_data, message):
    model = _model()
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match=message):
        model.fit(X, Y, validation_data=validation_data, verbose=0)
    for w, b in zip(model.get_weights(), before):  # not one step was taken
        np.testing.assert_array_equal(w, b)


def test_validation_data_that_keras_adjusts_is_accepted():
    """A trailing axis of size 1 is squeezed or added (Keras 3's rule), None sizes take any
    size, and a Dataset passes through to be read as it is used."""
    model = tf.keras.Sequential([tf.keras.Input((3, 1)), tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dense(2)])
    model.compile("sgd", "mse")
    x = np.ones((8, 3, 1), np.float32)
    h = model.fit(x, Y, validation_data=(np.ones((4, 3)), Y[:4]), verbose=0)
    assert "val_loss" in h.history
    inp = tf.keras.Input((None, 3))
    rnn = tf.keras.Model(inp, tf.keras.layers.GlobalAveragePooling1D()(inp))
    rnn.compile("sgd", "mse")
    h = rnn.fit(np.ones((8, 5, 3)), np.ones((8, 3)), verbose=0,
                validation_data=(np.ones((4, 7, 3)), np.ones((4, 3))))
    assert np.isfinite(h.history["val_loss"][0])
    ds = tf.data.Dataset.from_tensor_slices((X[:4], Y[:4])).batch(2)
    assert "val_loss" in _model().fit(X, Y, validation_data=ds, verbose=0).history


def test_a_validation_target_the_loss_refuses_says_when():
    with pytest.raises(ValueError, match="incompatible") as info:
        _model().fit(X, Y, validation_data=(X[:4], np.ones((4, 7))), verbose=0)
    assert any("validation_data at the end of epoch 1" in n for n in info.value.__notes__)
