"""Elements/s of a ``map`` whose function does NumPy work on big arrays (which releases the GIL),
serial against ``num_parallel_calls=2, 4, AUTOTUNE``; then a map that waits 5 ms per element
(I/O: reading a file, a network call), which gains from threads even without idle cores.

Run ``python bench/data_map_parallel.py`` for tapegrad and ``python bench/data_map_parallel.py
--tf`` with an interpreter that has TensorFlow, in the same session, to compare.
"""

import os
import sys
import time
from typing import Any, Callable

import numpy as np


def main() -> None:
    use_tf = "--tf" in sys.argv
    if use_tf:
        import tensorflow as tf  # reason: the comparison run only
    else:
        import tapegrad as tf
    x = np.random.default_rng(0).normal(size=(8, 500_000)).astype(np.float32)

    def heavy(row):  # elementwise kernels on 500k floats: NumPy runs them without the GIL
        return tf.reduce_sum(tf.exp(tf.sin(row)) * tf.cos(row) + tf.sqrt(tf.abs(row)))

    def wait(row):  # stands for I/O; TF needs py_function to run Python code like this
        time.sleep(0.005)
        return row

    base = tf.data.Dataset.from_tensor_slices(x).repeat(8)  # 64 elements
    name = "TF " + tf.__version__ if use_tf else "tapegrad"
    print(f"{name}, {os.cpu_count()} cores")
    _measure(tf, base, heavy, "NumPy kernels")
    if not use_tf:
        _measure(tf, base, wait, "5 ms wait")


def _measure(tf: Any, base: Any, fn: Callable, what: str) -> None:
    print(f" {what}:")
    for calls in (None, 2, 4, tf.data.AUTOTUNE):
        ds = base.map(fn, num_parallel_calls=calls)
        for _ in ds.take(4):  # warm up
            pass
        t0 = time.perf_counter()
        n = sum(1 for _ in ds)
        rate = n / (time.perf_counter() - t0)
        label = "AUTOTUNE" if calls == tf.data.AUTOTUNE else str(calls)
        print(f"  num_parallel_calls={label:>8}: {rate:8.1f} elements/s")


if __name__ == "__main__":
    main()
