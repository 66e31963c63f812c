"""fit(validation_data=dataset, validation_steps=k) validates on the same first k batches at
every epoch: recorded with Keras 3.15.1 on TF 2.21 (a model whose test_step notes each batch's
first value, run_eagerly=True) — [0, 2, 0, 2, 0, 2, 0, 2], no warning."""

import warnings

import numpy as np

import tapegrad as tf

keras = tf.keras


def test_validation_steps_takes_the_first_batches_at_each_epoch_as_keras():
    seen = []

    class Noting(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(1)

        def call(self, x):
            return self.d(x)

        def test_step(self, data):
            x = np.asarray(data[0])
            assert x.shape == (2, 1)  # the validation batches as the dataset gives them
            seen.append(int(x[0, 0]))
            return super().test_step(data)

    model = Noting()
    model.compile(optimizer="sgd", loss="mse")
    x = np.arange(10, dtype="float32").reshape(10, 1)
    train = tf.data.Dataset.from_tensor_slices((x, x)).batch(2)
    val = tf.data.Dataset.from_tensor_slices((x, x)).batch(2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(train, validation_data=val, validation_steps=2, epochs=4, verbose=0)
    assert seen == [0, 2, 0, 2, 0, 2, 0, 2]
