/// One row of `flood_events`.
struct FloodEvent: Sendable, Equatable {
    var author: Int32
    var nearGroup: Int32
    /// Ordinals in time order.
    var members: [Int32]
    var firstAt: Int64
    var lastAt: Int64
    var maxGap: Int64

    var spanSeconds: Double { Double(lastAt - firstAt) / 1_000_000 }
    var maxGapSeconds: Double { Double(maxGap) / 1_000_000 }
}

/// Flooding as the methods doc defines it: near-duplicates posted by one agent with sub-minute
/// gaps. Documents of one author in one near group (which contains any exact duplicates), in time
/// order, are chained while each gap to the previous one is below `clean.flood_gap_seconds`
/// (strictly); a chain of two or more documents is one event. Documents without an author or a
/// readable time take no part.
enum Flooding {
    /// `groups[d]` is the document's near group (0: none), `authors[d]` its agent (-1: none),
    /// `times[d]` microseconds (`CorpusIndex.unknownTime`: unknown). Events come ordered by the
    /// chronological rank of their first document.
    static func events(groups: [Int32], authors: [Int32], times: [Int64], rank: [Int32], gapMicros: Int64) -> [FloodEvent] {
        var candidates: [Int32] = []
        for d in groups.indices where groups[d] != 0 && authors[d] >= 0 && times[d] != CorpusIndex.unknownTime {
            candidates.append(Int32(d))
        }
        candidates.sort { a, b in
            let x = Int(a), y = Int(b)
            if authors[x] != authors[y] { return authors[x] < authors[y] }
            if groups[x] != groups[y] { return groups[x] < groups[y] }
            return rank[x] < rank[y]
        }
        var events: [FloodEvent] = []
        var chain: [Int32] = []
        var maxGap: Int64 = 0
        func close() {
            if chain.count >= 2 {
                let first = Int(chain[0]), last = Int(chain[chain.count - 1])
                events.append(FloodEvent(author: authors[first], nearGroup: groups[first], members: chain,
                                         firstAt: times[first], lastAt: times[last], maxGap: maxGap))
            }
            chain.removeAll()
            maxGap = 0
        }
        for ordinal in candidates {
            let d = Int(ordinal)
            if let previous = chain.last.map(Int.init) {
                let gap = times[d] - times[previous]
                if authors[d] == authors[previous], groups[d] == groups[previous], gap < gapMicros {
                    chain.append(ordinal)
                    maxGap = max(maxGap, gap)
                    continue
                }
                close()
            }
            chain.append(ordinal)
        }
        close()
        events.sort { rank[Int($0.members[0])] < rank[Int($1.members[0])] }
        return events
    }
}
