import Foundation

/// A configuration value, after parsing and validation.
public enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([String])

    public var description: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        case .list(let l): return "[" + l.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        }
    }

    /// TOML spelling, for documentation and `moltscope config`.
    public var toml: String {
        switch self {
        case .string(let s): return "\"\(s)\""
        default: return description
        }
    }
}

/// One documented configuration key: its type, bounds, default and meaning.
public struct ConfigKey: Sendable {
    public enum Kind: Sendable {
        case string
        case int(ClosedRange<Int>)
        case double(ClosedRange<Double>)
        case bool
        case choice([String])
        case list
        /// An `http://` or `https://` URL.
        case url
        /// A file path; relative paths are taken from the working directory.
        case path

        var name: String {
            switch self {
            case .string: return "string"
            case .int(let r): return "integer \(r.lowerBound)...\(r.upperBound)"
            case .double(let r): return "number \(r.lowerBound)...\(r.upperBound)"
            case .bool: return "true or false"
            case .choice(let c): return "one of " + c.joined(separator: ", ")
            case .list: return "list of strings"
            case .url: return "http(s) URL"
            case .path: return "file path"
            }
        }
    }

    /// `section.key`, as written in the TOML file and in `--set`.
    public let path: String
    public let kind: Kind
    /// nil: the key may stay unset.
    public let defaultValue: ConfigValue?
    public let summary: String
    /// Secrets are never hashed, logged, stored or exported.
    public let isSecret: Bool
    /// Whether a change to this key invalidates the stage's outputs (feeds its fingerprint).
    public let affectsOutput: Bool

    public init(_ path: String, _ kind: Kind, default defaultValue: ConfigValue?, _ summary: String,
                secret: Bool = false, affectsOutput: Bool = true) {
        self.path = path
        self.kind = kind
        self.defaultValue = defaultValue
        self.summary = summary
        self.isSecret = secret
        self.affectsOutput = affectsOutput && !secret
    }

    public var section: String { String(path.split(separator: ".").first ?? "") }
    public var typeName: String { kind.name }
}

extension ConfigKey {
    /// Checks a value against the key's kind; returns the reason when it does not fit.
    func validate(_ value: ConfigValue) -> String? {
        switch (kind, value) {
        case (.string, .string), (.bool, .bool), (.list, .list):
            return nil
        case (.int(let range), .int(let i)):
            return range.contains(i) ? nil : "\(i) is outside \(range.lowerBound)...\(range.upperBound)"
        case (.double(let range), .double(let d)):
            return range.contains(d) ? nil : "\(d) is outside \(range.lowerBound)...\(range.upperBound)"
        case (.choice(let choices), .string(let s)):
            return choices.contains(s) ? nil : "\"\(s)\" is not one of \(choices.joined(separator: ", "))"
        case (.url, .string(let s)):
            guard let url = URL(string: s), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host != nil else {
                return "\"\(s)\" is not an http(s) URL"
            }
            return nil
        case (.path, .string(let s)):
            return s.isEmpty ? "the path is empty" : nil
        default:
            return "expected \(kind.name), got \(value.toml)"
        }
    }

    /// Reads a `--set` value written as text, by the key's kind.
    func parse(text: String) -> ConfigValue? {
        switch kind {
        case .string, .choice, .url, .path:
            return .string(text)
        case .int:
            return Int(text).map(ConfigValue.int)
        case .double:
            return Double(text).map(ConfigValue.double)
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "1", "on": return .bool(true)
            case "false", "no", "0", "off": return .bool(false)
            default: return nil
            }
        case .list:
            // "a, b" or as in TOML: ["a", "b"].
            var body = text.trimmingCharacters(in: .whitespaces)
            if body.hasPrefix("["), body.hasSuffix("]") { body = String(body.dropFirst().dropLast()) }
            let items = body.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            }
            return .list(items.filter { !$0.isEmpty })
        }
    }
}
