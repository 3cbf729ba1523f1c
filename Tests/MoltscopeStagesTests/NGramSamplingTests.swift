import Foundation
import MoltscopeNumerics
import Testing
@testable import MoltscopeStages

/// n-gram turnover under `temporal.ngrams.max_tracked`: exact below the bound, and above it a
/// hash sample whose scaled counts and rates stay close to the exact ones.
@Suite struct NGramSamplingTests {
    /// 12 days of documents: words from a vocabulary that drifts a little each day, so n-grams
    /// are born and die all the time.
    static func documents() throws -> [(PhraseTokens, Int64)] {
        var random = SeededRandom(seed: 11)
        let day: Int64 = 86_400_000_000
        let start: Int64 = 1_767_225_600_000_000   // 2026-01-01
        var out: [(PhraseTokens, Int64)] = []
        for d in 0..<12 {
            for i in 0..<400 {
                let words = (0..<12).map { _ in "w\(d * 40 + Int(random.unit() * 400))" }
                out.append((PhraseTokens(words.joined(separator: " ")), start + Int64(d) * day + Int64(i) * 200_000_000))
            }
        }
        return out
    }

    static func turnover(maxTracked: Int) throws -> (rows: [NGramTurnover.Row], scale: Double) {
        var turnover = NGramTurnover(buckets: [try TimeBucket("1d")], maxN: 3, maxTracked: maxTracked)
        for (tokens, time) in try documents() { turnover.add(tokens, time: time) }
        let rows = turnover.finish()[0]
        return (rows, turnover.scale)
    }

    @Test func belowTheBoundCountsAreExact() throws {
        let exact = try Self.turnover(maxTracked: 0)
        let bounded = try Self.turnover(maxTracked: 10_000_000)
        #expect(bounded.scale == 1)
        #expect(bounded.rows.map(\.distinct) == exact.rows.map(\.distinct))
        #expect(bounded.rows.map(\.born) == exact.rows.map(\.born))
        #expect(bounded.rows.map(\.birthRate) == exact.rows.map(\.birthRate))
    }

    @Test func aboveTheBoundASampleEstimatesTheCounts() throws {
        let exact = try Self.turnover(maxTracked: 0)
        let distinctTotal = exact.rows.filter { $0.n == 3 }.reduce(0) { $0 + $1.born }
        #expect(distinctTotal > 40_000)
        let bounded = try Self.turnover(maxTracked: 15_000)
        #expect(bounded.scale >= 4, "the sample was halved at least twice")
        #expect(bounded.rows.count == exact.rows.count)
        for (a, b) in zip(exact.rows, bounded.rows) {
            #expect(a.index == b.index && a.n == b.n)
            #expect(abs(Double(b.distinct) - Double(a.distinct)) <= 0.2 * Double(a.distinct) + 50,
                    "n=\(a.n) bucket \(a.index): \(b.distinct) vs exact \(a.distinct)")
            if let rate = b.birthRate { #expect((0...1).contains(rate)) }
            // Rates are compared where the sample holds a few hundred n-grams of the bucket
            // (sampling noise is about 1/sqrt of that).
            guard Double(a.distinct) / bounded.scale >= 300 else { continue }
            if let ra = a.birthRate, let rb = b.birthRate { #expect(abs(ra - rb) < 0.08, "birth rate n=\(a.n): \(rb) vs \(ra)") }
            if let ra = a.deathRate, let rb = b.deathRate { #expect(abs(ra - rb) < 0.08, "death rate n=\(a.n): \(rb) vs \(ra)") }
        }
    }
}
