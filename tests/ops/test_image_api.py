"""tapegrad.image against TF 2.21's ``tf.image`` (tests/data/tf_api.json): every function that
both have takes TF's parameters in TF's order, and the names tapegrad lacks are exactly the ones
docs/image.md lists as not provided."""

import inspect
import json
import os

import pytest

import tapegrad as tf

with open(os.path.join(os.path.dirname(__file__), "..", "data", "tf_api.json")) as _f:
    API = json.load(_f)["namespaces"]["tf.image"]

# decode_*/encode_*/is_jpeg/extract_jpeg_shape are file codecs (tf.io's); the JPEG-quality ops
# need a codec; generate_bounding_box_proposals has only a GPU kernel in TF (docs/image.md).
NOT_PROVIDED = {
    "adjust_jpeg_quality", "decode_and_crop_jpeg", "decode_bmp", "decode_gif", "decode_image",
    "decode_jpeg", "decode_jxl", "decode_png", "decode_webp",
    "encode_jpeg", "encode_png", "extract_jpeg_shape",
    "generate_bounding_box_proposals", "is_jpeg", "random_jpeg_quality",
    "stateless_random_jpeg_quality",
}
FUNCTIONS = sorted(n for n, e in API.items() if e["kind"] == "function" and n not in
                   NOT_PROVIDED)


def test_the_missing_names_are_the_listed_ones():
    missing = {n for n in API if not hasattr(tf.image, n)}
    assert missing == NOT_PROVIDED


@pytest.mark.parametrize("name", FUNCTIONS)
def test_parameters_as_tf(name):
    ours = [p.name for p in inspect.signature(getattr(tf.image, name)).parameters.values()
            if p.kind != p.VAR_KEYWORD]
    want = [n for n, kind, _ in API[name]["params"] if kind != "VAR_KEYWORD"]
    assert ours[:len(want)] == want, f"tf.image.{name}: TF {want}, tapegrad {ours}"
