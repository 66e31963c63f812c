"""The rest of tf.data's surface: cardinality as TF 2.21 reports it, sampling and choosing
between datasets, take_while/unique/counter/random, rejection_resample, options, iterators and
the tf.data.experimental functions."""

import numpy as np
import pytest

import tapegrad as tf

D = tf.data.Dataset

# recorded with TF 2.21: int(ds.cardinality()) for each pipeline below
TF_CARDINALITY = {
    "filter": -2, "filter_inf": -2, "map": 10, "batch": 4, "batch_drop": 3, "repeat0": 0,
    "repeat_inf": -1, "take_inf": 5, "skip_inf": -1, "take_neg": 10, "skip_big": 0,
    "flat_map": -2, "interleave": -2, "zip": 10, "zip_inf": -1, "concat": -1, "shard": 3,
    "window": 4, "enum": 10, "unbatch": -2, "rebatch": -2, "cache": 10, "prefetch": 10,
    "shuffle": 10, "scan": 10, "padded": 3, "ignore": -2, "take_while": -2, "unique": -2,
    "gen": -2, "sample": -2, "choose": -2, "counter": -1, "group": -2, "range_neg": 0,
    "shard_inf": -1, "map_inf": -1, "batch_inf": -1, "window_inf": -1, "rebatch_inf": -2,
}


def _pipelines():
    r = D.range(10)
    return {
        "filter": r.filter(lambda x: x > 2), "filter_inf": r.repeat().filter(lambda x: x > 2),
        "map": r.map(lambda x: x), "batch": r.batch(3), "batch_drop": r.batch(3, True),
        "repeat0": r.repeat(0), "repeat_inf": r.repeat(), "take_inf": r.repeat().take(5),
        "skip_inf": r.repeat().skip(3), "take_neg": r.take(-1), "skip_big": r.skip(20),
        "flat_map": r.flat_map(lambda x: D.from_tensors(x)),
        "interleave": r.interleave(lambda x: D.from_tensors(x)),
        "zip": D.zip((r, r.repeat())), "zip_inf": D.zip((r.repeat(), r.repeat())),
        "concat": r.concatenate(r.repeat()), "shard": r.shard(3, 1), "window": r.window(3),
        "enum": r.enumerate(), "unbatch": r.batch(2).unbatch(), "rebatch": r.batch(2).rebatch(3),
        "cache": r.cache(), "prefetch": r.prefetch(1), "shuffle": r.shuffle(3),
        "scan": r.scan(0, lambda s, x: (s, x)), "padded": r.padded_batch(4),
        "ignore": r.ignore_errors(), "take_while": r.take_while(lambda x: x < 3),
        "unique": r.unique(), "gen": D.from_generator(lambda: iter([1]), output_types=tf.int32),
        "sample": D.sample_from_datasets([r, r]), "choose": D.choose_from_datasets([r], D.range(1)),
        "counter": D.counter(), "range_neg": D.range(5, 1),
        "group": r.group_by_window(lambda x: x % 2, lambda k, w: w.batch(2), 2),
        "shard_inf": r.repeat().shard(2, 0), "map_inf": r.repeat().map(lambda x: x),
        "batch_inf": r.repeat().batch(2), "window_inf": r.repeat().window(2),
        "rebatch_inf": r.batch(2).repeat().rebatch(3),
    }


def test_cardinality_matches_tf():
    got = {k: int(ds.cardinality()) for k, ds in _pipelines().items()}
    assert got == TF_CARDINALITY
    assert len(D.range(10).shard(3, 1)) == len(list(D.range(10).shard(3, 1))) == 3
    for drop in (False, True):
        w = D.range(10).window(4, shift=3, stride=2, drop_remainder=drop)
        assert len(w) == len(list(w))


def test_choose_and_sample_from_datasets():
    # TF's documented example
    datasets = [D.from_tensors(1).repeat(), D.from_tensors(2).repeat(), D.from_tensors(3).repeat()]
    out = D.choose_from_datasets(datasets, D.range(3).repeat(3))
    assert [int(v) for v in out] == [1, 2, 3] * 3
    short = D.choose_from_datasets([D.range(2), D.range(10, 12)], D.range(2).repeat(3),
                                   stop_on_empty_dataset=False)
    assert [int(v) for v in short] == [0, 10, 1, 11]
    with pytest.raises(TypeError, match="scalar tf.int64"):
        D.choose_from_datasets(datasets, D.from_tensor_slices([0, 1]))
    mixed = [int(v) for v in D.sample_from_datasets([D.range(50), D.range(100, 150)], seed=3)]
    assert sorted(mixed) == list(range(50)) + list(range(100, 150))   # all, each once
    assert [v for v in mixed if v < 100] == list(range(50))            # in each input's order
    assert mixed == [int(v) for v in D.sample_from_datasets([D.range(50), D.range(100, 150)],
                                                            seed=3)]
    only = D.sample_from_datasets([D.range(3), D.range(10, 13)], weights=[1.0, 0.0], seed=0)
    assert [int(v) for v in only] == [0, 1, 2]
    stop = D.sample_from_datasets([D.range(1), D.range(10, 100)], seed=0,
                                  stop_on_empty_dataset=True)
    assert len(list(stop)) < 91
    with pytest.raises(tf.errors.InvalidArgumentError, match="weights"):
        D.sample_from_datasets([D.range(3)], weights=[-1.0])


def test_take_while_unique_counter_random():
    assert [int(v) for v in D.range(10).take_while(lambda x: x < 4)] == [0, 1, 2, 3]
    # TF's documented example
    assert [int(v) for v in D.from_tensor_slices([1, 37, 2, 37, 2, 1]).unique()] == [1, 37, 2]
    assert list(D.from_tensor_slices(["a", "b", "a"]).unique().as_numpy_iterator()) == [b"a",
                                                                                     b"b"]
    with pytest.raises(TypeError, match="scalars"):
        list(D.from_tensors([1, 2]).unique())
    assert [int(v) for v in D.counter(start=2, step=5).take(3)] == [2, 7, 12]
    assert D.counter(dtype=tf.int32).element_spec.dtype == tf.int32
    a = [int(v) for v in D.random(seed=42).take(4)]
    assert a == [int(v) for v in D.random(seed=42).take(4)] and len(set(a)) == 4


def test_rejection_resample_reaches_the_target_distribution():
    labels = np.random.default_rng(0).permutation(np.array([0] * 900 + [1] * 100, np.int32))
    ds = D.from_tensor_slices(labels).repeat(3)
    for initial in ([0.9, 0.1], None):
        out = ds.rejection_resample(lambda y: y, target_dist=[0.5, 0.5], initial_dist=initial,
                                    seed=1)
        classes = np.array([int(c) for c, _ in out])
        assert 0.4 < classes.mean() < 0.6 and len(classes) > 400
    pair = next(iter(D.from_tensor_slices([0, 0, 1, 1]).rejection_resample(
        lambda y: y, [0.0, 1.0], [0.0, 1.0], seed=0)))
    assert pair[0].dtype == tf.int32 and int(pair[1]) == 1


def test_options_merge_and_propagate():
    opts = tf.data.Options()
    opts.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    opts.threading.private_threadpool_size = 4
    later = tf.data.Options()
    later.deterministic = False
    ds = D.range(3).with_options(opts).map(lambda x: x).with_options(later).batch(2)
    got = ds.options()
    policy = tf.data.experimental.AutoShardPolicy.DATA
    assert got.experimental_distribute.auto_shard_policy == policy
    assert got.threading.private_threadpool_size == 4 and got.deterministic is False
    assert D.range(3).options().deterministic is True
    with pytest.raises(AttributeError, match="no option 'autoshard'"):
        opts.experimental_distribute.autoshard = 1


def test_iterator_get_next_and_experimental_functions(tmp_path):
    it = iter(D.range(1))
    assert isinstance(it, tf.data.Iterator) and it.element_spec.dtype == tf.int64
    assert int(it.get_next()) == 0
    with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
        it.get_next()
    ex = tf.data.experimental
    gen = D.from_generator(lambda: iter([1, 2, 3]), output_types=tf.int32)
    assert len(gen.apply(ex.assert_cardinality(3))) == 3
    with pytest.raises(tf.errors.FailedPreconditionError, match="expected to contain 2"):
        list(gen.apply(ex.assert_cardinality(2)))
    assert [(int(a), int(b)) for a, b in ex.from_list([(1, 2), (3, 4)])] == [(1, 2), (3, 4)]
    mb = D.range(5).apply(ex.map_and_batch(lambda x: x * 2, 2))
    assert [v.tolist() for v in mb.as_numpy_iterator()] == [[0, 2], [4, 6], [8]]
    sr = D.range(4).apply(ex.shuffle_and_repeat(4, count=2, seed=1))
    assert sorted(int(v) for v in sr) == [0, 0, 1, 1, 2, 2, 3, 3]
    assert int(ex.cardinality(D.range(4))) == 4 and ex.INFINITE_CARDINALITY == -1
    calls = []
    snap = D.range(3).map(lambda x: calls.append(1) or x).apply(ex.snapshot(str(tmp_path)))
    assert [int(v) for v in snap] == [0, 1, 2] and [int(v) for v in snap] == [0, 1, 2]
    assert len(calls) == 3                                 # the second pass read the snapshot
    ex.save(D.range(3), str(tmp_path / "saved"))
    assert [int(v) for v in ex.load(str(tmp_path / "saved"))] == [0, 1, 2]


def test_bucket_padding_recorded_with_tf():
    ds = D.from_generator(lambda: ([1] * n for n in [1, 2, 3, 5, 6, 1]),
                          output_signature=tf.TensorSpec([None], tf.int32))
    # recorded with TF 2.21 (the groups left at the end come out in key order)
    to_boundary = ds.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3, 8], [2, 2, 2],
                                               pad_to_bucket_boundary=True)
    assert [v.shape for v in to_boundary.as_numpy_iterator()] == [(2, 2), (2, 7), (1, 2), (1, 7)]
    longest = ds.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3, 8], [2, 2, 2],
                                           padded_shapes=[None])
    assert [v.shape for v in longest.as_numpy_iterator()] == [(2, 2), (2, 5), (1, 1), (1, 6)]
    with pytest.raises(ValueError, match="bucket_batch_sizes"):
        ds.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3, 8], [2, 2])
    pairs = D.from_generator(lambda: (([1] * n, n) for n in [1, 2, 3]),
                             output_signature=(tf.TensorSpec([None], tf.int32),
                                               tf.TensorSpec([], tf.int32)))
    a, b = next(iter(pairs.padded_batch(3, padded_shapes=([4], []), padding_values=(-1, 0))))
    assert a.numpy().tolist() == [[1, -1, -1, -1], [1, 1, -1, -1], [1, 1, 1, -1]]
    assert b.numpy().tolist() == [1, 2, 3]
