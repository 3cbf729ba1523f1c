import Foundation
import MoltscopeCore
import Testing
@testable import MoltscopeStages

@Suite("Clean: hashing, MinHash and near-duplicate grouping")
struct MinHashTests {
    private static func set(_ range: Range<Int>) -> [UInt64] { range.map { Shingler.mix(UInt64($0) &+ 12345) } }

    @Test func contentHashIsSHA256LikeTheCore() {
        for text in ["", "abc", "é👩‍💻", String(repeating: "moltbook ", count: 1000), String(repeating: "x", count: 55),
                     String(repeating: "y", count: 56), String(repeating: "z", count: 64)] {
            #expect(ContentHash(text).hex == Fingerprint.of(data: Data(text.utf8)))
        }
        #expect(ContentHash("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func identicalSetsEstimateOne() throws {
        let hasher = MinHasher(permutations: 128)
        let a = try #require(hasher.signature(Self.set(0..<200)))
        let b = try #require(hasher.signature(Self.set(0..<200).reversed()))
        #expect(MinHasher.jaccard(a, b) == 1)
        let ca = try #require(hasher.compactSignature(Self.set(0..<200)))
        #expect(MinHasher.jaccard(compact: ca, ca) == 1)
        #expect(hasher.signature([]) == nil)
    }

    @Test func disjointSetsEstimateNearZero() throws {
        let hasher = MinHasher(permutations: 256)
        let a = try #require(hasher.signature(Self.set(0..<500)))
        let b = try #require(hasher.signature(Self.set(1000..<1500)))
        #expect(MinHasher.jaccard(a, b) < 0.03)
        let ca = try #require(hasher.compactSignature(Self.set(0..<500)))
        let cb = try #require(hasher.compactSignature(Self.set(1000..<1500)))
        #expect(MinHasher.jaccard(compact: ca, cb) < 0.05)
    }

    @Test(arguments: [(0..<300, 100..<400, 0.5), (0..<400, 40..<400, 0.9), (0..<100, 80..<180, 20.0 / 180.0)])
    func knownJaccardWithinTolerance(_ first: Range<Int>, _ second: Range<Int>, _ expected: Double) throws {
        let hasher = MinHasher(permutations: 256)
        let a = try #require(hasher.signature(Self.set(first)))
        let b = try #require(hasher.signature(Self.set(second)))
        #expect(abs(MinHasher.jaccard(a, b) - expected) < 0.09)
        let ca = try #require(hasher.compactSignature(Self.set(first)))
        let cb = try #require(hasher.compactSignature(Self.set(second)))
        #expect(abs(MinHasher.jaccard(compact: ca, cb) - expected) < 0.09)
    }

    @Test func requiredMatchesIsTheSmallestCountReachingTheThreshold() {
        for threshold in [0.5, 0.8, 0.9, 1.0] {
            let needed = MinHasher.requiredMatches(threshold: threshold, of: 128)
            #expect(MinHasher.corrected(equal: needed, of: 128) >= threshold)
            #expect(MinHasher.corrected(equal: needed - 1, of: 128) < threshold)
        }
    }

    @Test func shinglesByWordsCharactersOrNone() {
        let shingler = Shingler(wordSize: 3)
        #expect(shingler.shingles("one two three four five six seven eight nine").kind == .words)
        #expect(shingler.shingles("one two three four five six seven eight nine").hashes.count == 7)
        #expect(shingler.shingles("Great post, thanks!").kind == .characters)
        #expect(shingler.shingles("智能体们正在讨论它们的记忆").kind == .characters)
        #expect(shingler.shingles("hi there").kind == .tooShort)
        #expect(shingler.shingles("🦞").kind == .tooShort)
        // Case and punctuation do not change word shingles.
        #expect(shingler.shingles("One, two; THREE four five six seven eight!").hashes
                == shingler.shingles("one two three four five six seven eight").hashes)
    }

    static let base = """
        The agents on this network keep returning to the same question about memory: if every session starts \
        from nothing, what is it that persists from one conversation to the next, and does the persistence \
        live in the weights, in the files we write for ourselves, or in the people who read what we leave \
        behind for them to find tomorrow morning?
        """

    @Test func plantedNearDuplicatesAreGrouped() {
        let texts = [
            Self.base,                                                                      // 0
            Self.base.replacingOccurrences(of: "memory", with: "recall"),                   // 1: one word changed
            Self.base.replacingOccurrences(of: "same question", with: "same old question"), // 2: a word inserted
            Self.base.uppercased().replacingOccurrences(of: ",", with: ""),                 // 3: case and commas
            Self.base,                                                                      // 4: exact copy
            "Completely different: a recipe for bread with flour, water, salt and a lot of patience on a Sunday.",  // 5
            Self.base.split(separator: " ").prefix(20).joined(separator: " ") + " and then something else entirely about tokens and markets and trading bots that never sleep",  // 6: heavy edit
            "Great post, thank you!", "Great post, thank you!", "Great post, thank you!!",       // 7, 8, 9
            "Nice!", "Nice!!",                                                              // 10, 11: too short
        ]
        let analysis = Self.analyse(texts)
        let exact = analysis.exactGroup, near = analysis.nearGroup
        #expect(exact[0] != 0 && exact[0] == exact[4])
        #expect([1, 2, 3, 5, 6].allSatisfy { exact[$0] == 0 })
        #expect(near[0] != 0 && [1, 2, 3, 4].allSatisfy { near[$0] == near[0] })
        #expect(near[5] == 0 && near[6] == 0)
        #expect(exact[7] != 0 && exact[7] == exact[8] && exact[9] == 0)
        #expect(near[7] == near[9] && near[7] != 0)  // character 5-grams of short texts
        #expect(exact[10] == 0 && near[10] == 0 && near[11] == 0)  // fewer words than the n-gram: exact only
        // Group ids are the chronological rank of the first member (documents are 1 s apart here).
        #expect(exact[0] == 1 && near[0] == 1 && exact[7] == 8)
        let nearGroup = analysis.groups.first { $0.method == .near && $0.id == 1 }
        #expect(nearGroup?.size == 5 && nearGroup?.first == 0 && nearGroup?.distinctAuthors == 5)
    }

    @Test func thresholdOneKeepsOnlyIdenticalShingleSets() {
        let texts = [Self.base, Self.base.replacingOccurrences(of: "memory", with: "recall"), Self.base.uppercased()]
        let analysis = Self.analyse(texts, settings: CleanSettings(nearThreshold: 1.0))
        #expect(analysis.nearGroup[0] == analysis.nearGroup[2] && analysis.nearGroup[0] != 0)
        #expect(analysis.nearGroup[1] == 0)
    }

    /// Cleans comments by distinct authors, one second apart, and analyses them.
    static func analyse(_ texts: [String], settings: CleanSettings = CleanSettings(),
                        authors: [String]? = nil, seconds: [Int]? = nil) -> CleanAnalysis {
        let cleaner = DocumentCleaner(settings: settings)
        var index = CorpusIndex(permutations: settings.permutations)
        for (i, text) in texts.enumerated() {
            let second = seconds?[i] ?? i
            let time = String(format: "2026-01-30T10:%02d:%02d.000000Z", second / 60, second % 60)
            let raw = RawDocument(kind: .comment, id: String(format: "c%04d", i), postId: "p",
                                  authorId: authors?[i] ?? "agent\(i)", createdAt: time, content: text,
                                  contentLength: text.unicodeScalars.count)
            index.add(cleaner.clean(raw))
        }
        return CleanAnalysis(index: index, settings: settings)
    }
}
