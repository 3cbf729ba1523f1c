/// What grouping, flooding and the per-agent statistics need of every document, kept in memory
/// as parallel arrays indexed by the document's ordinal (its position in reading order).
///
/// Memory per document, at the default 128 permutations: 8 (time) + 8 (id key) + 4 (author) +
/// 4 (length) + 1 (kind) + 1 (language) + 4 (exact representative) + 128 (compact MinHash
/// signature, only for the first of each distinct text) + 4 (signature row) + about 40 (the
/// hash table from content hash to first document) ≈ 200 bytes, plus about 40 more in the
/// analysis (rank, order, union-find, group and event ids, drop reason). About 1 GB for 4 million
/// documents; texts themselves stay on disk (`DocumentSpill`).
struct CorpusIndex: Sendable {
    struct HashKey: Hashable, Sendable {
        var high: UInt64
        var low: UInt64
    }

    /// Times are microseconds since 1970; unknown times sort last.
    static let unknownTime = Int64.max

    let permutations: Int
    private(set) var count = 0
    private(set) var kinds: [UInt8] = []
    private(set) var times: [Int64] = []
    /// The first 8 bytes of the id, big-endian: a tie-break that follows the id's order.
    private(set) var idKeys: [UInt64] = []
    private(set) var authors: [Int32] = []
    private(set) var lengths: [Int32] = []
    private(set) var languages: [UInt8] = []
    private(set) var truncated = 0
    /// The ordinal of the first document with the same text (itself when first, or when empty).
    private(set) var exactRepresentative: [Int32] = []
    /// Signatures of exact representatives with enough text, `permutations` bytes each.
    private(set) var signatures: [UInt8] = []
    private(set) var signatureOrdinals: [Int32] = []

    private(set) var languageCodes: [String] = []
    private var languageIndex: [String: UInt8] = [:]
    private var firstByHash: [HashKey: Int32] = [:]

    private(set) var agentIds: [String] = []
    private(set) var agentNames: [String?] = []
    private var agentNameTimes: [Int64] = []
    private var agentIndex: [String: Int32] = [:]

    init(permutations: Int) {
        self.permutations = permutations
    }

    mutating func add(_ document: CleanedDocument) {
        let ordinal = Int32(count)
        let raw = document.raw
        count += 1
        kinds.append(raw.kind.rawValue)
        let time = UTCTime.micros(raw.createdAt) ?? Self.unknownTime
        times.append(time)
        idKeys.append(Self.idKey(raw.id))
        lengths.append(Int32(clamping: document.length))
        if document.truncated { truncated += 1 }

        if let code = languageIndex[document.language] {
            languages.append(code)
        } else {
            let code = UInt8(clamping: languageCodes.count)
            languageCodes.append(document.language)
            languageIndex[document.language] = code
            languages.append(code)
        }

        if let id = raw.authorId {
            if let agent = agentIndex[id] {
                authors.append(agent)
                // The name of the agent's latest document (names can change).
                if let name = raw.authorName, time != Self.unknownTime,
                   agentNameTimes[Int(agent)] == Self.unknownTime || time >= agentNameTimes[Int(agent)] {
                    agentNames[Int(agent)] = name
                    agentNameTimes[Int(agent)] = time
                } else if agentNames[Int(agent)] == nil {
                    agentNames[Int(agent)] = raw.authorName
                }
            } else {
                let agent = Int32(agentIds.count)
                agentIndex[id] = agent
                agentIds.append(id)
                agentNames.append(raw.authorName)
                agentNameTimes.append(raw.authorName == nil ? Self.unknownTime : time)
                authors.append(agent)
            }
        } else {
            authors.append(-1)
        }

        guard document.length > 0 else {
            exactRepresentative.append(ordinal)
            return
        }
        let key = HashKey(high: document.hash.high, low: document.hash.low)
        if let first = firstByHash[key] {
            exactRepresentative.append(first)
            return
        }
        firstByHash[key] = ordinal
        exactRepresentative.append(ordinal)
        if let signature = document.signature {
            precondition(signature.count == permutations)
            signatures.append(contentsOf: signature)
            signatureOrdinals.append(ordinal)
        }
    }

    var agentCount: Int { agentIds.count }
    var distinctTexts: Int { firstByHash.count }

    static func idKey(_ id: String) -> UInt64 {
        var key: UInt64 = 0
        var taken = 0
        for byte in id.utf8.prefix(8) {
            key = key << 8 | UInt64(byte)
            taken += 1
        }
        return key << UInt64(8 * (8 - taken))
    }
}
