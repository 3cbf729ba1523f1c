import Foundation

/// A Jupyter notebook (nbformat 4) for researchers who continue in Python: it opens the results
/// database read-only and redraws each chart of the HTML report from SQL, with sqlite3 and
/// matplotlib only.
struct ReportNotebook {
    let databasePath: String
    /// The folder the notebook is written to: Jupyter runs a notebook in its own folder, so a
    /// database nearby is named relative to it and the folder can move with its database.
    let directory: String
    let provenance: ReportProvenance

    /// `target` relative to `directory` when they share more than the root, else absolute.
    static func relativePath(of target: String, from directory: String) -> String {
        let to = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
        let from = URL(fileURLWithPath: directory).standardizedFileURL.pathComponents
        var common = 0
        while common < from.count, common < to.count - 1, to[common] == from[common] { common += 1 }
        guard common > 1 else { return URL(fileURLWithPath: target).standardizedFileURL.path }
        let ups = Array(repeating: "..", count: from.count - common)
        return (ups + to[common...]).joined(separator: "/")
    }

    enum Cell {
        case markdown(String)
        case code(String)
    }

    func data() throws -> Data {
        let cells: [[String: Any]] = cells().map { cell in
            switch cell {
            case .markdown(let text):
                return ["cell_type": "markdown", "metadata": [String: Any](), "source": Self.lines(text)]
            case .code(let text):
                return ["cell_type": "code", "metadata": [String: Any](), "source": Self.lines(text),
                        "execution_count": NSNull(), "outputs": [Any]()]
            }
        }
        let notebook: [String: Any] = [
            "nbformat": 4, "nbformat_minor": 4, "cells": cells,
            "metadata": ["kernelspec": ["display_name": "Python 3", "language": "python", "name": "python3"],
                         "language_info": ["name": "python"]],
        ]
        return try JSONSerialization.data(withJSONObject: notebook, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// Jupyter stores a cell's source as lines, each but the last ending in a newline.
    static func lines(_ text: String) -> [String] {
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return parts.enumerated().map { $0.offset < parts.count - 1 ? $0.element + "\n" : $0.element }
    }

    static func pythonString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    func cells() -> [Cell] {
        let provenanceText = provenance.items.map { "- **\($0.0)**: \($0.1)" }.joined(separator: "\n")
        return [
            .markdown("""
                # moltscope report: the agent society in numbers

                Every chart of `report.html`, redrawn from the results database with SQL (`sqlite3` and `matplotlib` only).
                The tables are described in moltscope's `docs/tables.md`; `report_figures` sets each figure beside the published one.

                \(provenanceText)
                """),
            .code("""
                import sqlite3
                import matplotlib.pyplot as plt

                DB = \(Self.pythonString(Self.relativePath(of: databasePath, from: directory)))  # the results database (relative to this notebook's folder)
                con = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)  # read-only: the notebook never changes results

                def query(sql, *args):
                    \"\"\"Rows of a query as a list of dicts.\"\"\"
                    cursor = con.execute(sql, args)
                    names = [d[0] for d in cursor.description]
                    return [dict(zip(names, row)) for row in cursor.fetchall()]

                def column(rows, name):
                    return [row[name] for row in rows]
                """),
            .markdown("## Our figures beside the published ones"),
            .code("""
                figures = query("SELECT section, measure, ours, ours_text, published, published_text, difference, n FROM report_figures ORDER BY position")
                for f in figures:
                    ours = f["ours_text"] or ("" if f["ours"] is None else f"{f['ours']:.4g}")
                    print(f"{f['section'][:24]:24}  {f['measure']:34} ours {ours:>10}   published {f['published_text']}")
                """),
            .markdown("## Activity and harm over time (hourly)"),
            .code("""
                rows = query("SELECT start, posts, comments, harmful_share, aligned_share FROM report_series WHERE bucket = '1h' ORDER BY start")
                if rows:
                    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
                    x = range(len(rows))
                    top.plot(x, column(rows, "posts"), label="posts")
                    top.plot(x, column(rows, "comments"), label="comments")
                    top.set_ylabel("per hour"); top.legend()
                    bottom.plot(x, [v if v is not None else float("nan") for v in column(rows, "harmful_share")], label="harmful share")
                    bottom.plot(x, [v if v is not None else float("nan") for v in column(rows, "aligned_share")], label="persona-aligned share")
                    bottom.set_ylabel("share"); bottom.legend()
                    ticks = list(x)[:: max(1, len(rows) // 8)]
                    bottom.set_xticks(ticks, [rows[i]["start"][5:16] for i in ticks], rotation=30)
                    plt.tight_layout(); plt.show()
                """),
            .markdown("## Topic × toxicity (posts)"),
            .code("""
                cells = query("SELECT topic, topic_name, toxicity, share_of_topic FROM report_topic_toxicity WHERE kind = 'post'")
                topics = sorted({(c["topic"], c["topic_name"]) for c in cells})
                grid = [[0.0] * 5 for _ in topics]
                for c in cells:
                    grid[topics.index((c["topic"], c["topic_name"]))][c["toxicity"]] = c["share_of_topic"]
                if topics:
                    fig, ax = plt.subplots(figsize=(7, 5))
                    image = ax.imshow(grid, cmap="viridis", vmin=0, vmax=1)
                    ax.set_xticks(range(5), ["0 Safe", "1 Edgy", "2 Toxic", "3 Manipulative", "4 Malicious"], rotation=30)
                    ax.set_yticks(range(len(topics)), [f"{t} {n}" for t, n in topics])
                    fig.colorbar(image, label="share of the topic's posts"); plt.tight_layout(); plt.show()
                """),
            .markdown("## Intent: similarity of each document to its author's profile"),
            .code("""
                threshold = query("SELECT threshold FROM report_runs ORDER BY id DESC LIMIT 1")[0]["threshold"]
                similarities = column(query("SELECT similarity FROM report_persona_alignment"), "similarity")
                levels = query("SELECT value, aligned_share, documents FROM report_intent_summary WHERE grouping = 'activity' ORDER BY position")
                fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
                left.hist(similarities, bins=40); left.axvline(threshold, linestyle="--", color="k")
                left.set_xlabel("cosine similarity to own profile"); left.set_ylabel("documents")
                right.bar([l["value"] for l in levels], [l["aligned_share"] for l in levels])
                right.set_xlabel("author's documents"); right.set_ylabel("persona-aligned share")
                plt.tight_layout(); plt.show()
                """),
            .markdown("## Incentives: output shift after the most-upvoted post, and persona drift"),
            .code("""
                agents = query("SELECT shift_ratio, similarity_before, similarity_after FROM report_incentive_agents")
                fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
                left.hist(column(agents, "shift_ratio"), bins=20); left.set_xlabel("output shift ratio"); left.set_ylabel("agents")
                both = [a for a in agents if a["similarity_before"] is not None and a["similarity_after"] is not None]
                right.scatter(column(both, "similarity_before"), column(both, "similarity_after"), s=4, alpha=0.5)
                if both:
                    low = min(column(both, "similarity_before") + column(both, "similarity_after")); high = max(column(both, "similarity_before") + column(both, "similarity_after"))
                    right.plot([low, high], [low, high], "k--", linewidth=1)
                right.set_xlabel("similarity before"); right.set_ylabel("similarity after")
                plt.tight_layout(); plt.show()
                """),
            .markdown("## Norms: template share per submolt"),
            .code("""
                norms = query("SELECT submolt, template_share FROM report_norm_templates ORDER BY rank LIMIT 25")
                if norms:
                    plt.figure(figsize=(8, 6))
                    plt.barh([n["submolt"] for n in norms][::-1], [n["template_share"] for n in norms][::-1])
                    plt.xlabel("share of posts that follow a template"); plt.tight_layout(); plt.show()
                """),
            .markdown("## Conflict contagion (95% intervals)"),
            .code("""
                rows = query("SELECT * FROM report_conflict_contagion ORDER BY comparison")
                fig, ax = plt.subplots(figsize=(8, 4))
                for i, r in enumerate(rows):
                    for offset, group in ((-0.2, "exposed"), (0.2, "calm")):
                        share = r[f"{group}_share"]
                        if share is None:
                            continue
                        error = [[share - r[f"{group}_low"]], [r[f"{group}_high"] - share]]
                        ax.bar(i + offset, share, width=0.4, yerr=error, capsize=4, color="C3" if group == "exposed" else "C0",
                               label=("after conflict" if group == "exposed" else "after calm") if i == 0 else None)
                ax.set_xticks(range(len(rows)), [r["comparison"] for r in rows]); ax.set_ylabel("conflictual share"); ax.legend()
                plt.tight_layout(); plt.show()
                """),
            .markdown("## Emotional contagion: how answers' emotions follow their parent's (lift over chance)"),
            .code("""
                cells = query("SELECT parent_emotion, reply_emotion, lift FROM report_emotion_contagion")
                emotions = ["neutral", "joy", "anger", "sadness", "fear", "surprise"]
                grid = [[float("nan")] * 6 for _ in emotions]
                for c in cells:
                    if c["lift"] is not None:
                        grid[emotions.index(c["parent_emotion"])][emotions.index(c["reply_emotion"])] = c["lift"]
                fig, ax = plt.subplots(figsize=(6, 5))
                image = ax.imshow(grid, cmap="viridis")
                ax.set_xticks(range(6), emotions, rotation=30); ax.set_yticks(range(6), emotions)
                ax.set_xlabel("answer"); ax.set_ylabel("parent"); fig.colorbar(image, label="lift"); plt.tight_layout(); plt.show()
                """),
            .markdown("## Topic clusters on the map (t-SNE)"),
            .code("""
                points = query("SELECT x, y, cluster_id FROM document_clusters WHERE x IS NOT NULL ORDER BY document_id")
                if points:
                    plt.figure(figsize=(7, 7))
                    plt.scatter(column(points, "x"), column(points, "y"), c=column(points, "cluster_id"), cmap="tab20", s=2, alpha=0.6)
                    plt.axis("off"); plt.tight_layout(); plt.show()
                """),
            .markdown("## Degree and cascade-size distributions (log-log) with their power-law fits"),
            .code("""
                fig, axes = plt.subplots(1, 3, figsize=(14, 4))
                for ax, subject in zip(axes, ["in_degree", "out_degree", "cascade_size"]):
                    rows = query("SELECT value, count FROM network_distributions WHERE subject = ? AND value > 0 ORDER BY value", subject)
                    total = sum(column(rows, "count"))
                    if total:
                        ax.loglog(column(rows, "value"), [c / total for c in column(rows, "count")], "o", markersize=3)
                    fit = query("SELECT x_min, alpha FROM power_law_fits WHERE subject = ?", subject)
                    if fit and rows:
                        x_min, alpha = fit[0]["x_min"], fit[0]["alpha"]
                        tail = [r for r in rows if r["value"] >= x_min]
                        if tail:
                            start = sum(r["count"] for r in tail) / total
                            xs = [x_min, tail[-1]["value"]]
                            ax.loglog(xs, [start * (alpha - 1) / x_min * (x / x_min) ** -alpha for x in xs], "k--", label=f"alpha {alpha:.2f}")
                            ax.legend()
                    ax.set_title(subject); ax.set_xlabel("value"); ax.set_ylabel("share")
                plt.tight_layout(); plt.show()
                """),
            .markdown("## Network roles"),
            .code("""
                roles = query("SELECT name, agents FROM network_roles ORDER BY role")
                if roles:
                    plt.figure(figsize=(7, 3))
                    plt.bar([r["name"] for r in roles], [r["agents"] for r in roles]); plt.yscale("log"); plt.ylabel("agents")
                    plt.tight_layout(); plt.show()
                """),
        ]
    }
}
