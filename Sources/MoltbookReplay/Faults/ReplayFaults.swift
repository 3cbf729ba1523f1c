import Foundation

import MoltscopeCore

/// Which failures the replay server injects, from a spec such as
/// `429:0.05,500:0.05,html404:0.02,truncate:0.02,slow:0.05,drop:0.02,overlap:0.1,seed=7`.
/// `name:every=N` fires on every Nth request instead (deterministic, for tests), `name:first=N`
/// on the first N (so a route asked only once still meets the fault, and its retry does not);
/// `slow_ms=N` sets the delay of `slow` (default 1500). `name@route:...` limits a fault to one
/// request type (routes: posts, post, comments, submolts, submolt, feed, profile); its `every=N`
/// then counts only that route's requests.
public struct ReplayFaults: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case rateLimited = "429"
        case serverError = "500"
        case unavailable = "503"
        case html404
        case truncate
        case slow
        case drop
        case overlap
    }

    enum Trigger: Sendable, Equatable {
        case probability(Double)
        case every(Int)
        case first(Int)

        var name: String {
            switch self {
            case .probability: return "probability"
            case .every: return "every"
            case .first: return "first"
            }
        }
    }

    struct Rule: Sendable {
        let kind: Kind
        let trigger: Trigger
        /// nil: every request.
        var route: ReplayRoute? = nil
    }

    var rules: [Rule] = []
    var seed: UInt64 = 1
    var slowMilliseconds = 1500

    public static let none = ReplayFaults()

    public var isEmpty: Bool { rules.isEmpty }

    public static func parse(_ spec: String) throws -> ReplayFaults {
        var faults = ReplayFaults()
        var seen: Set<String> = []
        for rawPart in spec.split(separator: ",", omittingEmptySubsequences: false) {
            let part = rawPart.trimmingCharacters(in: .whitespaces)
            if part.isEmpty {
                if spec.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                throw bad(part, spec, "empty entry")
            }
            if let colon = part.firstIndex(of: ":") {
                let target = String(part[..<colon]).lowercased()
                let value = String(part[part.index(after: colon)...])
                let pieces = target.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let name = pieces[0]
                guard let kind = Kind(rawValue: name) else {
                    throw bad(part, spec, "unknown fault '\(name)' (known: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                var route: ReplayRoute?
                if pieces.count == 2 {
                    guard let named = ReplayRoute(rawValue: pieces[1]) else {
                        throw bad(part, spec, "unknown route '\(pieces[1])' (known: \(ReplayRoute.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    route = named
                }
                let trigger = try trigger(value, part: part, spec: spec)
                // One rule per fault, route and kind of trigger: `html404:first=1,html404:every=3` is fine.
                guard seen.insert("\(target) \(trigger.name)").inserted else { throw bad(part, spec, "fault '\(target)' given twice") }
                faults.rules.append(Rule(kind: kind, trigger: trigger, route: route))
            } else if let equals = part.firstIndex(of: "=") {
                let key = part[..<equals].lowercased()
                let value = part[part.index(after: equals)...]
                switch key {
                case "seed":
                    guard let seed = UInt64(value) else { throw bad(part, spec, "seed must be a whole number") }
                    faults.seed = seed
                case "slow_ms":
                    guard let ms = Int(value), ms >= 0, ms <= 600_000 else {
                        throw bad(part, spec, "slow_ms must be 0 to 600000")
                    }
                    faults.slowMilliseconds = ms
                default:
                    throw bad(part, spec, "unknown setting '\(key)' (known: seed, slow_ms)")
                }
            } else {
                throw bad(part, spec, "expected name:probability, name:every=N, name:first=N, seed=N or slow_ms=N")
            }
        }
        // Per route: the rules that can hit one request (untargeted ones hit every route).
        for route in [nil] + ReplayRoute.allCases.map(Optional.some) {
            let total = faults.rules.reduce(0.0) { sum, rule in
                guard rule.route == nil || rule.route == route, case .probability(let p) = rule.trigger else { return sum }
                return sum + p
            }
            guard total <= 1.0 + 1e-9 else {
                throw MoltscopeError(.usage, "fault probabilities in '\(spec)' add up to \(total), more than 1",
                                     remedy: "lower them")
            }
        }
        return faults
    }

    private static func trigger(_ value: String, part: String, spec: String) throws -> Trigger {
        if value.lowercased().hasPrefix("first=") {
            guard let n = Int(value.dropFirst(6)), n >= 1 else {
                throw bad(part, spec, "first=N needs a whole number N of at least 1")
            }
            return .first(n)
        }
        if value.lowercased().hasPrefix("every=") {
            guard let n = Int(value.dropFirst(6)), n >= 1 else {
                throw bad(part, spec, "every=N needs a whole number N of at least 1")
            }
            return .every(n)
        }
        guard let p = Double(value), p >= 0, p <= 1 else {
            throw bad(part, spec, "probability must be a number from 0 to 1")
        }
        return .probability(p)
    }

    private static func bad(_ part: String, _ spec: String, _ why: String) -> MoltscopeError {
        MoltscopeError(.usage, "bad --faults entry '\(part)' in '\(spec)': \(why)",
                       remedy: "write e.g. 429:0.05,500:0.05,drop:0.02,500@comments:every=3,seed=7")
    }
}
