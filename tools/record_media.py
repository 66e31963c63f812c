"""Image, audio and CSV cases written and decoded by TensorFlow 2.21, for tests/io/test_media.py.
Run from the repository root where TensorFlow is installed:

    python tools/record_media.py

Writes tests/data/media/: ``img.png`` (TF's encode_png of an 8x6 RGB gradient), ``img16.png``
(uint16, 1 channel), ``img.jpg`` (TF's encode_jpeg, quality 90), ``tone.wav`` (TF's encode_wav
of a 2-channel tone) and ``media.json`` with the pixels and samples TF decodes from them and
TF's decode_csv results.
"""

from __future__ import annotations

import json
import os

import numpy as np
import tensorflow as tf

OUT = os.path.join("tests", "data", "media")


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    yy, xx = np.mgrid[0:8, 0:6]
    rgb = np.stack([yy * 30, xx * 40, (yy + xx) * 15], -1).astype(np.uint8)
    gray16 = (yy * 6 + xx).astype(np.uint16)[..., None] * 1000
    files = {"img.png": tf.io.encode_png(rgb), "img16.png": tf.io.encode_png(gray16),
             "img.jpg": tf.io.encode_jpeg(rgb, quality=90)}
    t = np.arange(50, dtype=np.float32) / 8000.0
    tone = np.stack([0.5 * np.sin(2 * np.pi * 440 * t), np.linspace(-1, 1, 50)], -1)
    files["tone.wav"] = tf.audio.encode_wav(tone.astype(np.float32), 8000)
    for name, data in files.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data.numpy())
    audio, rate = tf.audio.decode_wav(files["tone.wav"])
    csv = tf.io.decode_csv(["1,2.5,a", '3,,"b,c"', ",7,"],
                           [[0], [1.5], [""]])
    record = {
        "rgb": rgb.tolist(), "gray16": gray16.tolist(),
        "png_decoded": tf.io.decode_png(files["img.png"]).numpy().tolist(),
        "png_gray": tf.io.decode_png(files["img.png"], channels=1).numpy().tolist(),
        "png_rgba": tf.io.decode_png(files["img.png"], channels=4).numpy().tolist(),
        "png16": tf.io.decode_png(files["img16.png"], dtype=tf.uint16).numpy().tolist(),
        "jpeg_decoded": tf.io.decode_jpeg(files["img.jpg"]).numpy().tolist(),
        "image_float": tf.io.decode_image(files["img.png"], dtype=tf.float32).numpy().tolist(),
        "tone": tone.tolist(), "wav_decoded": audio.numpy().tolist(), "wav_rate": int(rate),
        "wav_bytes_hex": files["tone.wav"].numpy().hex(),
        "csv": [c.numpy().tolist() if c.dtype != tf.string else
                [v.decode() for v in c.numpy()] for c in csv],
    }
    with open(os.path.join(OUT, "media.json"), "w") as f:
        json.dump(record, f)
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
