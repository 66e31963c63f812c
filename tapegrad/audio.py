"""``tf.audio``: WAV codecs (re-exports of :mod:`tapegrad.io.media`)."""

from .io.media import decode_wav, encode_wav  # noqa: F401
