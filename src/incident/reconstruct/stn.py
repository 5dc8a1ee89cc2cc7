"""A Simple Temporal Network: time points, difference constraints, and their contradictions.

Each constraint says ``x_j - x_i <= w`` for two time points (``z`` is the origin, time 0);
a bound ``lo <= x <= hi`` is the pair ``x - z <= hi`` and ``z - x <= -lo``, an order
``a <= b`` is ``a - b <= 0``. The constraints are the edges of a distance graph
(``i → j`` with weight ``w``); the network is consistent iff the graph has no negative
cycle, and then the shortest-path distances give the tightest bound of every point
(Dechter, Meiri & Pearl 1991). A negative cycle is a contradiction, and the labels of its
edges name the claims on either side.

The networks here are small (an origin and two points per outage episode of one
platform and day), so Floyd–Warshall is plenty.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

INF = math.inf


@dataclass
class STN:
    """A Simple Temporal Network over named time points (``'z'`` is the origin).

    Attributes:
        points: Point names; ``points[0] == 'z'``.
        edges: ``(i, j, w, label)``: ``x_j - x_i <= w``, labelled with the claim ids behind it.
    """

    points: list[str] = field(default_factory=lambda: ["z"])
    edges: list[tuple[int, int, float, str]] = field(default_factory=list)

    def point(self, name: str) -> int:
        """Index of a point, adding it when new."""
        if name not in self.points:
            self.points.append(name)
        return self.points.index(name)

    def constrain(self, a: str, b: str, w: float, label: str) -> None:
        """Add ``x_b - x_a <= w``."""
        if math.isfinite(w):
            self.edges.append((self.point(a), self.point(b), float(w), label))

    def bound(self, name: str, *, lo: float = -INF, hi: float = INF, label: str) -> None:
        """Add ``lo <= x_name <= hi`` (infinite sides are no constraint)."""
        self.point(name)
        self.constrain("z", name, hi, label)
        self.constrain(name, "z", -lo, label)

    def order(self, first: str, then: str, *, label: str) -> None:
        """Add ``x_first <= x_then``."""
        self.constrain(then, first, 0.0, label)

    def _floyd(self) -> tuple[list[list[float]], list[list[int]]]:
        n = len(self.points)
        d = [[0.0 if i == j else INF for j in range(n)] for i in range(n)]
        nxt = [[j if i == j else -1 for j in range(n)] for i in range(n)]
        for i, j, w, _ in self.edges:
            if w < d[i][j]:
                d[i][j], nxt[i][j] = w, j
        for k in range(n):
            dk = d[k]
            for i in range(n):
                dik = d[i][k]
                if dik == INF:
                    continue
                di = d[i]
                for j in range(n):
                    if dik + dk[j] < di[j]:
                        di[j] = dik + dk[j]
                        nxt[i][j] = nxt[i][k]
        return d, nxt

    def solve(self) -> dict[str, tuple[float, float]] | None:
        """Tightest bounds ``{point: (lo, hi)}`` relative to ``z``, or ``None`` when inconsistent."""
        d, _ = self._floyd()
        if any(d[i][i] < 0 for i in range(len(self.points))):
            return None
        return {name: (-d[i][0], d[0][i]) for i, name in enumerate(self.points) if i}

    def consistent(self) -> bool:
        """Whether the constraints can all hold (no negative cycle)."""
        return self.solve() is not None

    def conflict(self) -> list[str]:
        """Labels of the edges of one negative cycle (empty when consistent).

        Returns:
            The labels along the cycle, de-duplicated in order: the claims that cannot all
            be true together.
        """
        d, nxt = self._floyd()
        start = next((i for i in range(len(self.points)) if d[i][i] < 0), None)
        if start is None:
            return []
        # walk the shortest-path successors from a point on the cycle back to itself
        path, node = [start], start
        for _ in range(len(self.points) + 1):
            node = nxt[node][start]
            if node < 0:
                break
            path.append(node)
            if node == start:
                break
        labels: dict[str, None] = {}
        for i, j in zip(path, path[1:]):
            best = min((e for e in self.edges if e[0] == i and e[1] == j), key=lambda e: e[2], default=None)
            if best is not None:
                labels[best[3]] = None
        if not labels:  # fall back: every edge touching the inconsistent point
            labels = {e[3]: None for e in self.edges if start in (e[0], e[1])}
        return list(labels)
