import MoltscopeCore

/// A local server that plays a capture back as the Moltbook API (`http://127.0.0.1:PORT/api/v1`),
/// in the response shapes of one era, optionally with injected faults. The crawler's test double.
public final class ReplayServer: Sendable {
    private enum Phase { case ready, running(HTTPServer, port: Int), stopped }

    private let index: CaptureIndex
    private let router: ReplayRouter
    private let dice: FaultDice
    private let era: ReplayEra
    private let requestedPort: Int
    private let phase = Locked(Phase.ready)
    private let served = Locked(0)

    /// Loads the whole capture (.jsonl or .jsonl.gz of post-detail responses).
    public init(capturePath: String, era: ReplayEra, faults: ReplayFaults = .none, port: Int = 0) throws {
        guard (0...65535).contains(port) else {
            throw MoltscopeError(.usage, "port \(port) is out of range", remedy: "use 1 to 65535, or 0 for any free port")
        }
        index = try CaptureLoader.load(path: capturePath)
        router = ReplayRouter(index: index, era: era)
        dice = FaultDice(faults)
        self.era = era
        requestedPort = port
    }

    /// Starts serving on 127.0.0.1; returns the bound port (the chosen one when port was 0).
    public func start() throws -> Int {
        try phase.withLock { phase in
            switch phase {
            case .running(_, let port):
                return port
            case .stopped:
                throw MoltscopeError(.usage, "the replay server was stopped", remedy: "create a new ReplayServer")
            case .ready:
                let server = HTTPServer { [self] request in outcome(for: request) }
                let port = try server.start(port: requestedPort)
                phase = .running(server, port: port)
                return port
            }
        }
    }

    /// Stops accepting, closes every connection; safe to call more than once.
    public func stop() {
        let server: HTTPServer? = phase.withLock { phase in
            defer { phase = .stopped }
            if case .running(let server, _) = phase { return server }
            return nil
        }
        server?.stop()
    }

    /// Requests received so far (answered, failed on purpose, or dropped).
    public var requestCount: Int { served.withLock { $0 } }

    /// Posts the capture holds.
    public var postCount: Int { index.posts.count }

    // MARK: - One request

    private func outcome(for request: ReplayRequest) -> ReplayOutcome {
        served.withLock { $0 += 1 }
        let roll = dice.roll(route: ReplayRoute(path: request.path))
        switch roll?.kind {
        case .rateLimited?:
            return ReplayOutcome(response: ErrorBodies.rateLimited())
        case .serverError?:
            return ReplayOutcome(response: ErrorBodies.serverError(status: 500, path: request.path, era: era))
        case .unavailable?:
            return ReplayOutcome(response: ErrorBodies.serverError(status: 503, path: request.path, era: era))
        case .html404?:
            return ReplayOutcome(response: ErrorBodies.htmlNotFound())
        case .drop?:
            return ReplayOutcome(response: ErrorBodies.htmlNotFound(), delivery: .drop)
        case .truncate?:
            return ReplayOutcome(response: answer(request, overlapItems: nil), delivery: .truncated)
        case .slow?:
            return ReplayOutcome(response: answer(request, overlapItems: nil), delayMilliseconds: dice.slowMilliseconds)
        case .overlap?:
            return ReplayOutcome(response: answer(request, overlapItems: roll?.overlapItems))
        case nil:
            return ReplayOutcome(response: answer(request, overlapItems: nil))
        }
    }

    private func answer(_ request: ReplayRequest, overlapItems: Int?) -> ReplayResponse {
        // The token is never needed, only its form checked; it is never printed or kept.
        if let authorization = request.headers["authorization"] {
            let token = authorization.hasPrefix("Bearer ") ? authorization.dropFirst(7).trimmed : ""
            if token.isEmpty {
                return router.error(401, "Invalid Authorization header",
                                    hint: "Send Authorization: Bearer <api key>", request)
            }
        }
        return router.respond(to: request, overlapItems: overlapItems)
    }
}
