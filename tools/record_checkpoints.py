"""Checkpoints between TensorFlow and tapegrad, both ways. Run from the repository root with
TensorFlow 2.21 + Keras 3 installed (tapegrad is imported from the working tree):

    PYTHONPATH=. python tools/record_checkpoints.py record   # TF writes tests/data/checkpoints/
    PYTHONPATH=. python tools/record_checkpoints.py check    # tapegrad writes, TF restores

``record`` writes small checkpoints with ``tf.train.Checkpoint`` / ``CheckpointManager`` and a
JSON file of the values they hold, which ``tests/train/test_checkpoint_tf.py`` reads back.
``check`` saves the same objects with tapegrad, restores them into TF objects with
``assert_consumed()``, compares every value and prints the outcome (docs/checkpoints.md).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile

import numpy as np

OUT = os.path.join("tests", "data", "checkpoints")


def _objects(lib, keras):
    """The same objects in either library: a trained Sequential + Adam, a functional model,
    a subclassed model with an LSTM and an Embedding, a compiled and fitted CNN (Conv2D,
    BatchNormalization, its SGD optimizer), a tf.Module, a step counter."""
    lib.random.set_seed(0) if hasattr(lib.random, "set_seed") else None
    net = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2)])
    opt = keras.optimizers.Adam(0.1)
    inp = keras.Input((2,))
    func = keras.Model(inp, keras.layers.Dense(1, name="out")(keras.layers.Dense(3)(inp)))

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.emb = keras.layers.Embedding(5, 2)
            self.rnn = keras.layers.LSTM(2)

        def call(self, x):
            return self.rnn(self.emb(x))

    sub = Sub()
    sub(np.zeros((1, 3), np.int32))
    cnn = keras.Sequential([keras.Input((5, 5, 2)), keras.layers.Conv2D(3, 3),
                            keras.layers.BatchNormalization(), keras.layers.Flatten(),
                            keras.layers.Dense(2)])
    cnn.compile(optimizer="sgd", loss="mse")
    cnn.fit(np.ones((4, 5, 5, 2), np.float32), np.zeros((4, 2), np.float32), verbose=0)
    mod = lib.Module()
    mod.w = lib.Variable(np.arange(6.0).reshape(2, 3))
    mod.sub = lib.Module()
    mod.sub.flag = lib.Variable(True)
    step = lib.Variable(7, dtype=lib.int64)
    rng = np.random.default_rng(0)
    for v in net.weights + func.weights + sub.weights:
        v.assign(rng.normal(size=v.shape).astype(np.float32))
    x, y = np.ones((5, 3), np.float32), np.zeros((5, 2), np.float32)
    with lib.GradientTape() as tape:
        loss = lib.reduce_mean((net(x) - y) ** 2)
    grads = tape.gradient(loss, net.trainable_variables)
    opt.apply_gradients(zip(grads, net.trainable_variables))
    return dict(net=net, opt=opt, func=func, sub=sub, mod=mod, step=step, cnn=cnn)


def _values(ckpt_path, lib) -> dict:
    reader = lib.train.load_checkpoint(ckpt_path)
    keys = [k for k, _ in lib.train.list_variables(ckpt_path)]
    return {k: np.asarray(reader.get_tensor(k)).tolist() for k in keys
            if k != "_CHECKPOINTABLE_OBJECT_GRAPH"}


def record() -> None:
    import keras  # noqa: PLC0415
    import tensorflow as tf  # noqa: PLC0415
    objs = _objects(tf, keras)
    ckpt = tf.train.Checkpoint(**objs)
    folder = os.path.join(OUT, "tf_2_21")
    manager = tf.train.CheckpointManager(ckpt, folder, max_to_keep=1)
    path = manager.save()
    with open(os.path.join(OUT, "tf_2_21.json"), "w") as f:
        json.dump({"path": os.path.basename(path), "values": _values(path, tf)}, f)
    print("wrote", path)


def check() -> int:
    import keras  # noqa: PLC0415
    import tensorflow as tf  # noqa: PLC0415
    import tapegrad as tg  # noqa: PLC0415
    mine = _objects(tg, tg.keras)
    path = tg.train.Checkpoint(**mine).save(os.path.join(tempfile.mkdtemp(), "ckpt"))
    theirs = _objects(tf, keras)
    for v in theirs["net"].weights + theirs["func"].weights + theirs["sub"].weights + \
            theirs["cnn"].weights:
        v.assign(np.zeros(v.shape, np.float32))
    status = tf.train.Checkpoint(**theirs).restore(path)
    status.assert_consumed()
    want, got = _values(path, tg), _values(path, tf)
    bad = [k for k in want if not np.allclose(want[k], got[k])]
    same = all(np.allclose(a.numpy(), b.numpy()) for a, b in
               zip(mine["net"].weights + mine["opt"].variables + mine["sub"].weights +
                   mine["cnn"].weights, theirs["net"].weights + theirs["opt"].variables +
                   theirs["sub"].weights + theirs["cnn"].weights))
    print(f"TF {tf.__version__} restored tapegrad's {path}: assert_consumed passed, "
          f"{len(want)} tensors, values equal: {same and not bad}")
    return 0 if same and not bad else 1


if __name__ == "__main__":
    sys.exit(record() if sys.argv[1:] == ["record"] else check())
