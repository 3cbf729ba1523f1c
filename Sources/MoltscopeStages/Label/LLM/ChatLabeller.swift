import Foundation
import Logging
import MoltbookAPI
import MoltscopeCore

/// Labels documents (topic, toxicity, conflict, emotion, valence) with a chat model behind an
/// OpenAI-compatible `/v1/chat/completions` endpoint, following data/labels/CODEBOOK.md.
///
/// Documents go `documentsPerRequest` to a request, at most `concurrency` requests in flight.
/// Answers are validated strictly (LabelAnswerParser); an invalid answer or a refusal is retried,
/// a batch that keeps failing is retried one document per request (so one poisoned document
/// cannot fail its batch-mates), and what still fails is reported per document, never guessed.
public struct ChatLabeller: Sendable {
    public let settings: ChatLabellerSettings
    let transport: ChatTransport
    let logger: Logger?

    /// Server errors or rejections in a row that stop the run.
    static let failureStreakLimit = 3
    /// The longest Retry-After honoured, seconds.
    static let retryAfterCap: Double = 120

    /// - Parameters:
    ///   - http: needs at least `settings.concurrency` concurrent requests to use them all.
    ///   - logger: retries and fallbacks at debug/info level; never the token or document texts.
    public init(settings: ChatLabellerSettings, http: any HTTPClient, logger: Logger?) {
        self.settings = settings.normalized
        transport = ChatTransport(settings: self.settings, http: http)
        self.logger = logger
    }

    /// e.g. "OpenAI-compatible chat http://127.0.0.1:8080/v1/chat/completions (model qwen3-8b, 8 documents
    /// per request, 2 in flight, json_mode schema, prompt codebook-v1)"; no token.
    public var summary: String {
        "OpenAI-compatible chat \(transport.displayURL) (model \(settings.model), \(settings.documentsPerRequest) document"
            + "\(settings.documentsPerRequest == 1 ? "" : "s") per request, \(settings.concurrency) in flight, "
            + "json_mode \(settings.jsonMode.rawValue), prompt \(LabelPrompt.version))"
    }

    /// One outcome per input, in input order.
    ///
    /// Throws only what dooms the whole run, as a `MoltscopeError` whose remedy names the
    /// `toxicity_label.llm.*` setting to check (unreachable server, 401/403/404, HTML or another API at the
    /// URL, unsupported json_mode, repeated server errors), or `CancellationError`.
    public func label(_ inputs: [LabelInput]) async throws -> [ChatLabelOutcome] {
        try Task.checkCancellation()
        guard !inputs.isEmpty else { return [] }
        let size = settings.documentsPerRequest
        let batches = stride(from: 0, to: inputs.count, by: size).map { $0..<min($0 + size, inputs.count) }
        let streak = ChatFailureStreak(limit: Self.failureStreakLimit)
        var outcomes = [ChatLabelOutcome?](repeating: nil, count: inputs.count)

        try await withThrowingTaskGroup(of: (Int, [ChatLabelOutcome]).self) { group in
            // A window of `concurrency` batches: one starts as one finishes.
            var started = 0
            func startNext() {
                guard started < batches.count else { return }
                let start = batches[started].lowerBound
                let batch = Array(inputs[batches[started]])
                group.addTask { (start, try await labelBatch(batch, streak: streak)) }
                started += 1
            }
            for _ in 0..<settings.concurrency { startNext() }
            while let (start, results) = try await group.next() {
                for (offset, outcome) in results.enumerated() { outcomes[start + offset] = outcome }
                startNext()
            }
        }
        return outcomes.map { $0! }
    }

    /// One request for the batch; if it fails for good, one request per document.
    private func labelBatch(_ inputs: [LabelInput], streak: ChatFailureStreak) async throws -> [ChatLabelOutcome] {
        switch try await request(inputs, streak: streak) {
        case .success(let labels):
            return labels.map(ChatLabelOutcome.labels)
        case .failure(let failure) where inputs.count == 1:
            logger?.info("document not labelled", metadata: ["id": .string(inputs[0].id), "reason": .string(failure.reason)])
            return [.failed(failure.reason)]
        case .failure(let failure):
            logger?.info("batch failed; labelling its documents one per request",
                         metadata: ["documents": "\(inputs.count)", "reason": .string(failure.reason)])
            var outcomes: [ChatLabelOutcome] = []
            for input in inputs {
                outcomes += try await labelBatch([input], streak: streak)
            }
            return outcomes
        }
    }
}
