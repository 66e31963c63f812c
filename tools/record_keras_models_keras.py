"""Record Keras 3 ``.keras`` fixtures: tests/data/keras_{seq,fun,sub}.keras and
tests/data/keras_saved_models.json (an input, each model's outputs on it, and the Sequential
model's outputs after one more training step, which depends on the saved optimizer state).

Run with a Python that has TensorFlow 2.21 and Keras 3 installed (never a tapegrad
dependency): ``python tools/record_keras_models_keras.py``. The reverse check,
``python tools/record_keras_models_keras.py --check FILE.keras OUT.npy``, loads a ``.keras``
file written by tapegrad into Keras and prints the largest difference from tapegrad's
outputs ``OUT.npy`` on the fixture's input.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

DATA = os.path.join(os.path.dirname(__file__), "..", "tests", "data")


@keras.saving.register_keras_serializable(package="fixtures")
class Sub(keras.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = [keras.layers.Dense(units, activation="tanh"), keras.layers.Dense(3)]
        self.out = keras.layers.Dense(1)

    def call(self, x):
        for layer in self.hidden:
            x = layer(x)
        return self.out(x)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def _data():
    x = np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(4, 3)
    y = np.stack([np.sin(3 * x[:, 0]), x[:, 1] * x[:, 2]], axis=1).astype(np.float32)
    return x, y


def check(path: str, outputs: str) -> None:
    x, _ = _data()
    model = keras.models.load_model(path)
    print("largest difference:", float(np.abs(np.asarray(model(x)) - np.load(outputs)).max()))


def main() -> None:
    keras.utils.set_random_seed(0)
    x, y = _data()
    seq = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
                            keras.layers.Dense(2)])
    seq.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    seq.fit(x, y, batch_size=4, epochs=2, verbose=0)
    seq.save(os.path.join(DATA, "keras_seq.keras"))
    inp = keras.Input((3,), name="inp")
    hidden = keras.layers.Dense(4, activation="tanh")(inp)
    out = keras.layers.Dense(1)(keras.layers.Concatenate()([hidden, inp]))
    fun = keras.Model(inp, out)
    fun.save(os.path.join(DATA, "keras_fun.keras"))
    sub = Sub(5)
    sub(x)
    sub.save(os.path.join(DATA, "keras_sub.keras"))
    record = {"x": x.tolist(), "y": y.tolist(), "seq": np.asarray(seq(x)).tolist(),
              "fun": np.asarray(fun(x)).tolist(), "sub": np.asarray(sub(x)).tolist(),
              "seq_iterations": int(seq.optimizer.iterations.numpy())}
    seq.train_on_batch(x, y)  # the next step uses Adam's saved moments
    record["seq_after_step"] = np.asarray(seq(x)).tolist()
    with open(os.path.join(DATA, "keras_saved_models.json"), "w") as f:
        json.dump(record, f)
        f.write("\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check"]:
        check(sys.argv[2], sys.argv[3])
    else:
        main()
