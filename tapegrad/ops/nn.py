"""Neural-network ops: activations (the rest of ``tf.nn`` builds on these)."""

from __future__ import annotations

from .._backend import xp as np
from ..primitive import primitive
from .math import sigmoid, tanh

__all__ = ["relu", "sigmoid", "tanh"]


@primitive
def relu(x):
    """max(x, 0) (``tf.nn.relu``); the gradient at 0 is 0, as TF's."""
    return np.maximum(x, 0)


relu.defvjp(lambda g, ans, x: (relu_grad(g, ans),))
relu.defjvp(lambda t, ans, x: relu_grad(t[0], ans))


@primitive
def relu_grad(g, ans):
    """``g`` where ``ans > 0``, else 0: relu's VJP as one op (TF's ReluGrad)."""
    return np.where(ans > 0, g, np.zeros((), dtype=g.dtype))


# relu_grad is linear in g; the mask (from ans) is piecewise constant, so it has no gradient.
relu_grad.defvjps(lambda gg, out, g, ans: relu_grad(gg, ans), None)
relu_grad.defjvp(lambda t, out, g, ans: relu_grad(t[0], ans) if t[0] is not None else None)
