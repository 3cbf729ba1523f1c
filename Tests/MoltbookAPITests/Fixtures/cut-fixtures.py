#!/usr/bin/env python3
"""Cuts the real-capture fixtures from the shared capture (run from this folder).

Lines by 0-based number in moltbook-2026-01-posts.jsonl.gz, chosen small for their feature:
2449 a reply chain four levels deep (depth 3), 2791 a null-content post, 845 a link post
(null content, `url`, replies), 3400 a link post with content, 660 many comments (87).
"""
import gzip, json

CAPTURE = "/work/shared/data/moltbook-2026-01-posts.jsonl.gz"
BODIES = {2449: "era-a-detail-deep-replies.json", 2791: "era-a-detail-null-content.json",
          845: "era-a-detail-link-post.json"}
LINES = [2449, 2791, 845, 3400, 660]

raw = {}
with gzip.open(CAPTURE, "rt", encoding="utf-8") as capture:
    for number, line in enumerate(capture):
        if number in LINES:
            raw[number] = line.rstrip("\n")
with open("capture-sample.jsonl", "w", encoding="utf-8") as out:
    for number in LINES:
        out.write(raw[number] + "\n")
for number, name in BODIES.items():
    body = json.loads(raw[number])["body"]
    with open(name, "w", encoding="utf-8") as out:
        json.dump(body, out, ensure_ascii=False, indent=1)
