import ArgumentParser
import Foundation
import MoltscopeCore
import MoltscopeStages

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the report's exports (CSV, HTML, notebook) from the results database, without running any stage.",
        discussion: """
            The report stage (`moltscope run`, or `moltscope stage report`) computes the report tables and writes the \
            exports; this command rewrites the exports from the tables as they are, e.g. after deleting them or with \
            other report.table_rows or report.map_points settings. Exports go to report.export_dir/<database name>/.
            """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Folder for the exports (default: report.export_dir/<database name>).")
    var out: String?

    @Flag(name: .long, help: "Open the HTML report in the default browser afterwards.")
    var open = false

    func run() async throws {
        try await CommandRunner.run {
            let config = try options.loadConfig()
            let written = try await options.withExistingStore(config) { store in
                try await ReportExports.write(store: store, config: config, directory: out)
            }
            print("wrote \(written.files) files to \(written.directory)")
            print("report: \(written.html)")
            if open { try Self.open(written.html) }
        }
    }

    /// The desktop's opener (xdg-open on Linux, open on macOS); without one, says where the file is.
    static func open(_ file: String) throws {
        let opener = ["xdg-open", "open"].first { name in
            (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
                .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
        }
        guard let opener else {
            throw MoltscopeError(.usage, "no browser opener (xdg-open) on this machine",
                                 remedy: "open \(file) in a browser yourself")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [opener, file]
        try process.run()
    }
}
