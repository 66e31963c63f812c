"""``tapegrad.image``: TF's ``tf.image`` names (re-exports of ``tapegrad.ops.image_*``)."""

from .ops.image_geometry import *  # noqa: F401,F403
from .ops.image_colour import *  # noqa: F401,F403
from .ops.image_resize import *  # noqa: F401,F403
from .ops.image_metrics import *  # noqa: F401,F403
from .ops.image_boxes import *  # noqa: F401,F403
from .ops.image_random import *  # noqa: F401,F403
