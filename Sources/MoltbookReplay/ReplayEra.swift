/// The API's response shapes over time (see docs/moltbook-api.md): `a` offset pages and
/// snake_case with embedded comment trees; `b` cursor pages and camelCase, comments fetched
/// separately; `c` as `b` with framework error bodies and the quirks of the busy site.
public enum ReplayEra: String, Sendable, CaseIterable {
    case a, b, c

    var usesCursors: Bool { self != .a }
    var usesCamelCase: Bool { self != .a }
}
