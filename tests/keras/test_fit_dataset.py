"""fit/evaluate/predict fed by a ``tapegrad.data.Dataset``: the flow of TF's "Load NumPy data"
tutorial gives the losses of fit on arrays in the same order; steps_per_epoch, repeat(),
validation datasets, sample weights and dict inputs as Keras 3 takes them."""

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.datasets import digits


def _digits(n=600):
    (x, y), (xt, yt) = digits.load_data()
    x = (x[:n] / 16.0).astype(np.float32).reshape(-1, 8, 8)
    xt = (xt[:200] / 16.0).astype(np.float32).reshape(-1, 8, 8)
    return (x, y[:n].astype(np.int32)), (xt, yt[:200].astype(np.int32))


def _model(weights=None):
    tf.random.set_seed(3)
    model = tf.keras.Sequential([tf.keras.layers.Flatten(), tf.keras.layers.Dense(32, "relu"),
                                 tf.keras.layers.Dense(10)])
    model.compile(optimizer=tf.keras.optimizers.RMSprop(1e-3),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["sparse_categorical_accuracy"])
    model.build((None, 8, 8))
    if weights is not None:
        model.set_weights(weights)
    return model


def test_load_numpy_data_tutorial_matches_fit_on_arrays():
    (x, y), (xt, yt) = _digits()
    order = np.fromiter(tf.data.Dataset.range(len(x)).shuffle(100, seed=7).as_numpy_iterator(),
                        np.int64)
    assert sorted(order.tolist()) == list(range(len(x))) and order[:5].tolist() != [0, 1, 2, 3, 4]
    train_ds = (tf.data.Dataset.from_tensor_slices((x, y))
                .shuffle(100, seed=7, reshuffle_each_iteration=False).batch(64))
    test_ds = tf.data.Dataset.from_tensor_slices((xt, yt)).batch(64)
    model = _model()
    start = model.get_weights()
    h = model.fit(train_ds, epochs=3, verbose=0)
    loss, acc = model.evaluate(test_ds, verbose=0)
    ref = _model(start)
    h_ref = ref.fit(x[order], y[order], batch_size=64, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(h.history["loss"], h_ref.history["loss"], rtol=1e-5)
    assert h.history["loss"][2] < h.history["loss"][0]
    ref_loss, ref_acc = ref.evaluate(xt, yt, batch_size=64, verbose=0)
    assert loss == pytest.approx(ref_loss, rel=1e-5) and acc == pytest.approx(ref_acc)
    np.testing.assert_allclose(model.predict(test_ds, verbose=0), ref.predict(xt, verbose=0),
                               rtol=1e-5, atol=1e-6)


def test_validation_dataset_and_a_shuffled_prefetched_pipeline():
    (x, y), (xt, yt) = _digits(256)
    train_ds = (tf.data.Dataset.from_tensor_slices((x, y)).shuffle(256, seed=0).batch(32)
                .prefetch(tf.data.AUTOTUNE))
    val_ds = tf.data.Dataset.from_tensor_slices((xt, yt)).batch(50)
    model = _model()
    h = model.fit(train_ds, validation_data=val_ds, epochs=2, verbose=0)
    assert len(h.history["val_loss"]) == 2
    val = model.evaluate(val_ds, verbose=0, return_dict=True)
    assert h.history["val_loss"][1] == pytest.approx(val["loss"], rel=1e-5)
    assert int(model.optimizer.iterations.numpy()) == 16


def test_repeated_dataset_needs_steps_per_epoch():
    (x, y), _ = _digits(100)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(10).repeat()
    model = _model()
    with pytest.raises(ValueError, match="infinite.*steps_per_epoch"):
        model.fit(ds, epochs=1, verbose=0)
    h = model.fit(ds, steps_per_epoch=4, epochs=3, verbose=0)
    assert len(h.history["loss"]) == 3 and int(model.optimizer.iterations.numpy()) == 12
    assert model.predict(ds.map(lambda a, b: a), steps=3, verbose=0).shape == (30, 10)
    assert np.isfinite(model.evaluate(ds, steps=2, verbose=0)[0])


def test_steps_per_epoch_runs_on_across_epochs_and_restarts_a_finite_dataset():
    (x, y), _ = _digits(100)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(10)   # 10 batches
    model = _model()
    start = model.get_weights()
    h = model.fit(ds, steps_per_epoch=4, epochs=2, verbose=0)   # batches 0-3, then 4-7
    ref = _model(start)
    ref_losses = [ref.fit(x[i:i + 40], y[i:i + 40], batch_size=10, shuffle=False,
                          verbose=0).history["loss"][0] for i in (0, 40)]
    np.testing.assert_allclose(h.history["loss"], ref_losses, rtol=1e-5)
    model = _model(start)
    with pytest.warns(UserWarning, match="ran out of data"):      # epoch 3: 8, 9, cut short
        h = model.fit(ds, steps_per_epoch=4, epochs=4, verbose=0)  # epoch 4: 0-3 again
    assert int(model.optimizer.iterations.numpy()) == 14 and len(h.history["loss"]) == 4


def test_sample_weight_elements_and_dict_inputs():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(12, 2)).astype(np.float32)
    b = rng.normal(size=(12, 3)).astype(np.float32)
    y = rng.normal(size=(12, 1)).astype(np.float32)
    sw = np.linspace(0.5, 2.0, 12).astype(np.float32)
    ia, ib = tf.keras.Input((2,), name="a"), tf.keras.Input((3,), name="b")
    out = tf.keras.layers.Dense(1)(tf.keras.layers.Concatenate()([ia, ib]))
    model = tf.keras.Model({"a": ia, "b": ib}, out)
    model.compile(tf.keras.optimizers.SGD(0.0), "mse")
    ds = tf.data.Dataset.from_tensor_slices(({"a": a, "b": b}, y, sw)).batch(12)
    h = model.fit(ds, epochs=1, verbose=0)
    pred = model.predict(ds, verbose=0)
    per = np.mean((pred - y) ** 2, axis=1)
    assert h.history["loss"][0] == pytest.approx(float(np.sum(per * sw) / 12), rel=1e-5)
    np.testing.assert_allclose(pred, model.predict({"a": a, "b": b}, verbose=0), rtol=1e-6)
