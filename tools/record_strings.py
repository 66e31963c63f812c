"""Record tf.strings and tf.ragged outputs for tests/data/tf_strings.json.

Run with a Python that has TensorFlow 2.21 installed (never a tapegrad dependency):
``python tools/record_strings.py``. Each case is a call spelled as text, run here with TF and in
the test with tapegrad; strings are stored as latin-1 text of their bytes.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

CASES = [
    "tf.constant(['a', 'héllo'])", "tf.strings.lower(['Hello World', 'ABC'])",
    "tf.strings.upper('abc')", "tf.strings.length(['héllo', ''])",
    "tf.strings.length(['héllo'], unit='UTF8_CHAR')", "tf.strings.join([['a', 'b'], 'x'], separator='-')",  # noqa: E501
    "tf.strings.reduce_join([['a', 'b'], ['c', 'd']], axis=1, separator=',')",
    "tf.strings.reduce_join([['a', 'b'], ['c', 'd']])",
    "tf.strings.reduce_join([['a', 'b'], ['c', 'd']], axis=0, keepdims=True)",
    "tf.strings.regex_replace(['a1b22', 'xyz'], '[0-9]+', '#')",
    "tf.strings.regex_replace(['a1b22'], '([a-z])([0-9])', r'\\\\2\\\\1', replace_global=False)",
    "tf.strings.regex_full_match(['abc', 'ab1'], '[a-z]+')", "tf.strings.strip(['  a b \\n', 'c'])",
    "tf.strings.substr(['hello', 'world'], 1, 3)", "tf.strings.substr(['hello'], -3, 2)",
    "tf.strings.to_number(['1.5', '-2'])", "tf.strings.to_number(['12', '-3'], out_type=tf.int64)",
    "tf.strings.as_string([1.5, 2.0])", "tf.strings.as_string([3, -4])",
    "tf.strings.as_string([1.23456], precision=2)", "tf.strings.as_string([True, False])",
    "tf.strings.split(['a b  c', 'd']).to_tensor()", "tf.strings.split(['a,b,,c'], sep=',').to_tensor()",  # noqa: E501
    "tf.strings.split(['a b c'], maxsplit=1).to_tensor()",
    "tf.strings.unicode_split(['hé', 'abc'], 'UTF-8').to_tensor()",
    "tf.strings.ngrams(tf.ragged.constant([['a', 'b', 'c'], ['d']]), 2).to_tensor()",
    "tf.strings.ngrams(tf.ragged.constant([['a', 'b', 'c'], ['d', 'e']]), [1, 3]).to_tensor()",
    "tf.strings.format('x={} y={}', [tf.constant(2), tf.constant([1.5, 2.0])])",
    "tf.strings.format('v: {}', tf.range(10))",
    "tf.ragged.constant([[1, 2], [3], []]).to_tensor()", "tf.ragged.constant([[1, 2], [3], []]).row_lengths()",  # noqa: E501
    "tf.ragged.constant([[1.5], [3.0, 4.0]]).flat_values",
    "tf.ragged.constant([[[1, 2], [3]], [[4]]]).to_tensor()",
    "tf.ragged.constant([[[1, 2], [3]], [[4]]]).bounding_shape()",
    "tf.ragged.constant([[1, 2], [3], []]).to_tensor(default_value=-1)",
    "tf.RaggedTensor.from_row_lengths([1, 2, 3, 4], [3, 0, 1]).to_tensor()",
    "tf.RaggedTensor.from_row_splits([1, 2, 3, 4], [0, 1, 4]).row_lengths()",
    "tf.RaggedTensor.from_value_rowids([1, 2, 3], [0, 0, 2], nrows=4).to_tensor()",
    "tf.ragged.constant([[1, 2], [3]])[0]", "tf.ragged.constant([[1, 2], [3]])[-1]",
    "tf.ragged.map_flat_values(tf.square, tf.ragged.constant([[1, 2], [3]])).to_tensor()",
    "tf.ragged.constant([['a', 'b'], ['c']]).to_tensor()",
]


def _plain(v):
    a = np.asarray(v)
    if a.dtype == object:
        return {"dtype": "string", "value": np.vectorize(lambda b: b.decode("latin-1"),
                                                         otypes=[object])(a).tolist()}
    return {"dtype": a.dtype.name, "value": a.tolist()}


def main() -> None:
    out = []
    for case in CASES:
        out.append({"call": case, **_plain(eval(case, {"tf": tf})),  # noqa: S307 - fixed texts
                    "shape": list(np.shape(eval(case, {"tf": tf})))})  # noqa: S307
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "tf_strings.json")
    with open(path, "w") as f:
        json.dump(out, f, ensure_ascii=True)
        f.write("\n")


if __name__ == "__main__":
    main()
