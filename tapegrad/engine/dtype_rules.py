"""TF's dtype rule for an op's operands, in one place: tensors never promote each other;
Python numbers adapt to the tensors' dtype (NumPy's weak scalars) and default to float32/int32.
"""

from __future__ import annotations

import numpy as np

from . import dtypes as _dt
from .backend import ArrayTypes
from .tensor import Tensor, convert_raw
from .variable import Variable

__all__ = ["same_dtype_vals", "dtype_error"]

_FLOAT_KINDS = "fc"


def dtype_error(prim, vals: list) -> TypeError:
    desc = ", ".join(f"{_dt.from_numpy(v.dtype).name}{list(np.shape(v))}"
                     if isinstance(v, ArrayTypes) else repr(v) for v in vals)
    dts = [v.dtype for v in vals if isinstance(v, ArrayTypes)]
    return TypeError(f"{prim.name}: operands have different dtypes ({desc}). tapegrad, like "
                     f"TensorFlow, does not promote dtypes: cast one side first, e.g. "
                     f"tf.cast(y, tf.{_dt.from_numpy(dts[0]).name}).")


def same_dtype_vals(prim, args: tuple) -> list:
    """TF's rule for elementwise ops: tensor operands share one dtype; Python numbers and lists
    adapt to it (NumPy's weak scalars), defaulting to float32/int32 when nothing else decides."""
    if len(args) == 2:  # the common binary cases, without building lists (the chain's hot path)
        x, y = args
        tx, ty = type(x), type(y)
        if tx is Tensor:
            xv = x._value
            if ty is Tensor:
                yv = y._value
                if xv.dtype == yv.dtype:
                    return (xv, yv)
            elif ty is int or (ty is float and xv.dtype.kind in _FLOAT_KINDS):
                return (xv, y)
        elif ty is Tensor and (tx is int or (tx is float and y._value.dtype.kind in _FLOAT_KINDS)):
            return (x, y._value)
    vals = []
    dtype = None
    weak = False
    for a in args:
        if isinstance(a, Tensor) or isinstance(a, Variable):
            v = a._value
        elif isinstance(a, ArrayTypes):
            v = a
        else:
            vals.append(a)
            weak = True
            continue
        if dtype is None:
            dtype = v.dtype
        elif v.dtype != dtype:
            raise dtype_error(prim, [x._value if isinstance(x, (Tensor, Variable)) else x
                                      for x in args])
        vals.append(v)
    if weak:
        for i, v in enumerate(vals):
            if isinstance(v, ArrayTypes):
                continue
            tv = type(v)
            if dtype is not None and (tv is int or tv is bool or
                                      (tv is float and dtype.kind in "fc")):
                continue  # a weak Python scalar: NumPy keeps the tensor's dtype
            if tv is float and dtype is not None:
                raise TypeError(f"{prim.name}: cannot combine the Python float {v!r} with a "
                                f"{_dt.from_numpy(dtype).name} tensor; cast the tensor to a "
                                f"float dtype first.")
            vals[i] = convert_raw(v, dtype)
    return vals
