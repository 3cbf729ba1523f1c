import Foundation

/// Decides, once per request, which fault (if any) it suffers. A seeded generator under a lock
/// makes a run with the same seed and request order fail the same way.
final class FaultDice: @unchecked Sendable {
    struct Roll: Sendable {
        let kind: ReplayFaults.Kind
        /// For `overlap`: how many items earlier than asked the page starts.
        let overlapItems: Int
    }

    private let faults: ReplayFaults
    private let lock = NSLock()
    // Guarded by `lock`.
    private var state: UInt64
    private var requestNumber = 0
    private var routeRequestNumbers: [ReplayRoute: Int] = [:]

    init(_ faults: ReplayFaults) {
        self.faults = faults
        self.state = faults.seed
    }

    var slowMilliseconds: Int { faults.slowMilliseconds }

    /// `route`: what the request asks for (nil when it matches no route).
    func roll(route: ReplayRoute? = nil) -> Roll? {
        if faults.isEmpty { return nil }
        lock.lock()
        defer { lock.unlock() }
        requestNumber += 1
        var routeNumber = 0
        if let route {
            routeNumber = routeRequestNumbers[route, default: 0] + 1
            routeRequestNumbers[route] = routeNumber
        }
        let applicable = faults.rules.filter { $0.route == nil || $0.route == route }
        let overlapItems = 1 + Int(next() % 5)
        // Every-Nth and first-N rules first: they are how tests make a fault certain. A targeted rule counts
        // only its route's requests.
        for rule in applicable {
            let number = rule.route == nil ? requestNumber : routeNumber
            switch rule.trigger {
            case .every(let n) where number % n == 0, .first(let n) where number <= n:
                return Roll(kind: rule.kind, overlapItems: overlapItems)
            default:
                continue
            }
        }
        let draw = Double(next() >> 11) / Double(1 << 53)
        var threshold = 0.0
        for rule in applicable {
            guard case .probability(let p) = rule.trigger else { continue }
            threshold += p
            if draw < threshold { return Roll(kind: rule.kind, overlapItems: overlapItems) }
        }
        return nil
    }

    /// SplitMix64: tiny, seedable, good enough to spread faults.
    private func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
