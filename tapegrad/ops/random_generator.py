"""``tf.random.Generator``: a random-number generator whose state is a Variable.

The state is TF's layout for Philox — int64 [counter, counter, key] — kept in an int64
Variable. Each draw keys a NumPy ``Philox`` bit generator with it, draws, and writes the
advanced counter back, so a generator built ``from_seed`` repeats its whole sequence, ``reset``
rewinds it, and ``split`` derives independent generators. The draw happens inside a primitive's
forward, so a replayed ``tapegrad.function`` advances the state as TF's stateful ops do.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from ..engine import dtypes as _dt
from ..engine.backend import xp as np
from ..engine.registry import primitive
from ..engine.tensor import Tensor, _Base
from ..engine.variable import Variable
from .creation import _shape_arg
from .random import (_float_dtype, draw_truncated, draw_uniform, param_array, uniform_args)
from .random_stateless import Algorithm, alg_int, create_rng_state

__all__ = ["Generator", "get_global_generator", "set_global_generator"]

LIVE: weakref.WeakSet = weakref.WeakSet()  # every Generator: tapegrad.function saves their states


def _as_state(state: Any) -> Any:
    s = np.asarray(state._value if isinstance(state, _Base) else state)
    return s.astype(np.int64).reshape(-1)


@primitive(name="stateful_random", differentiable=False)
def _draw(*, gen, kind, shape, dtype, params):
    with gen._lock:
        st = gen._state._value
        n = st.shape[0] - 1  # counter words before the key
        counter = np.zeros(4, np.uint64)
        counter[:n] = st[:n].view(np.uint64)
        bits = np.random.Philox(key=np.asarray([st[-1], 0], np.int64).view(np.uint64),
                                counter=counter)
        rng = np.random.Generator(bits)
        if kind == "normal":
            out = rng.standard_normal(shape)
        elif kind == "truncated_normal":
            out = draw_truncated(rng, shape)
        elif kind == "uniform":
            out = draw_uniform(rng, shape, params[0], params[1], dtype)
        elif kind == "full_int":
            info = np.iinfo(dtype)
            out = rng.integers(info.min, info.max, shape, dtype=dtype, endpoint=True)
        else:  # binomial
            out = rng.binomial(np.broadcast_to(params[0], shape).astype(np.int64),
                               np.broadcast_to(params[1], shape))
        # Philox moves its counter before each block: the next draw starts past this one's
        st[:n] = bits.state["state"]["counter"][:n].astype(np.uint64).view(np.int64)
    return np.asarray(out).astype(dtype)


class Generator:
    """A random-number generator with its own state (``tf.random.Generator``).

    >>> import tapegrad as tf
    >>> g = tf.random.Generator.from_seed(1)
    >>> a = g.normal([2, 3])
    >>> g.reset_from_seed(1)
    >>> bool((g.normal([2, 3]).numpy() == a.numpy()).all())
    True
    >>> g.uniform([2], maxval=10, dtype=tf.int32).dtype.name
    'int32'
    """

    def __init__(self, copy_from: Generator | None = None, state: Any = None,
                 alg: Any = None) -> None:
        if copy_from is not None:
            if state is not None or alg is not None:
                raise ValueError("Generator: give either copy_from or state and alg, not both.")
            state, alg = copy_from.state.numpy(), copy_from.algorithm
        elif state is None:
            raise ValueError("Generator: give copy_from or state (or use Generator.from_seed / "
                             "from_non_deterministic_state).")
        self._alg = alg_int(alg)
        s = _as_state(state)
        want = 2 if self._alg == 2 else 3
        if s.shape != (want,):
            raise ValueError(f"Generator: the state of algorithm {self._alg} has {want} int64 "
                             f"words, got shape {list(s.shape)}.")
        self._state = Variable(s, trainable=False, name="StateVar")
        self._lock = threading.Lock()
        LIVE.add(self)

    # -- constructors -----------------------------------------------------------------------
    @classmethod
    def from_seed(cls, seed: Any, alg: Any = None) -> Generator:
        """A generator whose sequence is fixed by ``seed`` (an int or a vector of ints)."""
        return cls(state=create_rng_state(seed, alg or Algorithm.PHILOX), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg: Any = None) -> Generator:
        """A generator seeded from the operating system's entropy."""
        words = np.random.SeedSequence().generate_state(3, np.uint64).view(np.int64)
        return cls(state=words[:2 if alg_int(alg) == 2 else 3], alg=alg)

    @classmethod
    def from_state(cls, state: Any, alg: Any) -> Generator:
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key: Any, counter: Any, alg: Any) -> Generator:
        """A generator from a key (shape [1]) and a counter (shape [2] for Philox)."""
        return cls(state=np.concatenate([_as_state(counter), _as_state(key)]), alg=alg)

    # -- state --------------------------------------------------------------------------------
    @property
    def state(self) -> Variable:
        """The int64 state Variable (Philox: counter, counter, key)."""
        return self._state

    @property
    def algorithm(self) -> int:
        return self._alg

    @property
    def key(self) -> Tensor:
        return Tensor(self._state._value[-1])

    def reset(self, state: Any) -> None:
        with self._lock:
            self._state._value[...] = _as_state(state)

    def reset_from_seed(self, seed: Any) -> None:
        self.reset(create_rng_state(seed, self._alg))

    def reset_from_key_counter(self, key: Any, counter: Any) -> None:
        self.reset(np.concatenate([_as_state(counter), _as_state(key)]))

    def skip(self, delta: Any) -> None:
        """Advance the counter by ``delta`` blocks."""
        with self._lock:
            c = self._state._value[:1].view(np.uint64)
            c[0] += np.uint64(int(param_array(delta, np.int64)))

    # -- sampling -----------------------------------------------------------------------------
    def normal(self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = _dt.float32,
               name: str | None = None) -> Tensor:
        """Samples from N(mean, stddev²); tensor ``mean``/``stddev`` get a gradient."""
        d = _float_dtype(dtype, "Generator.normal")
        z = _draw(gen=self, kind="normal", shape=_shape_arg(shape, "Generator.normal"),
                  dtype=d, params=())
        return z * stddev + mean

    def truncated_normal(self, shape: Any, mean: Any = 0.0, stddev: Any = 1.0,
                         dtype: Any = _dt.float32, name: str | None = None) -> Tensor:
        """Samples from N(mean, stddev²) within two standard deviations."""
        d = _float_dtype(dtype, "Generator.truncated_normal")
        z = _draw(gen=self, kind="truncated_normal", dtype=d, params=(),
                  shape=_shape_arg(shape, "Generator.truncated_normal"))
        return z * stddev + mean

    def uniform(self, shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = _dt.float32,
                name: str | None = None) -> Tensor:
        """Samples from U[minval, maxval); integer dtypes need ``maxval``."""
        shape = _shape_arg(shape, "Generator.uniform")
        d, lo, hi = uniform_args(minval, maxval, dtype, "Generator.uniform")
        if d.kind in "iu" or not (isinstance(lo, _Base) or isinstance(hi, _Base)):
            return _draw(gen=self, kind="uniform", shape=shape, dtype=d, params=(lo, hi))
        z = _draw(gen=self, kind="uniform", shape=shape, dtype=d, params=(0.0, 1.0))
        return z * (hi - lo) + lo

    def uniform_full_int(self, shape: Any, dtype: Any = _dt.int64,
                         name: str | None = None) -> Tensor:
        """Integers spread over the whole range of ``dtype`` (int64 by default: tapegrad has no
        uint64)."""
        return _draw(gen=self, kind="full_int", shape=_shape_arg(shape, "Generator.uniform"),
                     dtype=_dt.np_dtype(dtype), params=())

    def binomial(self, shape: Any, counts: Any, probs: Any, dtype: Any = _dt.int32,
                 name: str | None = None) -> Tensor:
        """Successes in ``counts`` trials of probability ``probs`` (broadcast to ``shape``)."""
        c, p = param_array(counts, np.float64), param_array(probs, np.float64)
        return _draw(gen=self, kind="binomial", shape=_shape_arg(shape, "Generator.binomial"),
                     dtype=_dt.np_dtype(dtype), params=(c, p))

    def make_seeds(self, count: int = 1) -> Tensor:
        """``count`` seed pairs for the stateless ops, as an int64 [2, count] tensor."""
        keys = self.uniform_full_int([int(count)], dtype=_dt.int64)._value
        return Tensor(np.stack([keys, np.zeros_like(keys)]))

    def split(self, count: int = 1) -> list:
        """``count`` new generators, independent of each other and of this one (which
        advances)."""
        seeds = self.make_seeds(count)._value
        return [Generator(state=[0, 0, seeds[0, i]], alg=self._alg) if self._alg != 2 else
                Generator(state=[0, seeds[0, i]], alg=2) for i in range(int(count))]

    def __repr__(self) -> str:
        return f"<tf.random.Generator alg={self._alg} state={self._state._value.tolist()}>"


_GLOBAL: list = []
_GLOBAL_LOCK = threading.Lock()


def get_global_generator() -> Generator:
    """The process's global ``Generator``, made from entropy on first use
    (``tf.random.get_global_generator``).

    >>> import tapegrad as tf
    >>> tf.random.get_global_generator().normal([2]).shape
    TensorShape([2])
    """
    with _GLOBAL_LOCK:
        if not _GLOBAL:
            _GLOBAL.append(Generator.from_non_deterministic_state())
        return _GLOBAL[0]


def set_global_generator(generator: Generator) -> None:
    """Replace the global ``Generator`` (``tf.random.set_global_generator``).

    >>> import tapegrad as tf
    >>> tf.random.set_global_generator(tf.random.Generator.from_seed(3))
    >>> tf.random.get_global_generator().state.numpy().tolist()
    [3, 0, 0]
    """
    if not isinstance(generator, Generator):
        raise TypeError(f"set_global_generator: expected a tf.random.Generator, got "
                        f"{type(generator).__name__}.")
    with _GLOBAL_LOCK:
        _GLOBAL[:] = [generator]
