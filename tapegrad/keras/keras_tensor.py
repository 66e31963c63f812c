"""Symbolic tensors of the functional API: ``KerasTensor`` (a shape that may hold ``None``, a
dtype, and the ``Node`` that made it) and the symbolic call of a layer.

A layer called on a KerasTensor computes nothing: it builds from the symbolic shape, works out
its output shape (its ``compute_output_shape`` when it has one; otherwise it runs once on zeros
of two different sizes for each unknown dimension and keeps unknown what changed), and returns
new KerasTensors that remember the call, so that ``Model(inputs, outputs)`` can replay it.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

import numpy as np

from ..engine import dtypes as _dt
from ..engine import nest
from ..engine.convert import convert_to_tensor

__all__ = ["KerasTensor", "Node", "is_keras_tensor", "symbolic_call"]

# the sizes an unknown dimension takes in the two probing runs: batch, then any other
_PROBE_SIZES = ((1, 2), (96, 128))


class Node:
    """One call of ``layer`` in a functional graph: the arguments as given (KerasTensors in
    them) and the KerasTensors it returned."""

    def __init__(self, layer: Any, args: tuple, kwargs: dict, outputs: Any):
        self.layer, self.args, self.kwargs, self.outputs = layer, args, kwargs, outputs

    @property
    def input_tensors(self) -> list[KerasTensor]:
        return [x for x in nest.flatten((self.args, self.kwargs)) if isinstance(x, KerasTensor)]

    @property
    def output_tensors(self) -> list[KerasTensor]:
        return nest.flatten(self.outputs)


class KerasTensor:
    """A symbolic tensor: what ``keras.Input`` returns and what layers return when called on
    one. ``shape`` is a tuple in which unknown dimensions are ``None``.

    >>> import tapegrad as tf
    >>> x = tf.keras.Input(shape=(None, 3), name="seq")
    >>> x.shape, x.dtype, x.name
    ((None, None, 3), 'float32', 'seq')
    """

    _is_keras_tensor = True

    def __init__(self, shape: Any, dtype: Any = "float32", name: str | None = None,
                 node: Node | None = None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = _dt.as_dtype(dtype).name
        self.name = name
        self._node = node

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __bool__(self) -> bool:
        raise TypeError(f"A symbolic KerasTensor ({self.name}) has no truth value: it holds no "
                        f"data until the model is called on real inputs.")

    def __array__(self, *args: Any, **kwargs: Any) -> np.ndarray:
        raise TypeError(f"A symbolic KerasTensor ({self.name}, shape {self.shape}) cannot be "
                        f"converted to a NumPy array: it holds no data. Apply layers to it "
                        f"(wrap a tf function in keras.layers.Lambda), and call the Model "
                        f"built from it on real inputs.")

    def _apply(self, fn: Callable, *args: Any) -> KerasTensor:
        return symbolic_call(_Operation(fn), args, {})

    def __add__(self, other: Any) -> KerasTensor:
        return self._apply(operator.add, self, other)

    def __radd__(self, other: Any) -> KerasTensor:
        return self._apply(operator.add, other, self)

    def __sub__(self, other: Any) -> KerasTensor:
        return self._apply(operator.sub, self, other)

    def __rsub__(self, other: Any) -> KerasTensor:
        return self._apply(operator.sub, other, self)

    def __mul__(self, other: Any) -> KerasTensor:
        return self._apply(operator.mul, self, other)

    def __rmul__(self, other: Any) -> KerasTensor:
        return self._apply(operator.mul, other, self)

    def __truediv__(self, other: Any) -> KerasTensor:
        return self._apply(operator.truediv, self, other)

    def __rtruediv__(self, other: Any) -> KerasTensor:
        return self._apply(operator.truediv, other, self)

    def __pow__(self, other: Any) -> KerasTensor:
        return self._apply(operator.pow, self, other)

    def __matmul__(self, other: Any) -> KerasTensor:
        return self._apply(operator.matmul, self, other)

    def __neg__(self) -> KerasTensor:
        return self._apply(operator.neg, self)

    def __getitem__(self, key: Any) -> KerasTensor:
        return self._apply(operator.getitem, self, key)


class _Operation:
    """A Python operator (``x + y``, ``x[:, 0]``) applied to KerasTensors: a node of the
    graph that owns no weights and is not listed among the model's layers."""

    built = True
    trainable = True
    _counts: dict[str, int] = {}

    def __init__(self, fn: Callable):
        self.fn = fn
        n = _Operation._counts.get(fn.__name__, 0)
        _Operation._counts[fn.__name__] = n + 1
        self.name = fn.__name__ if n == 0 else f"{fn.__name__}_{n}"

    def _has_output_shape_rule(self) -> bool:
        return False

    def call(self, *args: Any) -> Any:
        return self.fn(*args)

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)


def is_keras_tensor(x: Any) -> bool:
    """Whether ``x`` is a symbolic tensor of the functional API."""
    return getattr(x, "_is_keras_tensor", False) is True


def _probe_value(kt: KerasTensor, which: int) -> np.ndarray:
    shape = tuple(_PROBE_SIZES[0 if i == 0 else 1][which] if d is None else d
                  for i, d in enumerate(kt.shape))
    return np.zeros(shape, _dt.np_dtype(kt.dtype))


def _probe_arguments(structure: Any, which: int) -> Any:
    return nest.map_structure(
        lambda x: convert_to_tensor(_probe_value(x, which)) if is_keras_tensor(x) else x,
        structure)


def _probe(layer: Any, args: tuple, kwargs: dict) -> Any:
    """The output structure of ``layer`` as KerasTensors without a node, from two real runs
    on zeros: a dimension that differs between them is unknown."""
    runs = []
    for which in (0, 1):
        a, k = _probe_arguments((args, kwargs), which)
        runs.append(layer(*a, **k))
    first, second = (nest.flatten(r) for r in runs)
    specs = [KerasTensor([p if p == q else None for p, q in zip(x.shape, y.shape)],
                         x.dtype.name) for x, y in zip(first, second)]
    return nest.pack_sequence_as(runs[0], specs)


def _from_shapes(layer: Any, shapes: Any, dtype: str) -> Any:
    if isinstance(shapes, (tuple, list)) and all(d is None or isinstance(d, (int, np.integer))
                                                 for d in shapes):
        return KerasTensor(shapes, dtype)
    if isinstance(shapes, dict):
        return {k: _from_shapes(layer, v, dtype) for k, v in shapes.items()}
    return type(shapes)(_from_shapes(layer, s, dtype) for s in shapes)


def _output_dtype(layer: Any, inputs: Any) -> str:
    first = nest.flatten(inputs)
    if first and is_keras_tensor(first[0]) and _dt.np_dtype(first[0].dtype).kind != "f":
        return getattr(layer, "_int_output_dtype", None) or layer.compute_dtype
    return layer.compute_dtype


def symbolic_call(layer: Any, args: tuple, kwargs: dict) -> Any:
    """``layer(*args, **kwargs)`` on KerasTensors: build, infer the outputs, record a Node."""
    inputs = args[0] if args else None
    shapes = nest.map_structure(lambda x: x.shape if is_keras_tensor(x) else x, inputs)
    if not layer.built:
        layer._build_on_call(shapes)
        layer.built = True
    if layer._has_output_shape_rule():
        outputs = _from_shapes(layer, layer.compute_output_shape(shapes),
                               _output_dtype(layer, inputs))
    else:
        outputs = _probe(layer, args, kwargs)
    node = Node(layer, args, kwargs, outputs)
    for i, kt in enumerate(nest.flatten(outputs)):
        kt._node = node
        kt.name = layer.name if i == 0 else f"{layer.name}_{i}"
    layer.__dict__.setdefault("_inbound_nodes", []).append(node)
    return outputs
