import ArgumentParser

@main
struct Moltscope: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moltscope",
        abstract: "A dataflow pipeline for silicon sociology: crawl Moltbook, analyse it, query the results with SQL.",
        discussion: "Every result lands in one SQLite database (default moltscope.sqlite). See README.md.",
        version: "0.1.0",
        subcommands: [RunCommand.self, StageCommand.self, StatusCommand.self, SQLCommand.self, ReplayCommand.self,
                      ConfigCommand.self, LabelsCommand.self, ReportCommand.self, SynthCommand.self,
                      FakeEmbedderCommand.self])
}
