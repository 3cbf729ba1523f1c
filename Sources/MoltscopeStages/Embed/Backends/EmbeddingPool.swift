import Foundation
import Logging
import MoltscopeCore

/// Several model servers of one kind behind one `EmbeddingBackend` (`embed.urls`).
///
/// Each batch goes to the available server with the fewest requests in flight (ties in turn),
/// so a slow server takes less work. A server that fails a batch for its own reasons (see
/// `EmbeddingError.isServerFailure`, after its backend's own retries) rests for a cooldown and
/// the same batch goes to another server: the caller gets each batch's vectors once, in input
/// order, as one server would give them. After its cooldown a server is probed with the next
/// real batch, one at a time, until it answers again.
public actor EmbeddingPool: EmbeddingBackend {
    public struct Server: Sendable {
        /// The URL as logs and messages show it: without credentials.
        public let displayURL: String
        public let backend: any EmbeddingBackend

        public init(url: String, backend: any EmbeddingBackend) {
            displayURL = EndpointText.withoutCredentials(url)
            self.backend = backend
        }
    }

    private struct Health {
        var inFlight = 0
        /// Failures with no success between them: how long the next cooldown is.
        var failuresInARow = 0
        /// Set while the server is down; once passed, the server is on probation.
        var downUntil: ContinuousClock.Instant?
        /// `EmbeddingError.description` of its last failure (URL shown without credentials).
        var lastError: String?
    }

    public nonisolated let summary: String
    private let servers: [Server]
    private let cooldown: PoolCooldown
    private let logger: Logger?
    /// The time cooldowns are measured in (tests move it forward instead of sleeping).
    private let now: @Sendable () -> ContinuousClock.Instant
    private var health: [Health]
    /// Where the search for the next server starts, so equal servers take turns.
    private var turn = 0

    public init(servers: [Server], cooldown: PoolCooldown = PoolCooldown(), logger: Logger? = nil,
                now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        precondition(!servers.isEmpty, "a pool needs at least one server")
        self.servers = servers
        self.cooldown = cooldown
        self.logger = logger
        self.now = now
        health = Array(repeating: Health(), count: servers.count)
        summary = "pool of \(servers.count) server\(servers.count == 1 ? "" : "s"), fewest requests in flight first: "
            + servers.map(\.backend.summary).joined(separator: "; ")
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        // A batch goes to each server at most once: a second try on the one that just failed
        // would only repeat its retries.
        var tried = Set<Int>()
        while let index = nextServer(excluding: tried) {
            tried.insert(index)
            do {
                let vectors = try await send(texts, to: index)
                recordSuccess(index)
                return vectors
            } catch let error as EmbeddingError where error.isServerFailure {
                recordFailure(index, error)
            }
        }
        throw allDown()
    }

    // MARK: Choosing a server

    private func nextServer(excluding tried: Set<Int>) -> Int? {
        let now = self.now()
        var best: Int?
        for offset in servers.indices {
            let index = (turn + offset) % servers.count
            guard !tried.contains(index), isAvailable(index, now: now) else { continue }
            // Strictly fewer: of equals, the first from `turn` on wins.
            if let current = best, health[current].inFlight <= health[index].inFlight { continue }
            best = index
        }
        if let best { turn = (best + 1) % servers.count }
        return best
    }

    /// Up, or on probation (cooldown over) with no probe in flight.
    private func isAvailable(_ index: Int, now: ContinuousClock.Instant) -> Bool {
        guard let downUntil = health[index].downUntil else { return true }
        return now >= downUntil && health[index].inFlight == 0
    }

    private func send(_ texts: [String], to index: Int) async throws -> [[Float]] {
        health[index].inFlight += 1
        defer { health[index].inFlight -= 1 }
        return try await servers[index].backend.embed(texts)
    }

    // MARK: Health

    private func recordSuccess(_ index: Int) {
        if health[index].downUntil != nil {
            logger?.info("embedding server is back: \(servers[index].displayURL)",
                         metadata: ["url": .string(servers[index].displayURL)])
        }
        health[index].downUntil = nil
        health[index].failuresInARow = 0
    }

    private func recordFailure(_ index: Int, _ error: EmbeddingError) {
        let now = self.now()
        health[index].lastError = error.description
        // Other requests in flight there when it went down fail too: one cooldown for them all.
        if let downUntil = health[index].downUntil, now < downUntil { return }
        health[index].failuresInARow += 1
        let seconds = cooldown.seconds(afterFailures: health[index].failuresInARow)
        health[index].downUntil = now + .milliseconds(Int((seconds * 1000).rounded()))
        let url = servers[index].displayURL
        let state = health[index].failuresInARow == 1 ? "down" : "still down"
        logger?.warning("embedding server \(state): \(url) (\(error.description)); its batch goes to another server, and it gets work again in \(Self.format(seconds)) s",
                        metadata: ["url": .string(url), "cooldown_s": .string(Self.format(seconds))])
    }

    private func allDown() -> MoltscopeError {
        let failures = servers.indices.map { index in
            health[index].lastError ?? "\(servers[index].displayURL): busy with a probe"
        }
        return MoltscopeError(.network, "all \(servers.count) embedding servers failed: " + failures.joined(separator: "; "),
                              remedy: "start or fix them, or drop the dead ones from embed.urls, then run again: embedded texts are kept")
    }

    private static func format(_ seconds: Double) -> String {
        seconds >= 10 ? String(Int(seconds.rounded())) : String(format: "%.2g", seconds)
    }
}
