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
        let flat = cause.replacingOccurrences(of: "\n", with: " ")
        if let remedy { return "\(kind.rawValue) error: \(flat); \(remedy)" }
        return "\(kind.rawValue) error: \(flat)"
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
