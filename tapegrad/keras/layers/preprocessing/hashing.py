"""``Hashing``: values to one of ``num_bins`` bins by FarmHash (or SipHash with a salt)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ....engine import dtypes as _dt
from ....engine.convert import convert_to_tensor
from ....engine.tensor import Tensor
from ....ops import math as _m
from ....ops.strings import as_string, to_hash_bucket_fast, to_hash_bucket_strong
from ...base_layer import Layer
from .index_lookup import _bincount, _salt

__all__ = ["Hashing"]


class Hashing(Layer):
    """Hashes strings (or integers and floats, through their decimal text) into ``num_bins``
    bins with TF's ``to_hash_bucket_fast``, or ``to_hash_bucket_strong`` when a ``salt`` is
    given; with ``mask_value`` that value goes to bin 0 and the rest to bins ``1..num_bins-1``.

    >>> import tapegrad as tf
    >>> layer = tf.keras.layers.Hashing(num_bins=3)
    >>> layer(tf.constant([["A"], ["B"], ["C"], ["D"], ["E"]])).numpy().ravel().tolist()
    [1, 0, 1, 1, 2]
    """

    def __init__(self, num_bins: int, mask_value: Any = None, salt: Any = None,
                 output_mode: str = "int", sparse: bool = False, **kwargs: Any):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(f"Hashing: num_bins cannot be None or non-positive, got "
                             f"num_bins={num_bins}.")
        if output_mode not in ("int", "one_hot", "multi_hot", "count"):
            raise ValueError(f"Hashing: output_mode must be one of 'int', 'one_hot', "
                             f"'multi_hot', 'count', got {output_mode!r}.")
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(f"Hashing: when output_mode='int', dtype should be 'int32' or "
                             f"'int64', got {self.dtype!r}.")
        if sparse:
            raise NotImplementedError("Hashing: sparse=True is not supported.")
        self.num_bins, self.mask_value, self.output_mode = int(num_bins), mask_value, output_mode
        self.sparse, self.salt = sparse, _salt(salt, "Hashing")
        self.strong_hash = self.salt is not None
        self._int_output_dtype = self.dtype

    def _cast_input(self, x: Any) -> Any:
        return x if isinstance(x, Tensor) else convert_to_tensor(x)

    def _bins(self, values: Tensor) -> np.ndarray:
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            want = self.mask_value.encode("utf-8") if isinstance(self.mask_value, str) \
                else self.mask_value
            mask = np.asarray(values._value) == want
        if values.dtype.is_floating:
            values = _m.cast(values, _dt.int64)
        if values.dtype != _dt.string:
            values = as_string(values)
        if self.strong_hash:
            out = np.asarray(to_hash_bucket_strong(values, bins, self.salt)._value)
        else:
            out = np.asarray(to_hash_bucket_fast(values, bins)._value)
        return out if mask is None else np.where(mask, 0, out + 1)

    def call(self, inputs: Any) -> Any:
        ids = self._bins(inputs)
        if self.output_mode == "int":
            return Tensor(ids.astype(_dt.np_dtype(self.dtype)))
        if ids.ndim == 0:
            ids = ids.reshape(1)
        out = _bincount(ids, self.num_bins, self.output_mode)
        return Tensor(out.astype(_dt.np_dtype(self.dtype)))

    def compute_output_shape(self, input_shape: Any) -> tuple:
        s = tuple(input_shape)
        if self.output_mode == "int":
            return s
        return (self.num_bins,) if not s else s[:-1] + (self.num_bins,)

    def get_config(self) -> dict:
        return dict(super().get_config(), num_bins=self.num_bins, salt=self.salt,
                    mask_value=self.mask_value, output_mode=self.output_mode,
                    sparse=self.sparse)
