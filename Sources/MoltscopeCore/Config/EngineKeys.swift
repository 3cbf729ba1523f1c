/// Keys of the engine itself (section `run`); each stage declares its own in its descriptor.
public enum EngineKeys {
    public static let all: [ConfigKey] = [
        ConfigKey("run.db", .path, default: .string("moltscope.sqlite"),
                  "The results database (SQLite). `--db` overrides it.", affectsOutput: false),
        ConfigKey("run.stages", .list, default: nil,
                  "Stages `moltscope run` runs, in pipeline order; unset runs every stage built.",
                  affectsOutput: false),
        ConfigKey("run.batch_size", .int(1...10_000), default: .int(128),
                  "Rows a stage passes between its tasks and commits per transaction.", affectsOutput: false),
    ]
}
