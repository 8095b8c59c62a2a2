"""Coreference scores to their standard definitions: MUC, B3, CEAF-e and the CoNLL average.

Clusters are sets of mention ids; ``key`` is the gold partition, ``response`` the system's. A
mention missing from one side (the system left it out, or invented it) counts as described per
metric, as in the reference scorer (Pradhan et al. 2014) for mentions not in the other partition:

- MUC (Vilain et al. 1995): recall = sum over key clusters K of (|K| - |p(K)|) / sum (|K| - 1), where
  p(K) are the pieces the response cuts K into (a mention the response lacks is a piece of its own);
  precision swaps the roles. Singletons carry no links, so they do not count.
- B3 (Bagga & Baldwin 1998): for each key mention, |K_m ∩ R_m| / |K_m| averaged over key mentions is
  recall; for each response mention, |K_m ∩ R_m| / |R_m| averaged over response mentions is precision.
- CEAF-e (Luo 2005): the one-to-one alignment of key and response clusters that maximises the sum
  of phi4(K, R) = 2|K ∩ R| / (|K| + |R|); recall = that sum / number of key clusters, precision =
  that sum / number of response clusters.
- CoNLL F1 = the mean of the MUC, B3 and CEAF-e F1 (Pradhan et al. 2011).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable

Cluster = frozenset
Partition = list[frozenset]


def partition(clusters: Iterable[Iterable[Hashable]]) -> Partition:
    """Clusters as frozensets, empty ones dropped; a mention in two clusters is an error."""
    result = [frozenset(c) for c in clusters if c]
    seen: set = set()
    for cluster in result:
        if seen & cluster:
            raise ValueError(f"mentions in more than one cluster: {sorted(map(str, seen & cluster))[:5]}")
        seen |= cluster
    return result


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _cluster_of(clusters: Partition) -> dict:
    return {m: k for k, cluster in enumerate(clusters) for m in cluster}


def _muc_recall(key: Partition, response: Partition) -> float:
    where = _cluster_of(response)
    numerator = denominator = 0
    for cluster in key:
        pieces = {where.get(m, ("alone", m)) for m in cluster}
        numerator += len(cluster) - len(pieces)
        denominator += len(cluster) - 1
    return numerator / denominator if denominator else 0.0


def muc(key: Partition, response: Partition) -> tuple[float, float, float]:
    """(precision, recall, F1)."""
    r, p = _muc_recall(key, response), _muc_recall(response, key)
    return p, r, _f1(p, r)


def _b3_recall(key: Partition, response: Partition) -> float:
    where = _cluster_of(response)
    total = 0.0
    count = 0
    for cluster in key:
        overlaps: dict[int, int] = defaultdict(int)
        for m in cluster:
            if m in where:
                overlaps[where[m]] += 1
        # each mention of K scores |K ∩ R_m| / |K|; summed over K that is sum of |K ∩ R|^2 / |K|
        total += sum(n * n for n in overlaps.values()) / len(cluster)
        count += len(cluster)
    return total / count if count else 0.0


def b_cubed(key: Partition, response: Partition) -> tuple[float, float, float]:
    r, p = _b3_recall(key, response), _b3_recall(response, key)
    return p, r, _f1(p, r)


def ceaf_e(key: Partition, response: Partition) -> tuple[float, float, float]:
    """Entity-based CEAF; the best alignment is found per connected group of overlapping clusters."""
    if not key or not response:
        return 0.0, 0.0, 0.0
    where = _cluster_of(response)
    # clusters that share no mention score 0 together: align each group of overlapping ones alone
    parent = list(range(len(key) + len(response)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    overlaps: dict[tuple[int, int], int] = defaultdict(int)
    for k, cluster in enumerate(key):
        for m in cluster:
            if m in where:
                overlaps[(k, where[m])] += 1
    for k, r in overlaps:
        parent[find(k)] = find(len(key) + r)
    groups: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for k, r in overlaps:
        root = find(k)
        if k not in groups[root][0]:
            groups[root][0].append(k)
        if r not in groups[root][1]:
            groups[root][1].append(r)
    total = 0.0
    for keys, responses in groups.values():
        weights = [
            [2 * overlaps.get((k, r), 0) / (len(key[k]) + len(response[r])) for r in responses] for k in keys
        ]
        total += max_assignment(weights)
    r, p = total / len(key), total / len(response)
    return p, r, _f1(p, r)


def max_assignment(weights: list[list[float]]) -> float:
    """The largest sum of weights over a one-to-one matching of rows to columns (Hungarian method,
    O(n^2 m) with potentials; rows and columns may differ in number)."""
    if not weights or not weights[0]:
        return 0.0
    transpose = len(weights) > len(weights[0])
    matrix = [list(col) for col in zip(*weights, strict=True)] if transpose else weights
    n, m = len(matrix), len(matrix[0])  # n <= m
    cost = [[-w for w in row] for row in matrix]
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    match = [0] * (m + 1)  # match[j] = row (1-based) assigned to column j
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    current = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if current < minv[j]:
                        minv[j], way[j] = current, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    return sum(matrix[match[j] - 1][j - 1] for j in range(1, m + 1) if match[j])


def conll(key: Iterable[Iterable[Hashable]], response: Iterable[Iterable[Hashable]]) -> dict[str, float]:
    """Every score, as fractions: ``muc_f1``, ``b3_f1``, ``ceafe_f1``, ``conll_f1`` and their P and R."""
    key, response = partition(key), partition(response)
    result: dict[str, float] = {}
    for name, metric in (("muc", muc), ("b3", b_cubed), ("ceafe", ceaf_e)):
        p, r, f = metric(key, response)
        result.update({f"{name}_precision": p, f"{name}_recall": r, f"{name}_f1": f})
    result["conll_f1"] = (result["muc_f1"] + result["b3_f1"] + result["ceafe_f1"]) / 3
    return result
