"""Record TF 2.21's values and gradients of the tf.nn convolution/pooling variants for
``tests/ops/test_conv_variants.py``. Run where TensorFlow is installed, from the repo root:

    python tools/record_tf_conv_variants.py tensorflow tests/data/tf_conv_variants.json

With ``tapegrad`` as the first argument it writes tapegrad's numbers in the same layout (the
test does that comparison itself). The first 50 values of each output and gradient are kept.
"""

from __future__ import annotations

import importlib
import json
import sys

import numpy as np


def cases(tf, rng):
    x5 = rng.standard_normal((2, 5, 6, 4, 3))
    w5 = rng.standard_normal((3, 2, 2, 3, 2))
    x4 = rng.standard_normal((2, 7, 6, 2))
    w4 = rng.standard_normal((3, 3, 2, 3))
    x3 = rng.standard_normal((2, 4, 2))
    w3 = rng.standard_normal((3, 5, 2))
    y5 = rng.standard_normal((2, 3, 6, 2, 2))
    nn = tf.nn
    return {
        "conv3d_same": (lambda x, w: nn.conv3d(x, w, [1, 2, 1, 2, 1], "SAME"), [x5, w5]),
        "conv3d_transpose": (lambda y, w: nn.conv3d_transpose(
            y, w, [2, 5, 6, 4, 3], [1, 2, 1, 2, 1], "SAME"), [y5, w5]),
        "conv1d_transpose": (lambda y, w: nn.conv1d_transpose(y, w, [2, 8, 5], 2, "SAME"),
                             [x3, w3]),
        "conv1d_transpose_valid": (lambda y, w: nn.conv1d_transpose(y, w, [2, 9, 5], 2,
                                                                    "VALID"), [x3, w3]),
        "atrous": (lambda x, w: nn.atrous_conv2d(x, w, 2, "SAME"), [x4, w4]),
        "atrous_t": (lambda y, w: nn.atrous_conv2d_transpose(y, w, [2, 7, 6, 3], 2, "SAME"),
                     [x4, np.transpose(w4, (0, 1, 3, 2)).copy()]),
        "max_pool3d": (lambda x: nn.max_pool3d(x, [2, 3, 2], [1, 2, 2], "SAME"), [x5]),
        "avg_pool3d": (lambda x: nn.avg_pool3d(x, [2, 3, 2], [2, 2, 1], "SAME"), [x5]),
        "avg_pool3d_valid": (lambda x: nn.avg_pool3d(x, 2, 2, "VALID"), [x5]),
        "pool_avg1d": (lambda x: nn.pool(x, [2], "AVG", [1], "SAME"), [x3]),
    }


def run(tf, f, arrays):
    """The output and the gradients of sum(y * sin(0, 1, 2, ...)), float32."""
    args = [tf.constant(np.asarray(a, np.float32)) for a in arrays]
    with tf.GradientTape() as tape:
        tape.watch(args)
        y = f(*args)
        weights = tf.sin(tf.reshape(tf.range(tf.size(y), dtype=tf.float32), tf.shape(y)))
        s = tf.reduce_sum(y * weights)
    grads = tape.gradient(s, args)
    return {"shape": list(y.shape), "values": [np.asarray(t).ravel()[:50].tolist()
                                               for t in [y] + list(grads)]}


def main() -> int:
    tf = importlib.import_module(sys.argv[1])
    out = {name: run(tf, f, arrays) for name, (f, arrays) in
           cases(tf, np.random.default_rng(0)).items()}
    with open(sys.argv[2], "w") as fh:
        json.dump(out, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
