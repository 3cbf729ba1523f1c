/// Why a document is marked dropped (documents are never deleted: a dropped one keeps its row
/// with `status = 'dropped'` and the reason).
enum DropReason: UInt8, Sendable {
    case kept = 0
    case empty
    case language
    case flood

    var name: String? {
        switch self {
        case .kept: return nil
        case .empty: return "empty"
        case .language: return "language"
        case .flood: return "flood"
        }
    }
}

/// The configured keep/drop rules, first matching reason wins: empty (with `drop_empty`, fewer
/// than `min_chars` characters after cleaning), language (not in a non-empty `languages`; write
/// `und` there to keep undetermined texts), flood (with `drop_floods`, every document of a flood
/// event after its first).
struct CleanRules: Sendable {
    var dropEmpty: Bool
    var minChars: Int
    var languages: Set<String>
    var dropFloods: Bool

    init(settings: CleanSettings) {
        dropEmpty = settings.dropEmpty
        minChars = settings.minChars
        languages = settings.languages
        dropFloods = settings.dropFloods
    }

    func apply(lengths: [Int32], languages codes: [UInt8], languageCodes: [String], events: [FloodEvent]) -> [DropReason] {
        var floodFollowers = Set<Int32>()
        if dropFloods {
            for event in events { floodFollowers.formUnion(event.members.dropFirst()) }
        }
        let allowed = languageCodes.map { languages.isEmpty || languages.contains($0) }
        return lengths.indices.map { d in
            if dropEmpty, lengths[d] == 0 || Int(lengths[d]) < minChars { return .empty }
            if !allowed[Int(codes[d])] { return .language }
            if floodFollowers.contains(Int32(d)) { return .flood }
            return .kept
        }
    }
}
