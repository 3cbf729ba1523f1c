import GRDB
import MoltscopeCore

/// Replaces the clean stage's outputs inside one write transaction: the old rows go, the new ones
/// come from the spill file and the analysis, and a digest of them is stored with them (the
/// stage's output fingerprint). Nothing here computes text: that happened before the transaction.
enum CleanWriter {
    static let digestKey = "output_digest"

    struct Result: Sendable {
        var documents = 0
        var errors = 0
        var digest = ""
    }

    /// What the group and event rows need of particular documents, collected while streaming.
    private struct FirstDocument {
        var id: String
        var createdAt: String?
        var sample: String
    }

    static func write(_ db: Database, spillPath: String, index: CorpusIndex, analysis: CleanAnalysis,
                      context: StageContext) throws -> Result {
        for table in CleanSchema.outputTables { try db.execute(sql: "DELETE FROM \(table)") }

        var wanted = Set<Int32>()
        for group in analysis.groups { wanted.insert(group.first) }
        for event in analysis.events {
            wanted.insert(event.members[0])
            wanted.insert(event.members[event.members.count - 1])
        }
        var firsts: [Int32: FirstDocument] = [:]
        var digest = OutputDigest()
        var result = Result()

        let insert = try db.makeStatement(sql: """
            INSERT INTO documents(id, kind, post_id, parent_id, author_id, author_name, submolt, created_at, text,
                                  language, length, original_length, truncated, content_hash, exact_group, near_group,
                                  flood_event, status, drop_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO NOTHING
            """)
        let reader = try SpillReader(path: spillPath)
        var ordinal = 0
        while let document = try reader.next() {
            let d = ordinal
            ordinal += 1
            let reason = analysis.reasons[d]
            let exact = analysis.exactGroup[d], near = analysis.nearGroup[d], flood = analysis.floodEvent[d]
            try insert.execute(arguments: [
                document.id, document.kind.name, document.postId, document.parentId, document.authorId,
                document.authorName, document.submolt, document.createdAt, document.text, document.language,
                document.length, document.originalLength, document.truncated ? 1 : 0, document.contentHash,
                exact == 0 ? nil : Int64(exact), near == 0 ? nil : Int64(near), flood == 0 ? nil : Int64(flood),
                reason == .kept ? "kept" : "dropped", reason.name,
            ])
            if db.changesCount == 0 {
                result.errors += 1
                try context.errors.record(db, source: "\(document.kind.name) \(document.id)",
                                          reason: "a post and a comment share this id; the \(document.kind.name) has no document")
            } else {
                result.documents += 1
            }
            if wanted.contains(Int32(d)) {
                firsts[Int32(d)] = FirstDocument(id: document.id, createdAt: document.createdAt,
                                                 sample: String(document.text.unicodeScalars.prefix(200)))
            }
            digest.add([document.id, document.contentHash, document.language, String(exact), String(near),
                        String(flood), reason.name ?? "kept", document.truncated ? "t" : "f"])
            if ordinal % 1000 == 0 { context.progress.advance(by: 1000) }
        }
        context.progress.advance(by: ordinal % 1000)
        guard ordinal == index.count else {
            throw MoltscopeError(.internal, "the clean stage's spill file holds \(ordinal) documents, expected \(index.count)",
                                 remedy: "run the stage again")
        }

        let insertGroup = try db.makeStatement(sql: """
            INSERT INTO duplicate_groups(group_id, method, size, distinct_authors, first_document_id, first_created_at,
                                         sample_text) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for group in analysis.groups {
            let first = firsts[group.first]!
            try insertGroup.execute(arguments: [Int64(group.id), group.method.rawValue, group.size, group.distinctAuthors,
                                                first.id, first.createdAt, first.sample])
            digest.add(["group", group.method.rawValue, String(group.id), String(group.size)])
        }

        let insertEvent = try db.makeStatement(sql: """
            INSERT INTO flood_events(id, author_id, near_group, documents, first_document_id, first_at, last_at,
                                     span_seconds, max_gap_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (position, event) in analysis.events.enumerated() {
            let first = firsts[event.members[0]]!, last = firsts[event.members[event.members.count - 1]]!
            try insertEvent.execute(arguments: [
                position + 1, index.agentIds[Int(event.author)], Int64(event.nearGroup), event.members.count, first.id,
                first.createdAt, last.createdAt, event.spanSeconds, event.maxGapSeconds,
            ])
        }

        let insertAgent = try db.makeStatement(sql: """
            INSERT INTO agent_activity(author_id, author_name, posts, comments, documents, duplicate_share, flood_events,
                                       flood_documents, burstiness, mean_gap_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (agent, stats) in analysis.agents.enumerated() {
            try insertAgent.execute(arguments: [
                index.agentIds[agent], index.agentNames[agent], stats.posts, stats.comments, stats.documents,
                stats.duplicateShare, stats.floodEvents, stats.floodDocuments, stats.burstiness, stats.meanGapSeconds,
            ])
        }

        result.digest = digest.hex
        try context.checkpoints.set(db, digestKey, result.digest)
        return result
    }
}

/// An order-dependent 128-bit digest of the rows written (not cryptographic: it only has to
/// change when the outputs do, cheaply, for millions of rows).
struct OutputDigest {
    private var a: UInt64 = 0x6A09_E667_F3BC_C908
    private var b: UInt64 = 0xBB67_AE85_84CA_A73B

    mutating func add(_ fields: [String]) {
        for field in fields {
            var h = Shingler.fnvOffset
            for byte in field.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
            h = (h ^ 0x1F) &* 0x100_0000_01B3
            a = Shingler.mix(a ^ h)
            b = Shingler.mix(b &+ h &* 0x9E37_79B9_7F4A_7C15)
        }
    }

    var hex: String {
        let high = String(a, radix: 16), low = String(b, radix: 16)
        return String(repeating: "0", count: 16 - high.count) + high + String(repeating: "0", count: 16 - low.count) + low
    }
}
