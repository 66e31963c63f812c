"""keras.callbacks: the hooks fit/evaluate/predict call, and each built-in callback."""

import csv

import numpy as np
import pytest

import tapegrad as tf


def _model(lr=0.01):
    tf.random.set_seed(2)
    np.random.seed(2)
    model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    model.compile(tf.keras.optimizers.SGD(lr), "mse")
    return model


def _data(n=16):
    x = np.random.default_rng(0).normal(size=(n, 2)).astype(np.float32)
    return x, x @ np.array([[2.0], [-1.0]], np.float32)


class Recorder(tf.keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        attr = object.__getattribute__(self, name)
        if name.startswith("on_") and callable(attr):
            def hook(*args, **kwargs):
                self.calls.append(name)
                return attr(*args, **kwargs)
            return hook
        return attr


def test_hook_order_in_fit_evaluate_predict():
    x, y = _data(8)
    model, rec = _model(), Recorder()
    model.fit(x, y, batch_size=4, epochs=1, validation_data=(x, y), verbose=0, callbacks=[rec])
    assert rec.calls == [
        "on_train_begin", "on_epoch_begin",
        "on_train_batch_begin", "on_batch_begin", "on_train_batch_end", "on_batch_end",
        "on_train_batch_begin", "on_batch_begin", "on_train_batch_end", "on_batch_end",
        "on_test_begin", "on_test_batch_begin", "on_test_batch_end", "on_test_batch_begin",
        "on_test_batch_end", "on_test_end", "on_epoch_end", "on_train_end"]
    assert rec.params == {"verbose": 0, "epochs": 1, "steps": 2} and rec.model is model
    rec.calls.clear()
    model.predict(x, batch_size=8, verbose=0, callbacks=[rec])
    assert rec.calls == ["on_predict_begin", "on_predict_batch_begin", "on_predict_batch_end",
                         "on_predict_end"]
    with pytest.raises(TypeError, match="expected keras.callbacks.Callback"):
        model.fit(x, y, callbacks=[object()], verbose=0)


def test_early_stopping_restores_the_best_weights():
    x, y = _data()
    model = _model()
    seen = []
    keep = tf.keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append(model.get_weights()))
    # mode="max" on a falling loss: epoch 0 stays the best, so training stops at epoch 2
    stop = tf.keras.callbacks.EarlyStopping(monitor="loss", mode="max", patience=2,
                                            restore_best_weights=True)
    h = model.fit(x, y, epochs=10, verbose=0, callbacks=[keep, stop])
    assert h.epoch == [0, 1, 2] and stop.stopped_epoch == 2 and stop.best_epoch == 0
    for now, best in zip(model.get_weights(), seen[0]):
        np.testing.assert_array_equal(now, best)


def test_schedulers_write_the_learning_rate_into_the_logs():
    x, y = _data()
    model = _model(0.1)
    sched = tf.keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1))
    h = model.fit(x, y, epochs=3, verbose=0, callbacks=[sched])
    np.testing.assert_allclose(h.history["learning_rate"], [0.1, 0.05, 0.1 / 3], rtol=1e-6)
    model = _model(0.0)  # lr 0: the loss never improves
    plateau = tf.keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1,
                                                   min_lr=0.0)
    model.optimizer.learning_rate = 1e-9
    h = model.fit(x, y, epochs=3, verbose=0, callbacks=[plateau])
    # the logs carry the rate the epoch ran with; the cut applies from the next epoch
    np.testing.assert_allclose(h.history["learning_rate"], [1e-9, 1e-9, 5e-10], rtol=1e-5)
    assert float(model.optimizer.learning_rate) == pytest.approx(2.5e-10, rel=1e-5)


def test_csv_logger_and_model_checkpoint(tmp_path):
    x, y = _data()
    model = _model()
    log = tmp_path / "log.csv"
    ckpt = tf.keras.callbacks.ModelCheckpoint(str(tmp_path / "w-{epoch:02d}-{loss:.3f}.npz"),
                                              monitor="loss", save_best_only=True,
                                              save_weights_only=True)
    h = model.fit(x, y, epochs=2, verbose=0, callbacks=[tf.keras.callbacks.CSVLogger(log), ckpt])
    with open(log) as f:
        rows = list(csv.DictReader(f))
    assert [r["epoch"] for r in rows] == ["0", "1"]
    assert float(rows[1]["loss"]) == pytest.approx(h.history["loss"][1])
    names = sorted(p.name for p in tmp_path.glob("w-*.npz"))
    assert names == [f"w-{e + 1:02d}-{v:.3f}.npz" for e, v in enumerate(h.history["loss"])]
    fresh = _model()
    fresh(x)
    fresh.load_weights(str(tmp_path / names[-1]))
    for a, b in zip(fresh.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_terminate_on_nan(capsys):
    x, y = _data()
    y[0] = np.nan
    model = _model()
    h = model.fit(x, y, batch_size=4, epochs=3, verbose=0,
                  callbacks=[tf.keras.callbacks.TerminateOnNaN()])
    assert capsys.readouterr().out == "Batch 0: Invalid loss, terminating training\n"
    assert h.epoch == [0] and int(model.optimizer.iterations.numpy()) == 1


def test_early_stopping_warns_on_a_missing_metric():
    stop = tf.keras.callbacks.EarlyStopping()
    stop.set_model(_model())
    stop.on_train_begin()
    with pytest.warns(UserWarning, match="val_loss.*Available metrics are: loss"):
        stop.on_epoch_end(0, {"loss": 1.0})
    with pytest.raises(ValueError, match="mode must be"):
        tf.keras.callbacks.EarlyStopping(mode="largest")


def test_backup_and_restore_resumes_after_an_interruption(tmp_path):
    x, y = _data()

    class Interrupt(tf.keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise RuntimeError("interrupted")

    backup = tf.keras.callbacks.BackupAndRestore(str(tmp_path / "backup"))
    model = _model()
    with pytest.raises(RuntimeError, match="interrupted"):
        model.fit(x, y, epochs=4, verbose=0, callbacks=[backup, Interrupt()])
    saved = model.get_weights()  # epoch 1 was backed up before the interruption
    fresh = _model()
    fresh(x)
    h = fresh.fit(x, y, epochs=4, verbose=0, callbacks=[backup], shuffle=False)
    assert h.epoch == [2, 3] and not (tmp_path / "backup").exists()
    restarted = _model()
    restarted(x)
    restarted.set_weights(saved)
    restarted.fit(x, y, epochs=2, verbose=0, shuffle=False)
    for a, b in zip(fresh.get_weights(), restarted.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
