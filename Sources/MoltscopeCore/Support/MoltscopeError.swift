import Foundation

/// The one error type a user sees: a single line naming the cause and what to do about it.
public struct MoltscopeError: Error, CustomStringConvertible, LocalizedError, Sendable {
    public enum Kind: String, Sendable {
        case config, input, network, server, database, usage, io, interrupted, `internal`
    }

    public var kind: Kind
    /// What went wrong, e.g. "GET http://x/api/v1/posts answered HTML, not JSON".
    public var cause: String
    /// What the user can do, e.g. "check crawl.base_url".
    public var remedy: String?

    public init(_ kind: Kind, _ cause: String, remedy: String? = nil) {
        self.kind = kind
        self.cause = cause
        self.remedy = remedy
    }

    public var description: String {
        let flat = Self.oneLine(cause)
        if let remedy { return "\(kind.rawValue) error: \(flat); \(Self.oneLine(remedy))" }
        return "\(kind.rawValue) error: \(flat)"
    }

    /// Causes quote keys, values and paths from files and `--set`: any line break (`\r`, U+2028 too) or
    /// control character in them becomes a space, and a huge one is cut in the middle, so the error
    /// stays one readable line with its subject (start) and reason (end).
    public static func oneLine(_ text: String, limit: Int = 1_000) -> String {
        // Cut first: flattening scalar by scalar is the slow part on megabytes.
        let cut = text.utf8.count > limit && text.count > limit
            ? "\(text.prefix(limit / 2))…\(text.suffix(limit - limit / 2 - 1))" : text
        var scalars = String.UnicodeScalarView()
        for scalar in cut.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: scalars.append(" ")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    public var errorDescription: String? { description }
}

extension MoltscopeError {
    /// Wraps any error in one line, keeping a MoltscopeError as it is.
    public static func wrap(_ error: any Error, kind: Kind = .internal, context: String) -> MoltscopeError {
        if let error = error as? MoltscopeError { return error }
        return MoltscopeError(kind, "\(context): \(error)")
    }
}
