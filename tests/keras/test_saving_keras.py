"""Whole models in Keras 3's ``.keras`` zip: files written by Keras 3
(tools/record_keras_models_keras.py) load and predict Keras's numbers; our files round-trip
with their optimizer state; damaged or hostile archives are refused before anything is read."""

import json
import pathlib
import zipfile

import numpy as np
import pytest

import tapegrad as tf

pytest.importorskip("h5py")

keras = tf.keras
DATA = pathlib.Path(__file__).parent.parent / "data"
EXPECTED = json.loads((DATA / "keras_saved_models.json").read_text())
X = np.array(EXPECTED["x"], np.float32)
Y = np.array(EXPECTED["y"], np.float32)


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


@pytest.mark.parametrize("name,cls", [("seq", keras.Sequential), ("fun", keras.Model),
                                      ("sub", Sub)])
def test_files_written_by_keras_load_and_predict_keras_outputs(name, cls):
    model = keras.models.load_model(DATA / f"keras_{name}.keras")
    assert type(model) is cls
    np.testing.assert_allclose(model.predict(X, verbose=0), EXPECTED[name], rtol=1e-5,
                               atol=1e-6)


def test_keras_file_restores_compile_and_optimizer_state():
    model = keras.saving.load_model(DATA / "keras_seq.keras")
    assert model.compiled and type(model.optimizer).__name__ == "Adam"
    assert int(model.optimizer.iterations.numpy()) == EXPECTED["seq_iterations"]
    np.testing.assert_allclose(float(model.optimizer.learning_rate.numpy()), 0.01, rtol=1e-6)
    model.train_on_batch(X, Y)  # Adam's next step uses the saved moments
    np.testing.assert_allclose(model(X).numpy(), EXPECTED["seq_after_step"], rtol=1e-5,
                               atol=1e-6)


def test_registered_subclass_keeps_its_config():
    model = keras.models.load_model(DATA / "keras_sub.keras")
    assert model.units == 5 and model.hidden[0].kernel.shape == (3, 5)


def test_unregistered_class_needs_custom_objects(tmp_path):
    class Local(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = keras.layers.Dense(2)

        def call(self, x):
            return self.d(x)

    model = Local()
    model(X)
    path = tmp_path / "local.keras"
    model.save(path)
    with pytest.raises(ValueError, match="Could not locate class 'Local'.*custom_objects"):
        keras.models.load_model(path)
    twin = keras.models.load_model(path, custom_objects={"Local": Local})
    np.testing.assert_allclose(twin(X).numpy(), model(X).numpy())
    with keras.saving.custom_object_scope({"Local": Local}):
        assert type(keras.models.load_model(path)) is Local


def _members(path):
    with zipfile.ZipFile(path) as zf:
        return sorted(zf.namelist()), json.loads(zf.read("config.json"))


def test_round_trip_keeps_weights_optimizer_and_compile(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    model.fit(X, Y, batch_size=4, epochs=2, verbose=0)
    path = tmp_path / "m.keras"
    model.save(path)
    names, config = _members(path)
    assert names == ["config.json", "metadata.json", "model.weights.h5"]
    assert config["class_name"] == "Sequential"
    assert config["compile_config"]["loss"] == "mse"
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"
    twin = keras.models.load_model(path)
    np.testing.assert_array_equal(twin(X).numpy(), model(X).numpy())
    for a, b in zip(twin.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    model.train_on_batch(X, Y)
    twin.train_on_batch(X, Y)
    np.testing.assert_allclose(twin(X).numpy(), model(X).numpy(), rtol=1e-6)


def test_functional_round_trip_with_shared_inputs(tmp_path):
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    h = keras.layers.Dense(4, activation="tanh")(a)
    out = keras.layers.Dense(1)(keras.layers.Concatenate()([h, b, a]))
    model = keras.Model([a, b], out)
    xb = np.ones((4, 2), np.float32)
    path = tmp_path / "f.keras"
    model.save(path)
    _, config = _members(path)
    assert config["class_name"] == "Functional"
    assert config["config"]["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    twin = keras.models.load_model(path, compile=False)
    np.testing.assert_array_equal(twin([X, xb]).numpy(), model([X, xb]).numpy())


def test_the_code_of_an_anonymous_lambda_is_never_loaded(tmp_path):
    code = {"class_name": "__lambda__", "config": {"code": "4wEAAAA=", "defaults": None,
                                                   "closure": None}}
    config = {"module": "keras.layers", "class_name": "Lambda",
              "config": {"name": "anon", "function": code}}
    with pytest.raises(ValueError, match="never runs from a file.*custom_objects=.'anon'"):
        keras.saving.deserialize_keras_object(config)
    with pytest.raises(ValueError, match="Could not locate function 'unknown_fn'"):
        keras.saving.deserialize_keras_object(
            {"module": "keras.layers", "class_name": "Lambda", "config": {"function": {
                "module": "builtins", "class_name": "function", "config": "unknown_fn"}}})


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_damaged_and_hostile_archives_are_clear_errors(tmp_path):
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"not a zip at all")
    with pytest.raises(ValueError, match="not a readable .keras file"):
        keras.models.load_model(bad)
    odd = tmp_path / "odd.keras"
    _zip(odd, {"config.json": "{}", "model.weights.h5": b"", "evil.pkl": b"x"})
    with pytest.raises(ValueError, match="unexpected members \\['evil.pkl'\\]"):
        keras.models.load_model(odd)
    bomb = tmp_path / "bomb.keras"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("config.json", b" " * (2 << 20))
        zf.writestr("model.weights.h5", b"")
    data = bomb.read_bytes()  # the directory claims 40 MB: more than deflate gives from 2 kB
    at = data.index(b"PK\x01\x02")
    bomb.write_bytes(data[:at + 24] + (40 << 20).to_bytes(4, "little") + data[at + 28:])
    with pytest.raises(ValueError, match="hostile"):
        keras.models.load_model(bomb)
    notjson = tmp_path / "nj.keras"
    _zip(notjson, {"config.json": "{oops", "model.weights.h5": b""})
    with pytest.raises(ValueError, match="not valid JSON"):
        keras.models.load_model(notjson)
    with pytest.raises(ValueError, match="legacy HDF5"):
        (tmp_path / "m.h5").write_bytes(b"")
        keras.models.load_model(tmp_path / "m.h5")


def test_truncated_file_is_refused(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    path = tmp_path / "m.keras"
    model.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError):
        keras.models.load_model(path)


def test_model_checkpoint_saves_whole_models(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    pattern = str(tmp_path / "ckpt-{epoch:02d}.keras")
    model.fit(X, Y, epochs=2, verbose=0,
              callbacks=[keras.callbacks.ModelCheckpoint(pattern)])
    last = keras.models.load_model(tmp_path / "ckpt-02.keras")
    np.testing.assert_array_equal(last(X).numpy(), model(X).numpy())
    assert int(last.optimizer.iterations.numpy()) == 2


def _h5_layout(path):
    import io

    import h5py
    with zipfile.ZipFile(path) as zf:
        data = zf.read("model.weights.h5")
    items = []
    with h5py.File(io.BytesIO(data), "r") as f:
        f.visititems(lambda name, obj: items.append((name, getattr(obj, "shape", None))))
    return sorted(items)


def test_our_file_has_keras_layout_and_config_keys(tmp_path):
    """The reverse direction, checked through the layout: the same model saved by tapegrad
    has the groups, shapes and config entries of the file Keras 3 wrote (and Keras loads it:
    tools/record_keras_models_keras.py --check)."""
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    model.fit(X, Y, batch_size=4, epochs=1, verbose=0)
    path = tmp_path / "m.keras"
    model.save(path)
    assert _h5_layout(path) == _h5_layout(DATA / "keras_seq.keras")
    _, ours = _members(path)
    _, theirs = _members(DATA / "keras_seq.keras")
    for a, b in zip(ours["config"]["layers"], theirs["config"]["layers"]):
        assert (a["class_name"], a["module"]) == (b["class_name"], b["module"])
        assert set(a["config"]) <= set(b["config"])
        assert a.get("build_config") == b.get("build_config")
