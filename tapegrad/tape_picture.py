"""A picture of a GradientTape: Graphviz DOT text (``tape.to_dot``) and files (``tape.render``).

The path from each source to the target is drawn red, sources that do not reach it grey; long
linear runs collapse into one node and very large tapes are capped, so a picture stays readable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from typing import Any

import numpy as np

from .debugging import _downstream, _ops_of, _path
from .engine import dtypes as _dt, nest
from .engine.state import HOOKS
from .engine.tensor import _Base
from .engine.variable import Variable

__all__ = ["to_dot", "render"]


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(tape, target: Any = None, sources: Any = None, max_nodes: int = 120,
           collapse: int = 6) -> str:
    """Graphviz DOT text of the recorded ops; see ``GradientTape.to_dot``.

    One node per op (name, output dtype and shape); sources are boxes, the target a double
    outline; the edges from each source to the target are red, sources that do not reach the
    target are grey. Linear runs of more than ``collapse`` ops become one node; past
    ``max_nodes`` nodes the rest is summarised in a note.

    >>> import tapegrad as tf
    >>> x = tf.constant(2.0)
    >>> with tf.GradientTape(persistent=True) as tape:
    ...     tape.watch(x)
    ...     y = tf.exp(x) * x
    >>> print(tape.to_dot(y, x).splitlines()[0])
    digraph tape {
    """
    if tape._used and not tape._persistent:
        raise ValueError("to_dot: this non-persistent tape's records were released by "
                         "gradient(); draw it before calling gradient(), or create the tape with "
                         "GradientTape(persistent=True).")
    pic = _Picture(tape, target, sources)
    pic.collapse(collapse)
    shown, hidden = pic.shown(max_nodes)
    lines = ["digraph tape {", '  rankdir=TB; node [fontname="Helvetica", fontsize=11, '
             'shape=box, style="rounded,filled", fillcolor="#f4f6fb", color="#4a5a7a"];',
             '  edge [color="#7a869a"];']
    lines += pic.source_lines() + pic.node_lines(shown) + pic.edge_lines(set(shown))
    if hidden:
        lines.append(f'  more [shape=note, label="… {hidden} more ops not shown '
                     f'(to_dot(max_nodes=…))", fillcolor="#fff8dc"];')
    if pic.tids and not pic.target_ops and not any(t in pic.src_of for t in pic.tids):
        lines.append('  target [shape=box, style="dashed", color="#c0392b", '
                     'label="target\\n(not recorded on this tape)"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


_RED_EDGE = ' [color="#c0392b", penwidth=2]'


class _Picture:
    """The ops of a tape as a graph: sources, edges, the target's paths, collapsed runs."""

    def __init__(self, tape, target: Any, sources: Any):
        self.ops = ops = _ops_of(tape._records, describe=True)
        producer = {o: k for k, op in enumerate(ops) for o in op.outs}
        # the source nodes: given sources, else everything the tape watched
        if sources is None:
            self.srcs = list(tape._keep) + list(tape._watched_vars.values())
        else:
            self.srcs = [s for s in nest.flatten(sources) if isinstance(s, _Base)]
        self.src_of: dict[int, int] = {}   # tracked id -> source index
        for j, s in enumerate(self.srcs):
            if isinstance(s, Variable):
                for t in tape._var_snaps.get(id(s), ()):
                    self.src_of[id(t)] = j
            self.src_of[id(s)] = j
        self.tids = [id(t) for t in nest.flatten(target)] if target is not None else []
        self._paths()
        # edges between op indices (and from sources)
        self.preds: list[list[int]] = [[] for _ in ops]
        self.src_edges: list[tuple[int, int]] = []
        self.consumers: dict[int, int] = {}
        for k, op in enumerate(ops):
            for i in op.ins:
                if i in producer and producer[i] != k:
                    self.preds[k].append(producer[i])
                    self.consumers[producer[i]] = self.consumers.get(producer[i], 0) + 1
                elif i in self.src_of:
                    self.src_edges.append((self.src_of[i], k))
        self.target_ops = {producer[t] for t in self.tids if t in producer}
        self.group = list(range(len(ops)))
        self.runs: dict[int, list[int]] = {}

    def _paths(self) -> None:
        """Which ops and sources lie on a path to the target."""
        self.on_path: set[int] = set()
        self.src_hit: set[int] = set()
        if not self.tids:
            return
        for j in range(len(self.srcs)):
            ids = {i for i, jj in self.src_of.items() if jj == j}
            path = _path(self.ops, _downstream(self.ops, ids), self.tids)
            if path or any(t in ids for t in self.tids):
                self.src_hit.add(j)
            self.on_path.update(id(op) for op in path)

    def collapse(self, collapse: int) -> None:
        """Linear runs longer than ``collapse`` become one node: b's only predecessor is a,
        a's only consumer is b."""
        ops, k = self.ops, 0
        while k < len(ops):
            run = [k]
            while True:
                a, b = run[-1], run[-1] + 1
                if (b < len(ops) and self.preds[b] == [a] and self.consumers.get(a, 0) == 1
                        and len(ops[a].outs) == 1 and a not in self.target_ops
                        and not any(e[1] == b for e in self.src_edges)):
                    run.append(b)
                else:
                    break
            if len(run) > collapse:
                for m in run:
                    self.group[m] = run[0]
                self.runs[run[0]] = run
            k = run[-1] + 1

    def shown(self, max_nodes: int) -> tuple[list[int], int]:
        """The node ids drawn (at most ``max_nodes`` plus the target's) and how many ops not."""
        shown = [k for k in range(len(self.ops)) if self.group[k] == k]
        if len(shown) <= max_nodes:
            return shown, 0
        keep = set(shown[:max_nodes]) | {k for k in shown if self.group[k] in self.target_ops
                                         or k in self.target_ops}
        hidden = sum(len(self.runs.get(k, [k])) for k in shown if k not in keep)
        return [k for k in shown if k in keep], hidden

    def source_lines(self) -> list[str]:
        lines = []
        for j, s in enumerate(self.srcs):
            grey = self.tids and j not in self.src_hit
            label = (s.name if isinstance(s, Variable) else "source") + \
                f"\n{_dt.from_numpy(s._value.dtype).name}{list(np.shape(s._value))}"
            style = ('fillcolor="#eeeeee", color="#b0b0b0", fontcolor="#9a9a9a", '
                     'style="rounded,filled,dashed"') if grey else \
                'fillcolor="#dcecff", color="#1f5fbf", penwidth=2'
            lines.append(f"  s{j} [label={_q(label)}, shape=box, {style}];")
        return lines

    def node_lines(self, shown: list[int]) -> list[str]:
        lines = []
        for k in shown:
            members = self.runs.get(k, [k])
            last = self.ops[members[-1]]
            if len(members) > 1:
                counts: dict[str, int] = {}
                for m in members:
                    counts[self.ops[m].name] = counts.get(self.ops[m].name, 0) + 1
                what = ", ".join(f"{n} ×{c}" for n, c in counts.items())
                label = f"{len(members)} ops in a chain\n{what}\n{last.out_desc[0]}"
            else:
                label = f"{last.name}\n" + "\n".join(last.out_desc)
            attrs = []
            if members[-1] in self.target_ops:
                label += "\n(target)"
                attrs.append('peripheries=2, color="#c0392b", fillcolor="#fde2df", penwidth=2')
            elif any(id(self.ops[m]) in self.on_path for m in members):
                attrs.append('color="#c0392b"')
            lines.append(f"  n{k} [{', '.join([f'label={_q(label)}'] + attrs)}];")
        return lines

    def edge_lines(self, shown: set) -> list[str]:
        lines, drawn, group, on_path = [], set(), self.group, self.on_path
        for k, op in enumerate(self.ops):
            gk = group[k]
            if gk not in shown:
                continue
            for p in self.preds[k]:
                gp = group[p]
                if gp == gk or gp not in shown or (gp, gk) in drawn:
                    continue
                drawn.add((gp, gk))
                red = id(self.ops[p]) in on_path and id(op) in on_path
                lines.append(f"  n{gp} -> n{gk}" + (_RED_EDGE if red else "") + ";")
        for j, k in self.src_edges:
            gk = group[k]
            if gk not in shown or (f"s{j}", gk) in drawn:
                continue
            drawn.add((f"s{j}", gk))
            red = j in self.src_hit and id(self.ops[k]) in on_path
            lines.append(f"  s{j} -> n{gk}" + (_RED_EDGE if red else "") + ";")
        return lines


def render(tape, path: str, target: Any = None, sources: Any = None, **kwargs: Any) -> str:
    """Write the tape as ``.svg``, ``.png`` or ``.pdf`` with Graphviz's ``dot``; see
    ``GradientTape.render``. Returns ``path``.

    >>> import os, shutil, tempfile
    >>> import tapegrad as tf
    >>> x = tf.constant(2.0)
    >>> with tf.GradientTape(persistent=True) as tape:
    ...     tape.watch(x)
    ...     y = tf.exp(x) * x
    >>> path = os.path.join(tempfile.mkdtemp(), "tape.svg")
    >>> shutil.which("dot") is None or render(tape, path, y, x) == path
    True
    """
    fmt = os.path.splitext(str(path))[1].lstrip(".").lower()
    if fmt not in ("svg", "png", "pdf"):
        raise ValueError(f"render: the file name must end in .svg, .png or .pdf, got {path!r}.")
    dot = shutil.which("dot")
    if dot is None:
        raise RuntimeError("render: Graphviz's `dot` program was not found on PATH. Install "
                           "Graphviz (Debian/Ubuntu: `apt-get install graphviz`; macOS: `brew "
                           "install graphviz`; conda: `conda install graphviz`), or take the "
                           "text of tape.to_dot() to any Graphviz viewer.")
    text = to_dot(tape, target, sources, **kwargs)
    d = os.path.dirname(os.path.abspath(str(path)))
    with tempfile.NamedTemporaryFile("w", suffix=".dot", dir=d, delete=False) as f:
        f.write(text)
    try:
        done = subprocess.run([dot, f"-T{fmt}", "-o", str(path), f.name], capture_output=True,
                              text=True)
    finally:
        os.unlink(f.name)
    if done.returncode != 0:
        raise RuntimeError(f"render: `dot -T{fmt}` failed: {done.stderr.strip()}")
    return str(path)


HOOKS.to_dot, HOOKS.render = to_dot, render  # GradientTape.to_dot / .render
