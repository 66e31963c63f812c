"""Record tf.sparse and counting-op outputs for tests/data/tf_sparse.json.

Run with a Python that has TensorFlow 2.21 installed (never a tapegrad dependency):
``python tools/record_sparse.py``. Each case is a call spelled as text, run here with
TensorFlow and in the test with tapegrad.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

SETUP = """
A = tf.sparse.SparseTensor([[0, 0], [1, 2], [2, 1], [2, 3]], [1.0, 2.0, -3.0, 4.0], [3, 4])
B = tf.sparse.SparseTensor([[0, 0], [1, 1], [2, 3]], [0.5, 1.0, -4.0], [3, 4])
C = tf.sparse.SparseTensor([[1, 0], [0, 1]], [7.0, 8.0], [2, 4])
D = tf.constant([[1.0, 2.0], [3.0, -1.0], [0.5, 0.25], [2.0, 1.0]])
"""

CASES = [
    "tf.sparse.to_dense(A)", "tf.sparse.to_dense(A, default_value=9.0)",
    "tf.sparse.to_dense(tf.sparse.add(A, B))",
    "tf.sparse.add(A, B).indices", "tf.sparse.add(A, B, threshold=0.75).indices",
    "tf.sparse.add(A, tf.ones([3, 4]))", "tf.sparse.sparse_dense_matmul(A, D)",
    "tf.sparse.sparse_dense_matmul(A, tf.transpose(D), adjoint_b=True)",
    "tf.sparse.sparse_dense_matmul(A, tf.ones([3, 2]), adjoint_a=True)",
    "tf.sparse.reduce_sum(A)", "tf.sparse.reduce_sum(A, axis=0)",
    "tf.sparse.reduce_sum(A, axis=1, keepdims=True)",
    "tf.sparse.to_dense(tf.sparse.concat(0, [A, C]))",
    "tf.sparse.to_dense(tf.sparse.concat(1, [A, B]))",
    "tf.sparse.reorder(tf.sparse.SparseTensor([[2, 1], [0, 3], [1, 0]], [1, 2, 3], [3, 4])).indices",  # noqa: E501
    "tf.sparse.reorder(tf.sparse.SparseTensor([[2, 1], [0, 3], [1, 0]], [1, 2, 3], [3, 4])).values",
    "tf.sparse.reshape(A, [2, -1]).indices", "tf.sparse.reshape(A, [2, -1]).dense_shape",
    "tf.sparse.to_dense(tf.sparse.slice(A, [1, 1], [5, 2]))",
    "tf.sparse.slice(A, [1, 1], [5, 2]).dense_shape",
    "tf.sparse.retain(A, [True, False, True, False]).values",
    "tf.sparse.softmax(A).values", "tf.sparse.to_dense(tf.sparse.transpose(A))",
    "tf.sparse.from_dense([[0.0, 2.0], [3.0, 0.0]]).indices",
    "tf.sparse.to_dense(A * tf.constant([1.0, 2.0, 3.0, 4.0]))",
    "tf.math.bincount([1, 1, 3, 0])", "tf.math.bincount([1, 2], minlength=5)",
    "tf.math.bincount([1, 2, 5], maxlength=3)",
    "tf.math.bincount([1, 1, 2], weights=[0.5, 1.0, 2.0])",
    "tf.math.bincount([[1, 2], [2, 2]], axis=-1)",
    "tf.math.bincount([1, 1, 3], binary_output=True)",
    "tf.unique([4, 1, 4, 2, 1]).y", "tf.unique([4, 1, 4, 2, 1]).idx",
    "tf.unique_with_counts([4, 1, 4, 2, 1]).count",
    "tf.unique([4.5, 1.0, 4.5], out_idx=tf.int64).idx",
    "tf.searchsorted([[1, 3, 5], [2, 4, 6]], [[3, 6], [1, 7]])",
    "tf.searchsorted([1.0, 3.0, 5.0], [3.0, 0.0, 9.0], side='right')",
    "tf.histogram_fixed_width([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0], [0.0, 5.0], nbins=5)",
    "tf.histogram_fixed_width(tf.range(20.0), [0.0, 10.0], nbins=3)",
    "tf.math.segment_max([1.0, 5.0, 2.0, 4.0], [0, 0, 2, 2])",
    "tf.math.segment_min([[1.0, 5.0], [2.0, 4.0]], [1, 1])",
    "tf.math.unsorted_segment_sqrt_n([1.0, 3.0, 2.0, 4.0], [0, 2, 0, 0], 3)",
]


def main() -> None:
    env = {"tf": tf}
    exec(SETUP, env)  # noqa: S102 - the fixed text above
    out = {"setup": SETUP, "cases": []}
    for case in CASES:
        v = np.asarray(eval(case, env))  # noqa: S307 - the fixed texts above
        out["cases"].append({"call": case, "value": v.tolist(), "dtype": v.dtype.name})
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "tf_sparse.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
