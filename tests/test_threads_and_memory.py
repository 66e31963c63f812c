"""Built in from the first line: no recursion, records freed after use, thread-local tapes."""

import gc
import threading
import time
import weakref

import numpy as np

import tapegrad as tf


def test_a_200000_op_chain_differentiates_without_recursion():
    x = tf.Variable(1.0)
    n = 200_000
    with tf.GradientTape() as tape:
        y = x
        for _ in range(n):
            y = y * 1.0000001
    g = tape.gradient(y, x)
    np.testing.assert_allclose(float(g), np.float32(1.0000001) ** n, rtol=1e-3)


def test_a_long_chain_of_mixed_ops_has_the_closed_form_gradient():
    x = tf.constant(np.array([0.5, -0.25]))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x
        for _ in range(20_000):
            y = y * 1.0001 + 0.0001
        total = tf.reduce_sum(y)
    # y_n = a^n x + c  =>  dy/dx = a^n
    np.testing.assert_allclose(tape.gradient(total, x).numpy(),
                               [1.0001 ** 20_000] * 2, rtol=1e-9)


def test_non_persistent_tape_frees_intermediates_after_gradient():
    x = tf.constant(np.ones(1000))
    with tf.GradientTape() as tape:
        tape.watch(x)
        h = tf.exp(x)                    # an intermediate tensor ...
        h_ref, arr_ref = weakref.ref(h), weakref.ref(h._value)  # ... and its array
        y = tf.reduce_sum(h * h)
        del h
    gc.collect()
    assert h_ref() is not None            # the tape still holds it for the reverse pass
    g = tape.gradient(y, x)
    gc.collect()
    assert h_ref() is None and arr_ref() is None
    assert tape._records == [] and not tape._tracked
    np.testing.assert_allclose(g.numpy(), 2 * np.exp(2.0) * np.ones(1000))


def test_persistent_tape_keeps_intermediates_until_deleted():
    x = tf.constant(np.ones(10))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        h = tf.exp(x)
        ref = weakref.ref(h)
        y = tf.reduce_sum(h)
        del h
    tape.gradient(y, x)
    gc.collect()
    assert ref() is not None
    del tape
    gc.collect()
    assert ref() is None


def test_unwatched_work_is_not_recorded():
    x, c = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        for _ in range(100):
            c = c * 1.01          # never touches a watched value
        y = x * c
    assert len(tape._records) == 1
    np.testing.assert_allclose(float(tape.gradient(y, x)), 2.0 * 1.01 ** 100, rtol=1e-5)


def _train(worker: int, steps: int, results: dict, barrier: threading.Barrier) -> None:
    w = tf.Variable(np.full(3, float(worker)))
    x = tf.constant(np.arange(1.0, 4.0) * (worker + 1))
    barrier.wait()  # all threads record at the same time
    grads = []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum((w * x - 1.0) ** 2)
            time.sleep(0)   # let the other threads interleave inside the tape
        g = tape.gradient(loss, w)
        grads.append(g.numpy())
        w.assign_sub(0.001 * g)
    results[worker] = (grads, w.numpy())


def test_eight_threads_each_get_exactly_their_own_gradients():
    n, steps = 8, 50
    results: dict = {}
    barrier = threading.Barrier(n)
    threads = [threading.Thread(target=_train, args=(i, steps, results, barrier))
               for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == list(range(n))
    for worker, (grads, w_final) in results.items():
        # replay the same training in NumPy alone
        w = np.full(3, float(worker))
        x = np.arange(1.0, 4.0) * (worker + 1)
        for g in grads:
            want = 2 * (w * x - 1.0) * x
            np.testing.assert_allclose(g, want, rtol=1e-12)
            w = w - 0.001 * want
        np.testing.assert_allclose(w_final, w, rtol=1e-12)


def test_a_tape_in_one_thread_does_not_record_another_threads_ops():
    x = tf.constant(2.0)
    seen = {}
    with tf.GradientTape() as tape:
        tape.watch(x)

        def other():
            seen["y"] = x * x   # same watched tensor, but this thread has no tape
        t = threading.Thread(target=other)
        t.start()
        t.join()
        z = x * 3.0
    assert len(tape._records) == 1
    assert tape.gradient([seen["y"], z], x).numpy() == 3.0
