#!/usr/bin/env python3
"""Cut the bundled sample (data/sample-posts.jsonl.gz) from the shared capture.

Deterministic: 200 posts drawn with a fixed seed, stratified by hour of creation so the sample
spans the whole capture, with their full comment trees. Posts with more than 60 comments are
left out to keep the sample small enough for a first run's embedding (about 2,000 texts), but
null-content posts and deep reply threads are kept so the quirks stay represented.

    python3 scripts/make-sample.py ../shared/data/moltbook-2026-01-posts.jsonl.gz data/sample-posts.jsonl.gz
"""
import collections
import gzip
import json
import random
import sys


def count(comments):
    return sum(1 + count(c.get("replies") or []) for c in comments)


def main(source, target, posts_wanted=200, max_comments=60, seed=20260131):
    by_hour = collections.defaultdict(list)
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            post = record["body"]["post"]
            n = count(record["body"].get("comments") or [])
            if n > max_comments:
                continue
            by_hour[post["created_at"][:13]].append(line)
    rng = random.Random(seed)
    hours = sorted(by_hour)
    total = sum(len(v) for v in by_hour.values())
    chosen = []
    for hour in hours:
        share = max(1, round(posts_wanted * len(by_hour[hour]) / total))
        chosen += rng.sample(by_hour[hour], min(share, len(by_hour[hour])))
    rng.shuffle(chosen)
    chosen = chosen[:posts_wanted]
    chosen.sort(key=lambda l: json.loads(l)["body"]["post"]["created_at"])
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=9) as out:
        out.writelines(chosen)
    comments = sum(count(json.loads(l)["body"].get("comments") or []) for l in chosen)
    print(f"{len(chosen)} posts, {comments} comments -> {target}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
