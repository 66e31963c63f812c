"""Whole models in Keras 3's ``.keras`` file: a zip of ``config.json`` (the model's
architecture and compile arguments), ``metadata.json`` and ``model.weights.h5`` (the layers'
variables in Keras's layout and the optimizer's ``optimizer/vars``).

Reading checks the archive before it reads anything: the member names (the three files, and
an ``assets/`` folder that is ignored), each member's declared sizes against a limit, the
file's size and deflate's largest ratio (``engine.atomic.check_zip_member``, the check the
``.npz`` reader uses too); then the JSON is parsed (plain data: nothing is evaluated or unpickled)
and the HDF5 is opened from memory. Writing builds the archive in memory and replaces the
target atomically. The weights need ``h5py`` (``pip install "tapegrad[h5]"``).
"""

from __future__ import annotations

import datetime
import io
import json
import os
import warnings
import zipfile
from typing import Any

from ..engine.variable import Variable
from . import saving_h5 as _h5
from ..engine.atomic import check_zip_member, write_atomic
from .serialization import deserialize_keras_object, serialize_keras_object

__all__ = ["save_model", "load_model", "KERAS_VERSION"]

KERAS_VERSION = "3.15.1"  # the Keras release whose format these files follow
_CONFIG, _METADATA, _WEIGHTS = "config.json", "metadata.json", "model.weights.h5"
_LIMITS = {_CONFIG: 64 << 20, _METADATA: 1 << 20, _WEIGHTS: 16 << 30}


def _compile_config(model: Any) -> dict:
    if not getattr(model, "compiled", False):
        return {}
    args = getattr(model, "_compile_args", {})
    return {"optimizer": serialize_keras_object(model.optimizer),
            "loss": serialize_keras_object(args.get("loss")),
            "loss_weights": serialize_keras_object(args.get("loss_weights")),
            "metrics": serialize_keras_object(args.get("metrics")),
            "weighted_metrics": serialize_keras_object(args.get("weighted_metrics")),
            "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False}


def save_model(model: Any, filepath: str, overwrite: bool = True, **kwargs: Any) -> None:
    """Write ``model`` (architecture, weights, compile arguments and optimizer state) to a
    ``.keras`` file that Keras 3 reads (``model.save("m.keras")`` calls it).

    >>> import os, tempfile, tapegrad as tf
    >>> model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.keras")
    >>> model.save(path)
    >>> twin = tf.keras.models.load_model(path)
    >>> bool((twin.get_weights()[0] == model.get_weights()[0]).all())
    True
    """
    filepath = os.fspath(filepath)
    if not filepath.endswith(".keras"):
        raise ValueError(f"save_model: {filepath!r} must end in '.keras' (Keras 3's format); "
                         f"use save_weights for '.weights.h5', '.npz' or '.safetensors'.")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"save_model: {filepath!r} exists and overwrite=False.")
    config = serialize_keras_object(model)
    config["compile_config"] = _compile_config(model)
    metadata = {"keras_version": KERAS_VERSION,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    h5py = _h5.h5py_module()
    weights = io.BytesIO()
    with h5py.File(weights, "w") as f:
        _h5.write_layers(f, model)
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None and optimizer.built:
            _h5.write_optimizer(f, optimizer)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(_METADATA, json.dumps(metadata))
        zf.writestr(_CONFIG, json.dumps(config))
        zf.writestr(_WEIGHTS, weights.getvalue())
    write_atomic(filepath, archive.getvalue())


def _read_members(filepath: str) -> dict[str, bytes]:
    """The three members' bytes, after checking names and sizes from the zip's directory."""
    try:
        zf = zipfile.ZipFile(filepath)
    except (zipfile.BadZipFile, OSError) as e:
        raise ValueError(f"load_model: {filepath!r} is not a readable .keras file (a zip "
                         f"archive): {e}") from None
    with zf:
        infos = {i.filename: i for i in zf.infolist()}
        odd = sorted(n for n in infos if n not in _LIMITS and not n.startswith("assets/"))
        missing = sorted(set(_LIMITS) - set(infos) - {_METADATA})
        if odd or missing:
            raise ValueError(f"load_model: {filepath!r} is not a Keras 3 .keras file: "
                             f"{'missing ' + str(missing) if missing else ''}"
                             f"{' unexpected members ' + str(odd[:5]) if odd else ''}.")
        out = {}
        for name, limit in _LIMITS.items():
            info = infos.get(name)
            if info is None:
                continue
            check_zip_member(info, os.path.getsize(filepath), f"load_model({filepath!r})", limit)
            try:
                with zf.open(info) as member:
                    data = member.read(info.file_size + 1)
            except (zipfile.BadZipFile, OSError, EOFError) as e:
                raise ValueError(f"load_model: member {name!r} of {filepath!r} cannot be "
                                 f"read (damaged file?): {e}") from None
            if len(data) != info.file_size:
                raise ValueError(f"load_model: member {name!r} of {filepath!r} holds "
                                 f"{len(data)} bytes, not the {info.file_size} it declares.")
            out[name] = data
    return out


def _json(data: bytes, name: str, filepath: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ValueError(f"load_model: {name!r} in {filepath!r} is not valid JSON: {e}") \
            from None


def _compile(model: Any, config: dict, custom_objects: dict | None) -> None:
    revive = lambda v: deserialize_keras_object(v, custom_objects)  # noqa: E731
    optimizer = revive(config.get("optimizer")) or "rmsprop"
    loss = config.get("loss")
    loss = {k: revive(v) for k, v in loss.items()} if isinstance(loss, dict) and \
        "class_name" not in loss else (
        [revive(v) for v in loss] if isinstance(loss, list) else revive(loss))
    metrics = [revive(m) for m in config.get("metrics") or []] or None
    weighted = [revive(m) for m in config.get("weighted_metrics") or []] or None
    model.compile(optimizer=optimizer, loss=loss, loss_weights=config.get("loss_weights"),
                  metrics=metrics, weighted_metrics=weighted)


def _restore(model: Any, weights: bytes, filepath: str, with_optimizer: bool) -> None:
    h5py = _h5.h5py_module()
    label = f"{filepath} ({_WEIGHTS})"
    try:
        f = h5py.File(io.BytesIO(weights), "r")
    except OSError as e:
        raise ValueError(f"load_model: {label!r} is not a readable HDF5 file ({e}).") from None
    with f:
        values = _h5.read_layers(f, model, label)
        optimizer = getattr(model, "optimizer", None)
        if with_optimizer and optimizer is not None and "optimizer" in f:
            optimizer._build_for(list(model.trainable_variables))
            try:
                values += _h5.read_optimizer(f, optimizer, label)
            except ValueError as e:
                warnings.warn(f"load_model: the optimizer's state was not restored ({e}); "
                              f"training continues from a fresh optimizer.", stacklevel=3)
    for v, value in values:
        Variable.assign(v, value)


def load_model(filepath: str, custom_objects: dict | None = None, compile: bool = True,
               safe_mode: bool = True) -> Any:
    """The model saved in a ``.keras`` file (by tapegrad or by Keras 3), built, with its
    weights, compiled as it was saved (``compile=True``) with its optimizer's state.

    Custom layers and models must be registered with
    ``keras.saving.register_keras_serializable`` or passed in ``custom_objects``. Python
    code (a ``Lambda`` layer's function) is never loaded, whatever ``safe_mode`` says.
    """
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"load_model: no such file {filepath!r}.")
    if not filepath.endswith(".keras"):
        raise ValueError(f"load_model: {filepath!r} is not a '.keras' file; tapegrad reads "
                         f"Keras 3's '.keras' format (the legacy HDF5 and SavedModel formats "
                         f"are not supported; load weights with model.load_weights).")
    members = _read_members(filepath)
    config = _json(members[_CONFIG], _CONFIG, filepath)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"load_model: {_CONFIG!r} in {filepath!r} does not describe a model.")
    model = deserialize_keras_object(config, custom_objects)
    if not hasattr(model, "fit"):
        raise ValueError(f"load_model: {filepath!r} holds a {type(model).__name__}, not a "
                         f"model.")
    compile_config = config.get("compile_config") or {}
    if compile and compile_config:
        _compile(model, compile_config, custom_objects)
    _restore(model, members[_WEIGHTS], filepath, compile and bool(compile_config))
    return model
