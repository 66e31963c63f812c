"""``tf.train.Checkpoint``: save and restore the variables an object graph reaches, in TF's
own format (``<prefix>.index``, ``<prefix>.data-00000-of-00001`` and the ``checkpoint`` state
file), matching objects by the path of local names as TF does.

Restoring walks the saved object graph and the live objects side by side. A saved child the
live object does not have yet (a Keras layer not built, an optimizer with no slots yet) is
kept pending: the values are assigned when the layer builds or the optimizer creates its slots
(TF's deferred restoration).
"""

from __future__ import annotations

import collections
import os
import re
from typing import Any, NamedTuple

import numpy as np

from ..engine.dtypes import as_dtype
from ..engine.variable import Variable
from ..formats.files import atomic_write, read_bytes
from .bundle import BundleReader, DTYPE_NAMES, write_bundle
from .object_graph import GRAPH_KEY, Node, decode_graph, encode_graph, escape
from .trackable import children, is_trackable

__all__ = ["Checkpoint", "CheckpointLoadStatus", "CheckpointReader", "latest_checkpoint",
           "load_checkpoint", "list_variables", "load_variable", "read_state", "write_state",
           "CheckpointOptions", "CheckpointState", "get_checkpoint_state"]

_VALUE = "VARIABLE_VALUE"
STATE_FILE = "checkpoint"


# -- writing ---------------------------------------------------------------------------------
def _breadth_first(root: Any) -> tuple[list, list, list]:
    """Objects in TF's breadth-first order, each one's ``(node id, local name)`` children, and
    each one's path of local names (the first path that reaches it)."""
    order, ids, paths, edges = [root], {id(root): 0}, [()], []
    queue = collections.deque([root])
    while queue:
        obj = queue.popleft()
        mine = []
        for name, kid in children(obj):  # synthetic nodes live on in ``order``
            if id(kid) not in ids:
                ids[id(kid)] = len(order)
                order.append(kid)
                paths.append(paths[ids[id(obj)]] + (name,))
                queue.append(kid)
            mine.append((ids[id(kid)], name))
        edges.append(mine)
    return order, edges, paths


def _graph_and_tensors(root: Any) -> tuple[list[Node], dict]:
    order, edges, paths = _breadth_first(root)
    nodes, tensors = [], {}
    for obj, kids, path in zip(order, edges, paths):
        node = Node(children=kids)
        if isinstance(obj, Variable):
            key = "/".join(escape(p) for p in path) + f"/.ATTRIBUTES/{_VALUE}"
            node.attributes.append((_VALUE, obj.name.split(":")[0], key))
            tensors[key] = np.asarray(obj.numpy())
        for name, value in getattr(obj, "_checkpoint_tensors", dict)().items():
            # state that is no Variable (a tf.data iterator's position), under TF's attribute
            key = "/".join(escape(p) for p in path) + f"/.ATTRIBUTES/{name}"
            node.attributes.append((name, type(obj).__name__, key))
            tensors[key] = np.asarray(value)
        nodes.append(node)
    for node in reversed(nodes):  # a node has values if it or a child has
        node.has_values = bool(node.attributes) or any(nodes[c].has_values
                                                        for c, _ in node.children if c > 0)
    return nodes, tensors


def write_objects(root: Any, prefix: str) -> str:
    nodes, tensors = _graph_and_tensors(root)
    tensors[GRAPH_KEY] = encode_graph(nodes)
    write_bundle(prefix, tensors)
    return prefix


# -- the state file ----------------------------------------------------------------------------
def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_state(directory: str, latest: str, paths: list[str], timestamps: list | None = None,
                last_preserved: float | None = None) -> None:
    """Write the ``checkpoint`` text file (TF's ``CheckpointState``), paths relative to
    ``directory`` when they lie in it."""
    def rel(p: str) -> str:
        return os.path.relpath(p, directory) if os.path.dirname(os.path.abspath(p)) == \
            os.path.abspath(directory) else p

    lines = [f"model_checkpoint_path: {_quote(rel(latest))}"]
    lines += [f"all_model_checkpoint_paths: {_quote(rel(p))}" for p in paths]
    lines += [f"all_model_checkpoint_timestamps: {t!r}" for t in timestamps or []]
    if last_preserved is not None:
        lines.append(f"last_preserved_timestamp: {last_preserved!r}")
    atomic_write(os.path.join(directory, STATE_FILE), ("\n".join(lines) + "\n").encode())


_LINE = re.compile(r'^\s*(\w+)\s*:\s*(?:"((?:[^"\\]|\\.)*)"|([-+0-9.eE]+))\s*$')


def read_state(directory: str) -> dict | None:
    """The ``checkpoint`` file of ``directory`` as a dict, paths made absolute, or None."""
    path = os.path.join(directory, STATE_FILE)
    if not os.path.isfile(path):
        return None
    state: dict = {"all_model_checkpoint_paths": [], "all_model_checkpoint_timestamps": []}
    for line in read_bytes(path, 1 << 24).decode("utf-8", "replace").splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        key, text, number = m.groups()
        if text is not None:
            value: Any = re.sub(r"\\(.)", r"\1", text)
            value = value if os.path.isabs(value) else os.path.join(directory, value)
        else:
            value = float(number)
        if key.startswith("all_"):
            state[key].append(value)
        else:
            state[key] = value
    return state


class CheckpointState(NamedTuple):
    """The ``checkpoint`` file's fields (TF's ``CheckpointState`` proto)."""

    model_checkpoint_path: str
    all_model_checkpoint_paths: list
    all_model_checkpoint_timestamps: list
    last_preserved_timestamp: float


def get_checkpoint_state(checkpoint_dir: str,
                         latest_filename: str | None = None) -> CheckpointState | None:
    """The directory's ``checkpoint`` file, or None when there is none (``tf.train``).

    >>> import tempfile, tapegrad as tf
    >>> d = tempfile.mkdtemp()
    >>> _ = tf.train.Checkpoint(v=tf.Variable(1.0)).save(d + "/ckpt")
    >>> tf.train.get_checkpoint_state(d).model_checkpoint_path.endswith("ckpt-1")
    True
    """
    state = read_state(checkpoint_dir)
    if not state or "model_checkpoint_path" not in state:
        return None
    return CheckpointState(state["model_checkpoint_path"], state["all_model_checkpoint_paths"],
                           state["all_model_checkpoint_timestamps"],
                           state.get("last_preserved_timestamp", 0.0))


def latest_checkpoint(checkpoint_dir: str, latest_filename: str | None = None) -> str | None:
    """The newest checkpoint prefix recorded in ``checkpoint_dir``, or None (``tf.train``).

    >>> import tempfile, tapegrad as tf
    >>> d = tempfile.mkdtemp()
    >>> ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    >>> path = ckpt.save(d + "/ckpt")
    >>> tf.train.latest_checkpoint(d) == path
    True
    """
    state = read_state(checkpoint_dir)
    if not state or "model_checkpoint_path" not in state:
        return None
    path = state["model_checkpoint_path"]
    return path if os.path.exists(path + ".index") else None


def _resolve(ckpt_dir_or_file: str) -> str:
    if os.path.isdir(ckpt_dir_or_file):
        path = latest_checkpoint(ckpt_dir_or_file)
        if path is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given "
                             f"directory {ckpt_dir_or_file}")
        return path
    return ckpt_dir_or_file


class CheckpointReader(BundleReader):
    """``tf.train.load_checkpoint``'s reader: ``get_tensor``, ``has_tensor`` and the
    shape/dtype maps."""

    def has_tensor(self, key: str) -> bool:
        return key in self.entries

    def get_variable_to_shape_map(self) -> dict:
        return {k: list(self.shape(k)) for k in self.keys()}

    def get_variable_to_dtype_map(self) -> dict:
        names = {k: DTYPE_NAMES.get(self.dtype_enum(k), "unknown") for k in self.keys()}
        return {k: n if n in ("string", "unknown") else as_dtype(n) for k, n in names.items()}


def load_checkpoint(ckpt_dir_or_file: str) -> CheckpointReader:
    """A reader of a checkpoint prefix, or of the newest one in a directory.

    >>> import tempfile, tapegrad as tf
    >>> path = tf.train.Checkpoint(v=tf.Variable([1.0, 2.0])).write(tempfile.mkdtemp() + "/c")
    >>> tf.train.load_checkpoint(path).get_tensor("v/.ATTRIBUTES/VARIABLE_VALUE")
    array([1., 2.], dtype=float32)
    """
    return CheckpointReader(_resolve(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file: str) -> list[tuple[str, list]]:
    """``(key, shape)`` of every tensor in a checkpoint, sorted by key.

    >>> import tempfile, tapegrad as tf
    >>> path = tf.train.Checkpoint(v=tf.Variable([1.0, 2.0])).write(tempfile.mkdtemp() + "/c")
    >>> tf.train.list_variables(path)
    [('_CHECKPOINTABLE_OBJECT_GRAPH', []), ('v/.ATTRIBUTES/VARIABLE_VALUE', [2])]
    """
    reader = load_checkpoint(ckpt_dir_or_file)
    return [(k, list(reader.shape(k))) for k in reader.keys()]


def load_variable(ckpt_dir_or_file: str, name: str) -> Any:
    """The value of one tensor of a checkpoint.

    >>> import tempfile, tapegrad as tf
    >>> path = tf.train.Checkpoint(v=tf.Variable(3.0)).write(tempfile.mkdtemp() + "/c")
    >>> float(tf.train.load_variable(path, "v/.ATTRIBUTES/VARIABLE_VALUE"))
    3.0
    """
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)


# -- restoring -------------------------------------------------------------------------------
def _assign(var: Variable, value: Any, key: str) -> None:
    value = np.asarray(value)
    if tuple(value.shape) != tuple(var.shape):
        raise ValueError(f"Checkpoint: received incompatible tensor with shape "
                         f"{tuple(value.shape)} when attempting to restore variable "
                         f"'{var.name}' with shape {tuple(var.shape)} (key {key})")
    want = var._value.dtype
    if value.dtype != want and value.dtype.kind != want.kind:
        raise TypeError(f"Checkpoint: '{key}' holds {value.dtype}, variable '{var.name}' is "
                        f"{want}; restore into a variable of the checkpoint's dtype")
    var.assign(value.astype(want, copy=False))


def _paths(nodes: list[Node]) -> list[str]:
    out = ["(root)"] + [""] * (len(nodes) - 1)
    seen, queue = {0}, collections.deque([0])
    while queue:
        nid = queue.popleft()
        for cid, name in nodes[nid].children:
            if cid not in seen and cid < len(nodes):
                seen.add(cid)
                out[cid] = f"{out[nid]}.{name}"
                queue.append(cid)
    return out


class CheckpointLoadStatus:
    """What a restore matched; its ``assert_*`` methods check it as TF's do.

    Values for objects that do not exist yet are assigned when they are created (a Keras
    layer's ``build``, an optimizer's slots), for as long as this status lives.
    """

    def __init__(self, reader: BundleReader, root: Any):
        self._reader = reader
        self._nodes = decode_graph(reader.get_tensor(GRAPH_KEY)) if GRAPH_KEY in \
            reader.entries else []
        if not self._nodes:
            raise ValueError(f"Checkpoint '{reader.prefix}' has no object graph; it was not "
                             f"written by tf.train.Checkpoint (name-based checkpoints of "
                             f"tf.compat.v1.train.Saver are not supported)")
        self._root = root
        self.matched: dict[int, Any] = {}
        self.consumed: set = set()
        self._pending: dict[int, Any] = {}
        self._visit(0, root)

    def _visit(self, nid: int, obj: Any) -> None:
        queue = collections.deque([(nid, obj)])
        while queue:
            nid, obj = queue.popleft()
            if nid in self.matched and nid not in self._pending:
                continue
            self.matched[nid] = obj
            node = self._nodes[nid]
            for name, _, key in node.attributes:
                if name == _VALUE and isinstance(obj, Variable) and key not in self.consumed:
                    _assign(obj, self._reader.get_tensor(key), key)
                    self.consumed.add(key)
                elif hasattr(obj, "_restore_checkpoint_tensor") and key not in self.consumed:
                    obj._restore_checkpoint_tensor(name, self._reader.get_tensor(key))
                    self.consumed.add(key)
            live = dict(children(obj))
            missing = False
            for cid, name in node.children:
                if name in live:
                    queue.append((cid, live[name]))
                elif self._nodes[cid].has_values and cid not in self.matched:
                    missing = True
            self._defer(nid, obj, missing)

    def _defer(self, nid: int, obj: Any, missing: bool) -> None:
        if not missing:
            self._pending.pop(nid, None)
            return
        self._pending[nid] = obj
        hooks = vars(obj).setdefault("_after_build", []) if hasattr(obj, "__dict__") else None
        if hooks is not None and self._retry not in hooks:
            hooks.append(self._retry)

    def _retry(self) -> None:
        for nid, obj in list(self._pending.items()):
            self._visit(nid, obj)

    # -- TF's checks ---------------------------------------------------------------------------
    def _unmatched_in_checkpoint(self) -> list[str]:
        paths = _paths(self._nodes)
        return [paths[i] for i, n in enumerate(self._nodes)
                if n.attributes and any(k not in self.consumed for _, _, k in n.attributes)]

    def _unmatched_live(self) -> list:
        order, _, _ = _breadth_first(self._root)
        done = {id(o) for o in self.matched.values()}
        done.add(id(getattr(self._root, "_save_counter", None)))  # absent from write()'s files
        return [o for o in order if isinstance(o, Variable) and id(o) not in done]

    def assert_consumed(self) -> CheckpointLoadStatus:
        """Raise ``AssertionError`` unless every value in the checkpoint was restored and every
        variable of the object graph got one."""
        left = self._unmatched_in_checkpoint()
        if left:
            raise AssertionError(f"Unresolved object in checkpoint: {left[0]} (and "
                                 f"{len(left) - 1} more): its values were not restored; the "
                                 f"object is missing or not built yet")
        return self.assert_existing_objects_matched()

    def assert_existing_objects_matched(self) -> CheckpointLoadStatus:
        """Raise ``AssertionError`` if a variable that exists now got no value."""
        live = self._unmatched_live()
        if live:
            names = ", ".join(f"'{v.name}'" for v in live[:5])
            raise AssertionError(f"Some Python objects were not bound to checkpointed values, "
                                 f"likely due to changes in the Python program: {names}"
                                 f"{' …' if len(live) > 5 else ''}")
        return self

    def assert_nontrivial_match(self) -> CheckpointLoadStatus:
        """Raise ``AssertionError`` unless something besides the root was matched."""
        if len(self.matched) <= 1:
            raise AssertionError("Nothing except the root object matched a checkpointed value.")
        return self

    def expect_partial(self) -> CheckpointLoadStatus:
        """Say that a partial restore is intended (TF then stays silent about the rest)."""
        return self

    def run_restore_ops(self, session: Any = None) -> None:
        """Nothing to run: values are assigned eagerly."""


class _InitializationOnlyStatus:
    """``restore(None)``: nothing restored; the assertions say so as TF's do."""

    def assert_consumed(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being "
                             "restored.")

    assert_existing_objects_matched = assert_nontrivial_match = assert_consumed

    def expect_partial(self):
        return self

    def run_restore_ops(self, session: Any = None) -> None:
        """Nothing to run."""


class CheckpointOptions:
    """``tf.train.CheckpointOptions``: accepted; tapegrad writes one shard on the CPU."""

    def __init__(self, experimental_io_device: str | None = None,
                 experimental_enable_async_checkpoint: bool = False, **kwargs: Any):
        self.experimental_io_device = experimental_io_device
        self.experimental_enable_async_checkpoint = experimental_enable_async_checkpoint


class Checkpoint:
    """Groups trackable objects — Variables, tf.Modules, Keras models, layers and optimizers —
    to save and restore them in TF's checkpoint format (``tf.train.Checkpoint``).

    >>> import tempfile, tapegrad as tf
    >>> v = tf.Variable(1.0)
    >>> ckpt = tf.train.Checkpoint(step=tf.Variable(0, dtype=tf.int64), v=v)
    >>> path = ckpt.save(tempfile.mkdtemp() + "/ckpt")
    >>> path.endswith("ckpt-1")
    True
    >>> _ = v.assign(5.0)
    >>> ckpt.restore(path).assert_consumed(); float(v)
    <...CheckpointLoadStatus object at ...>
    1.0
    """

    def __init__(self, root: Any = None, **kwargs: Any):
        object.__setattr__(self, "_kids", {})
        object.__setattr__(self, "_root_obj", root)
        object.__setattr__(self, "_save_counter", None)
        if root is not None and not is_trackable(root):
            raise ValueError(f"Checkpoint: root must be a trackable object, got {root!r}")
        for name, value in sorted(kwargs.items()):
            setattr(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_"):
            # a dataset iterator is accepted, as in TF, but its position is not saved
            if not (is_trackable(value) or isinstance(value, (list, dict, tuple)) or
                    hasattr(value, "__next__")):
                raise ValueError(f"`Checkpoint` was expecting {name} to be a trackable object "
                                 f"(a Variable, tf.Module, Keras model, layer or optimizer), "
                                 f"got {value!r}.")
            self._kids[name] = value
        object.__setattr__(self, name, value)

    def _checkpoint_children(self) -> list:
        kids = children(self._root_obj) if self._root_obj is not None else []
        kids = kids + [(k, v) for k, v in self._kids.items() if is_trackable(v)]
        if self._save_counter is not None:
            kids.append(("save_counter", self._save_counter))
        return kids

    @property
    def save_counter(self) -> Variable:
        """How many times ``save`` was called (an int64 Variable, created at first use)."""
        if self._save_counter is None:
            object.__setattr__(self, "_save_counter",
                               Variable(np.int64(0), trainable=False, name="save_counter"))
        return self._save_counter

    def write(self, file_prefix: str, options: Any = None) -> str:
        """Write the checkpoint at exactly ``file_prefix`` (no counter, no state file)."""
        return write_objects(self, os.fspath(file_prefix))

    def save(self, file_prefix: str, options: Any = None) -> str:
        """Write ``<file_prefix>-<n>`` (``n`` counts saves) and record it in the directory's
        ``checkpoint`` file; returns the path."""
        counter = self.save_counter
        counter.assign_add(np.int64(1))
        path = self.write(f"{os.fspath(file_prefix)}-{int(counter.numpy())}")
        write_state(os.path.dirname(os.path.abspath(path)), path, [path])
        return path

    def read(self, save_path: str, options: Any = None) -> CheckpointLoadStatus:
        """Restore from ``save_path`` (a prefix, or a directory: its newest checkpoint)."""
        self.save_counter  # noqa: B018  (created first, so that it is restored too)
        return CheckpointLoadStatus(BundleReader(_resolve(os.fspath(save_path))), self)

    def restore(self, save_path: str | None, options: Any = None) -> Any:
        """Assign the saved values to the matching variables, now or when they are created;
        ``restore(None)`` restores nothing (the status's assertions then fail)."""
        if save_path is None:
            return _InitializationOnlyStatus()
        return self.read(save_path, options)

