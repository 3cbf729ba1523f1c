import ArgumentParser
import Foundation
import MoltscopeCore
import MoltscopeStages

struct SQLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run read-only SQL against the results database.",
        discussion: "The same file opens in sqlite3 and any SQLite client. Example: moltscope sql \"SELECT submolt, count(*) n FROM posts GROUP BY 1 ORDER BY n DESC LIMIT 10\"")

    @Argument(help: "A SELECT (or WITH ... SELECT) statement.")
    var query: String

    @Option(help: "Output format: table, csv or json.")
    var format: String = "table"

    @Option(help: "Results database.")
    var db: String = "moltscope.sqlite"

    func run() async throws {
        try await CommandRunner.run {
            guard let format = SQLQuery.Format(rawValue: format) else {
                throw MoltscopeError(.usage, "--format \(format) is not one of table, csv, json")
            }
            let result = try SQLQuery.run(query, databasePath: db)
            print(result.render(format))
        }
    }
}

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the resolved configuration, or document every key (--reference).")

    @Flag(help: "Print the reference of every key as Markdown (docs/configuration.md is made from it).")
    var reference = false

    @OptionGroup var options: CommonOptions

    func run() async throws {
        try await CommandRunner.run {
            if reference {
                print(ConfigReference.markdown(registry: Stages.registry), terminator: "")
                return
            }
            let config = try options.loadConfig()
            print("# \(config.sourcePath ?? "defaults") (hash \(config.hash.prefix(12)))")
            for (key, value) in config.resolved { print("\(key) = \(value)") }
        }
    }
}
