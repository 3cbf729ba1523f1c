"""The networkx half of bench/graph-benchmark, and its synthetic graph and agreement checks.

  python_graph.py synth EDGES_OUT NODES EDGES SEED      (heavy-tailed directed edge list)
  python_graph.py run   EDGES NODES PIVOTS SEED OUT     (build + measures, timed; values to OUT.*)
  python_graph.py agree NODES OURS THEIRS               (compare moltscope's OURS.* with THEIRS.*)

An edge list file is packed little-endian records (int32 source, int32 target, float64 weight),
16 bytes an edge; the node count is passed beside it (isolated nodes have no edges). The graph is
moltscope's WeightedDigraph: self-loops dropped, parallel edges merged with their weights summed.
Value files are float64 per node (NaN for an undefined reciprocity); OUT.sources holds the int32
nodes networkx sampled as betweenness sources. One JSON line on stdout: seconds per step and the
peak RSS (MB) after each step (getrusage, so it never goes down).
"""
import json
import os
import resource
import sys
import time

import numpy as np

RECORD = np.dtype([("s", "<i4"), ("t", "<i4"), ("w", "<f8")])


def emit(**values):
    print(json.dumps(values, sort_keys=True), flush=True)


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synth(out, nodes, edges, seed):
    """Chung-Lu style: endpoints drawn in proportion to power-law propensities (i+1)^-0.7, so
    in- and out-degrees follow a power law of exponent ~2.4 (the largest hubs get ~1% of the
    edges), out- and in-ranks independent; a fifth of the records are replies (the reverse of an
    earlier record), so reciprocity is high, as in an interaction graph. Weights 1, 2 or 3.
    Duplicates and self-loops are left in: merging them is part of the build."""
    rng = np.random.default_rng(seed)
    propensity = (np.arange(nodes, dtype=np.float64) + 1) ** -0.7
    cumulative = np.cumsum(propensity)
    cumulative /= cumulative[-1]
    out_rank, in_rank = rng.permutation(nodes), rng.permutation(nodes)
    forward = edges - edges // 5
    s = out_rank[np.searchsorted(cumulative, rng.random(forward), side="right").clip(max=nodes - 1)]
    t = in_rank[np.searchsorted(cumulative, rng.random(forward), side="right").clip(max=nodes - 1)]
    replies = rng.integers(0, forward, edges - forward)
    records = np.empty(edges, dtype=RECORD)
    records["s"] = np.concatenate([s, t[replies]])
    records["t"] = np.concatenate([t, s[replies]])
    records["w"] = rng.integers(1, 4, edges).astype(np.float64)
    records = records[rng.permutation(edges)]
    records.tofile(out)
    kept = records["s"] != records["t"]
    distinct = np.unique(records["s"][kept].astype(np.int64) * nodes + records["t"][kept]).size
    emit(records=edges, self_loops=int((~kept).sum()), distinct_edges=int(distinct))


def run(path, nodes, pivots, seed, out):
    import networkx as nx
    import scipy.sparse  # noqa: F401  (networkx's PageRank imports it on first use: not timed)

    records = np.fromfile(path, dtype=RECORD)
    seconds, peaks = {}, {}

    def step(name, body):
        start = time.perf_counter()
        value = body()
        seconds[name] = time.perf_counter() - start
        peaks[name] = peak_mb()
        return value

    def build():
        # What a careful researcher writes: merge parallel edges and drop self-loops with numpy,
        # then one add_weighted_edges_from.
        kept = records[records["s"] != records["t"]]
        keys, inverse = np.unique(kept["s"].astype(np.int64) * nodes + kept["t"], return_inverse=True)
        weights = np.bincount(inverse.ravel(), weights=kept["w"], minlength=keys.size)
        G = nx.DiGraph()
        G.add_nodes_from(range(nodes))
        G.add_weighted_edges_from(zip((keys // nodes).tolist(), (keys % nodes).tolist(), weights.tolist()))
        return G

    G = step("build", build)
    pagerank = step("pagerank", lambda: nx.pagerank(G, alpha=0.85, weight="weight"))
    # The default stops once the L1 change is below n x 1e-6 (3 iterations at 100,000 nodes).
    pagerank_tight = step("pagerank_tight", lambda: nx.pagerank(G, alpha=0.85, weight="weight", tol=1e-10, max_iter=1000))
    betweenness = step("betweenness", lambda: nx.betweenness_centrality(G, k=pivots, normalized=True, weight=None,
                                                                        seed=seed))
    clustering = step("clustering", lambda: nx.clustering(G.to_undirected()))
    reciprocity = step("reciprocity", lambda: (nx.reciprocity(G, G.nodes), nx.overall_reciprocity(G)))

    def save(name, values):
        np.array([np.nan if values[v] is None else values[v] for v in range(nodes)], dtype="<f8").tofile(f"{out}.{name}")

    save("pagerank", pagerank)
    save("pagerank_tight", pagerank_tight)
    save("betweenness", betweenness)
    save("clustering", clustering)
    save("reciprocity", reciprocity[0])
    # networkx's sample (its @py_random_state turns the seed into random.Random(seed)).
    import random
    np.array(random.Random(seed).sample(list(G.nodes), pivots), dtype="<i4").tofile(f"{out}.sources")
    emit(seconds=seconds, rss_mb=peaks, edges=G.number_of_edges(), overall_reciprocity=reciprocity[1])


def agree(nodes, ours, theirs):
    from scipy.stats import spearmanr

    def load(prefix, name):
        return np.fromfile(f"{prefix}.{name}", dtype="<f8")

    def top(values, k):
        return set(np.argsort(-values, kind="stable")[:k].tolist())

    answer = {}
    for name in ("pagerank", "pagerank_tight"):
        if os.path.exists(f"{theirs}.{name}"):
            answer[f"{name}_max_abs_diff"] = float(np.abs(load(ours, name) - load(theirs, name)).max())
    a, b = load(ours, "betweenness"), load(theirs, "betweenness")
    answer["betweenness_spearman"] = float(spearmanr(a, b).statistic)
    answer["betweenness_top100_overlap"] = len(top(a, 100) & top(b, 100))
    # networkx's 10 largest hubs: the relative difference of the two independent samples' estimates.
    hubs = np.argsort(-b, kind="stable")[:10]
    relative = np.abs(a[hubs] - b[hubs]) / b[hubs]
    answer["betweenness_top10_median_rel_diff"] = float(np.median(relative))
    answer["betweenness_top10_max_rel_diff"] = float(relative.max())
    same = load(ours, "betweenness_same_sources")
    answer["betweenness_same_sources_max_abs_diff"] = float(np.abs(same - b).max())
    answer["clustering_max_abs_diff"] = float(np.abs(load(ours, "clustering") - load(theirs, "clustering")).max())
    ra, rb = load(ours, "reciprocity"), load(theirs, "reciprocity")
    answer["reciprocity_same_undefined"] = bool((np.isnan(ra) == np.isnan(rb)).all())
    answer["reciprocity_max_abs_diff"] = float(np.nan_to_num(np.abs(ra - rb)).max())
    emit(**answer)


task, args = sys.argv[1], sys.argv[2:]
if task == "synth":
    synth(args[0], int(args[1]), int(args[2]), int(args[3]))
elif task == "run":
    run(args[0], int(args[1]), int(args[2]), int(args[3]), args[4])
elif task == "agree":
    agree(int(args[0]), args[1], args[2])
else:
    sys.exit(f"unknown task {task}")
