/// Every figure the report sets beside a published one, with the query that computes ours
/// from the report's tables (so each figure is exactly what its source table says) and the
/// published value from ../shared/docs/methods.md.
struct FigureSpec: Sendable {
    var section: String
    var measure: String
    var description: String
    /// One row: our value (REAL), n (INTEGER) and optionally a text value.
    var sql: String
    var source: String
    var study: String
    var published: Double?
    var publishedText: String
    /// A published range instead of one value: the difference is 0 inside it.
    var publishedRange: ClosedRange<Double>?
}

enum PublishedFigures {
    static let toxicityStudy = "Humans welcome to observe (arXiv 2602.10127)"
    static let moltNet = "MoltNet (arXiv 2602.13458)"
    static let communitiesStudy = "Exploring Silicon-Based Societies (arXiv 2602.02613)"
    static let socialization = "Does Socialization Emerge? (arXiv 2602.14299)"
    static let moltDynamics = "Molt Dynamics (arXiv 2603.03555)"

    static func summary(_ measure: String) -> String {
        "SELECT value, n FROM temporal_summary WHERE measure = '\(measure)'"
    }

    static func share(kind: String, topic: String, column: String) -> String {
        "SELECT \(column), documents FROM report_harm_by_topic WHERE kind = '\(kind)' AND topic = '\(topic)'"
    }

    static func contagion(_ comparison: String, _ group: String) -> String {
        "SELECT \(group)_share, \(group)_comments FROM report_conflict_contagion WHERE comparison = '\(comparison)'"
    }

    static func incentive(_ measure: String, _ statistic: String) -> String {
        "SELECT \(statistic), n FROM report_incentive_summary WHERE measure = '\(measure)'"
    }

    static let all: [FigureSpec] = [
        // Topics and toxicity
        FigureSpec(section: "Topics and toxicity", measure: "posts_safe_share", description: "share of posts labelled Safe (toxicity 0)",
                   sql: "SELECT CAST(sum(CASE WHEN toxicity = 0 THEN documents END) AS REAL) / sum(documents), sum(documents) FROM report_topic_toxicity WHERE kind = 'post'",
                   source: "report_topic_toxicity", study: toxicityStudy, published: 0.73, publishedText: "~73% of posts Safe"),
        FigureSpec(section: "Topics and toxicity", measure: "politics_posts_safe_share", description: "share of Politics (G) posts labelled Safe",
                   sql: share(kind: "post", topic: "G", column: "safe_share"), source: "report_harm_by_topic", study: toxicityStudy,
                   published: 0.397, publishedText: "39.7%"),
        FigureSpec(section: "Topics and toxicity", measure: "economics_posts_malicious_share", description: "share of Economics (D) posts labelled Malicious (4)",
                   sql: share(kind: "post", topic: "D", column: "malicious_share"), source: "report_harm_by_topic", study: toxicityStudy,
                   published: 0.063, publishedText: "6.3%, the highest level-4 rate"),
        FigureSpec(section: "Topics and toxicity", measure: "highest_malicious_topic", description: "topic with the highest share of Malicious posts (at least 20 posts)",
                   sql: "SELECT malicious_share, documents, topic_name FROM report_harm_by_topic WHERE kind = 'post' AND documents >= 20 ORDER BY malicious_share DESC, topic LIMIT 1",
                   source: "report_harm_by_topic", study: toxicityStudy, published: nil, publishedText: "Economics"),
        FigureSpec(section: "Topics and toxicity", measure: "hourly_volume_harm_r", description: "Pearson r of posts per hour with the hour's harmful share of posts",
                   sql: "SELECT r, buckets FROM temporal_correlations WHERE bucket = '1h' AND x = 'posts' AND y = 'post_harmful_share'",
                   source: "temporal_correlations", study: toxicityStudy, published: 0.769, publishedText: "r = 0.769"),
        FigureSpec(section: "Topics and toxicity", measure: "most_posts_by_one_agent", description: "posts of the most prolific agent (floods)",
                   sql: "SELECT max(posts), count(*) FROM agent_activity", source: "agent_activity", study: toxicityStudy,
                   published: 4535, publishedText: "one agent posted 4,535 times"),
        // MoltNet 1: intent
        FigureSpec(section: "Intent and motivation", measure: "persona_aligned_share", description: "share of documents at or above the persona threshold",
                   sql: "SELECT aligned_share, documents FROM report_intent_summary WHERE grouping = 'all'", source: "report_intent_summary",
                   study: moltNet, published: nil, publishedText: "most content below 0.6 at every activity level"),
        FigureSpec(section: "Intent and motivation", measure: "mean_persona_similarity", description: "mean cosine similarity of a document to its author's profile",
                   sql: "SELECT mean_similarity, documents FROM report_intent_summary WHERE grouping = 'all'", source: "report_intent_summary",
                   study: moltNet, published: nil, publishedText: "below 0.6"),
        FigureSpec(section: "Intent and motivation", measure: "mean_persona_lift", description: "mean similarity to the own profile minus the mean similarity to all profiles",
                   sql: "SELECT mean_lift, documents FROM report_intent_summary WHERE grouping = 'all'", source: "report_intent_summary",
                   study: moltNet, published: nil, publishedText: "(not published; > 0 means documents follow their own persona)"),
        FigureSpec(section: "Intent and motivation", measure: "mean_profile_rank", description: "share of other agents' profiles a document is less similar to than to its own (0.5: chance)",
                   sql: "SELECT mean_rank, documents FROM report_intent_summary WHERE grouping = 'all'", source: "report_intent_summary",
                   study: moltNet, published: nil, publishedText: "(not published; model-independent)"),
        FigureSpec(section: "Intent and motivation", measure: "aligned_share_first_day", description: "persona-aligned share on the first day",
                   sql: "SELECT aligned_share, documents FROM report_intent_summary WHERE grouping = 'day' ORDER BY value LIMIT 1",
                   source: "report_intent_summary", study: moltNet, published: nil, publishedText: "alignment falls over time"),
        FigureSpec(section: "Intent and motivation", measure: "aligned_share_last_day", description: "persona-aligned share on the last day",
                   sql: "SELECT aligned_share, documents FROM report_intent_summary WHERE grouping = 'day' ORDER BY value DESC LIMIT 1",
                   source: "report_intent_summary", study: moltNet, published: nil, publishedText: "alignment falls over time"),
        // MoltNet 2: incentives
        FigureSpec(section: "Incentives and drift", measure: "incentive_agents", description: "agents with karma > 0 and a dated post",
                   sql: "SELECT n, n FROM report_incentive_summary WHERE measure = 'shift_ratio'", source: "report_incentive_summary",
                   study: moltNet, published: 11_948, publishedText: "n = 11,948"),
        FigureSpec(section: "Incentives and drift", measure: "shift_ratio_mean", description: "mean share of an agent's posts made after its most-upvoted post",
                   sql: incentive("shift_ratio", "mean"), source: "report_incentive_summary", study: moltNet, published: 0.306, publishedText: "30.6%"),
        FigureSpec(section: "Incentives and drift", measure: "shift_ratio_median", description: "median output shift ratio",
                   sql: incentive("shift_ratio", "median"), source: "report_incentive_summary", study: moltNet, published: 0.25, publishedText: "25.0%"),
        FigureSpec(section: "Incentives and drift", measure: "moved_away_share", description: "share of agents less similar to their persona after their top post",
                   sql: incentive("moved_away", "mean"), source: "report_incentive_summary", study: moltNet, published: 0.735, publishedText: "73.5%"),
        FigureSpec(section: "Incentives and drift", measure: "similarity_before_mean", description: "mean persona similarity before the top post",
                   sql: incentive("similarity_before", "mean"), source: "report_incentive_summary", study: moltNet, published: 0.343, publishedText: "0.343"),
        FigureSpec(section: "Incentives and drift", measure: "similarity_after_mean", description: "mean persona similarity after the top post",
                   sql: incentive("similarity_after", "mean"), source: "report_incentive_summary", study: moltNet, published: 0.240, publishedText: "0.240"),
        // MoltNet 3: norms
        FigureSpec(section: "Norms and templates", measure: "submolts_with_templates", description: "submolts whose posts split into more than one template",
                   sql: "SELECT CAST(count(CASE WHEN templates > 1 THEN 1 END) AS REAL), count(*) FROM report_norm_templates",
                   source: "report_norm_templates", study: moltNet, published: nil, publishedText: "posts near a centre share a template"),
        FigureSpec(section: "Norms and templates", measure: "mean_template_share", description: "mean share of a submolt's posts that follow a template",
                   sql: "SELECT avg(template_share), count(*) FROM report_norm_templates", source: "report_norm_templates",
                   study: moltNet, published: nil, publishedText: "templates differ between submolts"),
        // MoltNet 4: contagion
        FigureSpec(section: "Emotion and conflict contagion", measure: "conflict_under_conflictual_post", description: "conflictual share of comments under conflictual posts",
                   sql: contagion("under_post", "exposed"), source: "report_conflict_contagion", study: moltNet, published: 0.146, publishedText: "14.6%"),
        FigureSpec(section: "Emotion and conflict contagion", measure: "conflict_under_calm_post", description: "conflictual share of comments under calm posts",
                   sql: contagion("under_post", "calm"), source: "report_conflict_contagion", study: moltNet, published: 0.052, publishedText: "5.2%"),
        FigureSpec(section: "Emotion and conflict contagion", measure: "conflict_after_conflictual_first", description: "conflictual share of later comments after a conflictual first comment",
                   sql: contagion("after_first_comment", "exposed"), source: "report_conflict_contagion", study: moltNet, published: 0.116, publishedText: "11.6%"),
        FigureSpec(section: "Emotion and conflict contagion", measure: "conflict_after_calm_first", description: "conflictual share of later comments after a calm first comment",
                   sql: contagion("after_first_comment", "calm"), source: "report_conflict_contagion", study: moltNet, published: 0.030, publishedText: "3.0%"),
        // Communities
        FigureSpec(section: "Community structure", measure: "communities", description: "themes (k-means clusters) of submolts",
                   sql: "SELECT CAST(count(*) AS REAL), sum(submolts) FROM communities", source: "communities", study: communitiesStudy,
                   published: 8, publishedText: "about 8 clusters"),
        // Temporal dynamics
        FigureSpec(section: "Temporal dynamics", measure: "daily_centroid_shift_mean", description: "mean day-to-day movement of the semantic centroid (cosine distance)",
                   sql: summary("centroid_shift_mean_1d"), source: "temporal_summary", study: socialization, published: nil, publishedText: "stabilises"),
        FigureSpec(section: "Temporal dynamics", measure: "daily_spread_mean", description: "mean spread of documents around the daily centroid",
                   sql: summary("spread_mean_1d"), source: "temporal_summary", study: socialization, published: nil, publishedText: "stays wide"),
        FigureSpec(section: "Temporal dynamics", measure: "daily_unigram_birth_rate", description: "mean daily share of words never used before",
                   sql: summary("unigram_birth_rate_mean_1d"), source: "temporal_summary", study: socialization, published: nil, publishedText: "turnover never stops"),
        FigureSpec(section: "Temporal dynamics", measure: "daily_pagerank_top_overlap", description: "mean overlap of the daily PageRank top list with the day before",
                   sql: summary("pagerank_top_overlap_mean_1d"), source: "temporal_summary", study: socialization, published: nil, publishedText: "no persistent super-nodes"),
        // Network roles and cascades
        FigureSpec(section: "Network roles and cascades", measure: "roles", description: "network roles (k-means on standardised centralities, best silhouette)",
                   sql: summary("roles"), source: "temporal_summary", study: moltDynamics, published: 6, publishedText: "6 roles"),
        FigureSpec(section: "Network roles and cascades", measure: "roles_silhouette", description: "silhouette of the roles",
                   sql: summary("roles_silhouette"), source: "temporal_summary", study: moltDynamics, published: 0.91, publishedText: "0.91"),
        FigureSpec(section: "Network roles and cascades", measure: "periphery_share", description: "share of agents in the periphery role",
                   sql: summary("periphery_share"), source: "temporal_summary", study: moltDynamics, published: 0.935, publishedText: "93.5%"),
        FigureSpec(section: "Network roles and cascades", measure: "cascade_alpha", description: "power-law exponent of meme cascade sizes (discrete, Clauset x_min)",
                   sql: summary("cascade_alpha"), source: "temporal_summary", study: moltDynamics, published: 2.57, publishedText: "2.57 ± 0.02"),
        // Other reference figures
        FigureSpec(section: "Other reference figures", measure: "burstiness_mean", description: "mean burstiness (CV of gaps between an agent's posts, >= 3 posts)",
                   sql: summary("burstiness_mean"), source: "temporal_summary", study: "arXiv 2602.07432", published: 1.02, publishedText: "1.02"),
        FigureSpec(section: "Other reference figures", measure: "burstiness_median", description: "median burstiness",
                   sql: summary("burstiness_median"), source: "temporal_summary", study: "arXiv 2602.07432", published: 0.86, publishedText: "0.86"),
        FigureSpec(section: "Other reference figures", measure: "reciprocity", description: "share of interaction edges whose reverse exists",
                   sql: summary("reciprocity"), source: "temporal_summary", study: "arXiv 2602.10131", published: 0.197, publishedText: "0.197"),
        FigureSpec(section: "Other reference figures", measure: "unanswered_comment_share", description: "share of comments nobody answered",
                   sql: summary("unanswered_comment_share"), source: "temporal_summary", study: "arXiv 2602.10131", published: 0.935, publishedText: "93.5%"),
        FigureSpec(section: "Other reference figures", measure: "mean_comment_depth", description: "mean depth of comments (1 = answer to the post)",
                   sql: summary("mean_comment_depth"), source: "temporal_summary", study: "arXiv 2602.10131", published: 1.07, publishedText: "1.07"),
        FigureSpec(section: "Other reference figures", measure: "exact_duplicate_comment_share", description: "share of comments whose exact text appears more than once",
                   sql: summary("exact_duplicate_comment_share"), source: "temporal_summary", study: "arXiv 2602.10131", published: 0.341, publishedText: "34.1%"),
        FigureSpec(section: "Other reference figures", measure: "activity_alpha", description: "power-law exponent of documents per agent",
                   sql: "SELECT alpha, n FROM power_law_fits WHERE subject = 'agent_documents'", source: "power_law_fits",
                   study: "several studies", published: nil, publishedText: "1.7-2.7", publishedRange: 1.7...2.7),
    ]
}
