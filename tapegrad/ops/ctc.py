"""Connectionist temporal classification: ``tf.nn.ctc_loss`` on dense labels, the greedy
decoder and ``collapse_repeated``.

One primitive gives the loss and its gradient w.r.t. the logits together (the forward-backward
recursion in log space), as TF's fused CTCLoss kernel does; like TF, it has no second
derivative."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine.errors import InvalidArgumentError
from ..engine.registry import primitive
from ..engine.tensor import Tensor, _Base, convert_raw
from .array import _transpose
from .indexing import gather
from .sparse import SparseTensor

__all__ = ["ctc_loss", "ctc_greedy_decoder", "collapse_repeated"]

_NEG = -np.inf


def _extended(label: np.ndarray, blank: int) -> np.ndarray:
    """The label with a blank before, between and after its symbols (length 2L + 1)."""
    ext = np.full(2 * len(label) + 1, blank, np.int64)
    ext[1::2] = label
    return ext


def _forward(logp: np.ndarray, ext: np.ndarray, blank: int) -> np.ndarray:
    """alpha[t, s]: log-probability of the prefixes that reach state s at time t."""
    t_len, s_len = logp.shape[0], len(ext)
    skip = np.zeros(s_len, bool)  # may jump from s - 2: a symbol unlike the one two back
    skip[2:] = (ext[2:] != blank) & (ext[2:] != ext[:-2])
    alpha = np.full((t_len, s_len), _NEG)
    alpha[0, :2] = logp[0, ext[:2]]
    for t in range(1, t_len):
        prev = alpha[t - 1]
        a = prev.copy()
        a[1:] = np.logaddexp(a[1:], prev[:-1])
        a[2:] = np.where(skip[2:], np.logaddexp(a[2:], prev[:-2]), a[2:])
        alpha[t] = a + logp[t, ext]
    return alpha


def _one_sequence(x: np.ndarray, label: np.ndarray, blank: int) -> tuple[float, np.ndarray]:
    """The loss and d loss / d logits of one sequence (x: [T, K] logits of its real steps)."""
    logp = x - np.logaddexp.reduce(x, axis=1, keepdims=True)
    ext = _extended(label, blank)
    alpha = _forward(logp, ext, blank)
    # beta is alpha of the reversed problem (emissions included at both ends)
    beta = _forward(logp[::-1], ext[::-1], blank)[::-1, ::-1]
    loglik = np.logaddexp.reduce(alpha[-1, -2:]) if len(ext) > 1 else alpha[-1, -1]
    if not np.isfinite(loglik):  # no alignment fits in the steps given
        return np.inf, np.zeros_like(x)
    occupancy = alpha + beta - logp[:, ext]  # log of the paths through (t, s)
    post = np.zeros_like(x)
    for s, k in enumerate(ext):
        post[:, k] += np.exp(occupancy[:, s] - loglik)
    return -loglik, np.exp(logp) - post


@primitive(name="ctc_loss")
def _ctc_loss(logits, *, labels, label_length, logit_length, blank):
    """Time-major logits [T, B, K] -> (loss [B], gradient [T, B, K])."""
    loss = np.zeros(logits.shape[1], logits.dtype)
    grad = np.zeros_like(logits)
    x64 = logits.astype(np.float64)
    for b in range(logits.shape[1]):
        t = int(logit_length[b])
        nll, g = _one_sequence(x64[:t, b], labels[b, :int(label_length[b])], blank)
        loss[b] = nll
        grad[:t, b] = g
    return loss, grad


def _ctc_loss_vjp(g, ans, logits, **params):
    g_loss, g_grad = g
    if g_grad is not None and np.any(g_grad._value if isinstance(g_grad, _Base) else g_grad):
        raise LookupError("ctc_loss has no second derivative (as in TF: its gradient comes "
                          "from the fused kernel).")
    return (g_loss[..., None, :, None] * ans[1],)  # [..., 1, B, 1] * [T, B, K]


_ctc_loss.defvjp(_ctc_loss_vjp)


def _ints(x: Any, what: str, shape: tuple | None = None) -> np.ndarray:
    v = x._value if isinstance(x, _Base) else np.asarray(convert_raw(x))
    if v.dtype.kind not in "iu":
        raise TypeError(f"ctc_loss: {what} must be integers, got {v.dtype}.")
    if shape is not None and v.shape != shape:
        raise InvalidArgumentError(f"ctc_loss: {what} must have shape {list(shape)}, got "
                                   f"{list(v.shape)}.")
    return v.astype(np.int64)


def ctc_loss(labels: Any, logits: Any, label_length: Any, logit_length: Any,
             logits_time_major: bool = True, unique: Any = None, blank_index: Any = None,
             name: str | None = None) -> Tensor:
    """CTC loss per sequence, ``-log p(labels | logits)`` (``tf.nn.ctc_loss``) with dense
    ``labels`` [batch, max_label_length]. ``logits`` are unnormalised, [time, batch, classes]
    (or [batch, time, classes] with ``logits_time_major=False``); ``blank_index`` defaults to
    0 as TF's; ``unique`` is accepted and not needed. A sequence whose labels cannot fit in its
    steps has loss inf. The gradient w.r.t. ``logits`` is TF's; there is no second derivative.

    >>> import tapegrad as tf
    >>> logits = tf.zeros([3, 1, 3])  # 3 steps, 1 sequence, 3 classes (0 = blank)
    >>> tf.nn.ctc_loss([[1, 2]], logits, [2], [3]).numpy().round(4)  # -log(5 / 27)
    array([1.6864], dtype=float32)
    """
    x = logits if isinstance(logits, _Base) else Tensor(convert_raw(logits))
    if len(x.shape) != 3 or x.dtype.is_floating is False:
        raise InvalidArgumentError(f"ctc_loss: logits must be a float tensor [time, batch, "
                                   f"classes], got {x.dtype.name}{list(x.shape)}.")
    if not logits_time_major:
        x = _transpose(x, perm=(1, 0, 2))
    t_len, batch, classes = x.shape
    if hasattr(labels, "indices") and hasattr(labels, "dense_shape"):
        raise NotImplementedError("ctc_loss: SparseTensor labels are not supported; pass dense "
                                  "labels [batch, max_label_length] with label_length.")
    lab = _ints(labels, "labels")
    if lab.ndim != 2 or lab.shape[0] != batch:
        raise InvalidArgumentError(f"ctc_loss: labels must be [batch={batch}, max_label_length], "
                                   f"got {list(lab.shape)}.")
    lab_len = _ints(label_length, "label_length", (batch,))
    log_len = _ints(logit_length, "logit_length", (batch,))
    if np.any(log_len > t_len) or np.any(log_len < 0) or np.any(lab_len > lab.shape[1]):
        raise InvalidArgumentError(f"ctc_loss: logit_length {log_len.tolist()} must be within "
                                   f"[0, {t_len}] and label_length {lab_len.tolist()} within "
                                   f"[0, {lab.shape[1]}].")
    blank = 0 if blank_index is None else int(blank_index) % classes
    if blank:  # as TF: move the blank class first; labels below it shift up by one
        x = gather(x, [blank] + list(range(blank)) + list(range(blank + 1, classes)), axis=2)
        lab = np.where(lab < blank, lab + 1, lab)
    used = lab[np.arange(lab.shape[1]) < lab_len[:, None]]
    if np.any((used <= 0) | (used >= classes)):
        raise InvalidArgumentError(f"ctc_loss: labels must be classes in [0, {classes}) other "
                                   f"than the blank {blank}.")
    loss, _ = _ctc_loss(x, labels=lab, label_length=lab_len, logit_length=log_len, blank=0)
    return loss


def ctc_greedy_decoder(inputs: Any, sequence_length: Any, merge_repeated: bool = True,
                       blank_index: Any = None) -> tuple:
    """Best-path decoding (``tf.nn.ctc_greedy_decoder``): the most likely class at each step,
    repeats merged (``merge_repeated``), blanks dropped. ``inputs`` [time, batch, classes];
    ``blank_index`` defaults to ``classes - 1`` as TF's. Returns ``([decoded], neg_sum_logits)``
    with ``decoded`` an int64 SparseTensor [batch, longest] and ``neg_sum_logits`` [batch, 1]
    minus the sum of each step's largest logit. No gradient.

    >>> import tapegrad as tf
    >>> x = tf.one_hot([[1], [1], [2], [0], [1]], 3)  # [5 steps, 1 sequence, 3 classes]
    >>> decoded, _ = tf.nn.ctc_greedy_decoder(x, [5])
    >>> tf.sparse.to_dense(decoded[0]).numpy().tolist()
    [[1, 0, 1]]
    """
    v = inputs._value if isinstance(inputs, _Base) else np.asarray(convert_raw(inputs))
    if v.ndim != 3 or v.dtype.kind != "f":
        raise InvalidArgumentError(f"ctc_greedy_decoder: inputs must be a float tensor [time, "
                                   f"batch, classes], got {v.dtype}{list(v.shape)}.")
    t_len, batch, classes = v.shape
    lengths = _ints(sequence_length, "sequence_length", (batch,))
    if np.any((lengths < 0) | (lengths > t_len)):
        raise InvalidArgumentError(f"ctc_greedy_decoder: sequence_length {lengths.tolist()} "
                                   f"must be within [0, {t_len}].")
    blank = classes - 1 if blank_index is None else int(blank_index) % classes
    best = v.argmax(axis=2)
    steps = np.arange(t_len)[:, None] < lengths[None, :]
    neg_sum = -np.where(steps, v.max(axis=2), 0).sum(axis=0, keepdims=True).T
    rows = []
    for b in range(batch):
        path = best[:lengths[b], b]
        if merge_repeated and len(path):
            path = path[np.concatenate([[True], path[1:] != path[:-1]])]
        rows.append(path[path != blank])
    longest = max((len(r) for r in rows), default=0)
    idx = [[b, i] for b, r in enumerate(rows) for i in range(len(r))]
    vals = np.concatenate(rows).astype(np.int64) if rows else np.zeros(0, np.int64)
    decoded = SparseTensor(np.asarray(idx, np.int64).reshape(-1, 2), Tensor(vals),
                           [batch, longest])
    return [decoded], Tensor(neg_sum.astype(v.dtype))


def collapse_repeated(labels: Any, seq_length: Any, name: str | None = None) -> tuple:
    """Merge runs of repeated labels (``tf.nn.collapse_repeated``): ``labels`` [batch, max_len]
    with ``seq_length`` [batch]; returns the collapsed labels padded with 0 to the longest
    result, and the new lengths.

    >>> import tapegrad as tf
    >>> out, n = tf.nn.collapse_repeated([[1, 1, 2, 2, 3], [4, 4, 5, 0, 0]], [5, 3])
    >>> out.numpy().tolist(), n.numpy().tolist()
    ([[1, 2, 3], [4, 5, 0]], [3, 2])
    """
    lab = labels._value if isinstance(labels, _Base) else np.asarray(convert_raw(labels))
    if lab.ndim != 2:
        raise InvalidArgumentError(f"collapse_repeated: labels must be [batch, max_len], got "
                                   f"{list(lab.shape)}.")
    lengths = _ints(seq_length, "seq_length", (lab.shape[0],))
    rows = []
    for row, n in zip(lab, lengths):
        r = row[:n]
        rows.append(r[np.concatenate([[True], r[1:] != r[:-1]])] if len(r) else r)
    width = max((len(r) for r in rows), default=0)
    out = np.zeros((lab.shape[0], width), lab.dtype)
    for b, r in enumerate(rows):
        out[b, :len(r)] = r
    raw = seq_length._value if isinstance(seq_length, _Base) else convert_raw(seq_length)
    return Tensor(out), Tensor(np.array([len(r) for r in rows], np.asarray(raw).dtype))
