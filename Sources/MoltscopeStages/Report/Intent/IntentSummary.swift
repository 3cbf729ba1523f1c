import Foundation

/// The persona alignment summed up: overall, by kind, by the author's activity level and by
/// day (MoltNet: most content is below 0.6 at every activity level, and alignment falls over time).
struct IntentSummary {
    struct Row: Sendable, Equatable {
        var grouping: String      // all, kind, activity, day
        var value: String
        var order: Int            // position within the grouping (activity levels in size order)
        var documents: Int
        var agents: Int
        var meanSimilarity: Double
        var medianSimilarity: Double
        var alignedShare: Double
        var meanLift: Double
        var meanRank: Double?
    }

    /// Activity levels by the author's documents in the whole period (kept or not).
    static let activityLevels: [(label: String, lower: Int)] = [("1", 1), ("2-4", 2), ("5-19", 5), ("20-99", 20), ("100+", 100)]

    static func activityLevel(documents: Int) -> Int {
        activityLevels.lastIndex { documents >= $0.lower } ?? 0
    }

    let threshold: Double

    func rows(_ documents: [PersonaAlignment.Document], records: SocietyRecords) -> [Row] {
        var perAgent = [Int](repeating: 0, count: records.agentIds.count)
        for agent in records.author where agent >= 0 { perAgent[Int(agent)] += 1 }

        var groups: [String: [Int]] = [:]   // "grouping\tvalue" -> document indexes
        for (index, document) in documents.enumerated() {
            groups["all\tall", default: []].append(index)
            groups["kind\t\(document.isPost ? "post" : "comment")", default: []].append(index)
            let level = Self.activityLevel(documents: perAgent[Int(document.agent)])
            groups["activity\t\(Self.activityLevels[level].label)", default: []].append(index)
            if let time = document.time {
                groups["day\t\(TimeBucket.iso(micros: time).prefix(10))", default: []].append(index)
            }
        }
        var rows: [Row] = []
        for (key, members) in groups {
            let parts = key.split(separator: "\t", maxSplits: 1).map(String.init)
            let order: Int
            switch parts[0] {
            case "activity": order = Self.activityLevels.firstIndex { $0.label == parts[1] } ?? 0
            case "kind": order = parts[1] == "post" ? 0 : 1
            default: order = 0
            }
            rows.append(summary(grouping: parts[0], value: parts[1], order: order, members.map { documents[$0] }))
        }
        let groupingOrder = ["all": 0, "kind": 1, "activity": 2, "day": 3]
        return rows.sorted { ($0.grouping == $1.grouping) ? ($0.order, $0.value) < ($1.order, $1.value)
                                                          : groupingOrder[$0.grouping, default: 9] < groupingOrder[$1.grouping, default: 9] }
    }

    func summary(grouping: String, value: String, order: Int, _ members: [PersonaAlignment.Document]) -> Row {
        let similarities = members.map(\.similarity).sorted()
        let n = Double(members.count)
        return Row(grouping: grouping, value: value, order: order, documents: members.count,
                   agents: Set(members.map(\.agent)).count,
                   meanSimilarity: similarities.reduce(0, +) / n, medianSimilarity: Self.median(sorted: similarities),
                   alignedShare: Double(members.count { $0.similarity >= threshold }) / n,
                   meanLift: members.reduce(0) { $0 + $1.lift } / n, meanRank: Self.mean(members.compactMap(\.rank)))
    }

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    static func median(sorted values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let mid = values.count / 2
        return values.count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
    }
}
