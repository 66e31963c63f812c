"""Record a SequenceExample written by TF 2.21 and TF's parse of it (with ``parse_example``'s
VarLenFeature SparseTensor) for tests/data/tf_sequence_example.json.

Run with a Python that has TensorFlow 2.21 installed (never a tapegrad dependency):
``python tools/record_sequence_example.py``.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402


def main():
    t = tf.train
    seq = t.SequenceExample(
        context=t.Features(feature={
            "id": t.Feature(int64_list=t.Int64List(value=[42])),
            "title": t.Feature(bytes_list=t.BytesList(value=[b"a song"]))}),
        feature_lists=t.FeatureLists(feature_list={
            "frames": t.FeatureList(feature=[t.Feature(float_list=t.FloatList(value=v))
                                             for v in ([1.0, 2.0], [3.0, 4.5], [-1.0, 0.25])]),
            "words": t.FeatureList(feature=[t.Feature(bytes_list=t.BytesList(value=v))
                                            for v in ([b"la"], [], [b"la", b"di"])])}))
    raw = seq.SerializeToString()
    ctx, steps = tf.io.parse_single_sequence_example(
        raw, context_features={"id": tf.io.FixedLenFeature([], tf.int64),
                               "title": tf.io.VarLenFeature(tf.string)},
        sequence_features={"frames": tf.io.FixedLenSequenceFeature([2], tf.float32),
                           "words": tf.io.VarLenFeature(tf.string)})
    words = steps["words"]
    out = {"hex": raw.hex(), "id": int(ctx["id"]),
           "title": [v.decode() for v in ctx["title"].values.numpy()],
           "title_indices": ctx["title"].indices.numpy().tolist(),
           "frames": steps["frames"].numpy().tolist(),
           "words_indices": words.indices.numpy().tolist(),
           "words_values": [v.decode() for v in words.values.numpy()],
           "words_shape": words.dense_shape.numpy().tolist()}
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data",
                        "tf_sequence_example.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
