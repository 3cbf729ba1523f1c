import Foundation

/// Emotional contagion: the emotion of each labelled comment against the emotion of what it
/// answers (its parent comment, else the post). `lift` compares the share of an emotion among
/// answers to a given emotion with its share among all answers: above 1 on the diagonal, an
/// emotion is met with itself more often than chance.
struct EmotionContagion {
    struct Cell: Sendable, Equatable {
        var parent: EmotionLabel
        var reply: EmotionLabel
        var replies: Int
        /// Share of this reply emotion among answers to the parent emotion.
        var share: Double?
        /// Share of this reply emotion among all answers.
        var baseline: Double?
        var lift: Double? {
            guard let share, let baseline, baseline > 0 else { return nil }
            return share / baseline
        }
    }

    static func run(_ records: SocietyRecords) -> [Cell] {
        let emotions = EmotionLabel.allCases, k = emotions.count, none = SocietyRecords.noLabel
        var counts = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for i in 0..<records.count where !records.isPost[i] && records.emotion[i] != none {
            let parent = records.parent[i]
            guard parent >= 0, records.emotion[Int(parent)] != none else { continue }
            counts[Int(records.emotion[Int(parent)])][Int(records.emotion[i])] += 1
        }
        let total = counts.joined().reduce(0, +)
        let replyTotals = (0..<k).map { r in counts.reduce(0) { $0 + $1[r] } }
        var cells: [Cell] = []
        for p in 0..<k {
            let rowTotal = counts[p].reduce(0, +)
            for r in 0..<k {
                cells.append(Cell(parent: emotions[p], reply: emotions[r], replies: counts[p][r],
                                  share: rowTotal > 0 ? Double(counts[p][r]) / Double(rowTotal) : nil,
                                  baseline: total > 0 ? Double(replyTotals[r]) / Double(total) : nil))
            }
        }
        return cells
    }
}
