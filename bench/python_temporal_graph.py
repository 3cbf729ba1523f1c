"""The networkx side of bench/temporal-benchmark: the capture's interaction graph measures.

Usage: python_temporal_graph.py DB
Reads interaction_edges from a results database where the temporal stage ran, builds the
weighted digraph and times what the stage computes for each agent: PageRank (0.85, weighted),
exact betweenness (normalized, unweighted), clustering of the undirected graph, reciprocity and
degrees. Prints one JSON line: seconds per measure and in total (reading excluded), peak RSS,
and the largest difference from the stage's network_agents.
"""
import json
import resource
import sqlite3
import sys
import time

import networkx as nx

db = sqlite3.connect(sys.argv[1])
edges = db.execute("SELECT source_id, target_id, weight FROM interaction_edges").fetchall()
seconds = {}
start = time.perf_counter()
graph = nx.DiGraph()
graph.add_weighted_edges_from(edges)
seconds["build"] = time.perf_counter() - start
t = time.perf_counter(); pagerank = nx.pagerank(graph, alpha=0.85, weight="weight"); seconds["pagerank"] = time.perf_counter() - t
t = time.perf_counter(); betweenness = nx.betweenness_centrality(graph, normalized=True); seconds["betweenness"] = time.perf_counter() - t
t = time.perf_counter(); clustering = nx.clustering(graph.to_undirected()); seconds["clustering"] = time.perf_counter() - t
t = time.perf_counter(); reciprocity = nx.reciprocity(graph, graph.nodes()); overall = nx.overall_reciprocity(graph); seconds["reciprocity"] = time.perf_counter() - t
t = time.perf_counter(); degrees = (dict(graph.in_degree()), dict(graph.out_degree()), dict(graph.in_degree(weight="weight"))); seconds["degrees"] = time.perf_counter() - t
seconds["total"] = time.perf_counter() - start

worst = {"pagerank": 0.0, "betweenness": 0.0, "clustering": 0.0}
for agent, pr, bc, cl in db.execute("SELECT agent_id, pagerank, betweenness, clustering FROM network_agents"):
    worst["pagerank"] = max(worst["pagerank"], abs(pr - pagerank[agent]))
    worst["betweenness"] = max(worst["betweenness"], abs(bc - betweenness[agent]))
    worst["clustering"] = max(worst["clustering"], abs(cl - clustering[agent]))
print(json.dumps({"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "seconds": seconds,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "max_difference": worst}))
