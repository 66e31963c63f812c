"""The dtype table's cases: one expression per public op, evaluated on tensors of each dtype.

The same expressions run under TensorFlow (``tools/tf_dtype_table.py`` records the output dtypes
and shapes, or the error class, in ``tests/data/tf_dtype_table.json``) and under tapegrad
(``tests/test_dtype_table.py`` compares). This module imports NumPy only, so both can use it.
In an expression, ``tf`` is the library, ``D`` the dtype under test, ``x``/``y`` (2, 3) tensors,
``v`` a (3,) tensor, ``m`` a (3, 3) symmetric positive definite matrix,
``img`` a (1, 4, 4, 2) image,
``k`` a (2, 2, 2, 3) filter, ``dk`` a (2, 2, 2, 1) depthwise filter, ``b`` a (3,) bias, all of
dtype ``D``; ``ids``/``seg`` int32 indices and ``f32`` a float32 (2, 3) tensor.
"""

from __future__ import annotations

import numpy as np

DTYPES = ["int8", "int16", "int32", "int64", "uint8", "float16", "float32", "float64", "bool",
          "complex64", "complex128"]

_UNARY = ["abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "cos", "cosh", "erf",
          "erfc", "exp", "expm1", "floor", "is_finite", "is_inf", "is_nan", "log", "log1p",
          "log_sigmoid", "negative", "reciprocal", "round", "rsqrt", "sigmoid", "sign", "sin",
          "sinh", "softplus", "sqrt", "square", "tan", "tanh", "logical_not"]
_BINARY = ["add", "subtract", "multiply", "divide", "truediv", "floordiv", "floormod", "pow",
           "maximum", "minimum", "squared_difference", "xlogy", "xdivy", "divide_no_nan", "atan2",
           "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
           "logical_or", "logical_xor"]
_REDUCE = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
           "reduce_logsumexp", "reduce_std", "reduce_variance", "reduce_euclidean_norm",
           "reduce_all", "reduce_any", "argmax", "argmin", "count_nonzero"]
_SEGMENT = ["unsorted_segment_sum", "unsorted_segment_max", "unsorted_segment_min",
            "unsorted_segment_mean"]
_NN_UNARY = ["relu", "relu6", "elu", "selu", "leaky_relu", "gelu", "silu", "softsign", "softmax",
             "log_softmax", "l2_loss", "sigmoid", "tanh", "softplus", "swish"]

CASES: dict[str, str] = {}
CASES.update({f"math.{n}": f"tf.math.{n}(x)" for n in _UNARY})
CASES.update({f"math.{n}": f"tf.math.{n}(x, y)" for n in _BINARY})
CASES.update({f"math.{n}": f"tf.math.{n}(x, axis=1)" for n in _REDUCE})
CASES.update({f"math.{n}": f"tf.math.{n}(x, seg, 2)" for n in _SEGMENT})
CASES.update({f"nn.{n}": f"tf.nn.{n}(x)" for n in _NN_UNARY})
CASES.update({
    # Tensor's operators
    "op.add": "x + y", "op.sub": "x - y", "op.mul": "x * y", "op.truediv": "x / y",
    "op.floordiv": "x // y", "op.mod": "x % y", "op.pow": "x ** y", "op.neg": "-x",
    "op.abs": "abs(x)", "op.matmul": "x @ m", "op.getitem": "x[:, 1:]", "op.gt": "x > y",
    "op.scalar_mul": "x * 2", "op.scalar_radd": "1 + x",
    # cumulative, sorting, selection
    "math.cumsum": "tf.math.cumsum(x, axis=1)", "math.cumprod": "tf.math.cumprod(x, axis=1)",
    "math.cumsum_exclusive_reverse": "tf.math.cumsum(x, axis=1, exclusive=True, reverse=True)",
    "math.top_k": "tuple(tf.math.top_k(x, k=2))", "sort": "tf.sort(x)", "argsort": "tf.argsort(x)",
    "math.segment_sum": "tf.math.segment_sum(x, seg)",
    "math.segment_mean": "tf.math.segment_mean(x, seg)",
    "math.add_n": "tf.math.add_n([x, y])", "math.l2_normalize": "tf.math.l2_normalize(x, axis=1)",
    "math.clip_by_value": "tf.clip_by_value(x, y, y + y)",
    "math.clip_by_norm": "tf.clip_by_norm(x, 1.0)", "norm": "tf.norm(x)",
    "math.argmax_int32": "tf.math.argmax(x, axis=1, output_type=tf.int32)",
    "reduce_sum_all": "tf.reduce_sum(x)", "reduce_mean_keepdims": "tf.reduce_mean(x, 0, True)",
    # array
    "reshape": "tf.reshape(x, [3, 2])", "transpose": "tf.transpose(x)",
    "concat": "tf.concat([x, y], 0)", "stack": "tf.stack([x, y])",
    "unstack": "tuple(tf.unstack(x))", "split": "tuple(tf.split(x, 3, axis=1))",
    "tile": "tf.tile(x, [2, 1])", "pad": "tf.pad(x, [[1, 0], [0, 2]])",
    "pad_reflect": "tf.pad(x, [[1, 0], [0, 1]], mode='REFLECT')",
    "expand_dims": "tf.expand_dims(x, 0)", "squeeze": "tf.squeeze(tf.expand_dims(x, 0))",
    "reverse": "tf.reverse(x, [1])", "gather": "tf.gather(x, ids, axis=1)",
    "gather_nd": "tf.gather_nd(x, [[0, 1], [1, 2]])",
    "boolean_mask": "tf.boolean_mask(x, [True, False])",
    "where": "tf.where(x > y, x, y)" , "where_indices": "tf.where(x > y)",
    "broadcast_to": "tf.broadcast_to(v, [2, 3])", "slice": "tf.slice(x, [0, 1], [2, 2])",
    "zeros_like": "tf.zeros_like(x)", "ones_like": "tf.ones_like(x)",
    "zeros": "tf.zeros([2], dtype=D)", "ones": "tf.ones([2], dtype=D)",
    "eye": "tf.eye(2, dtype=D)", "fill": "tf.fill([2, 2], x[0, 0])",
    "one_hot": "tf.one_hot(ids, 3, dtype=D)", "cast_to": "tf.cast(f32, D)",
    "cast_from": "tf.cast(x, tf.float32)", "shape": "tf.shape(x)", "size": "tf.size(x)",
    "rank": "tf.rank(x)", "identity": "tf.identity(x)", "stop_gradient": "tf.stop_gradient(x)",
    "tensor_scatter_nd_update": "tf.tensor_scatter_nd_update(x, [[0, 0]], v[:1])",
    "einsum": "tf.einsum('ij,jk->ik', x, m)", "tensordot": "tf.tensordot(x, m, 1)",
    "matmul": "tf.matmul(x, m)", "meshgrid": "tuple(tf.meshgrid(v, v))",
    "range": "tf.range(3, dtype=D)", "constant": "tf.constant([1, 2], dtype=D)",
    # nn
    "nn.bias_add": "tf.nn.bias_add(x, b)", "nn.l2_normalize": "tf.nn.l2_normalize(x, axis=1)",
    "nn.moments": "tuple(tf.nn.moments(x, [0]))",
    "nn.conv2d": "tf.nn.conv2d(img, k, 1, 'SAME')",
    "nn.conv1d": "tf.nn.conv1d(img[0], k[0], 1, 'VALID')",
    "nn.depthwise_conv2d": "tf.nn.depthwise_conv2d(img, dk, [1, 1, 1, 1], 'VALID')",
    "nn.max_pool2d": "tf.nn.max_pool2d(img, 2, 2, 'VALID')",
    "nn.avg_pool2d": "tf.nn.avg_pool2d(img, 2, 2, 'VALID')",
    "nn.batch_normalization": "tf.nn.batch_normalization(x, b, b, b, b, 0.001)",
    "nn.sigmoid_cross_entropy_with_logits":
        "tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=y)",
    "nn.softmax_cross_entropy_with_logits":
        "tf.nn.softmax_cross_entropy_with_logits(labels=x, logits=y)",
    "nn.sparse_softmax_cross_entropy_with_logits":
        "tf.nn.sparse_softmax_cross_entropy_with_logits(labels=ids, logits=x)",
    "nn.embedding_lookup": "tf.nn.embedding_lookup(x, ids)",
    # linalg
    "linalg.det": "tf.linalg.det(m)", "linalg.inv": "tf.linalg.inv(m)",
    "linalg.cholesky": "tf.linalg.cholesky(m)", "linalg.qr": "tuple(tf.linalg.qr(m))",
    "linalg.svd": "tuple(tf.linalg.svd(m))", "linalg.eigh": "tuple(tf.linalg.eigh(m))",
    "linalg.eigvalsh": "tf.linalg.eigvalsh(m)", "linalg.slogdet": "tuple(tf.linalg.slogdet(m))",
    "linalg.logdet": "tf.linalg.logdet(m)", "linalg.solve": "tf.linalg.solve(m, m)",
    "linalg.triangular_solve": "tf.linalg.triangular_solve(m, m)",
    "linalg.trace": "tf.linalg.trace(m)", "linalg.diag": "tf.linalg.diag(v)",
    "linalg.diag_part": "tf.linalg.diag_part(m)",
    "linalg.band_part": "tf.linalg.band_part(m, 1, 0)",
    "linalg.matrix_transpose": "tf.linalg.matrix_transpose(x)",
    "linalg.adjoint": "tf.linalg.adjoint(x)", "linalg.matvec": "tf.linalg.matvec(m, v)",
    "linalg.global_norm": "tf.linalg.global_norm([x, y])",
    # random: the dtype rules only (values are seeded and compared elsewhere)
    "random.normal": "tf.random.normal([2], dtype=D, seed=1)",
    "random.uniform": "tf.random.uniform([2], dtype=D, seed=1)",
    "random.uniform_maxval": "tf.random.uniform([2], maxval=tf.cast(9, D), dtype=D, seed=1)",
    "random.truncated_normal": "tf.random.truncated_normal([2], dtype=D, seed=1)",
    "random.shuffle": "tf.random.shuffle(x, seed=1)",
})


def inputs(dtype: str) -> dict[str, np.ndarray]:
    """The NumPy values of the expressions' names for ``dtype`` (convert them to tensors)."""
    def cast(a):
        a = np.asarray(a, np.float64)
        if dtype == "bool":
            return (a % 2 == 1)
        if dtype.startswith("complex"):
            return (a + 0.5j).astype(dtype)
        return a.astype(dtype)

    return {
        "x": cast([[1, 2, 3], [4, 5, 6]]), "y": cast([[2, 1, 3], [1, 2, 2]]), "v": cast([1, 2, 3]),
        "m": cast([[4, 1, 0], [1, 3, 1], [0, 1, 2]]), "b": cast([1, 2, 3]),
        "img": cast(np.arange(32).reshape(1, 4, 4, 2) % 5 + 1),
        "k": cast(np.arange(24).reshape(2, 2, 2, 3) % 3 + 1),
        "dk": cast(np.arange(8).reshape(2, 2, 2, 1) % 3 + 1),
        "ids": np.array([0, 1], np.int32), "seg": np.array([0, 1], np.int32),
        "f32": np.array([[1, 2, 3], [4, 5, 6]], np.float32),
    }


def run(tf, expression: str, dtype: str):
    """Evaluate ``expression`` with library ``tf`` on ``dtype`` inputs: a tensor or a tuple."""
    env = {name: tf.constant(value) for name, value in inputs(dtype).items()}
    env.update(tf=tf, D=tf.as_dtype(dtype))
    return eval(expression, env)  # noqa: S307 - the expressions are this module's own table
