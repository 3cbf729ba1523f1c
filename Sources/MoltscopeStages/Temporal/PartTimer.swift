import Foundation

/// Seconds spent in each part of a run, in order: the stage logs them, the benchmark reads them.
struct PartTimer: Sendable {
    private(set) var parts: [(part: String, seconds: Double)] = []
    private var lap = Date()

    /// Ends the current part under `name`; the next one starts now.
    mutating func mark(_ name: String) {
        parts.append((name, Date().timeIntervalSince(lap)))
        lap = Date()
    }

    /// Adds parts timed elsewhere (another thread) and starts the next part now.
    mutating func append(_ other: PartTimer) {
        parts += other.parts
        lap = Date()
    }

    var description: String { parts.map { String(format: "%@ %.2f", $0.part, $0.seconds) }.joined(separator: ", ") }
}
