"""Record a Keras 3 ``.keras`` file whose functional graph holds Python operators on symbolic
tensors and Lambda layers: tests/data/keras_ops_lambda.keras, and in
tests/data/keras_ops_lambda.json the inputs and Keras's predictions.

The graph: a Dense layer, then ``+`` of a second input, ``2.0 *``, ``3.0 / (x + 1.0)``,
``** 2.0``, ``-``, a slice ``[:, 1:3]``, an index ``[:, 0]``, ``@`` a constant matrix, a
Lambda with a named function (``double``) and a Lambda with an anonymous one.

Run with a Python that has TensorFlow 2.21 and Keras 3 installed (never a tapegrad
dependency): ``python tools/record_keras_ops_lambda.py``.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

DATA = os.path.join(os.path.dirname(__file__), "..", "tests", "data")


def double(x):
    return x * 2.0


def build() -> keras.Model:
    x = keras.Input((4,), name="x")
    y = keras.Input((3,), name="y")
    h = keras.layers.Dense(3, name="dense")(x) + y
    h = 3.0 / (2.0 * h * h + 1.0)
    h = -(h ** 2.0)
    h = keras.layers.Dense(4, name="dense_1")(h)
    first = h[:, 0]
    middle = h[:, 1:3]
    mixed = middle @ keras.ops.convert_to_tensor(np.array([[1.0, -1.0], [0.5, 2.0]],
                                                           np.float32))
    named = keras.layers.Lambda(double, name="double_it")(mixed)
    anon = keras.layers.Lambda(lambda t: t - 1.0, name="minus_one")(named)
    out = keras.layers.Concatenate(name="join")([anon, keras.layers.Reshape((1,))(first)])
    return keras.Model([x, y], out, name="ops_and_lambdas")


def main() -> None:
    keras.utils.set_random_seed(3)
    model = build()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 4)).astype(np.float32)
    y = rng.normal(size=(5, 3)).astype(np.float32)
    model.save(os.path.join(DATA, "keras_ops_lambda.keras"))
    with open(os.path.join(DATA, "keras_ops_lambda.json"), "w") as f:
        json.dump({"x": x.tolist(), "y": y.tolist(),
                   "predict": np.asarray(model.predict([x, y], verbose=0)).tolist()}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
