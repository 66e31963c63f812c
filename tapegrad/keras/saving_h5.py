"""Keras 3's ``.weights.h5`` layout, so weights move between Keras and tapegrad both ways.

Keras 3 stores each layer's own variables as datasets ``<path>/vars/0``, ``1``, … in creation
order, where ``<path>`` follows the model's attributes: a ``Sequential`` lists ``layers``
first; then every attribute in sorted order that holds a layer (by attribute name) or a
list/dict of layers (the list's name, then each item's snake-case class name, ``dense``,
``dense_1``, … numbered within the list). A layer reached twice is stored at the first path.
The ``vars`` group carries the layer's name as an attribute. Reading checks every group,
count and shape before any value is read or assigned. Needs ``h5py`` (``tapegrad[h5]``).
"""

from __future__ import annotations

import os
from typing import Any, Iterator

import numpy as np

from ..engine.atomic import publish, temp_path
from ..engine.variable import Variable
from .base_layer import Layer
from ..module import _snake

__all__ = ["save_weights_h5", "load_weights_h5", "keras_layout", "write_layers", "read_layers",
           "write_optimizer", "read_optimizer"]


def h5py_module() -> Any:
    try:
        import h5py  # reason: optional extra, only for .weights.h5 files
    except ImportError:
        raise ImportError('Reading or writing .weights.h5 files needs h5py: '
                          'pip install "tapegrad[h5]" (or save to .npz).') from None
    return h5py


def _own_variables(layer: Layer) -> list[Variable]:
    inner = {id(v) for _, sub in _children(layer) for item in _layers_in(sub)
             for v in item.variables}
    return [v for v in layer.variables if id(v) not in inner]


def _layers_in(value: Any) -> list[Layer]:
    if isinstance(value, Layer):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, Layer)]
    return []


# a model's own bookkeeping of its layers, which Keras saves under `layers` only
_INTERNAL = {"_layers", "_functional_layers", "_input_layer"}


def _children(layer: Layer) -> Iterator[tuple[str, Any]]:
    """``(attribute, value)`` pairs that hold layers, in Keras's saving order."""
    attrs = {k: v for k, v in vars(layer).items()
             if not k.startswith("__") and k not in _INTERNAL and _layers_in(v)}
    is_model = hasattr(layer, "fit")
    if is_model and isinstance(vars(layer).get("_layers"), list):
        yield "layers", layer.layers  # Sequential lists its layers first
    elif is_model:
        attrs["layers"] = layer.layers  # a subclassed Model's `layers`, in sorted place
    for name in sorted(attrs):
        yield name, attrs[name]


def keras_layout(model: Layer) -> list[tuple[str, Layer, list[Variable]]]:
    """``(path, layer, own variables)`` for every layer, in the order Keras 3 saves them.

    >>> import tapegrad as tf
    >>> model = tf.keras.Sequential([tf.keras.layers.Dense(2), tf.keras.layers.Dense(1)])
    >>> _ = model(tf.ones((1, 3)))
    >>> [(path, len(vs)) for path, _, vs in keras_layout(model)]
    [('', 0), ('layers/dense', 2), ('layers/dense_1', 2)]
    """
    out: list = []
    seen: set[int] = set()

    def visit(layer: Layer, path: str) -> None:
        if id(layer) in seen:
            return
        seen.add(id(layer))
        out.append((path, layer, _own_variables(layer)))
        for attr, value in _children(layer):
            here = f"{path}/{attr}" if path else attr
            if isinstance(value, Layer):
                visit(value, here)
                continue
            used: dict[str, int] = {}
            for item in _layers_in(value):
                name = _snake(type(item).__name__)
                used[name] = used.get(name, -1) + 1
                visit(item, f"{here}/{name}" + (f"_{used[name]}" if used[name] else ""))

    visit(model, "")
    return out


def save_weights_h5(model: Layer, filepath: str) -> None:
    """Write ``model``'s variables to ``filepath`` in Keras 3's layout, atomically
    (``model.save_weights("m.weights.h5")`` calls it).

    >>> import os, tempfile, tapegrad as tf
    >>> model = tf.keras.Sequential([tf.keras.layers.Dense(2)]); _ = model(tf.ones((1, 3)))
    >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.h5")
    >>> model.save_weights(path)
    >>> import h5py; sorted(h5py.File(path)["layers/dense/vars"])
    ['0', '1']
    """
    if not isinstance(model, Layer):
        raise TypeError(f"save_weights: a .weights.h5 file stores a Layer or Model's "
                        f"variables by layer path; got {type(model).__name__}. Save a list of "
                        f"variables to .npz instead.")
    h5py = h5py_module()
    tmp = temp_path(filepath)
    try:
        with h5py.File(tmp, "w") as f:
            write_layers(f, model)
        publish(tmp, filepath)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def write_layers(f: Any, model: Layer) -> None:
    """Write ``model``'s variables into the open HDF5 file ``f``, one group a layer."""
    for path, layer, variables in keras_layout(model):
        _write_group(f, f"{path}/vars" if path else "vars", layer.name, variables)


def write_optimizer(f: Any, optimizer: Any) -> None:
    """Keras 3's ``optimizer/vars``: the iteration count, the learning rate, the slots."""
    _write_group(f, "optimizer/vars", optimizer.name, optimizer.variables)
    inner = getattr(optimizer, "inner_optimizer", None)
    if inner is not None:  # a LossScaleOptimizer: Keras also stores the inner one on its own
        _write_group(f, "optimizer/inner_optimizer/vars", inner.name, inner.variables)


def _write_group(f: Any, key: str, name: str, variables: list) -> None:
    group = f.require_group(key)
    group.attrs["name"] = name
    for i, v in enumerate(variables):
        group.create_dataset(str(i), data=np.asarray(v._value))


def read_layers(f: Any, model: Layer, label: str) -> list[tuple[Variable, np.ndarray]]:
    """Every ``(variable, value)`` of ``model`` from the open file ``f``, all checked first."""
    groups = [(_check(f, label, path, vs), vs) for path, _, vs in keras_layout(model)]
    return [(v, np.asarray(g[str(i)][()], dtype=v._value.dtype))
            for g, vs in groups if g is not None for i, v in enumerate(vs)]


def read_optimizer(f: Any, optimizer: Any, label: str) -> list[tuple[Variable, np.ndarray]]:
    """The optimizer's ``(variable, value)`` pairs from ``optimizer/vars`` (checked first)."""
    group = _check(f, label, "optimizer", optimizer.variables)
    return [(v, np.asarray(group[str(i)][()], dtype=v._value.dtype))
            for i, v in enumerate(optimizer.variables)]


def _check(f: Any, filepath: str, path: str, variables: list) -> Any:
    key = f"{path}/vars" if path else "vars"
    if key not in f:
        if not variables:
            return None
        raise ValueError(f"load_weights: {filepath!r} has no group '{key}' for a layer with "
                         f"{len(variables)} variables; the file was written for another "
                         f"model structure.")
    group = f[key]
    if len(group) != len(variables):
        raise ValueError(f"load_weights: layer '{path}' expects {len(variables)} variables "
                         f"but {filepath!r} holds {len(group)} in '{key}'.")
    for i, v in enumerate(variables):
        ds = group.get(str(i))
        if ds is None or not hasattr(ds, "shape"):
            raise ValueError(f"load_weights: {filepath!r} lacks dataset '{key}/{i}'.")
        if tuple(ds.shape) != tuple(v.shape):
            raise ValueError(f"load_weights: variable '{v.name}' has shape {tuple(v.shape)} "
                             f"but '{key}/{i}' in {filepath!r} has shape {tuple(ds.shape)}.")
        # the shape is the model's own; numbers of <= 16 bytes each bound what a read allocates
        if ds.dtype.kind not in "biufc" or ds.dtype.itemsize > 16:
            raise ValueError(f"load_weights: '{key}/{i}' in {filepath!r} holds {ds.dtype} "
                             f"values, not numbers; nothing was read.")
    return group


def load_weights_h5(model: Layer, filepath: str) -> None:
    """Assign the values of a Keras 3 ``.weights.h5`` file; every group, count and shape is
    checked (from the file's metadata, before reading any array) before anything is
    assigned (``model.load_weights("m.weights.h5")`` calls it).

    >>> import os, tempfile, tapegrad as tf
    >>> model = tf.keras.Sequential([tf.keras.layers.Dense(2)]); _ = model(tf.ones((1, 3)))
    >>> path = os.path.join(tempfile.mkdtemp(), "m.weights.h5")
    >>> model.save_weights(path)
    >>> twin = tf.keras.Sequential([tf.keras.layers.Dense(2)]); _ = twin(tf.ones((1, 3)))
    >>> twin.load_weights(path)
    >>> bool((twin.get_weights()[0] == model.get_weights()[0]).all())
    True
    """
    h5py = h5py_module()
    if not any(vs for _, _, vs in keras_layout(model)):
        raise ValueError(f"load_weights: the model has no variables yet; build it (call it "
                         f"once) before loading {filepath!r}.")
    try:
        f = h5py.File(filepath, "r")
    except OSError as e:
        raise ValueError(f"load_weights: {filepath!r} is not a readable HDF5 file ({e}).") \
            from None
    with f:
        values = read_layers(f, model, filepath)
    for v, value in values:
        v.assign(value)
