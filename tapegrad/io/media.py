"""Image and audio codecs: ``tf.io.encode_png`` (zlib alone), ``decode_png`` / ``decode_jpeg`` /
``decode_gif`` / ``decode_bmp`` / ``decode_image`` / ``encode_jpeg`` (Pillow, the ``image``
extra), ``tf.audio.decode_wav`` / ``encode_wav`` (NumPy alone)."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import numpy as np

from ..engine import dtypes as _dt
from ..engine.convert import constant, convert_to_tensor
from ..engine.errors import InvalidArgumentError
from ..engine.tensor import _Base

__all__ = ["encode_png", "decode_png", "decode_jpeg", "decode_gif", "decode_bmp",
           "decode_image", "encode_jpeg", "decode_wav", "encode_wav", "is_jpeg"]


def _bytes(contents: Any) -> bytes:
    if isinstance(contents, _Base):
        contents = contents._value.item()
    if isinstance(contents, np.ndarray):
        contents = contents.item()
    if not isinstance(contents, (bytes, bytearray)):
        raise TypeError(f"expected the file's bytes, got {type(contents).__name__}")
    return bytes(contents)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def encode_png(image: Any, compression: int = -1, name: str | None = None) -> bytes:
    """PNG bytes of a ``[height, width, channels]`` uint8 or uint16 image (1–4 channels).

    >>> import tapegrad as tf
    >>> png = tf.io.encode_png(tf.constant([[[255], [0]]], tf.uint8))
    >>> png[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    a = np.asarray(convert_to_tensor(image)._value)
    if a.ndim != 3 or not 1 <= a.shape[2] <= 4 or a.dtype not in (np.uint8, np.uint16):
        raise InvalidArgumentError(f"encode_png: image must be [height, width, channels] uint8 "
                                   f"or uint16 with 1-4 channels, got {a.dtype}{list(a.shape)}")
    h, w, c = a.shape
    color = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    depth = 8 if a.dtype == np.uint8 else 16
    rows = a.astype(">u2") if depth == 16 else a
    raw = np.concatenate([np.zeros((h, 1), np.uint8),
                          rows.reshape(h, -1).view(np.uint8).reshape(h, -1)], axis=1)
    level = 6 if compression < 0 else int(compression)
    return (b"\x89PNG\r\n\x1a\n" +
            _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color, 0, 0, 0)) +
            _chunk(b"IDAT", zlib.compress(raw.tobytes(), level)) + _chunk(b"IEND", b""))


def _pil():
    try:
        from PIL import Image  # noqa: PLC0415  (optional extra: image)
    except ImportError:
        raise ImportError('decoding images needs Pillow: pip install "tapegrad[image]"') from None
    return Image


_MODES = {0: None, 1: "L", 3: "RGB", 4: "RGBA"}


def _decode(contents: Any, channels: int, op: str, dtype: Any = _dt.uint8) -> Any:
    Image = _pil()
    try:
        img = Image.open(io.BytesIO(_bytes(contents)))
        frames = []
        for k in range(getattr(img, "n_frames", 1)):
            img.seek(k)
            frames.append(_pixels(img, channels, dtype))
    except (OSError, SyntaxError, ValueError) as e:
        raise InvalidArgumentError(f"{op}: cannot decode the image ({e})") from None
    return frames


def _pixels(img: Any, channels: int, dtype: Any) -> np.ndarray:
    if channels not in _MODES:
        raise InvalidArgumentError(f"channels must be 0, 1, 3 or 4, got {channels}")
    wide = img.mode in ("I;16", "I;16B", "I") and _dt.as_dtype(dtype) == _dt.uint16
    if wide:
        a = np.asarray(img, dtype=np.uint16)[..., None]
    else:
        mode = _MODES[channels] or {"L": "L", "LA": "RGBA", "RGBA": "RGBA", "P": "RGBA"
                                    if "transparency" in img.info else "RGB"}.get(img.mode, "RGB")
        a = np.asarray(img.convert(mode), dtype=np.uint8)
        if a.ndim == 2:
            a = a[..., None]
        if _dt.as_dtype(dtype) == _dt.uint16:
            a = a.astype(np.uint16) * 257
    return a


def decode_png(contents: Any, channels: int = 0, dtype: Any = _dt.uint8,
               name: str | None = None) -> Any:
    """A PNG's pixels as ``[height, width, channels]`` (``channels=0``: the file's).

    >>> import tapegrad as tf
    >>> img = tf.constant([[[1, 2, 3], [4, 5, 6]]], tf.uint8)
    >>> tf.io.decode_png(tf.io.encode_png(img)).numpy().tolist()
    [[[1, 2, 3], [4, 5, 6]]]
    """
    return constant(_decode(contents, channels, "decode_png", dtype)[0])


def decode_jpeg(contents: Any, channels: int = 0, ratio: int = 1, fancy_upscaling: bool = True,
                try_recover_truncated: bool = False, acceptable_fraction: float = 1,
                dct_method: str = "", name: str | None = None) -> Any:
    """A JPEG's pixels, uint8 ``[height, width, channels]`` (decoded by Pillow's libjpeg).

    >>> import tapegrad as tf
    >>> jpg = tf.io.encode_jpeg(tf.fill([4, 4, 3], tf.constant(200, tf.uint8)))
    >>> img = tf.io.decode_jpeg(jpg); img.shape, int(img[0, 0, 0])
    (TensorShape([4, 4, 3]), 200)
    """
    return constant(_decode(contents, channels, "decode_jpeg")[0])


def decode_bmp(contents: Any, channels: int = 0, name: str | None = None) -> Any:
    """A BMP's pixels, uint8 ``[height, width, channels]``.

    >>> import io, numpy as np, tapegrad as tf
    >>> from PIL import Image
    >>> buf = io.BytesIO(); Image.fromarray(np.full((2, 3, 3), 7, np.uint8)).save(buf, "BMP")
    >>> tf.io.decode_bmp(buf.getvalue()).shape
    TensorShape([2, 3, 3])
    """
    return constant(_decode(contents, channels, "decode_bmp")[0])


def decode_gif(contents: Any, name: str | None = None) -> Any:
    """A GIF's frames, uint8 ``[frames, height, width, 3]``.

    >>> import io, numpy as np, tapegrad as tf
    >>> from PIL import Image
    >>> frames = [Image.fromarray(np.full((2, 2, 3), v, np.uint8)) for v in (0, 255)]
    >>> buf = io.BytesIO(); frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    >>> tf.io.decode_gif(buf.getvalue()).shape
    TensorShape([2, 2, 2, 3])
    """
    return constant(np.stack(_decode(contents, 3, "decode_gif")))


def is_jpeg(contents: Any, name: str | None = None) -> bool:
    """Whether the bytes start like a JPEG file.

    >>> import tapegrad as tf
    >>> tf.io.is_jpeg(b"\\xff\\xd8\\xff\\xe0"), tf.io.is_jpeg(b"\\x89PNG")
    (True, False)
    """
    return _bytes(contents)[:3] == b"\xff\xd8\xff"


def decode_image(contents: Any, channels: int | None = None, dtype: Any = _dt.uint8,
                 name: str | None = None, expand_animations: bool = True) -> Any:
    """Decode a PNG, JPEG, BMP or GIF by its first bytes; a GIF is ``[frames, h, w, 3]`` unless
    ``expand_animations=False`` (then its first frame). ``dtype`` float32 scales to [0, 1).

    >>> import tapegrad as tf
    >>> png = tf.io.encode_png(tf.constant([[[0], [255]]], tf.uint8))
    >>> tf.io.decode_image(png, dtype=tf.float32).numpy().ravel().tolist()
    [0.0, 1.0]
    """
    data = _bytes(contents)
    want = _dt.as_dtype(dtype)
    raw_dtype = _dt.uint16 if want == _dt.uint16 else _dt.uint8
    frames = _decode(data, channels or 0, "decode_image", raw_dtype)
    gif = data[:6] in (b"GIF87a", b"GIF89a")
    a = np.stack(frames) if gif and expand_animations else frames[0]
    if want.is_floating:
        top = 65535.0 if raw_dtype == _dt.uint16 else 255.0
        return constant((a / top).astype(_dt.np_dtype(want)))
    return constant(a)


def encode_jpeg(image: Any, format: str = "", quality: int = 95,  # noqa: A002  (TF's name)
                progressive: bool = False, optimize_size: bool = False,
                chroma_downsampling: bool = True, density_unit: str = "in",
                x_density: int = 300, y_density: int = 300, xmp_metadata: str = "",
                name: str | None = None) -> bytes:
    """JPEG bytes of a uint8 ``[height, width, 1 or 3]`` image (Pillow).

    >>> import tapegrad as tf
    >>> tf.io.encode_jpeg(tf.zeros([2, 2, 1], tf.uint8))[:3]
    b'\\xff\\xd8\\xff'
    """
    Image = _pil()
    a = np.asarray(convert_to_tensor(image)._value)
    if a.ndim != 3 or a.shape[2] not in (1, 3) or a.dtype != np.uint8:
        raise InvalidArgumentError(f"encode_jpeg: image must be uint8 [height, width, 1 or 3], "
                                   f"got {a.dtype}{list(a.shape)}")
    out = io.BytesIO()
    Image.fromarray(a[..., 0] if a.shape[2] == 1 else a).save(
        out, "JPEG", quality=int(quality), progressive=progressive,
        subsampling=-1 if chroma_downsampling else 0, dpi=(x_density, y_density))
    return out.getvalue()


# -- WAV ---------------------------------------------------------------------------------------
def _wav_chunks(data: bytes) -> dict:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise InvalidArgumentError("decode_wav: not a WAV file (no RIFF/WAVE header)")
    chunks, i = {}, 12
    while i + 8 <= len(data):
        kind, size = data[i:i + 4], struct.unpack("<I", data[i + 4:i + 8])[0]
        if i + 8 + size > len(data):
            raise InvalidArgumentError(f"decode_wav: chunk {kind!r} claims {size} bytes past "
                                       f"the end of the {len(data)}-byte file (truncated?)")
        chunks.setdefault(kind, data[i + 8:i + 8 + size])
        i += 8 + size + (size & 1)
    if b"fmt " not in chunks or b"data" not in chunks:
        raise InvalidArgumentError("decode_wav: the file has no 'fmt ' or 'data' chunk")
    return chunks


def decode_wav(contents: Any, desired_channels: int = -1, desired_samples: int = -1,
               name: str | None = None) -> tuple:
    """``(audio, sample_rate)`` of 16-bit PCM WAV bytes: float32 ``[samples, channels]`` in
    [-1, 1) (int16 / 32768) and an int32 scalar, as ``tf.audio.decode_wav``. Extra desired
    channels repeat the last one; ``desired_samples`` truncates or pads with zeros.

    >>> import tapegrad as tf
    >>> wav = tf.audio.encode_wav(tf.constant([[0.5], [-1.0]]), 16000)
    >>> audio, rate = tf.audio.decode_wav(wav, desired_channels=2, desired_samples=3)
    >>> audio.numpy().tolist(), int(rate)
    ([[0.5, 0.5], [-1.0, -1.0], [0.0, 0.0]], 16000)
    """
    chunks = _wav_chunks(_bytes(contents))
    fmt = chunks[b"fmt "]
    if len(fmt) < 16:
        raise InvalidArgumentError("decode_wav: 'fmt ' chunk too short")
    audio_format, channels, rate, _, _, bits = struct.unpack("<HHIIHH", fmt[:16])
    if audio_format not in (1, 0xFFFE) or bits != 16:
        raise InvalidArgumentError(f"decode_wav: only 16-bit PCM is supported (as TF), got "
                                   f"format {audio_format} with {bits} bits per sample")
    raw = chunks[b"data"]
    frames = len(raw) // (2 * channels)
    pcm = np.frombuffer(raw[:frames * 2 * channels], "<i2").reshape(frames, channels)
    audio = pcm.astype(np.float32) / 32768.0
    if desired_channels is not None and desired_channels > 0:
        pick = np.minimum(np.arange(desired_channels), channels - 1)
        audio = audio[:, pick]
    if desired_samples is not None and desired_samples >= 0:
        audio = audio[:desired_samples]
        audio = np.pad(audio, ((0, desired_samples - audio.shape[0]), (0, 0)))
    return constant(audio), constant(np.int32(rate))


def encode_wav(audio: Any, sample_rate: Any, name: str | None = None) -> bytes:
    """16-bit PCM WAV bytes of float ``[samples, channels]`` audio in [-1, 1] (rounded from
    ``x * 32768`` and clipped, as TF).

    >>> import tapegrad as tf
    >>> wav = tf.audio.encode_wav(tf.constant([[0.25], [1.5]]), 8000)
    >>> wav[:4], len(wav), wav[-4:]
    (b'RIFF', 48, b'\\x00 \\xff\\x7f')
    """
    a = np.asarray(convert_to_tensor(audio)._value, dtype=np.float32)
    if a.ndim != 2:
        raise InvalidArgumentError(f"encode_wav: audio must be [samples, channels], got shape "
                                   f"{list(a.shape)}")
    rate = int(np.asarray(sample_rate._value if isinstance(sample_rate, _Base) else sample_rate))
    scaled = np.trunc(a * 32768.0 + np.copysign(0.5, a))  # roundf: halves away from zero
    pcm = np.clip(scaled, -32768, 32767).astype("<i2").tobytes()
    channels = a.shape[1]
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * 2 * channels, 2 * channels, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + \
        struct.pack("<I", len(pcm)) + pcm
    return b"RIFF" + struct.pack("<I", len(body)) + body
