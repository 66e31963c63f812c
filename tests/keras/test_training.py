"""compile / fit / evaluate / predict, the progress bar and History."""

import io

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.keras.utils import Progbar


def _blobs(n=200, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centers = np.array([[2.0, 0.0], [-2.0, 1.0], [0.0, -2.5]])
    x = (centers[y] + rng.normal(scale=0.5, size=(n, 2))).astype(np.float32)
    return x, y


def _model():
    tf.random.set_seed(0)
    np.random.seed(0)  # fit shuffles with NumPy's global generator
    return tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu"),
                                tf.keras.layers.Dense(3)])


def test_fit_evaluate_predict(capsys):
    x, y = _blobs()
    model = _model()
    model.compile(optimizer=tf.keras.optimizers.Adam(0.05),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=5, batch_size=32, validation_data=(x[:50], y[:50]),
                        verbose=0)
    assert capsys.readouterr().out == ""  # verbose=0 prints nothing
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history.history["loss"]) == 5 and history.epoch == [0, 1, 2, 3, 4]
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.95
    loss, acc = model.evaluate(x, y, verbose=0)
    assert acc > 0.95
    probs = model.predict(x, batch_size=64)
    assert probs.shape == (200, 3)
    assert np.mean(np.argmax(probs, 1) == y) == pytest.approx(acc)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs["loss"] == pytest.approx(loss)
    assert int(model.optimizer.iterations.numpy()) == 5 * 7  # ceil(200 / 32) steps per epoch


def test_fit_prints_one_line_per_epoch_when_not_a_tty(capsys):
    x, y = _blobs(64)
    model = _model()
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, np.eye(3)[y].argmax(1), epochs=2, batch_size=16)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Epoch 1/2" and out[2] == "Epoch 2/2" and len(out) == 4
    assert out[1].startswith("4/4 [==============================]")
    assert " - loss: " in out[1] and " - accuracy: " in out[1]
    model.fit(x, y, epochs=1, batch_size=16, validation_data=(x[:8], y[:8]))
    out = capsys.readouterr().out.splitlines()
    # Keras 3 prints "Epoch i/n" only when epochs > 1
    assert len(out) == 1 and " - val_loss: " in out[0] and " - val_accuracy: " in out[0]


def test_progbar_redraws_in_place_on_a_tty():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    out = Tty()
    bar = Progbar(3, stream=out, interval=0)
    for i in range(1, 4):
        bar.update(i, [("loss", float(i))])
    text = out.getvalue()
    assert text.count("\r") == 3 and text.endswith("loss: 2.0000\n")
    assert "ETA" in text.split("\r")[1]
    quiet = io.StringIO()
    Progbar(2, stream=quiet, verbose=0).update(2, [("loss", 1.0)])
    assert quiet.getvalue() == ""


def test_compile_picks_the_matching_accuracy():
    model = _model()
    model.compile("adam", tf.keras.losses.CategoricalCrossentropy(), metrics=["accuracy"])
    assert type(model.compiled_metrics[0]).__name__ == "CategoricalAccuracy"
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    assert type(model.compiled_metrics[0]).__name__ == "BinaryAccuracy"


def test_errors():
    model = _model()
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(np.zeros((2, 2)), np.zeros(2))
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="x has 3 examples but y has 2"):
        model.fit(np.zeros((3, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="give both inputs and outputs"):
        tf.keras.Model(inputs=tf.keras.Input((2,)))
    with pytest.raises(TypeError, match="expected a Layer"):
        tf.keras.Sequential([lambda x: x])


def test_subclassed_model_with_fit():
    class Regressor(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    rng = np.random.default_rng(3)
    x = rng.normal(size=(128, 2)).astype(np.float32)
    y = x @ np.array([[1.5], [-0.5]], np.float32) + 0.25
    model = Regressor()
    model.compile(tf.keras.optimizers.SGD(0.1), tf.keras.losses.MeanSquaredError())
    model.fit(x, y, epochs=30, batch_size=32, verbose=0)
    np.testing.assert_allclose(model.dense.kernel.numpy().ravel(), [1.5, -0.5], atol=1e-3)
    assert float(model.dense.bias.numpy()[0]) == pytest.approx(0.25, abs=1e-3)


def test_sequential_input_shape_builds_eagerly():
    model = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,)),
                                 tf.keras.layers.Dense(1)])
    assert [tuple(v.shape) for v in model.variables] == [(3, 4), (4,), (4, 1), (1,)]
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[-3:] == [" Total params: 21 (84.00 B)", " Trainable params: 21 (84.00 B)",
                          " Non-trainable params: 0 (0.00 B)"]


def test_small_cnn_trains_on_digits():
    from tapegrad.demo import load_digits
    images, labels = load_digits()
    x, y = images[:256, :, :, None], labels[:256]
    tf.random.set_seed(1)
    np.random.seed(1)
    model = tf.keras.Sequential([
        tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
        tf.keras.layers.BatchNormalization(),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Dropout(0.1),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(10),
    ])
    model.compile(tf.keras.optimizers.Adam(0.01),
                  tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=4, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 0.3 * history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.9
    assert len(model.trainable_variables) == 6 and len(model.non_trainable_variables) == 2
