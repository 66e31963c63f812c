"""Elements/s of ``from_tensor_slices((x, y)).shuffle(10_000).batch(128).prefetch(AUTOTUNE)``.

Run ``python bench/data_pipeline.py`` for tapegrad and ``python bench/data_pipeline.py --tf`` with
an interpreter that has TensorFlow, in the same session, to compare (the digits data, 30 epochs).
"""

import sys
import time

import numpy as np

from tapegrad.datasets import digits


def main() -> None:
    use_tf = "--tf" in sys.argv
    if use_tf:
        import tensorflow as tf  # reason: the comparison run only
    else:
        import tapegrad as tf
    (x, y), _ = digits.load_data(test_split=0.0)
    x = (x / 16.0).astype(np.float32).reshape(-1, 64)
    ds = (tf.data.Dataset.from_tensor_slices((x, y.astype(np.int32))).shuffle(10_000)
          .batch(128).prefetch(tf.data.AUTOTUNE))
    for _ in ds:  # warm up
        pass
    epochs, t0 = 30, time.perf_counter()
    for _ in range(epochs):
        for _batch in ds:
            pass
    seconds = time.perf_counter() - t0
    name = "TF " + tf.__version__ if use_tf else "tapegrad"
    print(f"{name}: {epochs * len(x) / seconds:,.0f} elements/s ({len(x)} digits, {epochs} epochs)")


if __name__ == "__main__":
    main()
