import Foundation

/// Reads one record's fields leniently and collects what was wrong with them as `RecordFlags`,
/// so a post with a string count or an odd timestamp is kept, flagged, rather than lost.
struct FieldReader {
    let object: JSONObject
    private(set) var flags: RecordFlags = []

    init(_ object: JSONObject) { self.object = object }

    func text(_ key: FieldKey) -> String? { object.string(key) }

    /// A count; unreadable values become nil and flag `.badCount`.
    mutating func count(_ key: FieldKey) -> Int? {
        switch Lenient.int(object.value(key)) {
        case .absent: return nil
        case .value(let count): return count
        case .unreadable:
            flags.insert(.badCount)
            return nil
        }
    }

    func bool(_ key: FieldKey) -> Bool? { Lenient.bool(object.value(key)) }

    /// A timestamp that may be missing; flags `.badTimestamp` only when present and unreadable.
    mutating func optionalTimestamp(_ key: FieldKey) -> APITimestamp? {
        guard let raw = object.value(key) else { return nil }
        let stamp = Self.timestamp(from: raw)
        if stamp.iso == nil { flags.insert(.badTimestamp) }
        return stamp
    }

    /// A record's own creation time: missing counts as bad too, since the record cannot be placed in time.
    mutating func requiredTimestamp(_ key: FieldKey) -> APITimestamp {
        let stamp = object.value(key).map(Self.timestamp(from:)) ?? APITimestamp(raw: nil, iso: nil)
        if stamp.iso == nil { flags.insert(.badTimestamp) }
        return stamp
    }

    /// Merges the count and timestamp problems of a nested record (author, submolt) into this one's.
    mutating func absorb(_ nested: RecordFlags) {
        flags.formUnion(nested.intersection([.badCount, .badTimestamp]))
    }

    mutating func flag(_ flag: RecordFlags) { flags.insert(flag) }

    /// Non-string timestamps (a bare epoch number, say) are kept as raw text but not guessed at.
    private static func timestamp(from value: Any) -> APITimestamp {
        if let text = value as? String { return MoltbookParser.timestamp(text) }
        return APITimestamp(raw: "\(value)", iso: nil)
    }
}
