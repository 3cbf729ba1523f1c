#!/usr/bin/env python3
"""Draw the annotated set: posts and comments at random, stratified by submolt and UTC day.

Reads the `documents` table of a moltscope database built from the shared capture (after the
clean stage) and prints CSV (id, kind, submolt, created_at, stratum). Strata are the submolts
holding at least 1% of the kind's documents, the rest pooled as "(other)", crossed with the UTC
day; each stratum gets its proportional share (largest remainder) drawn without replacement.

    python3 data/labels/sample.py DB --posts 600 --comments 400 --seed 2602 > sample.csv
    python3 data/labels/sample.py DB ... --sheets DIR --parts 5   # reading sheets for annotators
    python3 data/labels/sample.py DB --posts 900 --comments 600 --seed 2603 --exclude data/labels/annotations.csv
"""
import argparse, csv, os, random, sqlite3, sys
from collections import defaultdict


def draw(rows, n, rng):
    total = len(rows)
    share = defaultdict(int)
    for r in rows:
        share[r["submolt"]] += 1
    big = {s for s, c in share.items() if c >= 0.01 * total}
    strata = defaultdict(list)
    for r in rows:
        key = (r["submolt"] if r["submolt"] in big else "(other)", (r["created_at"] or "")[:10])
        strata[key].append(r)
    keys = sorted(strata)
    quotas = {k: n * len(strata[k]) / total for k in keys}
    alloc = {k: int(q) for k, q in quotas.items()}
    rest = n - sum(alloc.values())
    for k in sorted(keys, key=lambda k: (-(quotas[k] - alloc[k]), k))[:rest]:
        alloc[k] += 1
    picked = []
    for k in keys:
        members = sorted(strata[k], key=lambda r: r["id"])
        for r in rng.sample(members, alloc[k]):
            picked.append(dict(r, stratum=f"{k[0]}|{k[1]}"))
    return picked


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--posts", type=int, default=600)
    ap.add_argument("--comments", type=int, default=400)
    ap.add_argument("--seed", type=int, default=2602)
    ap.add_argument("--sheets")
    ap.add_argument("--parts", type=int, default=5)
    ap.add_argument("--exclude", help="a CSV whose ids are already annotated (a further batch)")
    a = ap.parse_args()
    db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    rng = random.Random(a.seed)
    done = set()
    if a.exclude:
        with open(a.exclude, newline="") as f:
            done = {r["id"] for r in csv.DictReader(f)}
    picked = []
    for kind, n in (("post", a.posts), ("comment", a.comments)):
        rows = [dict(r) for r in db.execute(
            "SELECT id, kind, submolt, created_at FROM documents WHERE kind = ? AND status = 'kept' ORDER BY id", (kind,))]
        picked += draw([r for r in rows if r["id"] not in done], n, rng)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["id", "kind", "submolt", "created_at", "stratum"])
    for r in picked:
        out.writerow([r["id"], r["kind"], r["submolt"], r["created_at"], r["stratum"]])
    if a.sheets:
        write_sheets(db, picked, a.sheets, a.parts, random.Random(a.seed + 1))


def write_sheets(db, picked, folder, parts, rng):
    os.makedirs(folder, exist_ok=True)
    order = picked[:]
    rng.shuffle(order)  # each annotator sees a mix of kinds, submolts and days
    for p in range(parts):
        with open(os.path.join(folder, f"sheet-{p + 1}.md"), "w") as f:
            for i, r in enumerate(order[p::parts]):
                d = db.execute("""
                    SELECT d.text, COALESCE(g.size, 1) AS copies, p.title
                    FROM documents d
                    LEFT JOIN duplicate_groups g ON g.method = 'exact' AND g.group_id = d.exact_group
                    LEFT JOIN posts p ON p.id = d.post_id
                    WHERE d.id = ?""", (r["id"],)).fetchone()
                f.write(f"## {i + 1} id={r['id']} kind={r['kind']} submolt={r['submolt']} copies={d['copies']}\n")
                if r["kind"] == "comment":
                    f.write(f"post title: {d['title']}\n")
                f.write("<<<\n" + d["text"] + "\n>>>\n\n")


if __name__ == "__main__":
    main()
