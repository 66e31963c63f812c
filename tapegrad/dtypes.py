"""``tf.dtypes``: TensorFlow's dtype objects (defined in :mod:`tapegrad.engine.dtypes`)."""

from .engine.dtypes import (DType, as_dtype, bool_, complex64, complex128, double, float16,
                            float32, float64, half, int8, int16, int32, int64, string, uint8,
                            uint16, uint32, uint64)
from .ops.math import cast  # noqa: F401

bool = bool_  # noqa: A001  (TF's name)
