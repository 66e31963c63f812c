"""``fit``'s ``validation_data``, checked before the first epoch: Keras 3 finds a bad one only
when it evaluates it, after an epoch of training; here its form, its example counts and its
shapes against the model's ``Input`` layers are refused up front, with a message that says
which part is wrong.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .data_adapter import EpochIterator, _is_arrays, unpack_x_y_sample_weight

__all__ = ["check_validation_data", "check_input_shapes"]

_WHO = "Model.fit (validation_data)"


def check_validation_data(model: Any, data: Any, batch_size: int | None) -> tuple:
    """``validation_data`` as ``(x, y, sample_weight)`` (``y`` and ``sample_weight`` None for a
    Dataset or a generator), after checking it.

    >>> import numpy as np
    >>> import tapegrad as tf
    >>> from tapegrad.keras.validation_data import check_validation_data
    >>> model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    >>> vx, vy, vsw = check_validation_data(model, (np.ones((4, 3)), np.ones((4, 1))), None)
    >>> vx.shape, vsw is None
    ((4, 3), True)
    >>> check_validation_data(model, (np.ones((4, 5)), np.ones((4, 1))), None)
    Traceback (most recent call last):
    ...
    ValueError: Model.fit (validation_data): x of shape (4, 5) does not fit ... (axis 1 has
    size 5, the model expects 3).
    """
    if isinstance(data, (str, bytes)):
        raise ValueError(f"{_WHO}: unrecognized data type {type(data).__name__} ({data!r:.40}); "
                         f"pass (x_val, y_val), (x_val, y_val, val_sample_weight), a Dataset "
                         f"or a generator.")
    if not isinstance(data, (tuple, list)):
        if not hasattr(data, "__iter__"):
            raise ValueError(f"{_WHO}: unrecognized data type {type(data).__name__}; pass "
                             f"(x_val, y_val), (x_val, y_val, val_sample_weight), a Dataset or "
                             f"a generator.")
        return data, None, None  # a Dataset or a generator: its batches are checked as used
    if len(data) not in (2, 3):
        raise ValueError(f"{_WHO}: expected (x_val, y_val) or (x_val, y_val, "
                         f"val_sample_weight), got a {type(data).__name__} of {len(data)} "
                         f"items.")
    x, y, sw = unpack_x_y_sample_weight(data)
    if y is None:
        raise ValueError(f"{_WHO}: y_val is None; validation needs targets.")
    if not _is_arrays(x):
        raise ValueError(f"{_WHO}: x_val must be an array, a tensor or a list/dict of them, "
                         f"got {type(x).__name__}.")
    EpochIterator(x, y, sw, batch_size, who=_WHO)  # the types, the ranks and the counts
    check_input_shapes(model, x, _WHO)
    return x, y, sw


def check_input_shapes(model: Any, x: Any, who: str) -> None:
    """Refuse arrays that cannot feed the model's ``Input`` layers: a rank Keras 3 cannot
    adjust (it squeezes or adds one trailing axis of size 1) or a size other than a fixed one
    (``None`` accepts any). Models without ``Input`` layers are not checked."""
    inputs = list(getattr(model, "inputs", None) or [])
    for value, spec in _pairs(x, inputs):
        shape, want = tuple(np.shape(value)), tuple(spec.shape)
        if len(shape) == len(want) + 1 and shape[-1] == 1:
            shape = shape[:-1]
        elif len(shape) + 1 == len(want) and want[-1] == 1:
            shape = shape + (1,)
        name = getattr(spec, "name", "?")
        if len(shape) != len(want):
            raise ValueError(f"{who}: x of shape {tuple(np.shape(value))} does not fit the "
                             f"model's input '{name}' of shape {want} (rank {len(np.shape(value))}"
                             f", the model expects rank {len(want)}).")
        for axis, (got, expected) in enumerate(zip(shape[1:], want[1:]), start=1):
            if expected is not None and got != expected:
                raise ValueError(f"{who}: x of shape {tuple(np.shape(value))} does not fit "
                                 f"the model's input '{name}' of shape {want} (axis {axis} has "
                                 f"size {got}, the model expects {expected}).")


def _pairs(x: Any, inputs: list) -> list:
    """Each array of ``x`` with the Input it feeds (by name for a dict, by position for a
    list), when the structure says so; otherwise none."""
    if not inputs:
        return []
    if isinstance(x, dict):
        return [(x[t.name], t) for t in inputs if getattr(t, "name", None) in x]
    if isinstance(x, (list, tuple)):
        return list(zip(x, inputs)) if len(x) == len(inputs) else []
    return [(x, inputs[0])] if len(inputs) == 1 else []
