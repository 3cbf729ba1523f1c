#!/usr/bin/env python3
"""The minimal direct client of the embed benchmark: the server's own throughput.

POSTs the same texts moltscope would send (documents.text of the kept documents, distinct by
content_hash, in content-hash order, the first --limit of them), in the same batches and with the
same request body moltscope's OpenAI backend writes, to an OpenAI-compatible /v1/embeddings
endpoint, one request at a time over one keep-alive connection (http.client, TCP_NODELAY).
Nothing else: no retries, no storage. Each answer is read whole and decoded with json.loads,
and the number and length of its vectors is checked (what any client must do at least).

    direct_embed_client.py --db docs.sqlite --url http://127.0.0.1:8123/v1/embeddings \
        --batch-size 32 --limit 300 [--model multilingual-e5-small-q4] [--json]

Prints one line: texts, requests, seconds, texts/s, first-request latency, and the median and
largest request latencies (with --json, the same as a JSON object).
"""
import argparse
import http.client
import json
import socket
import sqlite3
import statistics
import sys
import time
import urllib.parse


def texts_in_moltscope_order(db_path, limit):
    """What MissingVectors.produce sends on an empty cache: min(text) per content hash of the
    kept documents, in content-hash order."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows = db.execute(
        "SELECT content_hash, min(text) FROM documents WHERE status = 'kept' "
        "GROUP BY content_hash ORDER BY content_hash LIMIT ?", (limit,)).fetchall()
    db.close()
    return [text for _, text in rows]


_ESCAPES = {0x22: '\\"', 0x5C: "\\\\", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}
_ESCAPES.update({c: "\\u%04x" % c for c in list(range(0x20)) + [0x7F] if c not in _ESCAPES})
_ESCAPE_TABLE = str.maketrans(_ESCAPES)


def json_string(text):
    # As EmbeddingTransport.jsonString: escapes " and backslash, newline, CR and tab as \n \r \t,
    # other control characters and DEL as \u00xx, and writes everything else as UTF-8.
    return '"' + text.translate(_ESCAPE_TABLE) + '"'


def request_body(model, texts):
    # Byte for byte what EmbeddingTransport.requestBody writes for the OpenAI backend.
    return ('{"model":' + json_string(model) + ',"input":[' + ",".join(json_string(t) for t in texts)
            + '],"encoding_format":"float"}').encode("utf-8")


class Connection:
    def __init__(self, url, timeout):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "http":
            sys.exit(f"direct_embed_client: only http:// URLs ({url})")
        self.host, self.port = parts.hostname, parts.port or 80
        self.path = parts.path or "/"
        self.timeout = timeout
        self.conn = None

    def _connect(self):
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self.conn.connect()
        self.conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def post(self, body):
        if self.conn is None:
            self._connect()
        self.conn.request("POST", self.path, body=body, headers={
            "Content-Type": "application/json", "Accept": "application/json"})
        response = self.conn.getresponse()
        data = response.read()
        if response.status != 200:
            sys.exit(f"direct_embed_client: HTTP {response.status}: {data[:200]!r}")
        if response.will_close:
            self.conn.close()
            self.conn = None
        return data


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="database with the clean stage's documents table")
    ap.add_argument("--url", required=True, help="the /v1/embeddings endpoint")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--limit", type=int, required=True, help="how many distinct texts (first by content hash)")
    ap.add_argument("--model", default="multilingual-e5-small-q4")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--json", action="store_true", help="print a JSON object instead of a line")
    a = ap.parse_args()

    texts = texts_in_moltscope_order(a.db, a.limit)
    if len(texts) < a.limit:
        sys.exit(f"direct_embed_client: only {len(texts)} kept texts in {a.db}, {a.limit} asked for")
    # Bodies are built before the clock starts: the server's throughput, not Python's.
    bodies = [(request_body(a.model, texts[i:i + a.batch_size]), len(texts[i:i + a.batch_size]))
              for i in range(0, len(texts), a.batch_size)]
    conn = Connection(a.url, a.timeout)

    latencies = []
    dim = None
    start = time.perf_counter()
    for body, count in bodies:
        sent = time.perf_counter()
        answer = json.loads(conn.post(body))
        data = answer["data"]
        if len(data) != count:
            sys.exit(f"direct_embed_client: {len(data)} vectors for {count} texts")
        for item in data:
            if dim is None:
                dim = len(item["embedding"])
            elif len(item["embedding"]) != dim:
                sys.exit("direct_embed_client: vectors of different lengths")
        latencies.append(time.perf_counter() - sent)
    seconds = time.perf_counter() - start

    result = {
        "texts": len(texts), "requests": len(bodies), "batch_size": a.batch_size, "dim": dim,
        "seconds": round(seconds, 3), "texts_per_s": round(len(texts) / seconds, 3),
        "first_request_s": round(latencies[0], 3),
        "median_request_s": round(statistics.median(latencies), 3),
        "max_request_s": round(max(latencies), 3),
        "body_bytes": sum(len(b) for b, _ in bodies),
    }
    if a.json:
        print(json.dumps(result))
    else:
        print(f"{result['texts']} texts in {result['requests']} requests of {a.batch_size}: "
              f"{seconds:.2f} s, {result['texts_per_s']:.2f} texts/s (first request {latencies[0]:.2f} s, "
              f"median {result['median_request_s']:.2f} s, max {result['max_request_s']:.2f} s)")


if __name__ == "__main__":
    main()
