import Foundation
import Logging

/// How the command line talks: human lines on a terminal, structured `key=value` lines otherwise.
public enum OutputMode: Sendable {
    case quiet, normal, verbose

    public var logLevel: Logger.Level {
        switch self {
        case .quiet: return .error
        case .normal: return .info
        case .verbose: return .debug
        }
    }
}

public enum Terminal {
    public static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// A swift-log handler writing to stderr: `moltscope: message` on a terminal, logfmt otherwise.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let structured: Bool

    public init(label: String, level: Logger.Level, structured: Bool) {
        self.label = label
        self.logLevel = level
        self.structured = structured
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let line: String
        if structured {
            var parts = ["ts=\(Clock.now())", "level=\(event.level)", "msg=\(Self.quote(event.message.description))"]
            for key in all.keys.sorted() { parts.append("\(key)=\(Self.quote("\(all[key]!)"))") }
            line = parts.joined(separator: " ")
        } else {
            let extras = all.keys.sorted().map { "\($0)=\(all[$0]!)" }.joined(separator: " ")
            let prefix = event.level >= .warning ? "moltscope: \(event.level): " : "moltscope: "
            line = prefix + event.message.description + (extras.isEmpty ? "" : "  [\(extras)]")
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static func quote(_ value: String) -> String {
        if !value.isEmpty && !value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}

public enum LogSetup {
    /// Builds the logger for a command, honouring --quiet/--verbose and whether stderr is a terminal.
    public static func logger(mode: OutputMode) -> Logger {
        let structured = !Terminal.stderrIsTerminal
        return Logger(label: "moltscope") { label in
            StderrLogHandler(label: label, level: mode.logLevel, structured: structured)
        }
    }

    public static func progressStyle(mode: OutputMode, logger: Logger) -> ProgressSink.Style {
        if mode == .quiet { return .silent }
        return Terminal.stderrIsTerminal ? .terminal : .log(logger)
    }
}
