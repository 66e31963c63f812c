"""Record Keras 3 ``.weights.h5`` fixtures: tests/data/keras_{seq,sub}.weights.h5 and
tests/data/keras_weights_h5.json (an input and each model's outputs on it).

Run with a Python that has TensorFlow 2.21 and Keras 3 installed (never a tapegrad
dependency): ``python tools/record_keras_weights_h5.py``. The reverse check,
``python tools/record_keras_weights_h5.py --check FILE.weights.h5 OUT.npy``, loads a file
written by tapegrad's ``Sequential([Dense(4, relu), BatchNormalization(), Dense(2)])`` into
the same Keras model and prints the largest difference from tapegrad's outputs ``OUT.npy``
on the fixture's input.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

DATA = os.path.join(os.path.dirname(__file__), "..", "tests", "data")


class Sub(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = [keras.layers.Dense(3, activation="tanh"), keras.layers.Dense(3)]
        self.out = keras.layers.Dense(1)

    def call(self, x):
        for layer in self.hidden:
            x = layer(x)
        return self.out(x)


def _sequential() -> "keras.Sequential":
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
                             keras.layers.BatchNormalization(), keras.layers.Dense(2)])


def check(path: str, outputs: str) -> None:
    with open(os.path.join(DATA, "keras_weights_h5.json")) as f:
        x = np.array(json.load(f)["x"], np.float32)
    model = _sequential()
    model.load_weights(path)
    print("largest difference:", float(np.abs(np.asarray(model(x)) - np.load(outputs)).max()))


def main() -> None:
    keras.utils.set_random_seed(0)
    x = np.linspace(-1.0, 1.0, 6, dtype=np.float32).reshape(2, 3)
    seq = _sequential()
    for v in seq.layers[1].non_trainable_variables:  # give the moving statistics values
        v.assign(np.linspace(0.5, 1.5, 4, dtype=np.float32))
    seq.save_weights(os.path.join(DATA, "keras_seq.weights.h5"))
    sub = Sub()
    sub(x)
    sub.save_weights(os.path.join(DATA, "keras_sub.weights.h5"))
    out = {"x": x.tolist(), "seq": np.asarray(seq(x)).tolist(),
           "sub": np.asarray(sub(x)).tolist()}
    with open(os.path.join(DATA, "keras_weights_h5.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check"]:
        check(sys.argv[2], sys.argv[3])
    else:
        main()
