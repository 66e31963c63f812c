"""fit/evaluate/predict with Keras 3's arguments: validation, iterables, weights, steps, the
on_batch methods, several outputs, and train_step/test_step/compute_loss overrides."""

import numpy as np
import pytest

import tapegrad as tf


def _linear(lr=0.0, units=1):
    tf.random.set_seed(1)
    np.random.seed(1)
    model = tf.keras.Sequential([tf.keras.layers.Dense(units)])
    model.compile(tf.keras.optimizers.SGD(lr), "mse")
    return model


def _data(n=20, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3)).astype(np.float32)
    return x, (x @ np.array([[1.0], [-2.0], [0.5]], np.float32))


def test_validation_split_takes_the_last_examples():
    x, y = _data()
    model = _linear()
    h = model.fit(x, y, epochs=1, validation_split=0.25, verbose=0, batch_size=5)
    expected = float(np.mean((model.predict(x[15:], verbose=0) - y[15:]) ** 2))
    assert h.history["val_loss"][0] == pytest.approx(expected, rel=1e-5)
    train = float(np.mean((model.predict(x[:15], verbose=0) - y[:15]) ** 2))
    assert h.history["loss"][0] == pytest.approx(train, rel=1e-5)  # lr 0: weights unchanged


def test_sample_weight_and_class_weight_scale_each_example_over_the_batch_size():
    x, y = _data(8)
    model = _linear()
    per = np.mean((model.predict(x, verbose=0) - y) ** 2, axis=1)
    sw = np.arange(8, dtype=np.float32)
    h = model.fit(x, y, sample_weight=sw, batch_size=8, verbose=0)
    assert h.history["loss"][0] == pytest.approx(float(np.sum(per * sw) / 8), rel=1e-5)
    labels = np.array([0, 1] * 4)
    clf = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    clf.compile(tf.keras.optimizers.SGD(0.0), "mse")
    target = labels[:, None].astype(np.float32)
    per = np.mean((clf.predict(x, verbose=0) - target) ** 2, axis=1)
    h = clf.fit(x, target, class_weight={0: 3.0, 1: 0.5}, batch_size=8, verbose=0)
    cw = np.where(labels == 0, 3.0, 0.5)
    assert h.history["loss"][0] == pytest.approx(float(np.sum(per * cw) / 8), rel=1e-5)
    with pytest.raises(ValueError, match="class_weight has no entry for class 1"):
        clf.fit(x, target, class_weight={0: 1.0}, verbose=0)


def test_generators_iterables_and_steps_per_epoch():
    x, y = _data(12)

    def gen():
        while True:
            for i in range(0, 12, 4):
                yield x[i:i + 4], y[i:i + 4]

    model = _linear(lr=0.01)
    h = model.fit(gen(), steps_per_epoch=3, epochs=2, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == 6 and len(h.history["loss"]) == 2

    class Batches:  # re-iterable, with a length: like a Dataset
        def __iter__(self):
            return iter([(x[:6], y[:6]), (x[6:], y[6:])])

        def __len__(self):
            return 2

    model.fit(Batches(), epochs=3, verbose=0, validation_data=Batches())
    assert int(model.optimizer.iterations.numpy()) == 12
    assert model.predict(Batches(), verbose=0).shape == (12, 1)
    with pytest.raises(ValueError, match="Model.fit: when x is a dataset.*must not be given"):
        model.fit(Batches(), y, verbose=0)
    with pytest.raises(ValueError, match="validation_split is only supported for arrays"):
        model.fit(Batches(), validation_split=0.5, verbose=0)


def test_initial_epoch_validation_freq_and_verbose_2(capsys):
    x, y = _data()
    model = _linear(0.01)
    h = model.fit(x, y, epochs=5, initial_epoch=1, validation_data=(x, y), validation_freq=2,
                  verbose=2)
    assert h.epoch == [1, 2, 3, 4] and len(h.history["val_loss"]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Epoch 2/5" and len(out) == 8 and out[1].startswith("1/1 [")


def test_on_batch_methods():
    x, y = _data(4)
    model = _linear()
    model.compile(tf.keras.optimizers.SGD(0.0), "mse", metrics=["mae"])
    pred = model.predict_on_batch(x)
    mse, mae = np.mean((pred - y) ** 2), np.mean(np.abs(pred - y))
    np.testing.assert_allclose(model.test_on_batch(x, y), [mse, mae], rtol=1e-5)
    logs = model.train_on_batch(x, y, return_dict=True)
    assert logs["loss"] == pytest.approx(mse, rel=1e-5)
    assert logs["mae"] == pytest.approx(mae, rel=1e-5)


def test_several_outputs_with_loss_weights():
    class TwoHeads(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.a, self.b = tf.keras.layers.Dense(1), tf.keras.layers.Dense(2)

        def call(self, x):
            return [self.a(x), self.b(x)]

    x, y = _data(6)
    y2 = np.concatenate([y, -y], axis=1)
    model = TwoHeads()
    model.compile(tf.keras.optimizers.SGD(0.0), loss=["mse", "mae"], loss_weights=[1.0, 0.5])
    pa, pb = model.predict(x, verbose=0)
    expected = np.mean((pa - y) ** 2) + 0.5 * np.mean(np.abs(pb - y2))
    assert model.evaluate(x, [y, y2], verbose=0) == pytest.approx(expected, rel=1e-5)


def test_custom_train_step_as_in_the_customizing_fit_guide():
    class CustomModel(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(1)
            self.loss_tracker = tf.keras.metrics.Mean(name="loss")
            self.mae_metric = tf.keras.metrics.MeanAbsoluteError(name="mae")

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = tf.keras.losses.mean_squared_error(y, y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

        @property
        def metrics(self):
            return [self.loss_tracker, self.mae_metric]

    x, y = _data(64)
    model = CustomModel()
    model.compile(optimizer=tf.keras.optimizers.SGD(0.01))  # no loss: train_step has its own
    h = model.fit(x, y, epochs=30, verbose=0)
    assert set(h.history) == {"loss", "mae"} and h.history["loss"][-1] < 1e-3
    np.testing.assert_allclose(model.dense.kernel.numpy().ravel(), [1.0, -2.0, 0.5], atol=0.02)


def test_compute_loss_and_metrics_loop_of_the_guide():
    class GuideModel(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    x, y = _data(32)
    model = GuideModel()
    assert model.metrics == []
    model.compile(tf.keras.optimizers.SGD(0.0), loss="mse", metrics=["mae"])
    h = model.fit(x, y, batch_size=32, verbose=0)
    pred = model.predict(x, verbose=0)
    assert h.history["loss"][0] == pytest.approx(float(np.mean((pred - y) ** 2)), rel=1e-5)
    assert model.metrics_names == ["loss", "mae"]
    model.reset_metrics()
    assert float(model.metrics[0].result()) == 0.0
    bare = GuideModel()
    bare.compile("sgd")
    with pytest.raises(ValueError, match="No loss to compute"):
        bare.fit(x, y, verbose=0)
