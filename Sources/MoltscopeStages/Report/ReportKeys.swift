import MoltscopeCore

/// The `[report]` section of a pipeline configuration.
enum ReportKeys {
    static let all: [ConfigKey] = [
        ConfigKey("report.labeller", .choice(["default", "trained", "zero-shot", "llm"]), default: .string("default"),
                  "Whose labels the report uses (its latest completed run); default: toxicity_label.labeller's."),
        ConfigKey("report.intent.threshold", .double(-1...1), default: .double(0.6),
                  "A document is persona-aligned when its cosine similarity to its author's profile description is at least this (MoltNet: 0.6). Similarities depend on the embedding model: see the baseline and lift columns."),
        ConfigKey("report.intent.reference_profiles", .int(1...1_000_000), default: .int(2000),
                  "Each document's profile rank is the share of this many other agents' profiles (a seeded sample; all when fewer) it is less similar to than to its own."),
        ConfigKey("report.seed", .int(0...Int(Int32.max)), default: .int(42), "Seed of the profile sample: the same seed and data give the same tables."),
        ConfigKey("report.export", .bool, default: .bool(true),
                  "Write the CSV, HTML and notebook exports at the end of the stage (`moltscope report` writes them at any time).",
                  affectsOutput: false),
        ConfigKey("report.export_dir", .path, default: .string("notebooks-export"),
                  "Exports go to this folder, in a subfolder named after the database file (moltscope.sqlite -> notebooks-export/moltscope/).",
                  affectsOutput: false),
        ConfigKey("report.map_points", .int(0...1_000_000), default: .int(4000),
                  "Points of the cluster map drawn in the HTML report (an evenly spread sample of the mapped documents).",
                  affectsOutput: false),
        ConfigKey("report.table_rows", .int(5...100_000), default: .int(40),
                  "Rows of each table shown in the HTML report (the CSV files hold every row).", affectsOutput: false),
    ]
}

/// The `[report]` settings of one run.
struct ReportSettings: Sendable {
    var labeller: String
    var threshold: Double
    var referenceProfiles: Int
    var seed: UInt64
    var export: Bool
    var exportDirectory: String
    var mapPoints: Int
    var tableRows: Int

    init(config: PipelineConfig) {
        labeller = LabelKeys.labeller(config, key: "report.labeller")
        threshold = config.double("report.intent.threshold")
        referenceProfiles = config.int("report.intent.reference_profiles")
        seed = UInt64(config.int("report.seed"))
        export = config.bool("report.export")
        exportDirectory = config.string("report.export_dir") ?? "notebooks-export"
        mapPoints = config.int("report.map_points")
        tableRows = config.int("report.table_rows")
    }
}
