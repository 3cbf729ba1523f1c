import GRDB

/// A stage's standing in a database: what ran last, and whether its outputs are current.
public struct StageState: Sendable {
    public enum Freshness: Sendable, Equatable {
        case neverRun
        case upToDate
        case stale(String)
        /// The last run stopped before finishing (killed, Ctrl-C or an error); `run` resumes it.
        case unfinished(String)
    }

    public let stage: String
    public let freshness: Freshness
    public let lastStatus: String?
    public let lastMode: StageMode?
    public let lastEndedAt: String?
    public let lastInputFingerprint: String?
    public let currentInputFingerprint: String
    public let configHash: String
    public let upstreamFingerprints: String
    public let rowsIn: Int
    public let rowsOut: Int

    /// Reads a stage's state against the current configuration and upstream outputs.
    public static func read(_ db: Database, stage: StageDescriptor, registry: StageRegistry,
                            config: PipelineConfig) throws -> StageState {
        let configHash = config.hash(section: stage.configSection)
        var upstreamParts: [String] = []
        for name in stage.upstream {
            upstreamParts.append("\(name)=\(try registry.descriptor(name).outputFingerprint(db))")
        }
        let upstream = upstreamParts.joined(separator: ",")
        let input = Fingerprint.of(["stage=\(stage.name)", "version=\(stage.version)", "config=\(configHash)", upstream])

        let last = try Row.fetchOne(db, sql: """
            SELECT status, mode, ended_at, input_fingerprint FROM stage_runs WHERE stage = ? ORDER BY id DESC LIMIT 1
            """, arguments: [stage.name])
        let completed = try Row.fetchOne(db, sql: """
            SELECT stage_version, config_hash, upstream_fingerprints, input_fingerprint, ended_at
            FROM stage_runs WHERE stage = ? AND status = 'completed' ORDER BY id DESC LIMIT 1
            """, arguments: [stage.name])

        let freshness: Freshness
        if let last, (last["status"] as String) != "completed" {
            let status: String = last["status"]
            let sameInputs = (last["input_fingerprint"] as String) == input
            freshness = sameInputs ? .unfinished("last run \(status)") : .stale("last run \(status); inputs changed since")
        } else if let completed {
            if (completed["input_fingerprint"] as String) == input {
                freshness = .upToDate
            } else if (completed["stage_version"] as Int) != stage.version {
                freshness = .stale("stage version changed")
            } else if (completed["config_hash"] as String) != configHash {
                freshness = .stale("config changed")
            } else {
                let before = Self.changedUpstreams(old: completed["upstream_fingerprints"], new: upstream)
                freshness = .stale("upstream changed: \(before.joined(separator: ", "))")
            }
        } else {
            freshness = .neverRun
        }

        return StageState(
            stage: stage.name, freshness: freshness,
            lastStatus: last?["status"], lastMode: (last?["mode"] as String?).flatMap(StageMode.init(rawValue:)),
            lastEndedAt: completed?["ended_at"], lastInputFingerprint: completed?["input_fingerprint"],
            currentInputFingerprint: input, configHash: configHash, upstreamFingerprints: upstream,
            rowsIn: try countRows(db, stage.inputTables), rowsOut: try countRows(db, stage.outputTables))
    }

    private static func changedUpstreams(old: String, new: String) -> [String] {
        let oldParts = Set(old.split(separator: ",").map(String.init))
        return new.split(separator: ",").map(String.init).filter { !oldParts.contains($0) }
            .map { String($0.prefix(while: { $0 != "=" })) }
    }

    private static func countRows(_ db: Database, _ tables: [String]) throws -> Int {
        var total = 0
        for table in tables where try db.tableExists(table) {
            total += try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
        }
        return total
    }
}
