"""Record Keras 3's ``image_dataset_from_directory`` on a tiny folder of PNG files:
tests/data/keras_images/<class>/<n>.png (written here from a seeded generator) and
tests/data/keras_image_dataset.json (the images, labels and file order Keras gives).

Run with a Python that has TensorFlow 2.21 and Keras 3 installed (never a tapegrad
dependency): ``python tools/record_keras_image_dataset.py``.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

DATA = os.path.join(os.path.dirname(__file__), "..", "tests", "data")
FOLDER = os.path.join(DATA, "keras_images")


def write_images() -> None:
    rng = np.random.default_rng(0)
    for cls, count in (("cats", 3), ("dogs", 2)):
        os.makedirs(os.path.join(FOLDER, cls), exist_ok=True)
        for i in range(count):
            pixels = rng.integers(0, 256, (5, 7, 3), dtype=np.uint8)
            with open(os.path.join(FOLDER, cls, f"{i}.png"), "wb") as f:
                f.write(tf.io.encode_png(pixels).numpy())


def _rel(paths: list) -> list:
    return [os.path.relpath(p, FOLDER).replace(os.sep, "/") for p in paths]


def main() -> None:
    write_images()
    ds = keras.utils.image_dataset_from_directory(
        FOLDER, label_mode="categorical", image_size=(4, 6), shuffle=False, batch_size=2,
        verbose=False)
    images, labels = zip(*[(x.numpy(), y.numpy()) for x, y in ds])
    gray = keras.utils.image_dataset_from_directory(
        FOLDER, label_mode="binary", color_mode="grayscale", image_size=(3, 3),
        interpolation="nearest", shuffle=False, verbose=False)
    shuffled = keras.utils.image_dataset_from_directory(
        FOLDER, shuffle=True, seed=5, validation_split=0.4, subset="training", verbose=False)
    out = {"class_names": ds.class_names, "file_paths": _rel(ds.file_paths),
           "images": np.concatenate(images).tolist(), "labels": np.concatenate(labels).tolist(),
           "gray": [x.numpy().tolist() for x, _ in gray][0],
           "gray_labels": [y.numpy().tolist() for _, y in gray][0],
           "shuffled_training_paths": _rel(shuffled.file_paths)}
    with open(os.path.join(DATA, "keras_image_dataset.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
