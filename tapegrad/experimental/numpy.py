"""``tapegrad.experimental.numpy``: TF's ``tf.experimental.numpy`` (re-exports of
``tapegrad.ops.tnp``)."""

from ..ops.tnp import *  # noqa: F401,F403
