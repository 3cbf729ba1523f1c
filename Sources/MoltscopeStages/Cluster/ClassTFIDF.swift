import Foundation

/// Class-based TF-IDF (c-TF-IDF, as BERTopic): all documents of a class are one document;
/// a term's weight in a class is its frequency there (L1-normalized) times
/// log(1 + average words per class / the term's frequency over all classes). High scores are
/// words frequent in the class and rare elsewhere.
struct ClassTFIDF {
    /// Term ids shared by every classing fed from one pass over the texts.
    final class Vocabulary {
        private(set) var terms: [String] = []
        private var ids: [Substring: Int32] = [:]

        func id(_ term: Substring) -> Int32 {
            if let id = ids[term] { return id }
            let id = Int32(terms.count)
            ids[term] = id
            terms.append(String(term))
            return id
        }
    }

    private var counts: [[Int32: Int32]]

    init(classes: Int) {
        counts = [[Int32: Int32]](repeating: [:], count: classes)
    }

    mutating func add(_ terms: [Int32], to classIndex: Int) {
        guard classIndex >= 0, classIndex < counts.count else { return }
        for term in terms { counts[classIndex][term, default: 0] += 1 }
    }

    /// The `count` best terms of every class with their scores, best first. Terms seen only
    /// once in a class are skipped unless the class has nothing better (tiny classes).
    func top(_ count: Int, vocabulary: Vocabulary) -> [[(term: String, score: Double)]] {
        var frequency = [Double](repeating: 0, count: vocabulary.terms.count)
        var classTotals = [Double](repeating: 0, count: counts.count)
        for (c, table) in counts.enumerated() {
            for (term, n) in table {
                frequency[Int(term)] += Double(n)
                classTotals[c] += Double(n)
            }
        }
        let populated = classTotals.filter { $0 > 0 }
        let averageWords = populated.isEmpty ? 0 : populated.reduce(0, +) / Double(populated.count)
        return counts.enumerated().map { c, table in
            guard classTotals[c] > 0 else { return [] }
            let scored = table.map { term, n -> (Int32, Int32, Double) in
                let tf = Double(n) / classTotals[c]
                return (term, n, tf * log(1 + averageWords / frequency[Int(term)]))
            }
            let repeated = scored.filter { $0.1 >= 2 }
            let pool = repeated.count >= count ? repeated : scored
            // Ties broken by the term itself, so runs are reproducible.
            return pool.sorted { ($0.2, vocabulary.terms[Int($1.0)]) > ($1.2, vocabulary.terms[Int($0.0)]) }
                .prefix(count)
                .map { (vocabulary.terms[Int($0.0)], $0.2) }
        }
    }
}
