import Foundation
import MoltbookAPI
import MoltscopeTestSupport
import Testing

/// One public parse entry point, run on any bytes.
struct ParseEntry: Sendable {
    let name: String
    let parse: @Sendable (Data) throws -> Void

    static let all: [ParseEntry] = [
        ParseEntry(name: "postPage") { _ = try MoltbookParser.postPage($0) },
        ParseEntry(name: "postDetail") { _ = try MoltbookParser.postDetail($0) },
        ParseEntry(name: "comments") { _ = try MoltbookParser.comments($0, postId: "p-1") },
        ParseEntry(name: "submoltPage") { _ = try MoltbookParser.submoltPage($0) },
        ParseEntry(name: "submoltDetail") { _ = try MoltbookParser.submoltDetail($0) },
        ParseEntry(name: "agentProfile") { _ = try MoltbookParser.agentProfile($0) },
        ParseEntry(name: "captureLine") { _ = try MoltbookParser.captureLine($0) },
        ParseEntry(name: "errorBody") { _ = MoltbookParser.errorBody($0) },
    ]
}

/// What a parse did: a value, or a ParseError's reason.
enum FuzzOutcome: Equatable {
    case value
    case failure(String)
}

enum Fuzz {
    /// Set FUZZ_TRACE=1 to print every case before it runs: the last line printed names a case that crashed.
    static let trace = ProcessInfo.processInfo.environment["FUZZ_TRACE"] != nil

    /// Runs `entry` on `data`; records an issue for anything but a value or a well-formed ParseError.
    @discardableResult
    static func run(_ entry: ParseEntry, _ data: Data, _ label: @autoclosure () -> String) -> FuzzOutcome {
        if trace { print("fuzz case: \(entry.name) \(label())") }
        do {
            try entry.parse(data)
            return .value
        } catch let error as ParseError {
            if let problem = problem(with: error.reason) {
                Issue.record("\(entry.name) \(label()): \(problem): \(error.reason.prefix(300).debugDescription)")
            }
            return .failure(error.reason)
        } catch {
            Issue.record("\(entry.name) \(label()): threw \(type(of: error)), not ParseError: \(error)")
            return .failure("\(error)")
        }
    }

    /// Why `reason` is not a good one-line error message, or nil when it is.
    static func problem(with reason: String) -> String? {
        if reason.isEmpty { return "empty reason" }
        if reason.unicodeScalars.contains(where: isLineBreakOrControl) { return "reason spans lines or holds control characters" }
        if reason.count > 1_100 { return "reason is \(reason.count) characters long" }
        // Every reason names what is wrong: the body, a line, a field (`...`) or what was expected.
        let causes = ["body", "capture line", "`", "expected", "has no"]
        if !causes.contains(where: reason.contains) { return "reason names no cause" }
        return nil
    }

    static func isLineBreakOrControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    // MARK: Byte mutations

    /// Bytes that tend to break JSON in interesting ways.
    static let interestingBytes: [UInt8] = Array("{}[]\",:\\0-eE.nt ".utf8) + [0x00, 0x0A, 0x80, 0xC0, 0xED, 0xF4, 0xFE, 0xFF]

    /// `data` with 1 to 4 random flips, insertions, deletions or duplications.
    static func mutate(_ data: Data, using rng: inout SplitMix64) -> Data {
        var bytes = [UInt8](data)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1 where !bytes.isEmpty: bytes[at] = UInt8.random(in: 0...255, using: &rng)
            case 2: bytes.insert(interestingBytes.randomElement(using: &rng) ?? 0, at: at)
            case 3 where !bytes.isEmpty: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &rng)))
            case 4 where !bytes.isEmpty:
                let chunk = bytes[at..<min(bytes.count, at + Int.random(in: 1...64, using: &rng))]
                bytes.insert(contentsOf: chunk, at: Int.random(in: 0...bytes.count, using: &rng))
            default:
                let odd = oddTexts.randomElement(using: &rng) ?? ""
                bytes.insert(contentsOf: Array(odd.utf8), at: at)
            }
        }
        return Data(bytes)
    }

    /// Odd text as it appears inside JSON strings: escaped surrogates and NUL, BOM, bidi overrides,
    /// combining marks, line separators.
    static let oddTexts = [
        #"\ud800"#, #"\udfff"#, #"\udbff\u0041"#, #"\u0000"#, "\u{FEFF}", "\u{202E}", "e\u{301}\u{301}\u{301}",
        "\u{2028}", #"\n\r"#, "🦞", "\u{10FFFF}", #"\"#, #"\u12"#,
    ]

    /// Invalid UTF-8 sequences: lone continuation, overlong NUL, an encoded surrogate, cut 4-byte, beyond U+10FFFF.
    static let invalidUTF8: [[UInt8]] = [[0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0xA6], [0xF4, 0x90, 0x80, 0x80], [0xFF]]
}

/// Paths into parsed JSON, and documents with one value swapped for raw JSON text.
enum JSONPaths {
    enum Step: CustomStringConvertible {
        case key(String)
        case index(Int)
        var description: String {
            switch self {
            case .key(let key): return ".\(key)"
            case .index(let index): return "[\(index)]"
            }
        }
    }

    /// Every value's path (objects' keys, the first three elements of arrays), the root excluded.
    static func all(in value: Any, prefix: [Step] = []) -> [[Step]] {
        var paths: [[Step]] = []
        if let object = value as? [String: Any] {
            for (key, child) in object.sorted(by: { $0.key < $1.key }) {
                let path = prefix + [.key(key)]
                paths.append(path)
                paths += all(in: child, prefix: path)
            }
        } else if let array = value as? [Any] {
            for (index, child) in array.prefix(3).enumerated() {
                let path = prefix + [.index(index)]
                paths.append(path)
                paths += all(in: child, prefix: path)
            }
        }
        return paths
    }

    static let placeholder = "@@fuzz-placeholder@@"

    /// `root` serialized with the value at `path` replaced by `raw` JSON text (which may be invalid JSON, like 1e999).
    static func replacing(_ root: Any, at path: [Step], with raw: String) throws -> Data {
        let swapped = set(root, at: path[...], to: placeholder)
        let data = try JSONSerialization.data(withJSONObject: swapped, options: [.fragmentsAllowed])
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"\(placeholder)\"", with: raw)
        return Data(text.utf8)
    }

    /// `root` with every leaf (string, number, boolean, null) replaced by `leaf`.
    static func replacingLeaves(_ root: Any, with leaf: Any) -> Any {
        if let object = root as? [String: Any] { return object.mapValues { replacingLeaves($0, with: leaf) } }
        if let array = root as? [Any] { return array.map { replacingLeaves($0, with: leaf) } }
        return leaf
    }

    private static func set(_ value: Any, at path: ArraySlice<Step>, to new: Any) -> Any {
        guard let step = path.first else { return new }
        switch step {
        case .key(let key):
            guard var object = value as? [String: Any], let child = object[key] else { return value }
            object[key] = set(child, at: path.dropFirst(), to: new)
            return object
        case .index(let index):
            guard var array = value as? [Any], array.indices.contains(index) else { return value }
            array[index] = set(array[index], at: path.dropFirst(), to: new)
            return array
        }
    }
}
