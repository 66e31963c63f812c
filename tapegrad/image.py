"""``tapegrad.image``: TF's ``tf.image`` names (re-exports of ``tapegrad.ops.image_*``)."""

from .ops.image_geometry import *  # noqa: F401,F403
from .ops.image_colour import *  # noqa: F401,F403
from .ops.image_resize import *  # noqa: F401,F403
from .ops.image_metrics import *  # noqa: F401,F403
from .ops.image_boxes import *  # noqa: F401,F403
from .ops.image_random import *  # noqa: F401,F403
from .io.media import (decode_bmp, decode_gif, decode_image, decode_jpeg, decode_png,  # noqa: F401,E402
                       encode_jpeg, encode_png, is_jpeg)  # the file codecs live in tf.io
