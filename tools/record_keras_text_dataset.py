"""Record Keras 3's ``text_dataset_from_directory`` for tests/data/keras_text_dataset.json.

The folder is described in the JSON itself (``files``: relative path → text), so the test
builds the same tree in a temporary folder: class folders, a nested folder, a hidden folder
and a non-.txt file (both skipped). Each case keeps what Keras gives: the batches in order
when nothing is shuffled, and, when the file list is shuffled with a seed, each split's
elements as a sorted list (the split depends only on the seeded permutation of the files;
the order inside a part comes from TF's own shuffle buffer).

Run with a Python that has TensorFlow 2.21 and Keras 3 installed (never a tapegrad
dependency): ``python tools/record_keras_text_dataset.py``.
"""

import json
import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

FILES = {
    "neg/1.txt": "terrible film", "neg/2.txt": "boring\nand long",
    "neg/deep/3.txt": "nested review", "neg/skip.md": "not a text file",
    "pos/a.txt": "loved it", "pos/b.txt": "a delight \u00e9t\u00e9", "pos/c.txt": "",
    "pos/d.txt": "great", "zzz/only.txt": "third class",
    ".hidden/x.txt": "never read",
}
CASES = [
    {"batch_size": 4, "shuffle": False},
    {"batch_size": 3, "shuffle": False, "label_mode": "categorical", "max_length": 5},
    {"batch_size": 8, "shuffle": False, "label_mode": "binary", "class_names": ["pos", "neg"]},
    {"batch_size": 5, "shuffle": False, "labels": None},
    {"batch_size": 5, "shuffle": False, "labels": [1, 0, 1, 1, 0, 2, 2, 1, 0]},
    {"batch_size": 2, "shuffle": True, "seed": 5, "validation_split": 0.3, "subset": "both"},
    {"batch_size": 2, "shuffle": True, "seed": 11, "validation_split": 0.25,
     "subset": "validation", "label_mode": "categorical"},
]


def _elements(ds) -> list:
    out = []
    for batch in ds:
        batch = batch if isinstance(batch, tuple) else (batch,)
        texts = [t.decode("utf-8") for t in batch[0].numpy().tolist()]
        rest = [np.asarray(b).tolist() for b in batch[1:]]
        out += [[t] + [r[i] for r in rest] for i, t in enumerate(texts)]
    return out


def main() -> None:
    root = tempfile.mkdtemp()
    for rel, text in FILES.items():
        os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
        with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
            f.write(text)
    cases = []
    for kwargs in CASES:
        got = keras.utils.text_dataset_from_directory(root, verbose=False, **kwargs)
        parts = got if isinstance(got, list) else [got]
        ordered = not kwargs["shuffle"]
        cases.append({"kwargs": kwargs, "class_names": parts[0].class_names,
                      "parts": [_elements(p) if ordered else sorted(_elements(p))
                                for p in parts],
                      "batches": [len(list(p)) for p in parts]})
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "data",
                        "keras_text_dataset.json")
    with open(path, "w") as f:
        json.dump({"files": FILES, "cases": cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
