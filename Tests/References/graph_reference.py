"""networkx's node measures on the same directed graph, for moltscope's graph tests.

argv: edges.bin nodes [pivots seed]
edges.bin holds packed little-endian records (int32 source, int32 target, float64 weight). The
graph is built as moltscope's WeightedDigraph defines it: nodes 0..nodes-1, self-loops dropped,
parallel edges merged into one with the sum of their weights. Prints one JSON object with
networkx's PageRank (default tolerance and 1e-12), exact betweenness, clustering of the undirected graph, reciprocity per node
(null for isolated nodes) and overall, degrees and weighted degrees; with pivots and seed also
betweenness_centrality(k=pivots, seed=seed) and the source nodes networkx sampled for it.
"""
import json
import random
import sys

import networkx as nx
import numpy as np

path, nodes = sys.argv[1], int(sys.argv[2])
records = np.fromfile(path, dtype=np.dtype([("s", "<i4"), ("t", "<i4"), ("w", "<f8")]))
G = nx.DiGraph()
G.add_nodes_from(range(nodes))
for s, t, w in zip(records["s"].tolist(), records["t"].tolist(), records["w"].tolist()):
    if s == t:
        continue
    if G.has_edge(s, t):
        G[s][t]["weight"] += w
    else:
        G.add_edge(s, t, weight=w)


def in_order(values):
    return [values[v] for v in range(nodes)]


answer = {
    "edges": G.number_of_edges(),
    "out_degree": in_order(dict(G.out_degree())),
    "in_degree": in_order(dict(G.in_degree())),
    "out_weight": in_order(dict(G.out_degree(weight="weight"))),
    "in_weight": in_order(dict(G.in_degree(weight="weight"))),
    "pagerank": in_order(nx.pagerank(G, alpha=0.85, weight="weight")) if nodes else [],
    "pagerank_tight": in_order(nx.pagerank(G, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)) if nodes else [],
    "betweenness": in_order(nx.betweenness_centrality(G, normalized=True, weight=None)),
    "clustering": in_order(nx.clustering(G.to_undirected())),
    "reciprocity": in_order(nx.reciprocity(G, list(G.nodes))) if nodes else [],
    "overall_reciprocity": nx.overall_reciprocity(G) if G.number_of_edges() else None,
}
if len(sys.argv) > 4:
    k, seed = int(sys.argv[3]), int(sys.argv[4])
    answer["sampled_betweenness"] = in_order(nx.betweenness_centrality(G, k=k, normalized=True, weight=None, seed=seed))
    # The nodes networkx's @py_random_state(seed) draws: random.Random(seed).sample(list(G), k).
    answer["sampled_sources"] = random.Random(seed).sample(list(G.nodes), k)
print(json.dumps(answer))
