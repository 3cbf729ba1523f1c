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

        // "grouping\tvalue" -> indexes into `documents` (4 bytes each: every document is in up to four groups).
        var groups: [String: [Int32]] = [:]
        var dayKeys: [String: String] = [:]   // "2026-01-31" -> its group key, made once a day, not once a document
        for (index, document) in documents.enumerated() {
            let record = Int(document.record), member = Int32(index)
            groups["all\tall", default: []].append(member)
            groups[records.isPost[record] ? "kind\tpost" : "kind\tcomment", default: []].append(member)
            let level = Self.activityLevel(documents: perAgent[Int(records.author[record])])
            groups["activity\t\(Self.activityLevels[level].label)", default: []].append(member)
            if let time = records.time[record] {
                let day = String(TimeBucket.iso(micros: time).prefix(10))
                let key = dayKeys[day] ?? { dayKeys[day] = "day\t\(day)"; return "day\t\(day)" }()
                groups[key, default: []].append(member)
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
            rows.append(summary(grouping: parts[0], value: parts[1], order: order, members, of: documents, records: records))
        }
        let groupingOrder = ["all": 0, "kind": 1, "activity": 2, "day": 3]
        return rows.sorted { ($0.grouping == $1.grouping) ? ($0.order, $0.value) < ($1.order, $1.value)
                                                          : groupingOrder[$0.grouping, default: 9] < groupingOrder[$1.grouping, default: 9] }
    }

    /// One group's row, read through its members' indexes (no copies of the documents).
    func summary(grouping: String, value: String, order: Int, _ members: [Int32], of documents: [PersonaAlignment.Document],
                 records: SocietyRecords) -> Row {
        var liftSum = 0.0, aligned = 0, rankSum = 0.0, ranked = 0
        var similarities: [Double] = []
        similarities.reserveCapacity(members.count)
        var agents = Set<Int32>()
        for member in members {
            let document = documents[Int(member)]
            similarities.append(document.similarity)
            liftSum += document.lift
            if document.similarity >= threshold { aligned += 1 }
            if let rank = document.rank { rankSum += rank; ranked += 1 }
            agents.insert(records.author[Int(document.record)])
        }
        similarities.sort()
        let n = Double(members.count)
        return Row(grouping: grouping, value: value, order: order, documents: members.count, agents: agents.count,
                   meanSimilarity: similarities.reduce(0, +) / n, medianSimilarity: Self.median(sorted: similarities),
                   alignedShare: Double(aligned) / n, meanLift: liftSum / n,
                   meanRank: ranked > 0 ? rankSum / Double(ranked) : nil)
    }

    static func median(sorted values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let mid = values.count / 2
        return values.count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
    }
}
