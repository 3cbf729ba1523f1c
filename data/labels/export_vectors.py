#!/usr/bin/env python3
"""Write the embedding vectors of the annotated texts for one model, so the trained labeller
starts without a model server when the database uses that model (the default one).

    python3 data/labels/export_vectors.py DB [--model multilingual-e5-small-q4]

Reads vectors from a moltscope database that embedded the texts (e.g. the whole capture) and
writes data/labels/annotations.<model>.f16: b"MSV1", uint32 count, uint32 dim, then per text its
raw SHA-256 (32 bytes) and dim little-endian float16 values.
"""
import argparse, csv, hashlib, os, sqlite3, struct, sys
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("db")
ap.add_argument("--model", default="multilingual-e5-small-q4")
a = ap.parse_args()
db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
with open(os.path.join(here, "annotations.csv"), newline="") as f:
    texts = [r["text"] for r in csv.DictReader(f)]
rows, missing, seen = [], 0, set()
for text in texts:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    if digest in seen:
        continue
    seen.add(digest)
    found = db.execute("SELECT dim, vector FROM embeddings WHERE model = ? AND content_hash = ?", (a.model, digest.hex())).fetchone()
    if not found:
        missing += 1
        continue
    rows.append((digest, np.frombuffer(found[1], dtype="<f4")))
if missing:
    sys.exit(f"{missing} annotated texts have no {a.model} vector in {a.db}; embed them first")
dim = len(rows[0][1])
out = os.path.join(here, f"annotations.{a.model}.f16")
with open(out, "wb") as f:
    f.write(b"MSV1" + struct.pack("<II", len(rows), dim))
    for digest, vector in rows:
        f.write(digest + vector.astype("<f2").tobytes())
print(f"{out}: {len(rows)} vectors of {dim} dimensions")
