"""tf.distribute strategies: run here as one replica, and by CI under ``mpiexec -n 2`` (every
rank runs every test in the same order, as the collectives require). Expected values are
written in terms of the world's size, so both runs check real numbers."""

import io
import contextlib

import numpy as np
import pytest

import tapegrad as tf

STRATEGY = tf.distribute.MultiWorkerMirroredStrategy() if tf.distribute.mpi_installed() \
    else tf.distribute.MirroredStrategy()
N = STRATEGY.num_replicas_in_sync
RANK = tf.distribute.world().rank


def test_replicas_and_contexts():
    assert N == tf.distribute.world().size >= 1
    assert not tf.distribute.has_strategy()
    assert tf.distribute.get_replica_context().num_replicas_in_sync == 1  # the default's
    with STRATEGY.scope():
        assert tf.distribute.get_strategy() is STRATEGY
        assert tf.distribute.in_cross_replica_context()
        assert tf.distribute.get_replica_context() is None

        def step():
            ctx = tf.distribute.get_replica_context()
            return ctx.replica_id_in_sync_group, ctx.num_replicas_in_sync

        assert STRATEGY.run(step) == (RANK, N)
    assert tf.distribute.get_strategy().num_replicas_in_sync == 1


def test_reduce_sum_mean_and_axis():
    value = tf.constant([1.0, 2.0]) * (RANK + 1)  # rank r holds (r+1) * [1, 2]
    ranks = sum(range(1, N + 1))
    np.testing.assert_allclose(STRATEGY.reduce("SUM", value, axis=None), [ranks, 2 * ranks])
    np.testing.assert_allclose(STRATEGY.reduce(tf.distribute.ReduceOp.MEAN, value, axis=None),
                               [ranks / N, 2 * ranks / N])
    np.testing.assert_allclose(float(STRATEGY.reduce("SUM", value, axis=0)), 3 * ranks)
    # MEAN over an axis counts every replica's elements: 3 * ranks / (2 N)
    np.testing.assert_allclose(float(STRATEGY.reduce("MEAN", value, axis=0)), 3 * ranks / (2 * N))
    got = STRATEGY.run(lambda: tf.distribute.get_replica_context().all_reduce(
        "SUM", {"a": tf.constant(1.0)}))
    assert float(got["a"]) == N
    gathered = STRATEGY.gather(tf.constant([[float(RANK)]]), axis=0)
    assert gathered.numpy().ravel().tolist() == list(range(N))
    with pytest.raises(ValueError, match="ReduceOp"):
        STRATEGY.reduce("MAX", value, axis=None)


def test_variables_in_scope_start_from_rank_0():
    local = np.random.default_rng(100 + RANK).normal(size=(3, 2))  # differs per rank
    with STRATEGY.scope():
        v = tf.Variable(local)
    rank0 = np.random.default_rng(100).normal(size=(3, 2))
    np.testing.assert_array_equal(v.numpy(), rank0)
    outside = tf.Variable(local)  # no scope: each rank keeps its own value
    np.testing.assert_array_equal(outside.numpy(), local)


@pytest.mark.skipif(N == 1, reason="a mismatch needs two replicas")
def test_mismatched_structure_is_named():
    with STRATEGY.scope():
        with pytest.raises(ValueError, match="created a variable unlike rank 0's"):
            tf.Variable(np.zeros((2, 2 + RANK), np.float32))


def test_distributed_dataset_parts_make_the_global_batch():
    x = np.arange(24, dtype=np.float32).reshape(12, 2)
    ds = tf.data.Dataset.from_tensor_slices((x, np.arange(12))).batch(5)  # 5, 5, 2 rows
    parts = [STRATEGY.gather(xb, axis=0).numpy() for xb, _ in
             STRATEGY.experimental_distribute_dataset(ds)] if N == 1 else None
    local = list(STRATEGY.experimental_distribute_dataset(ds))
    sizes = [int(STRATEGY.reduce("SUM", tf.constant(float(xb.shape[0])), axis=None))
             for xb, _ in local]
    assert sizes == [5, 5, 2]
    if parts is not None:
        np.testing.assert_array_equal(np.concatenate(parts), x)

    def dataset_fn(ctx):
        assert (ctx.num_input_pipelines, ctx.input_pipeline_id) == (N, RANK)
        per = ctx.get_per_replica_batch_size(4 * N)
        return tf.data.Dataset.range(8 * N).shard(ctx.num_input_pipelines,
                                                  ctx.input_pipeline_id).batch(per)

    batches = list(STRATEGY.distribute_datasets_from_function(dataset_fn))
    assert [b.numpy().tolist() for b in batches][0] == [RANK + N * i for i in range(4)]


@pytest.mark.skipif(N == 1, reason="needs ranks that disagree")
def test_unseeded_shuffle_is_refused():
    ds = tf.data.Dataset.from_tensor_slices(np.arange(1000.0)).shuffle(1000).batch(10)
    with pytest.raises(ValueError, match="different first batches"):
        list(STRATEGY.experimental_distribute_dataset(ds))
    with STRATEGY.scope():
        model = _model()
        model.compile("sgd", "mse")
    x, y = _data(40)
    xs = x + np.float32(RANK)  # each rank's "global batch" differs, as an unseeded shuffle's
    with pytest.raises(ValueError, match="different first batches"):
        model.fit(xs, y, batch_size=8, epochs=1, verbose=0, shuffle=False)


def _data(n):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(n, 4)).astype(np.float32)
    y = (x @ rng.normal(size=(4, 1)) + 0.1).astype(np.float32)
    return x, y


def _init_weights():
    rng = np.random.default_rng(11)
    return [rng.normal(size=(4, 8)).astype(np.float32) * 0.5, np.zeros(8, np.float32),
            rng.normal(size=(8, 1)).astype(np.float32) * 0.5, np.zeros(1, np.float32)]


def _model():
    model = tf.keras.Sequential([tf.keras.layers.Dense(8, activation="tanh", input_shape=(4,)),
                                 tf.keras.layers.Dense(1)])
    model.set_weights(_init_weights())
    return model


def test_custom_loop_equals_one_process_with_the_global_batch():
    per_replica, steps = 4, 5
    global_batch = per_replica * N
    x, y = _data(global_batch * steps)
    with STRATEGY.scope():
        model = _model()
        opt = tf.keras.optimizers.SGD(0.1)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(global_batch)
    loss_fn = tf.keras.losses.MeanSquaredError(reduction="none")

    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            per_example = loss_fn(yb, model(xb, training=True))
            loss = tf.nn.compute_average_loss(per_example, global_batch_size=global_batch)
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    losses = [float(STRATEGY.reduce("SUM", STRATEGY.run(train_step, args=batch), axis=None))
              for batch in STRATEGY.experimental_distribute_dataset(ds)]
    # the same steps in one process, on the whole global batches
    ref, ref_opt = _model(), tf.keras.optimizers.SGD(0.1)
    ref_losses = []
    for i in range(steps):
        rows = slice(i * global_batch, (i + 1) * global_batch)
        xb, yb = x[rows], y[rows]
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(ref(xb) - yb))
        ref_opt.apply_gradients(zip(tape.gradient(loss, ref.trainable_variables),
                                    ref.trainable_variables))
        ref_losses.append(float(loss))
    np.testing.assert_allclose(losses, ref_losses, rtol=2e-5)
    for a, b in zip(model.get_weights(), ref.get_weights()):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)


def test_fit_equals_one_process_with_the_global_batch():
    x, y = _data(16 * N)
    with STRATEGY.scope():
        model = _model()
        model.compile(tf.keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        hist = model.fit(x, y, batch_size=4 * N, epochs=2, shuffle=True, verbose=2)
    assert (out.getvalue() != "") == (RANK == 0)  # only rank 0 prints
    ref = _model()
    ref.compile(tf.keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
    ref_hist = ref.fit(x, y, batch_size=4 * N, epochs=2, shuffle=False, verbose=0)
    # shuffled order differs from the reference's, so compare the unshuffled run too
    with STRATEGY.scope():
        m2 = _model()
        m2.compile(tf.keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
    hist2 = m2.fit(x, y, batch_size=4 * N, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(hist2.history["loss"], ref_hist.history["loss"], rtol=2e-5)
    np.testing.assert_allclose(hist2.history["mae"], ref_hist.history["mae"], rtol=2e-5)
    for a, b in zip(m2.get_weights(), ref.get_weights()):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)
    # shuffled: every replica still holds the same weights after training
    for w in model.get_weights():
        spread = STRATEGY.reduce("MEAN", tf.constant(w), axis=None).numpy() - w
        np.testing.assert_allclose(spread, 0.0, atol=1e-6)
    assert len(hist.history["loss"]) == 2
    ev = m2.evaluate(x, y, batch_size=4 * N, verbose=0, return_dict=True)
    ref_ev = ref.evaluate(x, y, batch_size=4 * N, verbose=0, return_dict=True)
    np.testing.assert_allclose(ev["loss"], ref_ev["loss"], rtol=2e-5)


def test_compute_average_loss_counts_every_replica():
    with STRATEGY.scope():
        got = STRATEGY.run(lambda: tf.nn.compute_average_loss(tf.constant([2.0, 4.0])))
        reg = tf.nn.scale_regularization_loss(tf.constant([3.0]))
    np.testing.assert_allclose(float(got), 6.0 / (2 * N))
    np.testing.assert_allclose(float(reg), 3.0 / N)


def test_fit_on_a_dataset_equals_one_process():
    x, y = _data(16 * N)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64, seed=3).batch(4 * N)
    with STRATEGY.scope():
        model = _model()
        model.compile(tf.keras.optimizers.SGD(0.05), "mse")
    hist = model.fit(ds, epochs=2, verbose=0)
    ref = _model()
    ref.compile(tf.keras.optimizers.SGD(0.05), "mse")
    ref_hist = ref.fit(tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64, seed=3)
                       .batch(4 * N), epochs=2, verbose=0)
    np.testing.assert_allclose(hist.history["loss"], ref_hist.history["loss"], rtol=2e-5)
    for a, b in zip(model.get_weights(), ref.get_weights()):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)


def test_predict_shards_each_batch_and_returns_every_row():
    x, _ = _data(7)  # batches of 3, 3, 1: uneven parts, and on 2 ranks one part is empty
    with STRATEGY.scope():
        model = _model()
    ref = _model()
    ref.set_weights(model.get_weights())
    got = model.predict(x, batch_size=3, verbose=0)
    assert got.shape[0] == 7
    np.testing.assert_allclose(got, ref.predict(x, batch_size=3, verbose=0), rtol=1e-6)
    inp = tf.keras.Input((x.shape[1],))
    with STRATEGY.scope():
        two = tf.keras.Model(inp, [tf.keras.layers.Dense(2)(inp), tf.keras.layers.Dense(1)(inp)])
    a, b = two.predict(x, batch_size=2, verbose=0)
    ra, rb = two(tf.constant(x))
    np.testing.assert_allclose(a, ra.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b, rb.numpy(), rtol=1e-5, atol=1e-6)


def test_fused_all_reduce_sums_per_dtype_into_read_only_views():
    grads = [np.full((3, 2), RANK + 1.0, np.float32), np.arange(4.0), np.ones(5, np.float32)]
    total = sum(r + 1.0 for r in range(N))
    out = STRATEGY._all_reduce_sum(grads)
    np.testing.assert_allclose(out[0], np.full((3, 2), total))
    np.testing.assert_allclose(out[1], np.arange(4.0) * N)
    np.testing.assert_allclose(out[2], np.full(5, float(N)))
    assert [o.dtype for o in out] == [np.float32, np.float64, np.float32]
    if N > 1:  # the sums are views of the strategy's buffer: writing them would be a bug
        assert not out[0].flags.writeable
        with pytest.raises(ValueError):
            out[0][0, 0] = 1.0
    smaller = STRATEGY._all_reduce_sum([np.ones(2, np.float32)])  # reuses a larger buffer
    np.testing.assert_allclose(smaller[0], [N, N])
