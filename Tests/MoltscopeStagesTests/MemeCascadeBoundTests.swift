import Foundation
import MoltscopeNumerics
import Testing
@testable import MoltscopeStages

/// `temporal.cascades.max_adoptions`: with room for everything the cascades are those of an
/// unbounded run; with less, exactly the largest of them, with the same adopters.
@Suite struct MemeCascadeBoundTests {
    /// 40 planted phrases: phrase k is used once by each of 10 + 3k agents; the rest is noise.
    static func run(maxAdoptions: Int) -> (cascades: [MemeCascades.Cascade], admission: Int?) {
        var random = SeededRandom(seed: 5)
        var documents: [(text: String, agent: Int32, time: Int64)] = []
        var time: Int64 = 1_767_225_600_000_000
        for k in 0..<40 {
            for agent in 0..<(10 + 3 * k) {
                let noise = (0..<6).map { _ in "n\(Int(random.unit() * 5_000))" }.joined(separator: " ")
                documents.append(("\(noise) planted\(k) meme\(k) phrase\(k) \(noise)", Int32(agent), time))
                time += 1_000_000
            }
        }
        var cascades = MemeCascades(lengths: 3...5, minAgents: 10, minContentWords: 2, maxDocumentShare: 1,
                                    sketchBits: 20, fillers: [], maxAdoptions: maxAdoptions)
        for document in documents { cascades.count(PhraseTokens(document.text, fillers: [])) }
        for (index, document) in documents.enumerated() {
            cascades.collect(PhraseTokens(document.text, keepWords: true, fillers: []), agent: document.agent, time: document.time,
                             document: "d\(index)")
        }
        return (cascades.finish(), cascades.admission)
    }

    @Test func roomForEverythingKeepsEveryCascade() {
        let unbounded = Self.run(maxAdoptions: 0)
        let roomy = Self.run(maxAdoptions: 10_000_000)
        #expect(unbounded.admission == 10 && roomy.admission == 10)
        #expect(unbounded.cascades.count == 40)
        #expect(roomy.cascades.map(\.phrase) == unbounded.cascades.map(\.phrase))
    }

    @Test func aTightBoundKeepsExactlyTheLargestCascades() throws {
        let unbounded = Self.run(maxAdoptions: 0)
        // The planted 3-grams are used sum(10 + 3k) = 2,740 times (longer n-grams take noise
        // words and are used once); 1,000 uses leave room for the largest eight (932 uses).
        let bounded = Self.run(maxAdoptions: 1_000)
        let admission = try #require(bounded.admission)
        #expect(admission > 10)
        #expect(bounded.cascades.count > 0 && bounded.cascades.count < unbounded.cascades.count)
        let expected = unbounded.cascades.filter { $0.documents >= admission }
        #expect(bounded.cascades.map(\.phrase) == expected.map(\.phrase))
        for (a, b) in zip(bounded.cascades, expected) {
            #expect(a.adoptions.map(\.agent) == b.adoptions.map(\.agent) && a.documents == b.documents)
        }
        // The kept candidates' uses fit the bound.
        #expect(bounded.cascades.reduce(0) { $0 + $1.documents } <= 1_000)
        #expect(bounded.cascades.count == 8)
    }
}
