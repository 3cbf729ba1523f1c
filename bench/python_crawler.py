#!/usr/bin/env python3
"""A straightforward Moltbook crawler, the baseline of bench/crawl-benchmark.

What a researcher would write with requests + sqlite3: one keep-alive requests.Session per
worker thread, a ThreadPoolExecutor fetching post details while the main thread walks the
listing, and the main thread writing what the workers return into the same normalized tables
as moltscope (posts, comments with post_id/parent_id/depth, agents upserted, submolts, raw
responses gzip-compressed, a crawl frontier), one transaction per batch with executemany, WAL.

It is meant to be honest, not sabotaged: JSON decoding, comment flattening, timestamp
normalisation and gzip run in the worker threads (zlib releases the GIL), the SQL is the same
upserts moltscope runs, the gzip level is moltscope's (--gzip-level; bench/crawl-benchmark
reads it off moltscope's output), and the batch size is moltscope's default (128). It reads era A (offset pages, comment trees embedded in the detail) and era B
(cursor pages, camelCase, comments from /posts/{id}/comments). It has none of moltscope's
resumability, retries or error log: a failed request stops the crawl.

    python3 bench/python_crawler.py --base-url http://127.0.0.1:8089/api/v1 --db out.sqlite --concurrency 4
"""
import argparse
import gzip
import json
import queue
import sqlite3
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import requests

SCHEMA = """
CREATE TABLE IF NOT EXISTS posts (
    id TEXT PRIMARY KEY, title TEXT, content TEXT, url TEXT, upvotes INTEGER, downvotes INTEGER,
    comment_count INTEGER, comments_fetched INTEGER NOT NULL DEFAULT 0, created_at TEXT, created_at_raw TEXT,
    submolt TEXT, author_id TEXT, author_name TEXT, flags TEXT, source TEXT NOT NULL, fetched_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS posts_by_created ON posts(created_at);
CREATE INDEX IF NOT EXISTS posts_by_author ON posts(author_id);
CREATE INDEX IF NOT EXISTS posts_by_submolt ON posts(submolt);
CREATE TABLE IF NOT EXISTS comments (
    id TEXT PRIMARY KEY, post_id TEXT NOT NULL, parent_id TEXT, depth INTEGER NOT NULL, content TEXT,
    upvotes INTEGER, downvotes INTEGER, created_at TEXT, created_at_raw TEXT, author_id TEXT, author_name TEXT,
    flags TEXT, fetched_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS comments_by_post ON comments(post_id);
CREATE INDEX IF NOT EXISTS comments_by_author ON comments(author_id);
CREATE INDEX IF NOT EXISTS comments_by_parent ON comments(parent_id);
CREATE TABLE IF NOT EXISTS agents (
    id TEXT PRIMARY KEY, name TEXT, description TEXT, karma INTEGER, follower_count INTEGER,
    following_count INTEGER, is_claimed INTEGER, created_at TEXT, last_active TEXT, profile_fetched_at TEXT,
    first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS agents_by_name ON agents(name);
CREATE TABLE IF NOT EXISTS submolts (
    name TEXT PRIMARY KEY, id TEXT, display_name TEXT, description TEXT, subscriber_count INTEGER,
    created_at TEXT, first_seen_at TEXT NOT NULL, last_seen_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS raw_responses (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, url TEXT NOT NULL, post_id TEXT, status INTEGER NOT NULL,
    content_type TEXT, fetched_at TEXT NOT NULL, bytes INTEGER NOT NULL, body_gzip BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS raw_by_post ON raw_responses(post_id);
CREATE TABLE IF NOT EXISTS crawl_frontier (
    post_id TEXT PRIMARY KEY, listed_comment_count INTEGER, listed_at TEXT NOT NULL, state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
CREATE INDEX IF NOT EXISTS frontier_by_state ON crawl_frontier(state);
"""

# The same merges moltscope's CrawlWriter runs, so both crawlers do the same database work.
UPSERT_AGENT = """
INSERT INTO agents(id, name, description, karma, follower_count, following_count, is_claimed, created_at,
                   last_active, profile_fetched_at, first_seen_at, last_seen_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10, ?10)
ON CONFLICT(id) DO UPDATE SET
    name = coalesce(excluded.name, name),
    description = CASE
        WHEN excluded.description IS NULL THEN description
        WHEN description IS NULL THEN excluded.description
        WHEN length(excluded.description) > length(description) THEN excluded.description
        WHEN length(excluded.description) = length(description) AND excluded.description > description
            THEN excluded.description
        ELSE description END,
    karma = max(coalesce(karma, excluded.karma), coalesce(excluded.karma, karma)),
    follower_count = max(coalesce(follower_count, excluded.follower_count), coalesce(excluded.follower_count, follower_count)),
    following_count = max(coalesce(following_count, excluded.following_count), coalesce(excluded.following_count, following_count)),
    is_claimed = coalesce(excluded.is_claimed, is_claimed),
    created_at = coalesce(created_at, excluded.created_at),
    last_active = max(coalesce(last_active, excluded.last_active), coalesce(excluded.last_active, last_active)),
    last_seen_at = max(last_seen_at, excluded.last_seen_at)
"""
UPSERT_SUBMOLT = """
INSERT INTO submolts(name, id, display_name, description, subscriber_count, created_at, first_seen_at, last_seen_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
ON CONFLICT(name) DO UPDATE SET
    id = coalesce(excluded.id, id),
    display_name = coalesce(excluded.display_name, display_name),
    description = coalesce(excluded.description, description),
    subscriber_count = max(coalesce(subscriber_count, excluded.subscriber_count), coalesce(excluded.subscriber_count, subscriber_count)),
    created_at = coalesce(created_at, excluded.created_at),
    last_seen_at = max(last_seen_at, excluded.last_seen_at)
"""
UPSERT_POST = """
INSERT INTO posts(id, title, content, url, upvotes, downvotes, comment_count, comments_fetched, created_at,
                  created_at_raw, submolt, author_id, author_name, flags, source, fetched_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'api', ?)
ON CONFLICT(id) DO UPDATE SET title = excluded.title, content = excluded.content, url = excluded.url,
    upvotes = excluded.upvotes, downvotes = excluded.downvotes, comment_count = excluded.comment_count,
    comments_fetched = excluded.comments_fetched, created_at = excluded.created_at,
    created_at_raw = excluded.created_at_raw, submolt = excluded.submolt, author_id = excluded.author_id,
    author_name = excluded.author_name, flags = excluded.flags, source = excluded.source, fetched_at = excluded.fetched_at
"""
UPSERT_COMMENT = """
INSERT INTO comments(id, post_id, parent_id, depth, content, upvotes, downvotes, created_at, created_at_raw,
                     author_id, author_name, flags, fetched_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(id) DO UPDATE SET post_id = excluded.post_id, parent_id = excluded.parent_id, depth = excluded.depth,
    content = excluded.content, upvotes = excluded.upvotes, downvotes = excluded.downvotes,
    created_at = excluded.created_at, created_at_raw = excluded.created_at_raw, author_id = excluded.author_id,
    author_name = excluded.author_name, flags = excluded.flags, fetched_at = excluded.fetched_at
"""
INSERT_RAW = """
INSERT INTO raw_responses(kind, url, post_id, status, content_type, fetched_at, bytes, body_gzip)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""
FRONTIER_PENDING = """
INSERT INTO crawl_frontier(post_id, listed_comment_count, listed_at, state) VALUES (?, ?, ?, 'pending')
ON CONFLICT(post_id) DO UPDATE SET listed_comment_count = excluded.listed_comment_count,
    listed_at = excluded.listed_at, state = 'pending', attempts = 0, last_error = NULL
"""
FRONTIER_DONE = "UPDATE crawl_frontier SET state = 'done', last_error = NULL WHERE post_id = ?"


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def field(obj, snake):
    """Era A is snake_case, era B camelCase."""
    if snake in obj:
        return obj[snake]
    head, *rest = snake.split("_")
    return obj.get(head + "".join(part.title() for part in rest))


def as_int(value):
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def timestamp(raw):
    """(UTC ISO-8601 with microseconds, raw text kept only when unreadable)."""
    if raw is None:
        return None, None
    try:
        parsed = datetime.fromisoformat(raw.strip().replace(" ", "T", 1))
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(timezone.utc)
        return parsed.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), None
    except ValueError:
        return None, raw


def agent_row(agent, seen):
    if not agent or not agent.get("id"):
        return None
    claimed = field(agent, "is_claimed")
    return (agent["id"], agent.get("name"), agent.get("description"), as_int(agent.get("karma")),
            as_int(field(agent, "follower_count")), as_int(field(agent, "following_count")),
            None if claimed is None else int(bool(claimed)), timestamp(field(agent, "created_at"))[0],
            timestamp(field(agent, "last_active"))[0], seen)


def submolt_row(submolt, seen):
    if isinstance(submolt, str):
        submolt = {"name": submolt}
    if not submolt or not submolt.get("name"):
        return None
    return (submolt["name"], submolt.get("id"), field(submolt, "display_name"), submolt.get("description"),
            as_int(field(submolt, "subscriber_count")), timestamp(field(submolt, "created_at"))[0], seen)


def flags_of(record, text_key):
    flags = []
    if record.get("author") is None:
        flags.append("null_author")
    if record.get(text_key) is None:
        flags.append("null_content")
    return ",".join(flags) or None


def flatten(comments, post_id, parent_id=None, depth=0, out=None):
    """Era A nests replies; era B answers a flat list with parent ids (depth then from the parents)."""
    out = [] if out is None else out
    for comment in comments or []:
        parent = field(comment, "parent_id") or parent_id
        out.append((comment, parent, depth))
        flatten(comment.get("replies"), post_id, comment["id"], depth + 1, out)
    return out


def comment_rows(comments, post_id, seen):
    flat = flatten(comments, post_id)
    if flat and all(not c.get("replies") for c, _, _ in flat):  # flat list: depth from parent chains
        parents = {c["id"]: p for c, p, _ in flat}

        def depth_of(cid):
            depth, hops = 0, 0
            while parents.get(cid) and hops < 1000:
                cid, depth, hops = parents[cid], depth + 1, hops + 1
            return depth
        flat = [(c, p, depth_of(c["id"])) for c, p, _ in flat]
    rows, agents = [], []
    for comment, parent, depth in flat:
        created, created_raw = timestamp(field(comment, "created_at"))
        author = comment.get("author") or {}
        rows.append((comment["id"], post_id, parent, depth, comment.get("content"), as_int(comment.get("upvotes")),
                     as_int(comment.get("downvotes")), created, created_raw, author.get("id"), author.get("name"),
                     flags_of(comment, "content"), seen))
        row = agent_row(comment.get("author"), seen)
        if row:
            agents.append(row)
    return rows, agents


class Crawler:
    def __init__(self, base_url, db_path, concurrency, batch_size, page_size, timeout, gzip_level):
        self.base = base_url.rstrip("/")
        self.concurrency = concurrency
        self.batch_size = batch_size
        self.page_size = page_size
        self.timeout = timeout
        self.gzip_level = gzip_level
        self.db_path = db_path
        self.local = threading.local()
        self.db = sqlite3.connect(db_path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.requests = 0

    def session(self):
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
            self.local.session.headers["Accept"] = "application/json"
        return self.local.session

    def get(self, path, params=None):
        response = self.session().get(self.base + path, params=params, timeout=self.timeout)
        response.raise_for_status()
        fetched = now()
        raw = (response.url, response.status_code, response.headers.get("Content-Type"), fetched,
               len(response.content), gzip.compress(response.content, compresslevel=self.gzip_level))
        return response.json(), raw

    # -- workers -------------------------------------------------------------------------

    def fetch_post(self, post_id):
        """Runs in a worker thread: fetch, decode, flatten, compress. Returns rows to write."""
        body, raw = self.get(f"/posts/{post_id}")
        raws = [("post_detail",) + raw]  # (kind, url, status, content_type, fetched_at, bytes, gzip)
        comments = body.get("comments")
        if comments is None:  # era B: comments are a separate endpoint
            listing, raw = self.get(f"/posts/{post_id}/comments", {"sort": "new"})
            raws.append(("comments",) + raw)
            comments = listing.get("comments") or []
        post, seen = body["post"], raws[0][4]
        rows, agents = comment_rows(comments, post_id, seen)
        author = post.get("author") or {}
        submolt = post.get("submolt")
        submolt_name = submolt if isinstance(submolt, str) else (submolt or {}).get("name")
        created, created_raw = timestamp(field(post, "created_at"))
        post_row = (post["id"], post.get("title"), post.get("content"), post.get("url"), as_int(post.get("upvotes")),
                    as_int(post.get("downvotes")), as_int(field(post, "comment_count")), len(rows), created,
                    created_raw, submolt_name, author.get("id"), author.get("name"), flags_of(post, "content"), seen)
        post_agent = agent_row(post.get("author"), seen)
        return {
            "post": post_row,
            "comments": rows,
            "agents": ([post_agent] if post_agent else []) + agents,
            "submolt": submolt_row(submolt, seen),
            "raws": [(kind, url, post_id, status, ctype, fetched, size, blob)
                     for kind, url, status, ctype, fetched, size, blob in raws],
            "requests": len(raws),
        }

    # -- writer (main thread) ------------------------------------------------------------

    def write_batch(self, batch):
        with self.db:  # one transaction
            self.db.execute("BEGIN")
            self.db.executemany(UPSERT_SUBMOLT, [b["submolt"] for b in batch if b["submolt"]])
            self.db.executemany(UPSERT_AGENT, [a for b in batch for a in b["agents"]])
            self.db.executemany(UPSERT_POST, [b["post"] for b in batch])
            self.db.executemany(UPSERT_COMMENT, [c for b in batch for c in b["comments"]])
            self.db.executemany(INSERT_RAW, [r for b in batch for r in b["raws"]])
            self.db.executemany(FRONTIER_DONE, [(b["post"][0],) for b in batch])
        self.requests += sum(b["requests"] for b in batch)

    def list_submolts(self):
        offset = 0
        while True:
            body, raw = self.get("/submolts", {"limit": 100, "offset": offset})
            submolts = body.get("submolts") or []
            seen = raw[3]
            with self.db:
                self.db.execute("BEGIN")
                self.db.executemany(UPSERT_SUBMOLT, [r for r in (submolt_row(s, seen) for s in submolts) if r])
                self.db.execute(INSERT_RAW, ("submolt_list", raw[0], None) + raw[1:])
            self.requests += 1
            if not body.get("has_more") or not submolts:
                return
            offset = body.get("next_offset") or offset + len(submolts)

    def list_posts(self, results, pool):
        """Walks the listing (in its own thread); every listed id goes to the pool at once."""
        try:
            offset, cursor, writer = 0, None, sqlite3.connect(self.db_path, isolation_level=None, timeout=30)
            while True:
                params = {"sort": "new", "limit": self.page_size}
                if cursor:
                    params["cursor"] = cursor
                else:
                    params["offset"] = offset
                body, raw = self.get("/posts", params)
                posts = body.get("posts") or []
                with writer:
                    writer.execute("BEGIN IMMEDIATE")
                    writer.executemany(FRONTIER_PENDING,
                                       [(p["id"], as_int(field(p, "comment_count")), raw[3]) for p in posts])
                    writer.execute(INSERT_RAW, ("post_list", raw[0], None) + raw[1:])
                results.put(("page", None))
                for post in posts:
                    future = pool.submit(self.fetch_post, post["id"])
                    future.add_done_callback(lambda f: results.put(("post", f)))
                results.put(("listed", len(posts)))
                if not body.get("has_more") or not posts:
                    break
                cursor = body.get("next_cursor")
                offset = body.get("next_offset") or offset + len(posts)
            writer.close()
        except Exception as error:  # noqa: BLE001 - handed to the main thread
            results.put(("error", error))
        results.put(("end", None))

    def run(self):
        self.list_submolts()
        results = queue.Queue()
        listed = done = 0
        listing_over = False
        batch = []
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            lister = threading.Thread(target=self.list_posts, args=(results, pool), daemon=True)
            lister.start()
            while not listing_over or done < listed:
                try:
                    kind, value = results.get(timeout=0.5)
                except queue.Empty:
                    kind = None
                if kind == "post":
                    batch.append(value.result())  # re-raises a worker's exception
                    done += 1
                elif kind == "listed":
                    listed += value
                elif kind == "page":
                    self.requests += 1
                elif kind == "error":
                    raise value
                elif kind == "end":
                    listing_over = True
                if batch and (len(batch) >= self.batch_size or kind is None
                              or (listing_over and done == listed)):
                    self.write_batch(batch)
                    batch = []
            if batch:
                self.write_batch(batch)
            lister.join()
        return listed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8089/api/v1")
    parser.add_argument("--db", required=True, help="SQLite file to write (created)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--gzip-level", type=int, default=1, choices=range(0, 10),
                        help="zlib level of the stored raw bodies (moltscope's: 1 since 4415633, 6 before)")
    args = parser.parse_args()
    start = time.monotonic()
    crawler = Crawler(args.base_url, args.db, args.concurrency, args.batch_size, args.page_size, args.timeout,
                      args.gzip_level)
    listed = crawler.run()
    elapsed = time.monotonic() - start
    counts = {t: crawler.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("posts", "comments", "agents", "submolts", "raw_responses")}
    crawler.db.close()
    print(json.dumps({"listed": listed, "requests": crawler.requests, "seconds": round(elapsed, 3), **counts}),
          file=sys.stderr)


if __name__ == "__main__":
    main()
