import ArgumentParser
import Foundation
import MoltscopeCore
import MoltscopeStages

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each stage: state, rows in/out, last run, input fingerprint, staleness.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        try await CommandRunner.run {
            let config = try options.loadConfig()
            let (states, path) = try await options.withExistingStore(config) { store in
                (try await store.pool.read { db in
                    try Stages.registry.stages.map { try StageState.read(db, stage: $0, registry: Stages.registry, config: config) }
                }, store.path)
            }
            var rows: [[String]] = [["stage", "state", "rows in", "rows out", "last completed", "input fingerprint", "why"]]
            for state in states {
                let (label, why): (String, String) = switch state.freshness {
                case .neverRun: ("never run", "")
                case .upToDate: ("up to date", "")
                case .stale(let reason): ("stale", reason)
                case .unfinished(let reason): ("unfinished", reason + "; `moltscope run` resumes")
                }
                rows.append([state.stage, label, String(state.rowsIn), String(state.rowsOut), state.lastEndedAt ?? "-",
                             String(state.currentInputFingerprint.prefix(12)), why])
            }
            print(TextTable.render(rows))
            print("database: \(path)")
        }
    }
}

enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { i, cell in cell + String(repeating: " ", count: widths[i] - cell.count) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
                + rows.dropFirst().map(line)).joined(separator: "\n")
    }
}
