"""tf.train.Checkpoint in TF's format: a checkpoint written by TF 2.21 (tests/data/checkpoints,
made by tools/record_checkpoints.py) restores into tapegrad objects, tapegrad writes the same
keys, deferred restoration, the load status's assertions, CheckpointManager, damaged files."""

import json
import os
import shutil

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.formats.crc import crc32c
from tapegrad.train.table import build_table, read_table

k = tf.keras
DATA = os.path.join(os.path.dirname(__file__), "..", "data", "checkpoints")
with open(os.path.join(DATA, "tf_2_21.json")) as _f:
    RECORD = json.load(_f)
TF_PATH = os.path.join(DATA, "tf_2_21", RECORD["path"])


class Sub(k.Model):
    def __init__(self):
        super().__init__()
        self.emb = k.layers.Embedding(5, 2)
        self.rnn = k.layers.LSTM(2)

    def call(self, x):
        return self.rnn(self.emb(x))


def _objects(build: bool = True):
    """The objects tools/record_checkpoints.py saved with TF, unbuilt unless ``build``."""
    net = k.Sequential([k.Input((3,)), k.layers.Dense(4), k.layers.Dense(2)])
    inp = k.Input((2,))
    func = k.Model(inp, k.layers.Dense(1, name="out")(k.layers.Dense(3)(inp)))
    sub = Sub()
    if build:
        sub(np.zeros((1, 3), np.int32))
    cnn = k.Sequential([k.Input((5, 5, 2)), k.layers.Conv2D(3, 3), k.layers.BatchNormalization(),
                        k.layers.Flatten(), k.layers.Dense(2)])
    cnn.compile(optimizer="sgd", loss="mse")
    if build:
        cnn.fit(np.ones((4, 5, 5, 2), np.float32), np.zeros((4, 2), np.float32), verbose=0)
    mod = tf.Module()
    mod.w = tf.Variable(np.zeros((2, 3)))
    mod.sub = tf.Module()
    mod.sub.flag = tf.Variable(False)
    return dict(net=net, opt=k.optimizers.Adam(0.1), func=func, sub=sub, mod=mod,
                step=tf.Variable(0, dtype=tf.int64), cnn=cnn)


def _want(key):
    return np.asarray(RECORD["values"][key])


def test_tf_checkpoint_restores_into_tapegrad_with_deferred_slots():
    objs = _objects()
    ckpt = tf.train.Checkpoint(**objs)
    status = ckpt.restore(TF_PATH)
    np.testing.assert_array_equal(objs["mod"].w.numpy(), _want("mod/w/.ATTRIBUTES/VARIABLE_VALUE"))
    assert bool(objs["mod"].sub.flag.numpy()) is True and int(objs["step"].numpy()) == 7
    np.testing.assert_allclose(objs["net"].layers[0].kernel.numpy(),
                               _want("opt/_trainable_variables/0/.ATTRIBUTES/VARIABLE_VALUE"))
    np.testing.assert_allclose(objs["func"].layers[2].kernel.numpy(),
                               _want("func/_operations/2/_kernel/.ATTRIBUTES/VARIABLE_VALUE"))
    np.testing.assert_allclose(objs["sub"].rnn.recurrent_kernel.numpy(),
                               _want("sub/rnn/cell/recurrent_kernel/.ATTRIBUTES/VARIABLE_VALUE"))
    np.testing.assert_allclose(objs["sub"].emb.embeddings.numpy(),
                               _want("sub/emb/_embeddings/.ATTRIBUTES/VARIABLE_VALUE"))
    cnn = objs["cnn"]  # a compiled model: its optimizer's paths are the shortest
    np.testing.assert_allclose(cnn.layers[0].kernel.numpy(), _want(
        "cnn/optimizer/_trainable_variables/0/.ATTRIBUTES/VARIABLE_VALUE"))
    np.testing.assert_allclose(cnn.layers[1].moving_variance.numpy(), _want(
        "cnn/_functional/_operations/2/moving_variance/.ATTRIBUTES/VARIABLE_VALUE"))
    assert int(cnn.optimizer.iterations.numpy()) == 1
    with pytest.raises(AssertionError, match="Unresolved object in checkpoint"):
        status.assert_consumed()  # Adam has no slots yet
    status.assert_existing_objects_matched()
    opt, net = objs["opt"], objs["net"]
    zeros = [tf.zeros_like(v) for v in net.trainable_variables]
    opt.apply_gradients(zip(zeros, net.trainable_variables))  # slots appear, saved values land
    status.assert_consumed()
    assert int(opt.iterations.numpy()) == 2 and int(ckpt.save_counter.numpy()) == 1
    # one Adam step with a zero gradient: m <- 0.9 m, v <- 0.999 v from the restored slots
    np.testing.assert_allclose(opt.variables[2].numpy(), 0.9 * _want(
        "opt/_variables/2/.ATTRIBUTES/VARIABLE_VALUE"), rtol=1e-6)
    np.testing.assert_allclose(opt.variables[3].numpy(), 0.999 * _want(
        "opt/_variables/3/.ATTRIBUTES/VARIABLE_VALUE"), rtol=1e-6)


def test_restore_before_the_model_is_built():
    net = k.Sequential([k.layers.Dense(4), k.layers.Dense(2)])
    status = tf.train.Checkpoint(net=net).restore(TF_PATH).expect_partial()
    assert not net.weights
    net(np.ones((1, 3), np.float32))
    np.testing.assert_allclose(net.layers[1].bias.numpy(),
                               _want("opt/_trainable_variables/3/.ATTRIBUTES/VARIABLE_VALUE"))
    status.assert_existing_objects_matched()


def test_tapegrad_writes_tf_keys_and_reads_them_back(tmp_path):
    objs = _objects()
    net = objs["net"]
    objs["opt"].apply_gradients(zip([tf.zeros_like(v) for v in net.weights], net.weights))
    ckpt = tf.train.Checkpoint(**objs)
    path = ckpt.save(str(tmp_path / "ckpt"))
    assert path == str(tmp_path / "ckpt-1")
    names = [n for n, _ in tf.train.list_variables(str(tmp_path))]
    assert names == ["_CHECKPOINTABLE_OBJECT_GRAPH"] + sorted(RECORD["values"])
    again = _objects()
    again["opt"].apply_gradients(zip([tf.zeros_like(v) for v in again["net"].weights],
                                     again["net"].weights))
    for v in again["net"].weights:
        v.assign(np.full(v.shape, 9.0, np.float32))
    tf.train.Checkpoint(**again).restore(path).assert_consumed()
    for a, b in zip(objs["net"].weights + objs["sub"].weights,
                    again["net"].weights + again["sub"].weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert (tmp_path / "checkpoint").read_text() == \
        'model_checkpoint_path: "ckpt-1"\nall_model_checkpoint_paths: "ckpt-1"\n'


def test_reader_shapes_dtypes_and_latest():
    reader = tf.train.load_checkpoint(os.path.join(DATA, "tf_2_21"))
    assert reader.has_tensor("step/.ATTRIBUTES/VARIABLE_VALUE")
    assert reader.get_variable_to_dtype_map()["step/.ATTRIBUTES/VARIABLE_VALUE"] == tf.int64
    assert reader.get_variable_to_shape_map()["mod/w/.ATTRIBUTES/VARIABLE_VALUE"] == [2, 3]
    assert tf.train.latest_checkpoint(os.path.join(DATA, "tf_2_21")) == TF_PATH
    assert float(tf.train.load_variable(TF_PATH, "opt/_learning_rate/.ATTRIBUTES/"
                                                 "VARIABLE_VALUE")) == pytest.approx(0.1)
    with pytest.raises(tf.errors.NotFoundError, match="not found"):
        reader.get_tensor("nope")


def test_the_index_table_is_written_byte_for_byte_as_tf_writes_it():
    with open(TF_PATH + ".index", "rb") as f:
        data = f.read()
    assert build_table(read_table(data)) == data


def test_write_has_no_counter_and_status_checks(tmp_path):
    v, w = tf.Variable([1.0, 2.0]), tf.Variable(3.0)
    path = tf.train.Checkpoint(v=v).write(str(tmp_path / "w"))
    assert path == str(tmp_path / "w") and not (tmp_path / "checkpoint").exists()
    status = tf.train.Checkpoint(v=v, w=w).read(path)
    status.assert_nontrivial_match()
    with pytest.raises(AssertionError, match="not bound to checkpointed values"):
        status.assert_existing_objects_matched()
    with pytest.raises(AssertionError, match="No checkpoint"):
        tf.train.Checkpoint(v=v).restore(None).assert_consumed()
    with pytest.raises(ValueError, match="trackable"):
        tf.train.Checkpoint(n=3)


def test_shape_mismatch_is_a_clear_error(tmp_path):
    path = tf.train.Checkpoint(v=tf.Variable([1.0, 2.0])).write(str(tmp_path / "c"))
    with pytest.raises(ValueError, match=r"shape \(2,\).*shape \(3,\)"):
        tf.train.Checkpoint(v=tf.Variable([0.0, 0.0, 0.0])).restore(path)


def _copy(tmp_path):
    folder = tmp_path / "c"
    shutil.copytree(os.path.join(DATA, "tf_2_21"), folder)
    return str(folder / RECORD["path"])


def test_damaged_files_are_clear_errors(tmp_path):
    path = _copy(tmp_path)
    data_file, index_file = path + ".data-00000-of-00001", path + ".index"
    data = bytearray(_read(data_file))
    data[100] ^= 0xFF
    _write(data_file, bytes(data))
    reader = tf.train.load_checkpoint(path)
    with pytest.raises(tf.errors.DataLossError, match="checksum"):
        for key in reader.keys():
            reader.get_tensor(key)
    index = _read(index_file)
    _write(index_file, index[:-10])
    with pytest.raises(tf.errors.DataLossError, match="truncated"):
        tf.train.load_checkpoint(path)
    _write(index_file, index[:200] + bytes([index[200] ^ 1]) + index[201:])
    with pytest.raises(tf.errors.DataLossError, match="checksum"):
        tf.train.load_checkpoint(path)
    _write(index_file, index)
    _write(data_file, bytes(data[:50]))
    with pytest.raises(tf.errors.DataLossError, match="truncated"):
        tf.train.load_checkpoint(path).get_tensor("sub/rnn/cell/kernel/.ATTRIBUTES/"
                                                  "VARIABLE_VALUE")
    with pytest.raises(tf.errors.NotFoundError, match="index"):
        tf.train.load_checkpoint(str(tmp_path / "missing"))


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def _write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def test_manager_keeps_the_last_n_and_records_state(tmp_path):
    step = tf.Variable(0, dtype=tf.int64)
    ckpt = tf.train.Checkpoint(step=step)
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2,
                                         checkpoint_name="model")
    for i in range(4):
        step.assign(i)
        manager.save()
    assert [os.path.basename(p) for p in manager.checkpoints] == ["model-3", "model-4"]
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model-3.data-00000-of-00001",
                                            "model-3.index", "model-4.data-00000-of-00001",
                                            "model-4.index"]
    state = (tmp_path / "checkpoint").read_text().splitlines()
    assert state[:3] == ['model_checkpoint_path: "model-4"',
                         'all_model_checkpoint_paths: "model-3"',
                         'all_model_checkpoint_paths: "model-4"']
    assert state[3].startswith("all_model_checkpoint_timestamps: ")
    assert manager.save(checkpoint_number=10).endswith("model-10")
    again = tf.train.CheckpointManager(tf.train.Checkpoint(step=tf.Variable(0, dtype=tf.int64)),
                                       str(tmp_path), max_to_keep=2, checkpoint_name="model")
    assert again.latest_checkpoint.endswith("model-10")
    assert again.restore_or_initialize().endswith("model-10")
    assert int(again.checkpoint.step.numpy()) == 3


def test_manager_keep_every_n_hours_and_initialize(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path / "a"), max_to_keep=1,
                                         keep_checkpoint_every_n_hours=1e-12)
    for _ in range(3):
        manager.save()
    assert len(os.listdir(tmp_path / "a")) == 1 + 2 * 3  # older ones preserved, not listed
    assert len(manager.checkpoints) == 1
    called = []
    fresh = tf.train.CheckpointManager(ckpt, str(tmp_path / "b"), max_to_keep=3,
                                       init_fn=lambda: called.append(1))
    assert fresh.restore_or_initialize() is None and called == [1]
    step = tf.Variable(0)
    every = tf.train.CheckpointManager(ckpt, str(tmp_path / "c"), max_to_keep=None,
                                       step_counter=step, checkpoint_interval=5)
    saved = []
    for i in range(12):
        step.assign(i)
        saved.append(every.save() is not None)
    assert [i for i, s in enumerate(saved) if s] == [0, 5, 10]


def test_exponential_moving_average_matches_tf_formula():
    w = tf.Variable([1.0, 2.0])
    ema = tf.train.ExponentialMovingAverage(decay=0.9)
    ema.apply([w])
    np.testing.assert_allclose(ema.average(w).numpy(), [1.0, 2.0])
    w.assign([3.0, 4.0])
    ema.apply([w])
    np.testing.assert_allclose(ema.average(w).numpy(), [1.2, 2.2], rtol=1e-6)
    assert ema.average_name(w) == "Variable/ExponentialMovingAverage"
    counted = tf.train.ExponentialMovingAverage(decay=0.999, num_updates=0)
    u = tf.Variable(0.0)
    counted.apply([u])
    u.assign(10.0)
    counted.apply([u])  # decay min(0.999, 1/10) = 0.1
    assert float(counted.average(u).numpy()) == pytest.approx(9.0)
    debiased = tf.train.ExponentialMovingAverage(decay=0.5, zero_debias=True)
    debiased.apply([u])
    assert float(debiased.average(u).numpy()) == pytest.approx(10.0)


def test_crc32c_vector_path_matches_the_byte_loop():
    data = np.random.default_rng(0).integers(0, 256, 200_003, dtype=np.uint8).tobytes()
    head = crc32c(data[:1000])
    assert crc32c(data) == crc32c(data[1000:], head)
    assert crc32c(b"123456789") == 0xE3069283
