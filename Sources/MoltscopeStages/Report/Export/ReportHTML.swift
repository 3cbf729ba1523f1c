import Foundation
import GRDB

/// The HTML report: every report table as a chart or a table with a short explanation of the
/// measure, in the order of MoltNet's dimensions, followed by the topic, cluster, network and
/// temporal summaries and the run's provenance. Self-contained (inline CSS and SVG, no scripts),
/// so it opens offline and can be mailed as one file.
struct ReportHTML {
    let db: Database
    let provenance: ReportProvenance
    let mapPoints: Int
    let tableRows: Int

    init(db: Database, provenance: ReportProvenance, mapPoints: Int, tableRows: Int) throws {
        self.db = db
        self.provenance = provenance
        self.mapPoints = mapPoints
        self.tableRows = tableRows
    }

    func render() throws -> String {
        let name = URL(fileURLWithPath: provenance.items.first?.1 ?? "moltscope").deletingPathExtension().lastPathComponent
        let period = try Row.fetchOne(db, sql: "SELECT min(created_at), max(created_at), count(*) FROM documents")
        let posts = try Int.fetchOne(db, sql: "SELECT count(*) FROM posts") ?? 0
        let comments = try Int.fetchOne(db, sql: "SELECT count(*) FROM comments") ?? 0
        let agents = try Int.fetchOne(db, sql: "SELECT count(DISTINCT author_id) FROM documents") ?? 0
        let subtitle = "\(posts) posts and \(comments) comments by \(agents) agents, \(Self.day(period?[0])) to \(Self.day(period?[1]))"
        var page = HTMLPage(title: "moltscope report: \(name)", subtitle: subtitle)
        try figures(&page)
        try activity(&page)
        try topics(&page)
        try intent(&page)
        try incentives(&page)
        try norms(&page)
        try contagion(&page)
        try clusters(&page)
        try network(&page)
        try socialization(&page)
        page.section(id: "provenance", title: "Provenance",
                     intro: "Where these numbers come from. `moltscope report` rewrites this page, the CSV files and the notebook from the database without running any stage.")
        page.keyValues(provenance.items)
        return page.render()
    }

    static func day(_ iso: String?) -> String { iso.map { String($0.prefix(10)) } ?? "?" }

    // MARK: Sections

    private func figures(_ page: inout HTMLPage) throws {
        page.section(id: "figures", title: "Our figures beside the published ones",
                     intro: "Each figure of the five studies the pipeline follows (../shared/docs/methods.md), computed on this database, beside the value the study reports on its own, larger and later crawl. Direction and order of magnitude should agree; the difference is ours minus published (0 inside a published range). Qualitative findings are quoted.")
        let rows = try Row.fetchAll(db, sql: """
            SELECT section, description, ours, ours_text, published_text, difference, n, source, study, measure
            FROM report_figures ORDER BY position
            """)
        page.table(columns: ["section", "figure", "ours", "published", "difference", "n", "from table", "study"],
                   rows: rows.map { row in
                       let measure: String = row[9]
                       let format = Self.format(measure: measure)
                       let ours: HTMLCell = (row[3] as String?).map { .text($0) } ?? .number(row[2], format)
                       return [.text(row[0]), .text(row[1]), ours, .text(row[4]), .number(row[5], format), .integer(row[6]),
                               .text(row[7]), .text(row[8])]
                   }, maxRows: 1000)
    }

    /// Shares show as percentages, the rest as numbers.
    static func format(measure: String) -> ValueFormat {
        measure.hasSuffix("share") || measure.contains("share_") || measure.hasPrefix("conflict_") || measure.hasPrefix("shift_ratio")
            || measure.hasSuffix("_birth_rate") ? .percent : .number
    }

    private func series(_ bucket: String) throws -> [Row] {
        try Row.fetchAll(db, sql: "SELECT * FROM report_series WHERE bucket = ? ORDER BY start", arguments: [bucket])
    }

    static func seconds(_ iso: String) -> Double {
        (UTCTime.micros(iso).map { Double($0) / 1e6 }) ?? .nan
    }

    private func activity(_ page: inout HTMLPage) throws {
        page.section(id: "activity", title: "Activity and harm over time",
                     intro: "Posts and comments per hour (UTC), and per hour the share of labelled documents that are harmful (toxicity 2 or more), conflictual, and persona-aligned. The toxicity study reports that hourly volume and harm rise together (r = 0.769); our correlations are in the figures above and in temporal_correlations.")
        let rows = try series("1h")
        guard !rows.isEmpty else { page.paragraph("No hourly series: run the temporal stage."); return }
        let x = rows.map { Self.seconds($0["start"]) }
        func line(_ name: String, _ column: String) -> LineChart.Series {
            LineChart.Series(name: name, points: zip(x, rows).map { (x: $0, y: ($1[column] as Double?)) })
        }
        func count(_ name: String, _ column: String) -> LineChart.Series {
            LineChart.Series(name: name, points: zip(x, rows).map { (x: $0, y: Double($1[column] as Int)) })
        }
        page.figure(Charts.line(LineChart(title: "Posts and comments per hour", xLabel: "hour (UTC)", yLabel: "per hour",
                                          series: [count("posts", "posts"), count("comments", "comments")], xAxis: .time)),
                    caption: "Volume per hour (report_series, bucket 1h).")
        page.figure(Charts.line(LineChart(title: "Harm, conflict and persona alignment per hour", xLabel: "hour (UTC)", yLabel: "share of documents",
                                          series: [line("harmful", "harmful_share"), line("conflictual", "conflict_share"),
                                                   line("persona-aligned", "aligned_share"), line("persona rank", "mean_rank")],
                                          xAxis: .time, yFormat: .percent)),
                    caption: "Shares of the hour's labelled (harmful, conflictual) or embedded (aligned) documents; persona rank: the mean share of other agents' profiles a document is less similar to than to its author's own (0.5 is chance). Gaps where there were none.")
    }

    private func topics(_ page: inout HTMLPage) throws {
        page.section(id: "topics", title: "Topics and toxicity",
                     intro: "Every kept post and comment carries a topic (A-I) and a toxicity level (0 Safe, 1 Edgy, 2 Toxic, 3 Manipulative, 4 Malicious) from the labeller named in the provenance, following the codebook in data/labels/CODEBOOK.md. Harmful means toxicity 2 or more. The heatmap shows, for each topic, how its posts spread over the toxicity levels.")
        let cells = try Row.fetchAll(db, sql: "SELECT topic, topic_name, toxicity, share_of_topic FROM report_topic_toxicity WHERE kind = 'post' ORDER BY topic, toxicity")
        guard !cells.isEmpty else { page.paragraph("No labels: run the toxicity-label stage."); return }
        let topics = TopicLabel.allCases
        var values = [[Double?]](repeating: [Double?](repeating: nil, count: 5), count: topics.count)
        for cell in cells {
            guard let t = topics.firstIndex(where: { $0.rawValue == cell["topic"] as String }) else { continue }
            let level: Int = cell["toxicity"]
            if (0..<5).contains(level) { values[t][level] = cell["share_of_topic"] }
        }
        page.figure(Charts.heatmap(Heatmap(title: "Toxicity within each topic (posts)", rowLabel: "topic", columnLabel: "toxicity",
                                           rows: topics.map { "\($0.rawValue) \($0.name)" },
                                           columns: ["0 Safe", "1 Edgy", "2 Toxic", "3 Manipulative", "4 Malicious"],
                                           values: values, legendLabel: "share of the topic's posts")),
                    caption: "report_topic_toxicity (kind = post): share_of_topic.")
        let harm = try Row.fetchAll(db, sql: "SELECT * FROM report_harm_by_topic WHERE kind = 'post' ORDER BY topic")
        page.figure(Charts.bars(BarChart(title: "Harm by topic (posts)", xLabel: "topic", yLabel: "share of posts",
                                         categories: harm.map { "\($0["topic"] as String) \($0["topic_name"] as String)" },
                                         series: [BarChart.Series(name: "harmful (2-4)", values: harm.map { $0["harmful_share"] }),
                                                  BarChart.Series(name: "malicious (4)", values: harm.map { $0["malicious_share"] }),
                                                  BarChart.Series(name: "conflictual", values: harm.map { $0["conflict_share"] })],
                                         format: .percent, horizontal: true)),
                    caption: "report_harm_by_topic (kind = post).")
        page.table(columns: ["topic", "posts", "safe", "harmful", "malicious", "conflictual", "mean valence"],
                   rows: harm.map { [.text("\($0["topic"] as String) \($0["topic_name"] as String)"), .integer($0["documents"]),
                                     .number($0["safe_share"], .percent), .number($0["harmful_share"], .percent),
                                     .number($0["malicious_share"], .percent), .number($0["conflict_share"], .percent),
                                     .number($0["mean_valence"], .number)] },
                   caption: "Posts per topic and their harm (report_harm_by_topic).")
    }

    private func intent(_ page: inout HTMLPage) throws {
        let threshold = try Double.fetchOne(db, sql: "SELECT threshold FROM report_runs ORDER BY id DESC LIMIT 1") ?? 0.6
        page.section(id: "intent", title: "Intent and motivation (MoltNet 1)",
                     intro: "MoltNet asks whether agents write in the persona their profile describes: the cosine similarity of each post and comment to its author's profile description, persona-aligned at \(threshold) or more. Similarities depend on the embedding model (\(provenance.model)): models like e5 put any two texts at 0.7-0.9, so two model-independent measures stand beside it: the lift (similarity to the own profile minus the mean similarity to all profiles; above 0 when documents follow their own persona) and the persona rank (the share of other agents' profiles a document is less similar to than to its own: 0.5 is chance, 1 means its own profile is the closest).\n\nPublished: most content is below 0.6 at every activity level, and alignment falls over time.")
        let similarities = try Double.fetchAll(db, sql: "SELECT similarity FROM report_persona_alignment")
        guard !similarities.isEmpty else { page.paragraph("No document has a persona similarity: agents need profile descriptions and documents need vectors."); return }
        let sorted = similarities.sorted()
        page.figure(Charts.histogram(Histogram(title: "Similarity of each document to its author's profile", xLabel: "cosine similarity",
                                               values: similarities, bins: 40,
                                               range: min(threshold, sorted[0])...max(threshold, sorted[sorted.count - 1]),
                                               markers: [(label: "threshold \(threshold)", x: threshold),
                                                         (label: "median", x: sorted[sorted.count / 2])])),
                    caption: "report_persona_alignment.similarity")
        let levels = try Row.fetchAll(db, sql: "SELECT * FROM report_intent_summary WHERE grouping = 'activity' ORDER BY position")
        page.figure(Charts.bars(BarChart(title: "Persona-aligned share by the author's activity", xLabel: "author's documents", yLabel: "aligned share",
                                         categories: levels.map { $0["value"] },
                                         series: [BarChart.Series(name: "aligned share", values: levels.map { $0["aligned_share"] }),
                                                  BarChart.Series(name: "persona rank", values: levels.map { $0["mean_rank"] })],
                                         format: .percent)),
                    caption: "report_intent_summary (grouping = activity).")
        let days = try Row.fetchAll(db, sql: "SELECT * FROM report_intent_summary WHERE grouping = 'day' ORDER BY value")
        let x = days.map { Self.seconds(($0["value"] as String) + "T00:00:00Z") }
        page.figure(Charts.line(LineChart(title: "Persona alignment by day", xLabel: "day (UTC)", yLabel: "share",
                                          series: [LineChart.Series(name: "aligned share", points: zip(x, days).map { (x: $0, y: $1["aligned_share"]) }),
                                                   LineChart.Series(name: "persona rank", points: zip(x, days).map { (x: $0, y: $1["mean_rank"]) })],
                                          xAxis: .time, yFormat: .percent, markers: true)),
                    caption: "report_intent_summary (grouping = day).")
        let all = try Row.fetchAll(db, sql: "SELECT * FROM report_intent_summary WHERE grouping IN ('all', 'kind', 'activity') ORDER BY grouping = 'activity', grouping = 'kind', position")
        page.table(columns: ["group", "", "documents", "agents", "mean similarity", "median", "aligned", "mean lift", "persona rank"],
                   rows: (all + days).map { [.text($0["grouping"]), .text($0["value"]), .integer($0["documents"]), .integer($0["agents"]),
                                             .number($0["mean_similarity"], .number), .number($0["median_similarity"], .number),
                                             .number($0["aligned_share"], .percent), .number($0["mean_lift"], .number),
                                             .number($0["mean_rank"], .percent)] },
                   caption: "report_intent_summary", maxRows: tableRows)
    }

    private func incentives(_ page: inout HTMLPage) throws {
        page.section(id: "incentives", title: "Incentives and behavioural drift (MoltNet 2)",
                     intro: "Does success change an agent? For each agent with karma above 0, its most-upvoted post splits its output in two: the output shift ratio is the share of its posts made after it, and persona drift compares the mean profile similarity of its documents before and after it.\n\nPublished (n = 11,948): shift ratio mean 30.6%, median 25.0%; 73.5% of agents move away from their persona (mean similarity 0.343 -> 0.240).")
        let ratios = try Double.fetchAll(db, sql: "SELECT shift_ratio FROM report_incentive_agents")
        guard !ratios.isEmpty else { page.paragraph("No agent with karma above 0 has a dated post."); return }
        page.figure(Charts.histogram(Histogram(title: "Output shift ratio per agent", xLabel: "share of posts after the most-upvoted post",
                                               yLabel: "agents", values: ratios, bins: 20, range: 0...1)),
                    caption: "report_incentive_agents.shift_ratio (agents with one post have 0).")
        let summary = try Row.fetchAll(db, sql: """
            SELECT * FROM report_incentive_summary ORDER BY CASE measure WHEN 'shift_ratio' THEN 0 WHEN 'similarity_before' THEN 1
                WHEN 'similarity_after' THEN 2 WHEN 'similarity_change' THEN 3 ELSE 4 END
            """)
        page.table(columns: ["measure", "agents", "mean", "median", "25%", "75%"],
                   rows: summary.map { row in
                       let measure: String = row["measure"]
                       let format: ValueFormat = measure == "shift_ratio" || measure == "moved_away" ? .percent : .number
                       return [.text(measure), .integer(row["n"]), .number(row["mean"], format), .number(row["median"], format),
                               .number(row["p25"], format), .number(row["p75"], format)]
                   }, caption: "report_incentive_summary (moved_away: the mean is the share that moved away).")
    }

    private func norms(_ page: inout HTMLPage) throws {
        page.section(id: "norms", title: "Social norms and templates (MoltNet 3)",
                     intro: "Within each submolt, X-Means clusters the posts' vectors; a post near a centre follows that template. A high template share means strong formulaic norms; templates differ between submolts (their keywords are set apart by c-TF-IDF among all submolts' templates).")
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM report_norm_templates ORDER BY rank")
        guard !rows.isEmpty else { page.paragraph("No submolt has enough posts for templates (cluster.templates.min_posts)."); return }
        let top = Array(rows.prefix(20))
        page.figure(Charts.bars(BarChart(title: "Submolts with the strongest templates", xLabel: "submolt", yLabel: "share of posts following a template",
                                         categories: top.map { $0["submolt"] },
                                         series: [BarChart.Series(name: "template share", values: top.map { $0["template_share"] })],
                                         format: .percent, horizontal: true)),
                    caption: "report_norm_templates, the \(top.count) highest template shares.")
        page.table(columns: ["submolt", "posts", "templates", "template share", "keywords", "example (the post nearest the top template)"],
                   rows: rows.map { [.text($0["submolt"]), .integer($0["posts"]), .integer($0["templates"]), .number($0["template_share"], .percent),
                                     .text($0["keywords"] ?? ""), .text($0["example_text"] ?? "")] },
                   caption: "report_norm_templates", maxRows: tableRows)
    }

    private func contagion(_ page: inout HTMLPage) throws {
        page.section(id: "contagion", title: "Emotion and conflict contagion (MoltNet 4)",
                     intro: "Is conflict catching? Labelled comments split by what they answer or follow, conflictual or calm; bars show the conflictual share of each group with its 95% Wilson interval. Published: 14.6% of comments under conflictual posts vs 5.2% under calm ones; 11.6% after a conflictual first comment vs 3.0% after a calm one.\n\nThe heatmap shows emotional contagion: for answers to a parent of each emotion, how much more often than chance the answer has each emotion (lift; above 1 on the diagonal: an emotion is met with itself).")
        let rows = try Row.fetchAll(db, sql: """
            SELECT * FROM report_conflict_contagion
            ORDER BY CASE comparison WHEN 'under_post' THEN 0 WHEN 'after_first_comment' THEN 1 ELSE 2 END
            """)
        guard !rows.isEmpty, rows.contains(where: { ($0["exposed_comments"] as Int) + ($0["calm_comments"] as Int) > 0 }) else {
            page.paragraph("No labelled comments: run the toxicity-label stage."); return
        }
        page.figure(Charts.bars(BarChart(title: "Conflictual share of comments after conflict vs after calm", xLabel: "comparison",
                                         yLabel: "conflictual share",
                                         categories: rows.map { ($0["comparison"] as String).replacingOccurrences(of: "_", with: " ") },
                                         series: [BarChart.Series(name: "after conflict", values: rows.map { $0["exposed_share"] },
                                                                  low: rows.map { $0["exposed_low"] }, high: rows.map { $0["exposed_high"] }),
                                                  BarChart.Series(name: "after calm", values: rows.map { $0["calm_share"] },
                                                                  low: rows.map { $0["calm_low"] }, high: rows.map { $0["calm_high"] }),
                                                  BarChart.Series(name: "published, after conflict", values: rows.map { $0["published_exposed"] }),
                                                  BarChart.Series(name: "published, after calm", values: rows.map { $0["published_calm"] })],
                                         format: .percent)),
                    caption: "report_conflict_contagion; error bars: 95% Wilson intervals.")
        page.table(columns: ["comparison", "after conflict", "n", "after calm", "n", "difference", "95% interval", "risk ratio"],
                   rows: rows.map { row in
                       let low: Double? = row["difference_low"], high: Double? = row["difference_high"]
                       let interval = low.flatMap { l in high.map { String(format: "%+.1f to %+.1f points", l * 100, $0 * 100) } } ?? "—"
                       return [.text(row["description"]), .number(row["exposed_share"], .percent), .integer(row["exposed_comments"]),
                               .number(row["calm_share"], .percent), .integer(row["calm_comments"]), .number(row["difference"], .percent),
                               .text(interval), .number(row["risk_ratio"], .number)]
                   }, caption: "report_conflict_contagion (Newcombe's interval for the difference).")
        let emotions = EmotionLabel.allCases.map(\.rawValue)
        var lift = [[Double?]](repeating: [Double?](repeating: nil, count: emotions.count), count: emotions.count)
        for cell in try Row.fetchAll(db, sql: "SELECT parent_emotion, reply_emotion, lift FROM report_emotion_contagion") {
            if let p = emotions.firstIndex(of: cell[0]), let r = emotions.firstIndex(of: cell[1]) { lift[p][r] = cell[2] }
        }
        page.figure(Charts.heatmap(Heatmap(title: "Emotion of answers by the emotion of their parent (lift over chance)", rowLabel: "parent",
                                           columnLabel: "answer", rows: emotions, columns: emotions, values: lift, format: .number,
                                           legendLabel: "lift")),
                    caption: "report_emotion_contagion.lift")
    }

    private func clusters(_ page: inout HTMLPage) throws {
        page.section(id: "clusters", title: "Topic clusters and submolt communities",
                     intro: "The cluster stage groups the documents' vectors into topic clusters (keywords by class-based TF-IDF) and draws them on a 2-D map (t-SNE); submolts are grouped into themes (communities, about 8 in \"Exploring Silicon-Based Societies\").")
        let clusters = try Row.fetchAll(db, sql: "SELECT * FROM topic_clusters ORDER BY cluster_id")
        guard !clusters.isEmpty else { page.paragraph("No clusters: run the cluster stage."); return }
        var names: [Int: String] = [:]
        for row in clusters { names[row["cluster_id"]] = "\(row["cluster_id"] as Int): \(row["label"] as String? ?? "")" }
        let ids = clusters.map { $0["cluster_id"] as Int }.filter { $0 >= 0 }
        // An evenly spread sample, taken in SQL so a map of millions of documents is never loaded whole.
        let mapped = try Int.fetchOne(db, sql: "SELECT count(*) FROM document_clusters WHERE x IS NOT NULL") ?? 0
        if mapped > 0, mapPoints > 0 {
            let step = max(1, Int((Double(mapped) / Double(mapPoints)).rounded(.up)))
            let sample = try Row.fetchAll(db, sql: """
                SELECT x, y, cluster_id FROM (SELECT x, y, cluster_id, row_number() OVER (ORDER BY document_id) - 1 AS n
                                              FROM document_clusters WHERE x IS NOT NULL)
                WHERE n % ? = 0
                """, arguments: [step])
            page.figure(Charts.scatter(ScatterMap(title: "Documents on the map, coloured by topic cluster",
                                                  points: sample.map { (x: $0[0], y: $0[1], group: ids.firstIndex(of: $0[2] as Int) ?? -1) },
                                                  groupNames: ids.map { names[$0] ?? "\($0)" })),
                        caption: "document_clusters x, y (\(sample.count) of \(mapped) mapped documents).")
        }
        page.table(columns: ["cluster", "documents", "share", "posts", "cohesion", "keywords", "top submolt"],
                   rows: clusters.map { [.integer($0["cluster_id"]), .integer($0["size"]), .number($0["share"], .percent), .integer($0["posts"]),
                                         .number($0["cohesion"], .number), .text($0["keywords"] ?? ""), .text($0["top_submolt"] ?? "")] },
                   caption: "topic_clusters", maxRows: tableRows)
        let communities = try Row.fetchAll(db, sql: "SELECT * FROM communities ORDER BY community_id")
        page.table(columns: ["community", "submolts", "posts", "keywords", "largest submolts"],
                   rows: communities.map { [.integer($0["community_id"]), .integer($0["submolts"]), .integer($0["posts"]),
                                            .text($0["keywords"] ?? ""), .text($0["top_submolts"] ?? "")] },
                   caption: "communities")
    }

    private func distribution(_ subject: String) throws -> (points: [(x: Double, y: Double)], fit: LogLogPlot.Line?, alpha: Double?) {
        let rows = try Row.fetchAll(db, sql: "SELECT value, count FROM network_distributions WHERE subject = ? AND value > 0 ORDER BY value",
                                    arguments: [subject])
        let total = Double(rows.reduce(0) { $0 + ($1[1] as Int) })
        guard total > 0 else { return ([], nil, nil) }
        let points = rows.map { (x: Double($0[0] as Int), y: Double($0[1] as Int) / total) }
        guard let fit = try Row.fetchOne(db, sql: "SELECT x_min, alpha FROM power_law_fits WHERE subject = ?", arguments: [subject]) else {
            return (points, nil, nil)
        }
        let xMin = Double(fit[0] as Int), alpha: Double = fit[1]
        let tail = rows.filter { Double($0[0] as Int) >= xMin }
        guard let last = tail.last else { return (points, nil, alpha) }
        // The fitted density over the tail, scaled to the tail's share: p(x) = share (alpha - 1) / x_min (x / x_min)^-alpha.
        let share = Double(tail.reduce(0) { $0 + ($1[1] as Int) }) / total
        func density(_ x: Double) -> Double { share * (alpha - 1) / xMin * pow(x / xMin, -alpha) }
        let xMax = Double(last[0] as Int)
        return (points, LogLogPlot.Line(name: "\(subject) fit, alpha \(String(format: "%.2f", alpha))",
                                        from: (x: xMin, y: density(xMin)), to: (x: xMax, y: density(xMax))), alpha)
    }

    private func network(_ page: inout HTMLPage) throws {
        page.section(id: "network", title: "Network roles and cascades",
                     intro: "The interaction graph has an edge from each commenter to the author of what the comment answers. Degrees and meme cascade sizes are heavy-tailed: on log-log axes, with the discrete power-law fit (Clauset x_min) dashed. Roles come from k-means on the agents' standardised centralities (Molt Dynamics reports 6 roles, 93.5% periphery, cascade alpha 2.57).")
        let inDegree = try distribution("in_degree"), outDegree = try distribution("out_degree")
        page.figure(Charts.logLog(LogLogPlot(title: "Degree distributions", xLabel: "degree (distinct agents)", yLabel: "share of agents",
                                             series: [LogLogPlot.Series(name: "in-degree", points: inDegree.points),
                                                      LogLogPlot.Series(name: "out-degree", points: outDegree.points)],
                                             lines: [inDegree.fit, outDegree.fit].compactMap { $0 })),
                    caption: "network_distributions with power_law_fits.")
        let cascades = try distribution("cascade_size"), activity = try distribution("agent_documents")
        page.figure(Charts.logLog(LogLogPlot(title: "Meme cascade sizes and documents per agent", xLabel: "size", yLabel: "share",
                                             series: [LogLogPlot.Series(name: "cascade size (adopters)", points: cascades.points),
                                                      LogLogPlot.Series(name: "documents per agent", points: activity.points)],
                                             lines: [cascades.fit, activity.fit].compactMap { $0 })),
                    caption: "network_distributions with power_law_fits.")
        let roles = try Row.fetchAll(db, sql: "SELECT * FROM network_roles ORDER BY role")
        if !roles.isEmpty {
            page.figure(Charts.bars(BarChart(title: "Network roles", xLabel: "role", yLabel: "agents",
                                             categories: roles.map { "\($0["role"] as Int) \($0["name"] as String)" },
                                             series: [BarChart.Series(name: "agents", values: roles.map { Double($0["agents"] as Int) })],
                                             format: .integer)),
                        caption: "network_roles")
            page.table(columns: ["role", "name", "agents", "share", "description"],
                       rows: roles.map { [.integer($0["role"]), .text($0["name"]), .integer($0["agents"]), .number($0["share"], .percent),
                                          .text($0["description"])] }, caption: "network_roles")
        }
        let fits = try Row.fetchAll(db, sql: "SELECT * FROM power_law_fits ORDER BY subject")
        page.table(columns: ["distribution", "n", "x_min", "alpha", "± se", "tail", "verdict"],
                   rows: fits.map { [.text($0["subject"]), .integer($0["n"]), .integer($0["x_min"]), .number($0["alpha"], .number),
                                     .number($0["alpha_se"], .number), .integer($0["n_tail"]), .text($0["verdict"])] },
                   caption: "power_law_fits")
        let memes = try Row.fetchAll(db, sql: "SELECT * FROM meme_cascades ORDER BY size DESC, phrase LIMIT ?", arguments: [tableRows])
        page.table(columns: ["phrase", "adopters", "documents", "first used", "duration (hours)"],
                   rows: memes.map { [.text($0["phrase"]), .integer($0["size"]), .integer($0["documents"]), .text($0["first_at"] ?? ""),
                                      .number($0["duration_hours"], .number)] },
                   caption: "meme_cascades, the largest")
    }

    private func socialization(_ page: inout HTMLPage) throws {
        page.section(id: "socialization", title: "Temporal dynamics: does socialization emerge?",
                     intro: "Per day: how far the semantic centroid of all content moves from the day before (published: it stabilises), how widely documents spread around it (published: stays wide), and how much of the day's PageRank top list was already on top the day before (published: no persistent super-nodes).")
        let days = try series("1d")
        guard !days.isEmpty else { page.paragraph("No daily series: add \"1d\" to temporal.buckets."); return }
        let x = days.map { Self.seconds($0["start"]) }
        page.figure(Charts.line(LineChart(title: "Semantic centroid and PageRank leaders, day by day", xLabel: "day (UTC)", yLabel: "",
                                          series: [LineChart.Series(name: "centroid shift", points: zip(x, days).map { (x: $0, y: $1["centroid_shift"]) }),
                                                   LineChart.Series(name: "spread", points: zip(x, days).map { (x: $0, y: $1["spread"]) }),
                                                   LineChart.Series(name: "top-list overlap", points: zip(x, days).map { (x: $0, y: $1["pagerank_top_overlap"]) })],
                                          xAxis: .time, markers: true)),
                    caption: "report_series (bucket 1d), from temporal_semantics and temporal_pagerank.")
        page.table(columns: ["day", "posts", "comments", "agents", "harmful", "aligned", "centroid shift", "spread", "top-list overlap"],
                   rows: days.map { [.text(Self.day($0["start"])), .integer($0["posts"]), .integer($0["comments"]), .integer($0["active_agents"]),
                                     .number($0["harmful_share"], .percent), .number($0["aligned_share"], .percent),
                                     .number($0["centroid_shift"], .number), .number($0["spread"], .number),
                                     .number($0["pagerank_top_overlap"], .percent)] },
                   caption: "report_series (bucket 1d)", maxRows: tableRows)
    }
}
