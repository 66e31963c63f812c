"""Every built-in layer's config is Keras 3's: a config Keras wrote (tests/data/
keras_layer_configs.json, tools/record_keras_layer_configs.py, each argument away from its
default) loads into a layer that writes it back unchanged, the same arguments given to our
constructor write the same config, and ``from_config(get_config())`` keeps every argument.

So a ``.keras`` file moves between Keras and tapegrad without an argument quietly falling back
to its default. The walk over ``tf.keras.layers`` fails for a layer class with no case.
"""

import inspect
import json
import pathlib

import pytest

import tapegrad as tf
from tapegrad.keras import serialization

L = tf.keras.layers
DATA = json.loads((pathlib.Path(__file__).parent.parent / "data" /
                   "keras_layer_configs.json").read_text())
CASES = DATA["cases"]
# layer classes whose config cannot be a Keras file's, with the reason
NO_CASE = {
    "Layer": "the base class; its config is a subclass's",
    "InputLayer": "written as keras.Input's batch_shape by the model (tests/keras/test_saving*)",
    "Lambda": "its function is Python code, which tapegrad never saves or loads",
}
# what Keras 3's get_config loses and ours keeps: SimpleRNN writes no seed and always
# activity_regularizer=None (LSTM and GRU write both)
KERAS_LOSES = {"SimpleRNN": ("seed", "activity_regularizer")}


def _normal(value):
    """A config as JSON, without the Keras-only options at the default tapegrad takes
    (``serialization._KERAS_ONLY``) and with a bare dtype name spelled as its DTypePolicy."""
    if isinstance(value, dict) and value.get("class_name") in KERAS_LOSES:
        lost = KERAS_LOSES[value["class_name"]]
        value = dict(value, config={k: v for k, v in value["config"].items() if k not in lost})
    if isinstance(value, dict):
        out = {}
        for key, v in value.items():
            if key in serialization._KERAS_ONLY and v == serialization._KERAS_ONLY[key]:
                continue
            if key == "dtype" and isinstance(v, str):
                v = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": v},
                     "registered_name": None}
            out[key] = _normal(v)
        return out
    if isinstance(value, (list, tuple)):
        return [_normal(v) for v in value]
    return value


def _config(layer):
    return _normal(json.loads(json.dumps(serialization.serialize_keras_object(layer))))["config"]


def _revive(value):
    if isinstance(value, dict) and "class_name" in value:
        return serialization.deserialize_keras_object(value)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [_revive(v) for v in value]
    return value


def _ids(cases):
    return [f"{c['class_name']}-{i}" for i, c in enumerate(cases)]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_a_keras_config_loads_and_writes_back_unchanged(case):
    layer = serialization.deserialize_keras_object(case["serialized"])
    assert type(layer).__name__ == case["class_name"]
    assert _config(layer) == _normal(case["serialized"])["config"]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_our_constructor_writes_keras_config(case):
    kwargs = {k: _revive(v) for k, v in case["kwargs"].items()}
    kwargs.setdefault("name", case["serialized"]["config"]["name"])  # not Keras's counter
    layer = getattr(L, case["class_name"])(**kwargs)
    assert _config(layer) == _normal(case["serialized"])["config"]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_from_config_of_get_config_keeps_every_argument(case):
    layer = serialization.deserialize_keras_object(case["serialized"])
    again = type(layer).from_config(layer.get_config())
    assert _config(again) == _config(layer)


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_constructor_parameters_in_keras_order(case):
    """Keras's parameters, in Keras's order, lead ours (Keras-only options left out)."""
    skip = set(serialization._KERAS_ONLY) | {"use_cudnn", "flash_attention",
                                             "gptq_unpacked_column_size", "autocast", "name",
                                             "dtype"}
    ours = [n for n, p in inspect.signature(getattr(L, case["class_name"]).__init__)
            .parameters.items() if n != "self" and n not in skip
            and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
    keras = [n for n in case["params"] if n not in skip]
    assert ours[:len(keras)] == keras


def _public_layer_classes():
    return {name: cls for name, cls in vars(L).items()
            if not name.startswith("_") and inspect.isclass(cls) and issubclass(cls, L.Layer)}


def test_every_layer_class_has_a_keras_config_case():
    recorded = {c["class_name"] for c in CASES}
    missing = set(_public_layer_classes()) - recorded - set(NO_CASE)
    assert not missing, f"layer classes with no case in tools/record_keras_layer_configs.py: " \
                        f"{sorted(missing)}"


# Layer's own arguments (activity_regularizer is written when there is one, as Keras does)
# and weights= (starting values), use_cudnn and flash_attention (choices of kernel): Keras
# does not write them
BASE = {"self", "trainable", "name", "dtype", "activity_regularizer", "weights", "use_cudnn",
        "flash_attention"}


def test_get_config_names_every_constructor_argument():
    """Each named ``__init__`` argument of each built-in layer is in its ``get_config()``: an
    argument left out would take its default when the layer is loaded."""
    first = {}
    for case in CASES:
        first.setdefault(case["class_name"], case)
    for name, case in first.items():
        layer = serialization.deserialize_keras_object(case["serialized"])
        config = layer.get_config()
        params = inspect.signature(type(layer).__init__).parameters.items()
        absent = [n for n, p in params if n not in config and n not in BASE
                  and n not in serialization._KERAS_ONLY  # refused unless at the default
                  and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)]
        assert not absent, f"{name}.get_config() leaves out {absent}"


def test_a_keras_file_restores_every_argument(tmp_path):
    """The whole path: a Sequential of layers with non-default arguments through ``.keras``."""
    pytest.importorskip("h5py")
    model = tf.keras.Sequential([
        tf.keras.Input((6, 4)),
        L.Conv1D(4, 3, padding="same", dilation_rate=2, groups=2, use_bias=False,
                 kernel_regularizer=tf.keras.regularizers.L2(0.5)),
        L.LSTM(3, return_sequences=True, go_backwards=True, unit_forget_bias=False,
               recurrent_dropout=0.25),
        L.LayerNormalization(epsilon=0.01, center=False),
        L.GlobalMaxPooling1D(keepdims=True), L.Flatten(),
        L.Dense(2, activation="softmax", bias_constraint=tf.keras.constraints.NonNeg())])
    path = tmp_path / "m.keras"
    model.save(path)
    again = tf.keras.models.load_model(path)
    for a, b in zip(model.layers, again.layers):
        assert _config(a) == _config(b)
