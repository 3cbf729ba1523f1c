/// Everything the clean stage decides about the corpus once every document is cleaned: ranks,
/// duplicate groups, flood events, drop reasons and per-agent statistics.
struct CleanAnalysis: Sendable {
    var rank: [Int32]
    var order: [Int32]
    var exactGroup: [Int32]
    var nearGroup: [Int32]
    var groups: [DuplicateGroup]
    var events: [FloodEvent]
    /// Per document: its flood event's id (1-based position in `events`), 0 for none.
    var floodEvent: [Int32]
    var reasons: [DropReason]
    var agents: [AgentStats]
    var nearStats: NearDuplicateFinder.Stats

    init(index: CorpusIndex, settings: CleanSettings) {
        (rank, order) = DuplicateGrouping.ranks(times: index.times, kinds: index.kinds, idKeys: index.idKeys)
        var sets = UnionFind(count: index.count)
        let finder = NearDuplicateFinder(permutations: settings.permutations, bands: settings.bands,
                                         threshold: settings.nearThreshold)
        nearStats = finder.link(signatures: index.signatures, members: index.signatureOrdinals, into: &sets)
        let assignment = DuplicateGrouping.assign(lengths: index.lengths, authors: index.authors,
                                                  exactRepresentative: index.exactRepresentative, rank: rank,
                                                  order: order, sets: &sets)
        exactGroup = assignment.exact
        nearGroup = assignment.near
        groups = assignment.groups
        events = Flooding.events(groups: nearGroup, authors: index.authors, times: index.times, rank: rank,
                                 gapMicros: Int64((settings.floodGapSeconds * 1_000_000).rounded()))
        floodEvent = [Int32](repeating: 0, count: index.count)
        for (position, event) in events.enumerated() {
            for member in event.members { floodEvent[Int(member)] = Int32(position + 1) }
        }
        reasons = CleanRules(settings: settings).apply(lengths: index.lengths, languages: index.languages,
                                                       languageCodes: index.languageCodes, events: events)
        agents = AgentActivity.compute(agentCount: index.agentCount, kinds: index.kinds, authors: index.authors,
                                       times: index.times, nearGroup: nearGroup, events: events)
    }

    var exactGroupCount: Int { groups.count { $0.method == .exact } }
    var nearGroupCount: Int { groups.count { $0.method == .near } }
    var dropped: Int { reasons.count { $0 != .kept } }
}
