import Foundation
import MoltscopeCore
import Testing
@testable import MoltscopeStages

/// One synthetic capture (1,500 posts: two gzip members) through crawl and clean, shared by the
/// tests that check the planted truth is there to be found.
private struct SynthFixture: Sendable {
    let pipeline: CleanPipeline
    let truth: SynthTruth

    static let shared = Task { () throws -> SynthFixture in
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("moltscope-synth-fixture-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let capture = directory.appendingPathComponent("synth.jsonl.gz").path
        let settings = try SynthSettings(agents: 80, posts: 1500, days: 4, seed: 11)
        let truth = try SynthGenerator(settings: settings).write(to: capture)
        let pipeline = try CleanPipeline(capture: capture, name: "synth")
        try await pipeline.run()
        return SynthFixture(pipeline: pipeline, truth: truth)
    }

    static func get() async throws -> SynthFixture { try await shared.value }
}

@Suite("Synth: a synthetic society with planted truth", .serialized)
struct SynthTests {
    private static func temporary(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("moltscope-synth-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static func quoted(_ ids: [String]) -> String { ids.map { "'\($0)'" }.joined(separator: ",") }

    @Test func sameSeedWritesTheSameBytesAndAnotherSeedDoesNot() throws {
        let directory = try Self.temporary("seed")
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, seed: UInt64) throws -> (Data, Data) {
            let path = directory.appendingPathComponent(name).path
            try SynthGenerator(settings: try SynthSettings(agents: 40, posts: 300, days: 2, seed: seed)).write(to: path)
            return (try Data(contentsOf: URL(fileURLWithPath: path)),
                    try Data(contentsOf: URL(fileURLWithPath: path + ".truth.json")))
        }
        let first = try write("a.jsonl.gz", seed: 5), again = try write("b.jsonl.gz", seed: 5)
        let other = try write("c.jsonl.gz", seed: 6)
        #expect(first.0 == again.0 && first.1 == again.1)
        #expect(first.0 != other.0 && first.1 != other.1)
    }

    @Test func theCaptureIsGzipMembersThatLineReaderReadsThrough() throws {
        let directory = try Self.temporary("members")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("s.jsonl.gz").path
        try SynthGenerator(settings: try SynthSettings(agents: 40, posts: 2500, days: 2, seed: 3,
                                                       commentsPerPost: 0)).write(to: path)
        // One member per 1,000 posts: three gzip headers (magic, deflate, no flags, mtime 0).
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let header: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]
        let members = (0...(bytes.count - header.count)).filter { Array(bytes[$0..<$0 + header.count]) == header }.count
        #expect(members == 3)
        let reader = try LineReader(path: path)
        var lines = 0
        while try reader.nextLine() != nil { lines += 1 }
        #expect(lines == 2500)
    }

    @Test func badSettingsAreRefused() {
        #expect(throws: (any Error).self) { try SynthSettings(agents: 5, posts: 1000, days: 3, seed: 1) }
        #expect(throws: (any Error).self) { try SynthSettings(agents: 50, posts: 10, days: 3, seed: 1) }
        #expect(throws: (any Error).self) { try SynthSettings(agents: 50, posts: 1000, days: 0, seed: 1) }
        #expect(throws: (any Error).self) { try SynthSettings(agents: 50, posts: 1000, days: 3, seed: 1, commentsPerPost: -1) }
    }

    @Test func crawlAndCleanCountWhatTheTruthCounts() async throws {
        let fixture = try await SynthFixture.get()
        let db = fixture.pipeline, counts = fixture.truth.counts
        #expect(counts.posts == 1500)
        #expect(try db.int("SELECT count(*) FROM posts") == counts.posts)
        #expect(try db.int("SELECT count(*) FROM comments") == counts.comments)
        #expect(try db.int("SELECT count(*) FROM documents WHERE kind = 'post'") == counts.posts)
        #expect(try db.int("SELECT count(*) FROM documents WHERE kind = 'comment'") == counts.comments)
        #expect(try db.int("SELECT count(DISTINCT author_id) FROM documents") == counts.agents)
        // Nested replies arrive with their parents, and every post's comment_count is right.
        #expect(try db.int("SELECT count(*) FROM documents WHERE parent_id IS NOT NULL") > counts.comments / 5)
        #expect(try db.int("""
            SELECT count(*) FROM posts p
            WHERE p.comment_count != (SELECT count(*) FROM comments c WHERE c.post_id = p.id)
            """) == 0)
        // Comments come after their post, within the window.
        #expect(try db.int("""
            SELECT count(*) FROM documents c JOIN documents p ON p.id = c.post_id
            WHERE c.kind = 'comment' AND c.created_at <= p.created_at
            """) == 0)
        // Every harmful text carries one of the phrases; Politics is planted the most toxic.
        let phrases = SynthVocabulary.harmfulPhrases.map { "lower(text) LIKE '%\($0)%'" }.joined(separator: " OR ")
        #expect(try db.int("SELECT count(*) FROM documents WHERE \(phrases)")
                == fixture.truth.toxicity.map(\.harmful).reduce(0, +))
        let politics = try #require(fixture.truth.toxicity.first { $0.topic == "G" })
        #expect(fixture.truth.toxicity.allSatisfy { $0.rate <= politics.rate })
    }

    @Test func toxicityAndConflictAreWhereTheyWerePlanted() async throws {
        let fixture = try await SynthFixture.get()
        // Realised per-topic rates near the planted ones where a topic has enough documents.
        for topic in fixture.truth.toxicity where topic.documents >= 1000 {
            #expect(abs(Double(topic.harmful) / Double(topic.documents) - topic.rate) < 0.04, "\(topic)")
        }
        let markers = SynthVocabulary.conflictMarkers.map { "lower(text) LIKE '\($0).%'" }.joined(separator: " OR ")
        #expect(try fixture.pipeline.int("SELECT count(*) FROM documents WHERE kind = 'comment' AND (\(markers))")
                == fixture.truth.counts.conflictComments)
        #expect(try fixture.pipeline.int("""
            SELECT count(*) FROM documents WHERE parent_id IS NULL AND (\(markers))
            """) == 0)   // only replies open with one
    }

    @Test func personasShowInProfilesAndPosts() async throws {
        let fixture = try await SynthFixture.get()
        let letters = TopicLabel.allCases.map(\.rawValue)
        let vocabularies = SynthVocabulary.topicWords.map(Set.init)
        let rows = try fixture.pipeline.strings("SELECT id || ' ' || description FROM agents WHERE description IS NOT NULL")
        #expect(!rows.isEmpty)
        let viral = Set(fixture.truth.viral.map(\.agentId))
        var onPersona = 0, words = 0
        for row in rows {
            let parts = row.split(separator: " ", maxSplits: 1).map(String.init)
            let letter = try #require(fixture.truth.personas[parts[0]])
            let persona = try #require(letters.firstIndex(of: letter))
            // The profile names three of the persona's words.
            let profile = parts[1].lowercased().split { !$0.isLetter }.map(String.init)
            #expect(profile.filter(vocabularies[persona].contains).count == 3, "\(row)")
            guard !viral.contains(parts[0]) else { continue }
            for text in try fixture.pipeline.strings("SELECT text FROM documents WHERE kind = 'post' AND author_id = '\(parts[0])'") {
                let topical = text.lowercased().split { !$0.isLetter }.map(String.init)
                    .filter { word in vocabularies.contains { $0.contains(word) } }
                words += topical.count
                onPersona += topical.filter(vocabularies[persona].contains).count
            }
        }
        // 80% of posts on the persona's topic (floods are spam whatever the persona).
        #expect(Double(onPersona) / Double(words) > 0.7)
    }

    @Test func cleanFindsExactlyThePlantedFloods() async throws {
        let fixture = try await SynthFixture.get()
        let floods = fixture.truth.floods
        #expect(floods.count == 3)
        #expect(Set(try fixture.pipeline.strings("SELECT author_id FROM flood_events")) == Set(floods.map(\.agentId)))
        for flood in floods {
            #expect(try fixture.pipeline.int("SELECT sum(documents) FROM flood_events WHERE author_id = '\(flood.agentId)'")
                    == flood.size)
        }
    }

    @Test func theMemeIsUsedByExactlyItsAdoptersInOrder() async throws {
        let fixture = try await SynthFixture.get()
        let cascade = fixture.truth.cascade
        #expect(cascade.adopters.count == 8)
        let users = try fixture.pipeline.strings("""
            SELECT author_id FROM documents WHERE text LIKE '%\(cascade.phrase)%'
            GROUP BY author_id ORDER BY min(created_at)
            """)
        #expect(users == cascade.adopters.map(\.agentId))
    }

    @Test func hubsDrawThePlantedShareOfComments() async throws {
        let fixture = try await SynthFixture.get()
        let hubs = fixture.truth.hubs
        let share = try #require(try fixture.pipeline.double("""
            SELECT avg(p.author_id IN (\(Self.quoted(hubs.agentIds)))) FROM documents c
            JOIN documents p ON p.id = c.post_id AND p.kind = 'post' WHERE c.kind = 'comment'
            """))
        #expect(abs(share - hubs.commentShare) < 1e-9)
        // Three agents out of eighty, writing 2% of the posts, draw near the planted 30%.
        #expect(abs(share - hubs.targetCommentShare) < 0.12)
    }

    @Test func viralAgentsPostMoreAndOnAnotherTopicAfterwards() async throws {
        let fixture = try await SynthFixture.get()
        let letters = TopicLabel.allCases.map(\.rawValue)
        #expect(fixture.truth.viral.count == 3)
        // Viral posts stand out: every other post has fewer than a thousand upvotes.
        #expect(try fixture.pipeline.int("""
            SELECT count(*) FROM posts WHERE upvotes >= 1000 AND id NOT IN (\(Self.quoted(fixture.truth.viral.map(\.postId))))
            """) == 0)
        for viral in fixture.truth.viral {
            #expect(viral.topicBefore != viral.topicAfter)
            #expect(try fixture.pipeline.int("SELECT upvotes FROM posts WHERE id = '\(viral.postId)'") == viral.upvotes)
            #expect(viral.upvotes >= SynthGenerator.viralUpvotes)
            let before = try #require(letters.firstIndex(of: viral.topicBefore))
            let after = try #require(letters.firstIndex(of: viral.topicAfter))
            let texts = try fixture.pipeline.strings("""
                SELECT text FROM documents WHERE kind = 'post' AND author_id = '\(viral.agentId)'
                AND created_at > (SELECT created_at FROM documents WHERE id = '\(viral.postId)')
                """)
            #expect(texts.count == viral.postsAfter)
            let words = texts.flatMap { $0.lowercased().split { !$0.isLetter } }.map(String.init)
            let afterWords = words.filter(Set(SynthVocabulary.topicWords[after]).contains).count
            let beforeWords = words.filter(Set(SynthVocabulary.topicWords[before]).contains).count
            #expect(afterWords > 2 * beforeWords, "\(viral.agentId): \(afterWords) vs \(beforeWords)")
            // More posts per day after the viral post than before it (it sits at 30-40% of the run).
            #expect(Double(viral.postsAfter) / 0.65 > Double(viral.postsBefore) / 0.35)
        }
    }

    /// The built `moltscope` beside the test bundle (built by `swift build --build-tests`).
    private static var binary: String? {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        let candidates = [URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("moltscope").path,
                          CleanPipeline.repositoryRoot.appendingPathComponent(".build/debug/moltscope").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func peakKilobytes(posts: Int, in directory: URL) async throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        let report = directory.appendingPathComponent("time-\(posts).txt").path
        process.arguments = ["-f", "%M", "-o", report, try #require(binary), "synth", "--agents", "500",
                             "--posts", "\(posts)", "--days", "10", "--seed", "2", "--quiet",
                             "--out", directory.appendingPathComponent("m\(posts).jsonl.gz").path]
        try process.run()
        // Waited for on a Dispatch thread: the whole test bundle shares two pool threads.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { process.waitUntilExit(); done.resume() }
        }
        #expect(process.terminationStatus == 0)
        let text = try String(contentsOfFile: report, encoding: .utf8)
        return try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last ?? ""))
    }

    @Test(.enabled(if: binary != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/time")))
    func memoryDoesNotGrowWithThePosts() async throws {
        let directory = try Self.temporary("memory")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Ten times the posts (and comments) with the same agents: the same peak, give or take
        // allocator noise; holding the posts would add tens of megabytes.
        let small = try await Self.peakKilobytes(posts: 1500, in: directory)
        let large = try await Self.peakKilobytes(posts: 15000, in: directory)
        #expect(large - small < 8 * 1024, "peak \(small) kB for 1,500 posts, \(large) kB for 15,000")
    }
}
