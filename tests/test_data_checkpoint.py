"""A tf.data iterator tracked by tf.train.Checkpoint saves and restores its position, under
TF's key ``iterator/.ATTRIBUTES/ITERATOR_STATE`` (checked with TF 2.21's list_variables)."""

import os

import pytest

import tapegrad as tf


def _pipeline(seed=None):
    return tf.data.Dataset.range(20).shuffle(20, seed=seed).map(lambda x: x * 10).batch(3)


def _take(it, n):
    return [next(it).numpy().tolist() for _ in range(n)]


def test_restore_goes_back_to_the_saved_position(tmp_path):
    it = iter(tf.data.Dataset.range(5))
    next(it)
    ckpt = tf.train.Checkpoint(iterator=it)
    path = ckpt.save(str(tmp_path / "ck"))
    assert [int(next(it)) for _ in range(2)] == [1, 2]
    ckpt.restore(path).assert_consumed()
    assert int(next(it)) == 1  # TF 2.21 gives 1 here too
    keys = dict(tf.train.list_variables(str(tmp_path)))
    assert "iterator/.ATTRIBUTES/ITERATOR_STATE" in keys


@pytest.mark.parametrize("seed", [None, 7])
def test_a_new_program_continues_a_shuffled_pipeline_where_it_was_saved(tmp_path, seed):
    it = iter(_pipeline(seed))
    _take(it, 2)
    path = tf.train.Checkpoint(step=tf.Variable(3), iterator=it).save(str(tmp_path / "ck"))
    want = _take(it, 4)  # the rest of the first pass, then the second pass begins
    fresh = iter(_pipeline(seed))  # as a new program builds it (an unseeded shuffle too)
    step = tf.Variable(0)
    tf.train.Checkpoint(step=step, iterator=fresh).restore(path).assert_consumed()
    assert _take(fresh, 4) == want and int(step) == 3


def test_the_second_pass_of_a_reshuffling_pipeline_is_restored(tmp_path):
    ds = tf.data.Dataset.range(6).shuffle(6).repeat(3)
    it = iter(ds)
    first_pass = [int(next(it)) for _ in range(8)]
    path = tf.train.Checkpoint(it=it).save(str(tmp_path / "ck"))
    want = [int(v) for v in it]
    tf.train.Checkpoint(it=it).restore(path)
    assert [int(v) for v in it] == want and sorted(first_pass[:6]) == list(range(6))


def test_a_checkpoint_of_another_pipeline_is_refused(tmp_path):
    it = iter(_pipeline(1))
    path = tf.train.Checkpoint(iterator=it).save(str(tmp_path / "ck"))
    other = iter(tf.data.Dataset.range(3))
    with pytest.raises(ValueError, match="does not fit this iterator's pipeline"):
        tf.train.Checkpoint(iterator=other).restore(path)
    assert os.path.exists(path + ".index")
