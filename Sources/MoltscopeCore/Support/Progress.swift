import Foundation
import Logging

/// Where a stage reports how far it is. Thread-safe; cheap to call per item.
public final class ProgressSink: @unchecked Sendable {
    public enum Style: Sendable {
        /// A live line on stderr (rate, ETA), redrawn at most 5 times a second.
        case terminal
        /// A structured log line every few seconds.
        case log(Logger)
        case silent
    }

    private let lock = NSLock()
    private let style: Style
    private let stage: String
    private var unit = "items"
    private var total: Int?
    private var done = 0
    private var started = Date()
    private var lastDraw = Date.distantPast
    private let interval: TimeInterval

    public init(stage: String, style: Style) {
        self.stage = stage
        self.style = style
        switch style {
        case .terminal: interval = 0.2
        default: interval = 10
        }
    }

    /// Starts (or restarts) counting; `total` nil when unknown.
    public func begin(total: Int?, unit: String) {
        lock.withLock {
            self.total = total
            self.unit = unit
            self.done = 0
            self.started = Date()
            self.lastDraw = .distantPast
        }
    }

    public func setTotal(_ total: Int?) { lock.withLock { self.total = total } }

    public func advance(by count: Int = 1) {
        let line: String? = lock.withLock {
            done += count
            let now = Date()
            guard now.timeIntervalSince(lastDraw) >= interval else { return nil }
            lastDraw = now
            return render(now: now)
        }
        if let line { emit(line, final: false) }
    }

    public func finish() {
        let line = lock.withLock { render(now: Date()) }
        emit(line, final: true)
    }

    private func render(now: Date) -> String {
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        var parts = ["\(stage): \(done)\(total.map { "/\($0)" } ?? "") \(unit)", String(format: "%.1f/s", rate)]
        if let total, rate > 0, done < total {
            let eta = Int(Double(total - done) / rate)
            parts.append(String(format: "ETA %d:%02d", eta / 60, eta % 60))
        }
        parts.append(String(format: "%.1fs", elapsed))
        return parts.joined(separator: "  ")
    }

    private func emit(_ line: String, final: Bool) {
        switch style {
        case .terminal:
            let text = "\r\u{1B}[2K" + line + (final ? "\n" : "")
            FileHandle.standardError.write(Data(text.utf8))
        case .log(let logger):
            let snapshot = lock.withLock { (done, total, Date().timeIntervalSince(started)) }
            logger.info(final ? "stage progress final" : "stage progress", metadata: [
                "stage": .string(stage), "done": .stringConvertible(snapshot.0),
                "total": .string(snapshot.1.map(String.init) ?? "unknown"), "unit": .string(unit),
                "rate_per_s": .string(String(format: "%.1f", Double(snapshot.0) / max(snapshot.2, 0.001))),
            ])
        case .silent:
            break
        }
    }
}
