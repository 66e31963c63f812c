"""tapegrad.data against the outputs TF documents for tf.data.Dataset."""

import threading
import tracemalloc

import numpy as np
import pytest

import tapegrad as tf

Dataset = tf.data.Dataset


def values(ds):
    return [np.asarray(v).tolist() if not isinstance(v, (tuple, dict)) else v
            for v in ds.as_numpy_iterator()]


@pytest.mark.parametrize("args, expected", [((5,), [0, 1, 2, 3, 4]), ((2, 5), [2, 3, 4]),
                                            ((1, 5, 2), [1, 3]), ((1, 5, -2), []),
                                            ((5, 1, -2), [5, 3])])
def test_range(args, expected):
    ds = Dataset.range(*args)
    assert values(ds) == expected
    assert len(ds) == len(expected)
    assert ds.element_spec.dtype == tf.int64


def test_from_tensor_slices_structures():
    assert values(Dataset.from_tensor_slices([1, 2, 3])) == [1, 2, 3]
    pairs = list(Dataset.from_tensor_slices(([1, 2], [3, 4])).as_numpy_iterator())
    assert [(int(a), int(b)) for a, b in pairs] == [(1, 3), (2, 4)]
    dicts = list(Dataset.from_tensor_slices({"a": [1, 2], "b": [3, 4]}).as_numpy_iterator())
    assert [{k: int(v) for k, v in d.items()} for d in dicts] == [{"a": 1, "b": 3},
                                                                  {"a": 2, "b": 4}]
    spec = Dataset.from_tensor_slices((np.zeros((4, 3)), [1.0, 2, 3, 4])).element_spec
    assert spec[0].shape == (3,) and spec[0].dtype == tf.float64
    assert spec[1].shape == () and spec[1].dtype == tf.float32


def test_iteration_yields_tensors_of_tf_dtypes():
    x, y = next(iter(Dataset.from_tensor_slices(([1, 2], [0.5, 1.5]))))
    assert isinstance(x, tf.Tensor) and x.dtype == tf.int32 and y.dtype == tf.float32


def test_from_tensors_and_zip():
    assert [v.tolist() for v in Dataset.from_tensors([1, 2, 3]).as_numpy_iterator()] == [[1, 2, 3]]
    zipped = Dataset.zip((Dataset.range(1, 4), Dataset.range(4, 7)))
    assert [tuple(map(int, p)) for p in zipped.as_numpy_iterator()] == [(1, 4), (2, 5), (3, 6)]


def test_from_generator_with_signature():
    def gen():
        for i in range(3):
            yield i, [1.0] * i
    ds = Dataset.from_generator(gen, output_signature=(tf.TensorSpec((), tf.int32),
                                                       tf.TensorSpec((None,), tf.float32)))
    out = list(ds.as_numpy_iterator())
    assert [int(a) for a, _ in out] == [0, 1, 2] and out[2][1].tolist() == [1.0, 1.0]
    assert out[0][0].dtype == np.int32


def test_map_filter_batch():
    assert values(Dataset.range(1, 6).map(lambda x: x + 1)) == [2, 3, 4, 5, 6]
    assert values(Dataset.from_tensor_slices([1, 2, 3]).filter(lambda x: x < 3)) == [1, 2]
    assert values(Dataset.range(8).batch(3)) == [[0, 1, 2], [3, 4, 5], [6, 7]]
    assert values(Dataset.range(8).batch(3, drop_remainder=True)) == [[0, 1, 2], [3, 4, 5]]
    mapped = Dataset.from_tensor_slices(([1, 2], [3, 4])).map(lambda a, b: a * b,
                                                              num_parallel_calls=tf.data.AUTOTUNE)
    assert values(mapped) == [3, 8]


def test_batch_spec_and_cardinality():
    ds = Dataset.range(8).batch(3)
    assert ds.element_spec.shape == (None,)
    assert Dataset.range(8).batch(3, drop_remainder=True).element_spec.shape == (3,)
    assert int(ds.cardinality()) == 3
    assert int(Dataset.range(42).repeat().cardinality()) == tf.data.INFINITE_CARDINALITY
    assert int(Dataset.range(42).filter(lambda x: x > 1).cardinality()) == \
        tf.data.UNKNOWN_CARDINALITY
    with pytest.raises(TypeError, match="infinite"):
        len(Dataset.range(3).repeat())


def test_repeat_take_skip():
    assert values(Dataset.from_tensor_slices([1, 2, 3]).repeat(3)) == [1, 2, 3] * 3
    assert values(Dataset.range(10).take(3)) == [0, 1, 2]
    assert values(Dataset.range(10).skip(7)) == [7, 8, 9]
    assert values(Dataset.range(3).repeat().take(7)) == [0, 1, 2, 0, 1, 2, 0]
    assert len(Dataset.range(3).repeat().take(7)) == 7


def _shuffled(ds):
    return [int(v) for v in ds.as_numpy_iterator()]


@pytest.mark.parametrize("sliced", [True, False])
def test_shuffle_buffer_semantics(sliced):
    n, buf = 20, 4
    src = Dataset.from_tensor_slices(np.arange(n)) if sliced else Dataset.range(n)
    for seed in range(30):
        order = _shuffled(src.shuffle(buf, seed=seed))
        assert sorted(order) == list(range(n))
        # with a buffer of b, the element at output position k came from the first k + b inputs
        assert all(v < k + buf for k, v in enumerate(order))
    assert _shuffled(src.shuffle(1)) == list(range(n))


def test_shuffle_seed_and_reshuffle():
    ds = Dataset.range(50).shuffle(50, seed=7)
    first, second = _shuffled(ds), _shuffled(ds)
    assert first != second and sorted(first) == sorted(second)
    assert _shuffled(Dataset.range(50).shuffle(50, seed=7)) == first
    fixed = Dataset.range(50).shuffle(50, seed=7, reshuffle_each_iteration=False)
    assert _shuffled(fixed) == _shuffled(fixed)


def test_shuffle_then_batch_keeps_pairs_together():
    x = np.arange(100)
    ds = Dataset.from_tensor_slices((x, x * 10)).shuffle(100, seed=1).batch(32)
    batches = list(ds.as_numpy_iterator())
    assert [len(b[0]) for b in batches] == [32, 32, 32, 4]
    xs = np.concatenate([b[0] for b in batches])
    assert sorted(xs.tolist()) == list(range(100)) and xs.tolist() != list(range(100))
    assert all((b[1] == b[0] * 10).all() for b in batches)


def test_padded_batch_unbatch_flat_map():
    ds = Dataset.range(1, 5).map(lambda x: tf.fill([x], x)).padded_batch(2)
    assert values(ds) == [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]]]
    assert values(Dataset.range(7).batch(3).unbatch()) == list(range(7))
    nested = Dataset.from_tensor_slices([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    assert values(nested.flat_map(Dataset.from_tensor_slices)) == list(range(1, 10))


def test_enumerate_concatenate_reduce_cache():
    pairs = Dataset.from_tensor_slices([1, 2, 3]).enumerate(start=5)
    assert [tuple(map(int, p)) for p in pairs.as_numpy_iterator()] == [(5, 1), (6, 2), (7, 3)]
    assert values(Dataset.range(1, 4).concatenate(Dataset.range(4, 8))) == list(range(1, 8))
    assert int(Dataset.range(5).reduce(np.int64(0), lambda x, _: x + 1)) == 5
    assert int(Dataset.range(5).reduce(np.int64(0), lambda s, v: s + v)) == 10
    calls = []
    cached = Dataset.range(3).map(lambda x: calls.append(1) or x).cache()
    assert values(cached) == values(cached) == [0, 1, 2] and len(calls) == 3


def test_single_element_and_repr():
    assert int(Dataset.range(5).take(1).get_single_element()) == 0
    assert repr(Dataset.range(3)) == \
        "<_RangeDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>"
    assert repr(Dataset.range(3).batch(2)).startswith("<_BatchDataset element_spec=")


def test_iterating_inside_function():
    @tf.function
    def total(ds):
        s = tf.constant(0, tf.int64)
        for x in ds:
            s = s + tf.reduce_sum(x)
        return s
    assert int(total(Dataset.range(10).batch(4))) == 45


def test_bad_input():
    with pytest.raises(tf.errors.InvalidArgumentError, match="0th dimension"):
        Dataset.from_tensor_slices(([1, 2, 3], [1, 2]))
    with pytest.raises(ValueError, match="buffer_size must be greater than zero"):
        Dataset.range(3).shuffle(0)
    ragged = Dataset.range(1, 4).map(lambda x: tf.fill([x], x)).batch(2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="padded_batch"):
        list(ragged)

    def bad(x):
        if int(x) == 2:
            raise ValueError("no twos")
        return x
    with pytest.raises(ValueError, match=r"'bad' on element 2"):
        list(Dataset.range(5).map(bad))


def test_generator_error_and_interrupted_prefetch_leave_no_thread():
    def gen():
        yield 1
        raise RuntimeError("boom")
    before = threading.active_count()
    ds = Dataset.from_generator(gen, output_signature=tf.TensorSpec((), tf.int32)).prefetch(2)
    with pytest.raises(RuntimeError, match="boom"):
        list(ds)
    it = iter(Dataset.range(10_000).prefetch(tf.data.AUTOTUNE))
    next(it)
    it.close()
    assert threading.active_count() == before


def test_prefetch_keeps_order():
    assert values(Dataset.range(100).map(lambda x: x * 2).prefetch(3)) == list(range(0, 200, 2))


def test_long_pipeline_runs_in_bounded_memory():
    ds = Dataset.range(200_000).map(lambda x: x + 1).batch(1000)
    tracemalloc.start()
    peak = []
    for i, _ in enumerate(ds.as_numpy_iterator()):
        if i == 10:
            tracemalloc.reset_peak()
    peak.append(tracemalloc.get_traced_memory()[1])
    tracemalloc.stop()
    assert peak[0] < 2_000_000


def test_digits_loader_layout():
    (x_train, y_train), (x_test, y_test) = tf.datasets.digits.load_data()
    assert x_train.shape == (1438, 8, 8) and y_test.shape == (359,)
    assert set(np.unique(y_train).tolist()) == set(range(10))


def test_interleave_as_documented():
    ds = Dataset.range(1, 6).interleave(lambda x: Dataset.from_tensors(x).repeat(6),
                                        cycle_length=2, block_length=4)
    assert values(ds) == [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 4,
                          4, 5, 5, 5, 5, 5, 5]


def test_window_as_documented():
    windows = [values(w) for w in Dataset.range(7).window(3, shift=2, drop_remainder=True)]
    assert windows == [[0, 1, 2], [2, 3, 4], [4, 5, 6]]
    strided = [values(w) for w in Dataset.range(7).window(3, shift=1, stride=2)]
    assert strided == [[0, 2, 4], [1, 3, 5], [2, 4, 6], [3, 5], [4, 6], [5], [6]]
    assert values(Dataset.range(7).window(3).flat_map(lambda w: w.batch(3))) == \
        [[0, 1, 2], [3, 4, 5], [6]]


def test_scan_shard_rebatch_ignore_errors():
    ds = Dataset.range(5).scan(tf.constant(0, tf.int64), lambda s, x: (s + x, s + x))
    assert values(ds) == [0, 1, 3, 6, 10]
    assert values(Dataset.range(10).shard(3, 1)) == [1, 4, 7]
    assert values(Dataset.range(6).batch(4).rebatch(3)) == [[0, 1, 2], [3, 4, 5]]

    def check(x):
        if int(x) == 2:
            raise tf.errors.InvalidArgumentError("bad element")
        return x
    assert values(Dataset.range(4).map(check).ignore_errors()) == [0, 1, 3]


def test_group_by_window_and_buckets():
    ds = Dataset.range(10).group_by_window(lambda x: x % 2, lambda k, w: w.batch(5),
                                           window_size=5)
    assert values(ds) == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]
    seqs = [[0], [1, 2, 3, 4], [5, 6, 7], [7, 8, 9, 10, 11], [13, 14, 15, 16, 19, 20],
            [21, 22]]
    src = Dataset.from_generator(lambda: seqs, output_signature=tf.TensorSpec([None], tf.int32))
    ds = src.bucket_by_sequence_length(lambda e: tf.shape(e)[0], bucket_boundaries=[3, 5],
                                       bucket_batch_sizes=[2, 2, 2])
    assert values(ds) == [[[1, 2, 3, 4], [5, 6, 7, 0]], [[7, 8, 9, 10, 11, 0],
                                                         [13, 14, 15, 16, 19, 20]],
                          [[0, 0], [21, 22]]]
