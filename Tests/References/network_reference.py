"""networkx reference for the temporal stage's network measures on a results database.

Usage: network_reference.py DB
Builds the interaction graph from interaction_edges (weighted, directed) and prints one JSON
object: per agent PageRank (0.85, weighted), exact betweenness (normalized, unweighted),
clustering of the undirected graph, reciprocity, degrees; and the overall reciprocity.
"""
import json
import sqlite3
import sys

import networkx as nx

db = sqlite3.connect(sys.argv[1])
graph = nx.DiGraph()
for source, target, weight in db.execute("SELECT source_id, target_id, weight FROM interaction_edges"):
    graph.add_edge(source, target, weight=weight)
reciprocity = nx.reciprocity(graph, graph.nodes())
print(json.dumps({
    "nodes": graph.number_of_nodes(),
    "edges": graph.number_of_edges(),
    "overall_reciprocity": nx.overall_reciprocity(graph),
    "pagerank": nx.pagerank(graph, alpha=0.85, weight="weight"),
    "betweenness": nx.betweenness_centrality(graph, normalized=True),
    "clustering": nx.clustering(graph.to_undirected()),
    "reciprocity": reciprocity,
    "in_degree": dict(graph.in_degree()),
    "out_degree": dict(graph.out_degree()),
    "in_weight": dict(graph.in_degree(weight="weight")),
}))
