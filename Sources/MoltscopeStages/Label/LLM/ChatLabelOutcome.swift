/// One document's result from `ChatLabeller`: labels the model gave and the parser accepted, or a
/// one-line reason why there are none. There is no third case: a doubtful answer is a failure,
/// never a guessed label.
public enum ChatLabelOutcome: Sendable, Equatable {
    case labels(DocumentLabels)
    case failed(String)

    public var labels: DocumentLabels? {
        if case .labels(let labels) = self { return labels }
        return nil
    }

    public var failure: String? {
        if case .failed(let reason) = self { return reason }
        return nil
    }
}

/// Why one request produced no labels, after its retries.
struct ChatRequestFailure: Error, Sendable {
    enum Kind: Sendable, Equatable {
        /// The answer broke the format (see LabelAnswerParser).
        case invalid
        /// The model declined.
        case refused
        /// 408/429/5xx, timeouts, dropped connections.
        case server
        /// A 4xx about the request itself (too long, unprocessable).
        case rejected
    }

    var kind: Kind
    var detail: String
    var attempts: Int

    /// One line, recorded for each document of a request that finally failed.
    var reason: String {
        let tried = attempts > 1 ? " after \(attempts) attempts" : ""
        return switch kind {
        case .invalid: "invalid answer\(tried): \(detail)"
        case .refused: "refused\(tried): \(detail)"
        case .server: "server error\(tried): \(detail)"
        case .rejected: "rejected by the server: \(detail)"
        }
    }
}

/// Consecutive requests that ended in server errors or rejections. A few in a row mean the server
/// (not one document) is the problem, so the run stops instead of failing every document slowly.
actor ChatFailureStreak {
    private let limit: Int
    private var count = 0

    init(limit: Int) { self.limit = limit }

    func reset() { count = 0 }

    /// True when this failure completes a streak of `limit`.
    func failed() -> Bool {
        count += 1
        return count >= limit
    }
}
