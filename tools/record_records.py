"""TFRecord, Example and TensorProto files written by TensorFlow 2.21, for the tests under
tests/io/. Run from the repository root where TensorFlow is installed:

    python tools/record_records.py

Writes tests/data/records/: ``examples.tfrecord`` and ``examples.tfrecord.gz`` (GZIP) holding
three Examples, ``tensors.bin`` (serialize_tensor of a few tensors, as TFRecords) and
``records.json`` with what each holds and the bytes of one serialized Example.
"""

from __future__ import annotations

import json
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join("tests", "data", "records")


def _example(i: int) -> tf.train.Example:
    feats = {
        "id": tf.train.Feature(int64_list=tf.train.Int64List(value=[i, -i - 1])),
        "x": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5 * i, 1.0, -2.25])),
        "name": tf.train.Feature(bytes_list=tf.train.BytesList(value=[f"row{i}".encode()])),
        "tags": tf.train.Feature(int64_list=tf.train.Int64List(value=list(range(i)))),
        "big": tf.train.Feature(int64_list=tf.train.Int64List(value=[2 ** 40 + i])),
    }
    return tf.train.Example(features=tf.train.Features(feature=feats))


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    examples = [_example(i) for i in range(3)]
    for name, opts in (("examples.tfrecord", None), ("examples.tfrecord.gz", "GZIP")):
        with tf.io.TFRecordWriter(os.path.join(OUT, name), options=opts) as w:
            for ex in examples:
                w.write(ex.SerializeToString())
    tensors = [tf.constant([[1.5, -2.0], [3.0, 4.0]]), tf.constant([1, 2, 3], tf.int64),
               tf.constant(True), tf.constant([b"ab", b""]), tf.constant(7, tf.uint8),
               tf.constant([1.0, 2.0], tf.float64)]
    with tf.io.TFRecordWriter(os.path.join(OUT, "tensors.tfrecord")) as w:
        for t in tensors:
            w.write(tf.io.serialize_tensor(t).numpy())
    spec = {"id": tf.io.FixedLenFeature([2], tf.int64), "x": tf.io.FixedLenFeature([3], tf.float32),
            "name": tf.io.FixedLenFeature([], tf.string), "tags": tf.io.VarLenFeature(tf.int64)}
    batch = tf.io.parse_example([e.SerializeToString() for e in examples], spec)
    record = {
        "one_example_hex": examples[1].SerializeToString().hex(),
        "small_example_hex": tf.train.Example(features=tf.train.Features(feature={
            "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[3]))}))
        .SerializeToString().hex(),
        "parsed": {"id": batch["id"].numpy().tolist(), "x": batch["x"].numpy().tolist(),
                   "name": [n.decode() for n in batch["name"].numpy()],
                   "tags_indices": batch["tags"].indices.numpy().tolist(),
                   "tags_values": batch["tags"].values.numpy().tolist(),
                   "tags_shape": batch["tags"].dense_shape.numpy().tolist()},
        "tensors": [{"dtype": t.dtype.name, "shape": t.shape.as_list(),
                     "value": [v.decode() if isinstance(v, bytes) else v
                               for v in np.ravel(t.numpy()).tolist()],
                     "hex": tf.io.serialize_tensor(t).numpy().hex()} for t in tensors],
    }
    with open(os.path.join(OUT, "records.json"), "w") as f:
        json.dump(record, f, indent=1)
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
