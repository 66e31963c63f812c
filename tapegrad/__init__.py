"""tapegrad: TensorFlow's GradientTape programming model on NumPy alone.

>>> import tapegrad as tf
>>> x = tf.Variable(4.0)
>>> with tf.GradientTape() as tape:
...     y = x ** 2
>>> tape.gradient(y, x)
<tapegrad.Tensor: shape=(), dtype=float32, numpy=8.0>
"""

from __future__ import annotations

__version__ = "0.1.0"

from .engine.dtypes import (DType, as_dtype, bool_ as bool, complex64, complex128,  # noqa: A004
                            double, float16, float32, float64, half, int8, int16, int32, int64,
                            uint8)
from .engine.convert import constant, convert_to_tensor
from .engine.indexed_slices import IndexedSlices
from .engine.shape import TensorShape
from .engine.state import name_scope
from .engine.tensor import Tensor
from .engine.variable import Variable
from .engine import nest
from .engine.tape import GradientTape, UnconnectedGradients
from .custom import custom_gradient, recompute_grad, stop_gradient
from .ops.math import (abs, add, cast, divide, equal, exp, floordiv, greater, greater_equal,  # noqa: A004
                       identity, less, less_equal, logical_and, logical_not, logical_or,
                       multiply, negative, not_equal, pow, sigmoid, sign, sqrt, square,
                       subtract, tanh, truediv)
from .ops.math import add_n, maximum, minimum
from .ops.special import (acos, acosh, asin, asinh, atan, atan2, atanh, cos, cosh, floor,  # noqa: A004
                          round, sin, sinh, tan)
from .ops.reduce import (reduce_all, reduce_any, reduce_logsumexp, reduce_max, reduce_mean,
                         reduce_min, reduce_prod, reduce_sum)
from .ops.scan import argmax, argmin, cumsum
from .ops.control_flow import (case, cond, foldl, foldr, map_fn, scan, switch_case,  # control flow
                                while_loop)
from .ops.norms import clip_by_global_norm, clip_by_norm, clip_by_value, norm
from .ops.creation import (eye, fill, linspace, ones, ones_like, range, rank, shape, size,  # noqa: A004
                           zeros, zeros_like)
from .ops.array import (broadcast_to, concat, expand_dims, meshgrid, pad, reshape, reverse,  # noqa: A004
                        slice, split, squeeze, stack, tile, transpose, unstack)
from .ops.indexing import (argsort, boolean_mask, gather, gather_nd, one_hot, sort,
                           tensor_scatter_nd_update, where)
from .ops.einsum import einsum, tensordot
from .ops.linalg import matmul
from . import dtypes, errors, testing
from . import data, datasets  # noqa: E402  (tf.data and the bundled data sets)
from .data.specs import RaggedTensorSpec, SparseTensorSpec  # noqa: E402  (element_spec types)
from .function import Function, TensorSpec, function  # noqa: E402  (tapegrad.function)
from . import math, nn, linalg, random, autodiff, debugging, keras  # noqa: E402  (faces)
from . import tape_picture  # noqa: E402  (installs GradientTape.to_dot / render)
from .module import Module  # noqa: E402
from .ops.names import (broadcast_static_shape, get_static_value, identity_n,  # noqa: E402
                        is_tensor, newaxis, no_op, shape_n)
from .function import executing_eagerly  # noqa: E402
from .ops.scatter import (tensor_scatter_nd_add, tensor_scatter_nd_max,  # noqa: E402
                          tensor_scatter_nd_min, tensor_scatter_nd_sub)
from . import summary  # noqa: E402  (tf.summary)
from .tensor_array import TensorArray  # noqa: E402  (tf.TensorArray)
from . import config, version, compat, autograph, saved_model  # noqa: E402  (the environment)
from . import train, io, audio  # noqa: E402  (tf.train: checkpoints; tf.io, tf.audio: files)
from .runtime import device, get_logger  # noqa: E402
from .engine.dtypes import uint16, uint32, uint64  # noqa: E402
from .printing import print_ as print  # noqa: E402,A004  (tf.print)
from .assertions import (Assert, assert_equal, assert_greater, assert_less,  # noqa: E402
                         assert_rank)
from . import image  # noqa: E402  (tf.image)
from . import distribute  # noqa: E402  (tf.distribute)
from . import experimental  # noqa: E402  (tf.experimental.numpy)
from .ops.math_more import scalar_mul  # noqa: E402  (tf.scalar_mul)
# -- tf.signal, complex numbers -------------------------------------------------------------------
from . import signal  # noqa: E402  (tf.signal)
from .ops.complex import complex  # noqa: E402,A004
# -- tf.sparse, counting and searching ---------------------------------------------------------
from . import sparse  # noqa: E402  (tf.sparse)
from .ops.sparse import SparseTensor  # noqa: E402
from .ops.counting import (histogram_fixed_width, searchsorted, unique,  # noqa: E402
                           unique_with_counts)
from .pyfunc import (ensure_shape, grad_pass_through, numpy_function,  # noqa: E402
                     py_function, vectorized_map)
from .engine.dtypes import string  # noqa: E402  (tf.string: bytes objects)
from . import ragged, strings  # noqa: E402  (tf.ragged, tf.strings)
from .ops.ragged import RaggedTensor  # noqa: E402
from .ops.array_more import (repeat, roll, scatter_nd,  # noqa: E402  (core array names)
                             sequence_mask)
