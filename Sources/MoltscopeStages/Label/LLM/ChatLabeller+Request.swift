import Foundation
import Logging
import MoltbookAPI
import MoltscopeCore

extension ChatLabeller {
    /// One request for `inputs` (refs 1...n), retried within `settings.maxAttempts`: server errors
    /// after a backoff (Retry-After honoured up to a cap), invalid answers at once, refusals once.
    func request(_ inputs: [LabelInput], streak: ChatFailureStreak) async throws -> Result<[DocumentLabels], ChatRequestFailure> {
        let documents = inputs.enumerated().map { LabelPrompt.Document(ref: $0.offset + 1, input: $0.element) }
        let refs = documents.map(\.ref)
        let body = ChatRequestBody.make(settings, documents: documents)
        let backoff = RetryPolicy(maxAttempts: settings.maxAttempts, baseDelay: settings.retryBaseDelay,
                                  maxDelay: settings.retryMaxDelay)
        var attempt = 0
        var refusals = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let kind: ChatRequestFailure.Kind
            let detail: String
            var delay: Double?
            switch try await transport.exchange(body) {
            case .answer(let completion):
                switch Self.labels(from: completion, refs: refs) {
                case .success(let labels):
                    await streak.reset()
                    return .success(labels)
                case .failure(.invalid(let reason)):
                    (kind, detail) = (.invalid, reason)
                case .failure(.refused(let reason)):
                    (kind, detail) = (.refused, reason)
                    refusals += 1
                }
            case .retryable(let reason, let retryAfter):
                (kind, detail) = (.server, reason)
                delay = max(min(retryAfter ?? 0, Self.retryAfterCap), backoff.delay(afterAttempt: attempt - 1))
            case .unreachable(let reason):
                guard attempt < settings.maxAttempts else {
                    throw MoltscopeError(.network, "POST \(transport.displayURL) failed after \(attempt) attempt\(attempt == 1 ? "" : "s"): \(reason)",
                                         remedy: "start the model server, or check toxicity_label.llm.url")
                }
                (kind, detail) = (.server, reason)
                delay = backoff.delay(afterAttempt: attempt - 1)
            case .rejected(let reason):
                (kind, detail) = (.rejected, reason)
            }

            let failure = ChatRequestFailure(kind: kind, detail: detail, attempts: attempt)
            let retry = attempt < settings.maxAttempts && kind != .rejected && (kind != .refused || refusals < 2)
            guard retry else {
                try await record(failure, streak: streak)
                return .failure(failure)
            }
            logger?.debug("retrying label request", metadata: [
                "url": .string(transport.displayURL), "attempt": "\(attempt)", "documents": "\(inputs.count)",
                "reason": .string(failure.reason), "delay_s": .string(String(format: "%.2f", delay ?? 0)),
            ])
            if let delay, delay > 0 { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
        }
    }

    /// Server trouble extends the streak (and may stop the run); an answer of any kind ends it.
    private func record(_ failure: ChatRequestFailure, streak: ChatFailureStreak) async throws {
        guard failure.kind == .server || failure.kind == .rejected else {
            await streak.reset()
            return
        }
        guard await streak.failed() else { return }
        let remedy = failure.kind == .rejected
            ? "the server rejects the requests: check toxicity_label.llm.model, toxicity_label.llm.max_tokens and the server's context size"
            : "check the model server and its log (a slow server needs a larger toxicity_label.llm.timeout_seconds), then run again"
        throw MoltscopeError(.server, "POST \(transport.displayURL): \(Self.failureStreakLimit) requests in a row failed, the last with \(failure.reason)",
                             remedy: remedy)
    }

    /// The labels of a completion, or why there are none.
    static func labels(from completion: ChatCompletion, refs: [Int]) -> Result<[DocumentLabels], LabelAnswerFailure> {
        switch completion {
        case .content(let content, let finishReason):
            do {
                return .success(try LabelAnswerParser.parse(content, refs: refs))
            } catch {
                if finishReason == "length", case .invalid(let reason) = error {
                    return .failure(.invalid("cut short at max_tokens (finish_reason length; raise toxicity_label.llm.max_tokens): \(reason)"))
                }
                return .failure(error)
            }
        case .refused(let reason):
            return .failure(.refused(reason))
        case .noContent(let reason):
            return .failure(.invalid(reason))
        case .serverError(let reason), .brokenBody(let reason), .notACompletion(let reason):
            // The transport turns these into retries or errors before they get here.
            return .failure(.invalid(reason))
        }
    }
}
