"""Gradient checking: reverse and forward mode against central finite differences.

>>> import numpy as np, tapegrad as tf
>>> from tapegrad.testing import check_grads
>>> check_grads(lambda x: tf.exp(x) * x, [np.array([0.5, -1.0])], order=2)
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from .forward import ForwardAccumulator
from .engine.tape import GradientTape, UnconnectedGradients
from .engine.tensor import Tensor, _Base
from .engine.indexed_slices import IndexedSlices
from .engine.variable import Variable
from .ops.array import concat, reshape

__all__ = ["check_grads", "check_grads_float32", "check_layer_grads", "numerical_jvp",
           "value_and_gradients", "check_forward", "check_unary_against", "GradCase"]

EPS = 1e-6
RTOL = 1e-5
ATOL = 1e-6


def _t(a) -> Tensor:
    return Tensor(np.asarray(a, dtype=np.float64))


def _val(y) -> np.ndarray:
    return np.asarray(y._value if isinstance(y, _Base) else y, dtype=np.float64)


def numerical_jvp(f: Callable, args: Sequence[np.ndarray], tangents: Sequence[np.ndarray],
                  eps: float = EPS) -> np.ndarray:
    """Central difference (f(x + eps t) - f(x - eps t)) / 2 eps, in float64."""
    hi = f(*[_t(a + eps * t) for a, t in zip(args, tangents)])
    lo = f(*[_t(a - eps * t) for a, t in zip(args, tangents)])
    with np.errstate(all="ignore"):  # inf - inf reads as a mismatch, not as a NumPy warning
        return (_val(hi) - _val(lo)) / (2 * eps)


def _close(what: str, analytic, numeric, rtol: float, atol: float) -> None:
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64)
    if not np.allclose(analytic, numeric, rtol=rtol, atol=atol):
        raise AssertionError(f"{what} does not match finite differences:\n  analytic {analytic}"
                             f"\n  numeric  {numeric}")


def _rev_dot(f, args, u, v) -> float:
    """<grad of <u, f(x)>, v> by one reverse pass."""
    xs = [_t(a) for a in args]
    with GradientTape() as tape:
        tape.watch(xs)
        y = f(*xs)
    grads = tape.gradient(y, xs, output_gradients=_t(u),
                          unconnected_gradients=UnconnectedGradients.ZERO)
    with np.errstate(all="ignore"):
        return sum(float(np.sum(_val(g) * vi)) for g, vi in zip(grads, v))


def _fwd(f, args, v, only: int | None = None) -> np.ndarray:
    """``J v``; with ``only``, a tangent on argument ``only`` alone (the other arguments are
    constants, so the JVP rules see ``None`` for their tangents)."""
    xs = [_t(a) for a in args]
    watched = list(range(len(xs))) if only is None else [only]
    with ForwardAccumulator([xs[i] for i in watched], [_t(v[i]) for i in watched]) as acc:
        y = f(*xs)
    t = acc.jvp(y, unconnected_gradients=UnconnectedGradients.ZERO)
    return _val(t)


def _jacobians_agree(f, args, rtol, atol) -> None:
    """The vectorized jacobian (one batched reverse pass) equals the row-by-row loop."""
    xs = [_t(a) for a in args]
    with GradientTape(persistent=True) as tape:
        tape.watch(xs)
        y = f(*xs)
    fast = tape.jacobian(y, xs, unconnected_gradients=UnconnectedGradients.ZERO)
    slow = tape.jacobian(y, xs, unconnected_gradients=UnconnectedGradients.ZERO,
                         experimental_use_pfor=False)
    for i, (a, b) in enumerate(zip(fast, slow)):
        _close(f"vectorized jacobian w.r.t. argument {i}", _val(a), _val(b), rtol, atol)


def check_grads(f: Callable, args: Sequence[Any], order: int = 2,
                modes: Sequence[str] = ("rev", "fwd", "jac"), rtol: float = RTOL,
                atol: float = ATOL, seed: int = 0) -> None:
    """Check ``f``'s derivatives at ``args`` (float64 arrays) up to ``order``.

    Along a random direction ``v`` and output weighting ``u``: reverse mode gives
    ``<∇<u, f>, v>``, forward mode ``<u, J v>``; both must match the central difference
    ``<u, (f(x+εv) - f(x-εv)) / 2ε>``. With several arguments forward mode is also checked
    with a tangent on each argument alone (the others constant). ``jac`` checks that the
    vectorized jacobian equals the row-by-row one. For ``order > 1`` the same checks run on
    the reverse-mode and forward-mode derivative functions (so second derivatives are checked
    both ways).
    Raises AssertionError on a mismatch.
    """
    rng = np.random.default_rng(seed)
    args = [np.asarray(a, dtype=np.float64) for a in args]
    y0 = _val(f(*[_t(a) for a in args]))
    u = rng.standard_normal(y0.shape)
    v = [rng.standard_normal(a.shape) for a in args]
    with np.errstate(all="ignore"):
        numeric = float(np.sum(u * numerical_jvp(f, args, v)))
    if "rev" in modes:
        _close("reverse mode <grad, v>", _rev_dot(f, args, u, v), numeric, rtol, atol)
    if "fwd" in modes:
        with np.errstate(all="ignore"):
            fwd = float(np.sum(u * _fwd(f, args, v)))
        _close("forward mode <u, jvp>", fwd, numeric, rtol, atol)
        for i in range(len(args)) if len(args) > 1 else ():  # one argument's tangent alone
            vi = [v[j] if j == i else np.zeros_like(a) for j, a in enumerate(args)]
            with np.errstate(all="ignore"):
                num_i = float(np.sum(u * numerical_jvp(f, args, vi)))
                fwd_i = float(np.sum(u * _fwd(f, args, v, only=i)))
            _close(f"forward mode <u, jvp> with a tangent on argument {i} only", fwd_i, num_i,
                   rtol, atol)
    if "jac" in modes and order == 1 or ("jac" in modes and y0.size * sum(a.size for a in args)
                                         <= 4096):
        _jacobians_agree(f, args, rtol, atol)
    if order > 1:
        ut = u.copy()

        def rev_grad(*xs):
            with GradientTape() as tape:
                tape.watch(list(xs))
                y = f(*xs)
            gs = tape.gradient(y, list(xs), output_gradients=Tensor(np.asarray(ut, _val(y).dtype)),
                               unconnected_gradients=UnconnectedGradients.ZERO)
            return concat([reshape(g, [-1]) for g in gs], 0)

        vt = [vi.copy() for vi in v]

        def fwd_grad(*xs):
            with ForwardAccumulator(list(xs), [_t(vi) for vi in vt]) as acc:
                y = f(*xs)
            return acc.jvp(y, unconnected_gradients=UnconnectedGradients.ZERO)

        sub = [m for m in modes if m != "jac"]
        if "rev" in modes:
            check_grads(rev_grad, args, order - 1, sub, rtol, atol, seed + 1)
        if "fwd" in modes:
            check_grads(fwd_grad, args, order - 1, sub, rtol, atol, seed + 2)


# float32 gradients against float64's: about sqrt(float32 eps) relative, for sums of a few terms
FLOAT32_RTOL, FLOAT32_ATOL = 1e-3, 1e-4


def _dense_value(g) -> np.ndarray:
    return g.to_dense()._value if isinstance(g, IndexedSlices) else g._value


def check_grads_float32(f: Callable, args: Sequence[Any], rtol: float = FLOAT32_RTOL,
                        atol: float = FLOAT32_ATOL) -> None:
    """Check ``f``'s reverse and forward derivatives on float32 inputs: each gradient is float32,
    the JVP has the output's dtype, and both match the float64 ones (which ``check_grads``
    checks) to float32 tolerances.

    >>> import numpy as np, tapegrad as tf
    >>> check_grads_float32(lambda x: tf.exp(x) * x, [np.array([0.5, -1.0])])
    """
    results, out_dtype = {}, None
    for dt in (np.float32, np.float64):
        xs = [Tensor(np.asarray(a, dtype=dt)) for a in args]
        with GradientTape() as tape:
            tape.watch(xs)
            y = f(*xs)
        grads = tape.gradient(y, xs, unconnected_gradients=UnconnectedGradients.ZERO)
        with ForwardAccumulator(xs, [Tensor(np.ones_like(x._value)) for x in xs]) as acc:
            yf = f(*xs)
        jvp = acc.jvp(yf, unconnected_gradients=UnconnectedGradients.ZERO)
        results[dt] = [_dense_value(g) for g in grads] + [jvp._value]
        out_dtype = out_dtype or yf._value.dtype  # the float32 run's
    for i, (lo, hi) in enumerate(zip(results[np.float32], results[np.float64])):
        what, want = ((f"float32 gradient {i}", np.float32) if i < len(args) else
                      ("float32 jvp", out_dtype))
        if np.asarray(lo).dtype != want:
            raise AssertionError(f"{what} has dtype {np.asarray(lo).dtype}, expected "
                                 f"{np.dtype(want).name}")
        _close(what + " (against float64)", lo, hi, rtol, atol)


# -- layers: gradients with respect to the inputs and the weights ---------------------------------
class _AliasedVariable(Variable):
    """A Variable whose reads, while something listens, are one given tensor: the weight argument
    of ``check_layer_grads``'s function, so tapes and accumulators differentiate through it."""

    __slots__ = ()

    def _read_for_listeners(self, value) -> Tensor:
        return _ALIASES[id(self)]


_ALIASES: dict[int, Tensor] = {}
_ALIAS_LOCK = threading.Lock()  # one layer check at a time swaps variables' classes


@contextmanager
def _weights_as(variables: Sequence[Variable], weights: Sequence[Tensor]) -> Iterator[None]:
    """Within the block each variable holds, and is read as, the matching weight tensor."""
    saved = [(v.__class__, v._value) for v in variables]
    for v, w in zip(variables, weights):
        _ALIASES[id(v)] = w
        v.__class__, v._value = _AliasedVariable, w._value
    try:
        yield
    finally:
        for v, (cls, value) in zip(variables, saved):
            v.__class__, v._value = cls, value
            del _ALIASES[id(v)]


def check_layer_grads(layer: Callable, inputs: Any, order: int = 2,
                      modes: Sequence[str] = ("rev", "fwd", "jac"), rtol: float = RTOL,
                      atol: float = ATOL, seed: int = 0, wrt_inputs: bool = True,
                      **call_kwargs: Any) -> None:
    """``check_grads`` on a Keras layer as a function of its inputs *and* its trainable weights.

    ``inputs`` is one float64 array or a list of them (merge layers); the layer should compute in
    float64 (``dtype="float64"``). It is built by a first call; then each trainable floating
    variable becomes an argument of the checked function (its reads are that argument), so the
    reverse, forward and second-order derivatives with respect to every weight are compared
    with finite differences. ``wrt_inputs=False`` keeps the inputs fixed (integer ids of an
    ``Embedding``). ``call_kwargs`` (``training=True``, ``mask=…``) go to each call.

    >>> import numpy as np, tapegrad as tf
    >>> layer = tf.keras.layers.Dense(2, activation="tanh", dtype="float64")
    >>> check_layer_grads(layer, np.linspace(-1.0, 1.0, 6).reshape(2, 3))
    """
    multi = isinstance(inputs, (list, tuple))
    xs = [np.asarray(a, dtype=np.float64 if wrt_inputs else None)
          for a in (inputs if multi else [inputs])]
    layer([Tensor(a) for a in xs] if multi else Tensor(xs[0]), **call_kwargs)  # build
    variables = [v for v in layer.trainable_variables if v._value.dtype.kind == "f"]
    n = len(xs) if wrt_inputs else 0

    def f(*args):
        given = list(args[:n]) if wrt_inputs else [Tensor(a) for a in xs]
        with _weights_as(variables, args[n:]):
            return layer(given if multi else given[0], **call_kwargs)

    with _ALIAS_LOCK:
        check_grads(f, xs[:n] + [v.numpy() for v in variables], order, modes, rtol, atol, seed)


# -- the shared gradient-check table --------------------------------------------------------------
UNARY_SHAPES = [((),), ((3,),), ((2, 3),)]
BINARY_SHAPES = [((), ()), ((3,), (3,)), ((2, 3), (2, 3)), ((2, 3), (1, 3)), ((2, 1), (1, 3)),
                 ((2, 3), ()), ((), (2, 3)), ((3,), (2, 3))]
MATMUL_SHAPES = [((2, 3), (3, 4)), ((5, 2, 3), (3, 4)), ((5, 2, 3), (5, 3, 4)),
                 ((1, 2, 3), (4, 3, 2))]


class GradCase:
    """One row of a family's gradient-check table: ``f`` checked at each arg-shape tuple.

    ``domain=(lo, hi)`` draws inputs uniformly there (keep them inside the op's domain and away
    from kinks); ``make_args(rng, shapes)`` overrides that. Family test modules expose a
    ``GRAD_CASES`` list; the registry meta-test runs every case under a tape and fails if a
    registered differentiable primitive is never exercised.
    """

    def __init__(self, name: str, f: Callable, shapes: Sequence[Sequence[tuple]] = UNARY_SHAPES,
                 domain: tuple[float, float] = (-2.0, 2.0), order: int = 2,
                 modes: Sequence[str] = ("rev", "fwd", "jac"), rtol: float = RTOL,
                 atol: float = ATOL, make_args: Callable | None = None):
        self.name, self.f, self.shapes, self.domain = name, f, list(shapes), domain
        self.order, self.modes, self.rtol, self.atol = order, tuple(modes), rtol, atol
        self.make_args = make_args

    def __repr__(self) -> str:
        return self.name

    def args_for(self, shapes: Sequence[tuple], seed: int = 0) -> list[np.ndarray]:
        rng = np.random.default_rng(seed)
        if self.make_args is not None:
            return [np.asarray(a, dtype=np.float64) for a in self.make_args(rng, shapes)]
        lo, hi = self.domain
        return [rng.uniform(lo, hi, s) for s in shapes]

    def check(self) -> None:
        for i, shapes in enumerate(self.shapes):
            args = self.args_for(shapes, seed=i)
            try:
                check_grads(self.f, args, self.order, self.modes, self.rtol, self.atol, seed=i)
            except AssertionError as e:
                raise AssertionError(f"{self.name} at shapes {list(shapes)}: {e}") from None

    def check_float32(self) -> None:
        """``check_grads_float32`` at each arg-shape tuple; a case with looser float64
        tolerances gets float32 ones looser by the same factor."""
        scale = max(1.0, self.rtol / RTOL, self.atol / ATOL)
        for i, shapes in enumerate(self.shapes):
            try:
                check_grads_float32(self.f, self.args_for(shapes, seed=i),
                                    FLOAT32_RTOL * scale, FLOAT32_ATOL * scale)
            except AssertionError as e:
                raise AssertionError(f"{self.name} at shapes {list(shapes)}: {e}") from None

    def primitives(self) -> set[str]:
        """Names of the primitives ``f`` records (for the registry meta-test)."""
        shapes = self.shapes[0]
        xs = [Tensor(a) for a in self.args_for(shapes)]
        with GradientTape() as tape:
            tape.watch(xs)
            self.f(*xs)
        return {rec.prim.name for rec in tape._records}


def value_and_gradients(f: Callable, *xs: Any, dtype: Any = None):
    """``f(*xs)`` on constants (cast to ``dtype`` if given) and the gradient of its sum w.r.t.
    each, all as NumPy (None for an unconnected input).

    >>> import numpy as np, tapegrad as tf
    >>> y, (dx,) = value_and_gradients(lambda x: x * x, np.array([3.0]))
    >>> float(y[0]), float(dx[0])
    (9.0, 6.0)
    """
    ts = [Tensor(np.asarray(x, dtype=dtype)) if dtype is not None else
          (x if isinstance(x, _Base) else Tensor(x)) for x in xs]
    with GradientTape() as tape:
        tape.watch(ts)
        y = f(*ts)
    grads = tape.gradient(y, ts)
    return y.numpy(), [None if g is None else np.asarray(g) for g in grads]


def check_forward(f: Callable[[], Any], want: Any, rtol: float = 1e-12) -> None:
    """``f()`` equals the reference ``want`` (an integer reference also fixes the dtype).

    >>> import numpy as np, tapegrad as tf
    >>> check_forward(lambda: tf.reverse([1, 2, 3], [0]), np.array([3, 2, 1], np.int32))
    """
    got = f()
    got = got.numpy() if hasattr(got, "numpy") else got
    np.testing.assert_allclose(got, want, rtol=rtol)
    if isinstance(want, np.ndarray) and want.dtype.kind == "i":
        assert got.dtype == want.dtype, f"dtype {got.dtype}, expected {want.dtype}"


def check_unary_against(op: Callable, ref: Callable, x: np.ndarray) -> None:
    """``op`` agrees with the float64 reference ``ref`` at ``x``: to 1e-14 in float64, and to
    float32 rounding (2e-6) on float32 inputs, keeping each input's dtype.

    >>> import numpy as np, tapegrad as tf
    >>> check_unary_against(tf.exp, np.exp, np.array([0.0, 1.0]))
    """
    got = op(x)
    assert got.dtype == np.float64, f"dtype {got.dtype.name}, expected float64"
    np.testing.assert_allclose(got.numpy(), ref(x), rtol=1e-14, atol=0)
    x32 = x.astype(np.float32)
    got32 = op(x32)
    assert got32.dtype == np.float32, f"dtype {got32.dtype.name}, expected float32"
    np.testing.assert_allclose(got32.numpy(), ref(x32.astype(np.float64)).astype(np.float32),
                               rtol=2e-6)
