import Foundation
import TOMLKit

/// A run's configuration: every known key resolved from defaults, the TOML file and `--set`.
public struct PipelineConfig: Sendable {
    public let sourcePath: String?
    public let schema: [ConfigKey]
    private let values: [String: ConfigValue]

    /// Loads `path` (or defaults only when nil), applies `overrides` ("section.key=value"),
    /// and rejects unknown keys and bad values, naming the file, key and reason.
    public init(path: String?, overrides: [String] = [], schema: [ConfigKey]) throws {
        self.sourcePath = path
        self.schema = schema
        let keysByPath = Dictionary(schema.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var values: [String: ConfigValue] = [:]
        for key in schema { if let value = key.defaultValue { values[key.path] = value } }

        if let path {
            let origin = path
            if path.isEmpty {
                throw MoltscopeError(.config, "the config file path is empty", remedy: "give --config pipelines/NAME.toml")
            }
            // FileHandle also reads devices and pipes (`--config /dev/null` for defaults only).
            // A directory opens too, but then readDataToEndOfFile() traps on EISDIR: refuse it first,
            // and read with the throwing call.
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw MoltscopeError(.config, "config file \(path) is a directory",
                                     remedy: "give a .toml file (configs live in pipelines/)")
            }
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw MoltscopeError(.config, "cannot read config file \(path)",
                                     remedy: "check the path (configs live in pipelines/)")
            }
            defer { try? handle.close() }
            let data: Data
            do {
                data = try handle.readToEnd() ?? Data()
            } catch {
                throw MoltscopeError(.config, "cannot read config file \(path): \(error.localizedDescription)",
                                     remedy: "check the path (configs live in pipelines/)")
            }
            try TOMLPreflight.check(data, origin: origin)
            guard let text = String(data: data, encoding: .utf8) else {
                throw MoltscopeError(.config, "config file \(path) is not UTF-8 text", remedy: "save it as UTF-8")
            }
            try TOMLPreflight.check(text, origin: origin)
            let table: TOMLTable
            do {
                table = try TOMLTable(string: text)
            } catch let error as TOMLParseError {
                throw MoltscopeError(.config, "\(origin): line \(error.source.begin.line): \(error.description)",
                                     remedy: "fix the TOML syntax")
            }
            for (path, raw) in Self.flatten(table) {
                guard let key = keysByPath[path] else {
                    throw MoltscopeError(.config, "\(origin): unknown key \(path)",
                                         remedy: Self.suggestion(for: path, in: schema))
                }
                guard let value = Self.value(from: raw, for: key) else {
                    throw MoltscopeError(.config, "\(origin): \(path): expected \(key.typeName)",
                                         remedy: "see docs/configuration.md")
                }
                if let reason = key.validate(value) {
                    throw MoltscopeError(.config, "\(origin): \(path): \(reason)", remedy: "see docs/configuration.md")
                }
                values[path] = value
            }
        }

        for override in overrides {
            guard let equals = override.firstIndex(of: "=") else {
                throw MoltscopeError(.usage, "--set \(override): expected section.key=value")
            }
            let path = String(override[..<equals]).trimmingCharacters(in: .whitespaces)
            let text = String(override[override.index(after: equals)...])
            guard let key = keysByPath[path] else {
                throw MoltscopeError(.config, "--set: unknown key \(path)", remedy: Self.suggestion(for: path, in: schema))
            }
            guard let value = key.parse(text: text) else {
                throw MoltscopeError(.config, "--set \(path)=\(text): expected \(key.typeName)",
                                     remedy: "see docs/configuration.md")
            }
            if let reason = key.validate(value) {
                throw MoltscopeError(.config, "--set \(path): \(reason)", remedy: "see docs/configuration.md")
            }
            values[path] = value
        }
        self.values = values
    }

    // MARK: Typed access (keys are validated at load, so a wrong type here is a programming error)

    public func value(_ path: String) -> ConfigValue? { values[path] }

    public func string(_ path: String) -> String? {
        if case .string(let s)? = values[path] { return s }
        return nil
    }

    public func int(_ path: String) -> Int {
        if case .int(let i)? = values[path] { return i }
        preconditionFailure("config key \(path) is not a defaulted integer")
    }

    public func double(_ path: String) -> Double {
        switch values[path] {
        case .double(let d)?: return d
        case .int(let i)?: return Double(i)
        default: preconditionFailure("config key \(path) is not a defaulted number")
        }
    }

    public func bool(_ path: String) -> Bool {
        if case .bool(let b)? = values[path] { return b }
        preconditionFailure("config key \(path) is not a defaulted boolean")
    }

    public func list(_ path: String) -> [String] {
        if case .list(let l)? = values[path] { return l }
        return []
    }

    // MARK: Fingerprints

    /// Hash of every non-secret value: the `runs.config_hash` column.
    public var hash: String { hash(keys: schema.filter { !$0.isSecret }) }

    /// Hash of the keys of one section that affect outputs: part of a stage's input fingerprint.
    public func hash(section: String) -> String {
        hash(keys: schema.filter { $0.section == section && $0.affectsOutput })
    }

    private func hash(keys: [ConfigKey]) -> String {
        Fingerprint.of(keys.sorted { $0.path < $1.path }.map { "\($0.path)=\(values[$0.path]?.toml ?? "unset")" })
    }

    /// A section's resolved values (and `extra` keys from elsewhere) as a JSON object with sorted
    /// keys: what stages store with each run to compare settings and to recognise the run they resume.
    public func settingsJSON(section: String, extra: [String] = []) -> String {
        var object: [String: String] = [:]
        for (key, value) in resolved where key.hasPrefix(section + ".") || extra.contains(key) { object[key] = value }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Every non-secret resolved value, for `moltscope config` and provenance.
    public var resolved: [(key: String, value: String)] {
        schema.map { key in
            (key.path, key.isSecret ? (values[key.path] == nil ? "unset" : "(secret)") : (values[key.path]?.toml ?? "unset"))
        }
    }

    // MARK: TOML helpers

    private static func flatten(_ table: TOMLTable, prefix: String = "") -> [(String, TOMLValueConvertible)] {
        var out: [(String, TOMLValueConvertible)] = []
        for (key, value) in table {
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            if let sub = value.table, value.type == .table {
                out += flatten(sub, prefix: path)
            } else {
                out.append((path, value))
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    private static func value(from raw: TOMLValueConvertible, for key: ConfigKey) -> ConfigValue? {
        switch key.kind {
        case .string, .choice, .url, .path: return raw.string.map(ConfigValue.string)
        case .int: return raw.int.map(ConfigValue.int)
        case .double: return raw.double.map(ConfigValue.double) ?? raw.int.map { .double(Double($0)) }
        case .bool: return raw.bool.map(ConfigValue.bool)
        case .list:
            guard let array = raw.array else { return nil }
            var items: [String] = []
            for element in array {
                guard let s = element.string else { return nil }
                items.append(s)
            }
            return .list(items)
        }
    }

    private static func suggestion(for path: String, in schema: [ConfigKey]) -> String {
        // Keys whose lengths differ by more than 3 are further apart than 3 edits: skipping them keeps a
        // megabyte-long unknown key from costing minutes.
        let length = path.count
        let near = schema.filter { abs($0.path.count - length) <= 3 }
        let best = near.min { editDistance($0.path, path) < editDistance($1.path, path) }
        if let best, editDistance(best.path, path) <= 3 { return "did you mean \(best.path)?" }
        return "see docs/configuration.md for the keys"
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where j <= b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
