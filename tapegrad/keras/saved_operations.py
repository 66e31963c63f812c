"""What a functional graph holds besides layers, in Keras 3's ``config.json`` form: Python
operators applied to symbolic tensors (``x + y``, ``2.0 * x``, ``x[:, 1:3]`` — Keras writes
them as ``keras.src.ops.numpy`` operations such as ``Add``), the constants they take
(``__slice__``, ``__ellipsis__``, ``__tensor__``), and the function of a ``Lambda`` layer.

A Lambda's function is written as Keras writes it: a named function by its name, an anonymous
``lambda`` as Keras's ``__lambda__`` record (its marshalled code, for Keras to read). Reading
never runs code from a file: a named function is found in ``custom_objects`` or the registry,
and an anonymous one must be handed in through ``custom_objects`` under the Lambda layer's
name.
"""

from __future__ import annotations

import base64
import marshal
import operator
from typing import Any, Callable

import numpy as np

from ..engine import dtypes as _dt
from ..engine.convert import constant
from ..engine.tensor import _Base
from ..engine.variable import Variable
from .keras_tensor import _Operation

__all__ = ["operation_entry", "is_operation_entry", "operation_from", "constant_entry",
           "constant_from", "anonymous_function_entry", "lambda_function_from"]

_OPS_MODULE = "keras.src.ops.numpy"
# Keras 3's operation class for each Python operator a KerasTensor supports
_CLASS_OF = {operator.add: "Add", operator.sub: "Subtract", operator.mul: "Multiply",
             operator.truediv: "TrueDivide", operator.pow: "Power", operator.matmul: "Matmul",
             operator.neg: "Negative", operator.getitem: "GetItem"}
_OPERATOR_OF = {name: fn for fn, name in _CLASS_OF.items()}


def operation_entry(op: _Operation) -> dict:
    """The layer-list entry Keras 3 writes for a Python operator's node (without its
    ``inbound_nodes``)."""
    name = _CLASS_OF.get(op.fn)
    if name is None:
        raise ValueError(f"Cannot save the operation '{op.name}' ({op.fn!r}) of a functional "
                         f"model: only {sorted(_OPERATOR_OF)} are known to Keras's format.")
    return {"module": _OPS_MODULE, "class_name": name, "config": {"name": op.name},
            "registered_name": name}


def is_operation_entry(config: dict) -> bool:
    """Whether a serialized object is one of Keras 3's operations (``keras.src.ops...``)."""
    return str(config.get("module") or "").startswith("keras.src.ops")


def operation_from(config: dict) -> _Operation:
    """The operator an operation entry names, carrying the entry's name.

    >>> from tapegrad.keras.saved_operations import operation_from
    >>> op = operation_from({"module": "keras.src.ops.numpy", "class_name": "Add",
    ...                      "config": {"name": "add_7"}})
    >>> op.name, op.fn(2, 3)
    ('add_7', 5)
    """
    fn = _OPERATOR_OF.get(config["class_name"])
    if fn is None:
        raise ValueError(f"load_model: the operation {config['class_name']!r} "
                         f"({config.get('module')}) is not supported by tapegrad; known: "
                         f"{sorted(_OPERATOR_OF)}.")
    op = _Operation(fn)
    op.name = (config.get("config") or {}).get("name", op.name)
    return op


def constant_entry(value: Any) -> Any:
    """Keras 3's JSON form of a constant argument of a node: slices, ``...`` and arrays get
    their tagged records; ``None`` for anything else (the caller serializes it).

    >>> from tapegrad.keras.saved_operations import constant_entry
    >>> constant_entry(slice(1, 3))
    {'class_name': '__slice__', 'config': {'start': 1, 'stop': 3, 'step': None}}
    """
    if isinstance(value, slice):
        return {"class_name": "__slice__",
                "config": {"start": value.start, "stop": value.stop, "step": value.step}}
    if value is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(value, (np.ndarray, _Base, Variable)):
        array = np.asarray(value._value if isinstance(value, (_Base, Variable)) else value)
        return {"class_name": "__tensor__",
                "config": {"value": array.tolist(), "dtype": _dt.from_numpy(array.dtype).name}}
    return None


def constant_from(value: Any) -> Any:
    """A tagged constant record back to its value (anything else unchanged)."""
    if not (isinstance(value, dict) and "class_name" in value):
        return value
    config = value.get("config") or {}
    if value["class_name"] == "__slice__":
        return slice(config.get("start"), config.get("stop"), config.get("step"))
    if value["class_name"] == "__ellipsis__":
        return Ellipsis
    if value["class_name"] == "__tensor__":
        return constant(np.asarray(config["value"], _dt.np_dtype(config.get("dtype",
                                                                          "float32"))))
    return value


def anonymous_function_entry(fn: Callable) -> dict:
    """Keras 3's ``__lambda__`` record of an anonymous function (``python_utils.func_dump``:
    its marshalled code in base64, defaults and closure values), which Keras reads back with
    ``safe_mode=False``; tapegrad itself never reads the code."""
    code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
    closure = None if not fn.__closure__ else [c.cell_contents for c in fn.__closure__]
    return {"class_name": "__lambda__",
            "config": {"code": code, "defaults": fn.__defaults__, "closure": closure}}


def lambda_function_from(function: Any, layer_name: str, custom_objects: dict | None,
                         find_function: Callable) -> Callable:
    """The function of a saved ``Lambda`` layer: by name (``find_function``), or, for an
    anonymous one, ``custom_objects[layer_name]`` — never the code stored in the file."""
    if isinstance(function, dict) and function.get("class_name") == "__lambda__":
        given = (custom_objects or {}).get(layer_name)
        if callable(given):
            return given
        raise ValueError(f"load_model: the Lambda layer '{layer_name}' holds an anonymous "
                         f"function, stored as Python code, which tapegrad never runs from a "
                         f"file. Pass the function in custom_objects under the layer's name: "
                         f"load_model(path, custom_objects={{{layer_name!r}: fn}}), or give "
                         f"it a name (def) and register it with "
                         f"@keras.saving.register_keras_serializable().")
    if isinstance(function, dict) and function.get("class_name") == "function":
        return find_function(function)
    if isinstance(function, str):
        return find_function({"config": function})
    raise ValueError(f"load_model: the Lambda layer '{layer_name}' has no readable function "
                     f"({function!r}).")
