import Foundation
import Logging

/// What a logger was told (every level): for checking what a user would read, or waiting for a message.
public final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [(level: Logger.Level, message: String)] = []

    public init() {}

    /// "level message", one an event.
    public var lines: [String] { lock.withLock { stored.map { "\($0.level) \($0.message)" } } }
    /// The messages alone.
    public var messages: [String] { lock.withLock { stored.map(\.message) } }

    public func logger(label: String = "test") -> Logger {
        Logger(label: label) { _ in Handler(lines: self) }
    }

    fileprivate func append(_ level: Logger.Level, _ message: String) { lock.withLock { stored.append((level, message)) } }

    public struct Handler: LogHandler {
        let lines: LogLines
        public var metadata: Logger.Metadata = [:]
        public var logLevel: Logger.Level = .trace

        public init(lines: LogLines) { self.lines = lines }

        public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        public func log(event: LogEvent) { lines.append(event.level, event.message.description) }
    }
}
