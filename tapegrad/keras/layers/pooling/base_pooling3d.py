"""The base class of the 3-D pooling layers: 2-D pooling over height and width on each depth
slice, then a reduction over depth windows (both max and mean split that way, since the
window — and its part inside the input — is a box)."""

from __future__ import annotations

from typing import Any

from ....ops import array as _a
from ....ops import conv as _conv
from ....ops import reduce as _r
from .base_pooling import _Pool


class _Pool3D(_Pool):
    rank = 3
    reduce_max = True

    def call(self, inputs: Any) -> Any:
        out_d = self.compute_output_shape(tuple(inputs.shape))[1]
        b, d, h, w, c = inputs.shape
        pool = _conv.max_pool2d if self.reduce_max else _conv.avg_pool2d
        y = pool(_a.reshape(inputs, (b * d, h, w, c)), ksize=self.pool_size[1:],
                 strides=self.strides[1:], padding=self.padding)
        y = _a.reshape(y, (b, d) + tuple(y.shape[1:]))
        k, s = self.pool_size[0], self.strides[0]
        before = max((out_d - 1) * s + k - d, 0) // 2 if self.padding == "SAME" else 0
        reduce = _r.reduce_max if self.reduce_max else _r.reduce_mean
        slices = [reduce(y[:, max(j * s - before, 0):min(j * s - before + k, d)], axis=1)
                  for j in range(out_d)]
        return _a.stack(slices, axis=1)
