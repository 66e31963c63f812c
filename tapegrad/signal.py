"""``tapegrad.signal``: TF's ``tf.signal`` names (re-exports; the ops live in ``ops/fft.py`` and
``ops/signal.py``)."""

from .ops.fft import *  # noqa: F401,F403
from .ops.signal import *  # noqa: F401,F403
