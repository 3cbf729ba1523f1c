import Foundation
import GRDB
import MoltscopeTestSupport

/// Launches the real `moltscope run` on one database again and again, and SIGKILLs each launch
/// at a random moment after a chosen stage has started. Which stages were really running at the
/// kill is read back from the database's `stage_runs` (a killed run leaves them 'running').
struct KillLoop {
    struct Target {
        var stage: String
        var kills: Int
        /// Kill delays are spread over this many seconds after the stage starts.
        var window: Double
    }

    struct Kill {
        var number: Int
        var target: String
        var delay: Double
        /// Seconds from the stage's start to the kill: the delay, or less when the stage ended first.
        var waited: Double
        /// Stages with a 'running' row when the process died (cluster and toxicity-label run together).
        var running: [String]
    }

    let binary: URL
    let arguments: [String]
    let directory: URL
    let db: String
    var random: SplitMix64
    private(set) var launches = 0

    /// Generous: other builds and tests share the machine's two cores.
    static let stageStartTimeout: TimeInterval = 300

    init(binary: URL, arguments: [String], directory: URL, db: String, seed: UInt64) {
        self.binary = binary
        self.arguments = arguments
        self.directory = directory
        self.db = db
        random = SplitMix64(seed: seed)
    }

    /// Kills at delays stratified over each target's window (the i-th of n in the i-th slice), so
    /// early and late moments are both hit. A target ends early once its stage has completed:
    /// an up-to-date stage is skipped by later launches and cannot be killed again.
    /// `run` on a Dispatch thread: the loop blocks for minutes and must not hold a thread of
    /// Swift's cooperative pool, which every other test shares.
    func runOffThePool(_ targets: [Target]) async throws -> [Kill] {
        let loop = self
        return try await offThePool {
            var copy = loop
            return try copy.run(targets)
        }
    }

    mutating func run(_ targets: [Target]) throws -> [Kill] {
        var kills: [Kill] = []
        for target in targets {
            for slice in 0..<target.kills {
                if try Self.hasCompleted(db, stage: target.stage) { break }
                let delay = target.window * (Double(slice) + random.unit()) / Double(target.kills)
                guard let (running, waited) = try launchAndKill(in: target.stage, after: delay) else { break }
                kills.append(Kill(number: kills.count + 1, target: target.stage, delay: delay, waited: waited, running: running))
                let integrity = try TableChecksums.integrityCheck(db)
                guard integrity == "ok" else {
                    throw KillLoopError("integrity_check after kill \(kills.count) (in \(running)): \(integrity)")
                }
            }
        }
        return kills
    }

    /// The stages running when the process was killed and the seconds waited after the stage
    /// started, or nil if it finished (or never reached the stage) on its own.
    private mutating func launchAndKill(in stage: String, after delay: Double) throws -> ([String], Double)? {
        let lastRun = try Self.lastRunId(db)
        let (process, log) = try launch()
        defer {
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
            try? log.close()
        }
        guard try waitForStage(stage, after: lastRun, while: process) else { return nil }
        let started = Date()
        try waitForDelay(delay, orEndOf: stage, after: lastRun, while: process)
        guard process.isRunning else { return nil }
        Foundation.kill(process.processIdentifier, SIGKILL)
        let waited = Date().timeIntervalSince(started)
        process.waitUntilExit()
        guard process.terminationReason == .uncaughtSignal else { return nil }
        let running = try TableChecksums.readOnlyQueue(db).read { db in
            try String.fetchAll(db, sql: "SELECT stage FROM stage_runs WHERE run_id > ? AND status = 'running' ORDER BY id",
                                arguments: [lastRun])
        }
        return (running, waited)
    }

    /// The process, and its stderr log file (launch-N.log in the directory), to close after.
    private mutating func launch() throws -> (Process, FileHandle) {
        launches += 1
        let log = directory.appendingPathComponent("launch-\(launches).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        let handle = try FileHandle(forWritingTo: log)
        process.standardError = handle
        try process.run()
        return (process, handle)
    }

    /// True once the launched run has begun `stage`; false if the process ended first.
    private func waitForStage(_ stage: String, after lastRun: Int64, while process: Process) throws -> Bool {
        let deadline = Date().addingTimeInterval(Self.stageStartTimeout)
        while Date() < deadline {
            if (try? Self.stageStarted(db, stage: stage, after: lastRun)) == true { return true }
            guard process.isRunning else { return false }
            Thread.sleep(forTimeInterval: 0.005)
        }
        throw KillLoopError("stage \(stage) did not start within \(Int(Self.stageStartTimeout)) s (launch \(launches))")
    }

    /// Sleeps `delay` seconds, but no longer than the stage runs: a stage that runs faster than
    /// in the reference (caches warm, less competition) is then killed just after its last
    /// commit, and the next stage still gets its own kills instead of finishing unkilled.
    private func waitForDelay(_ delay: Double, orEndOf stage: String, after lastRun: Int64, while process: Process) throws {
        let until = Date().addingTimeInterval(delay)
        while Date() < until && process.isRunning {
            if (try? Self.stageEnded(db, stage: stage, after: lastRun)) == true { return }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    private static func stageEnded(_ path: String, stage: String, after run: Int64) throws -> Bool {
        try TableChecksums.readOnlyQueue(path).read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM stage_runs WHERE run_id > ? AND stage = ? AND status <> 'running')",
                              arguments: [run, stage]) ?? false
        }
    }

    private static func stageStarted(_ path: String, stage: String, after run: Int64) throws -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        return try TableChecksums.readOnlyQueue(path).read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM stage_runs WHERE run_id > ? AND stage = ?)",
                              arguments: [run, stage]) ?? false
        }
    }

    static func lastRunId(_ path: String) throws -> Int64 {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        return try TableChecksums.readOnlyQueue(path).read { db in
            try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM runs") ?? 0
        }
    }

    static func hasCompleted(_ path: String, stage: String) throws -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        return try TableChecksums.readOnlyQueue(path).read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM stage_runs WHERE stage = ? AND status = 'completed')",
                              arguments: [stage]) ?? false
        }
    }

    /// Seconds each stage took in a run, from its `stage_runs` (the uninterrupted reference).
    static func stageSeconds(_ path: String) throws -> [String: Double] {
        try TableChecksums.readOnlyQueue(path).read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT stage, (julianday(ended_at) - julianday(started_at)) * 86400 FROM stage_runs WHERE status = 'completed'
                """)
            return Dictionary(rows.map { ($0[0] as String, $0[1] as Double) }, uniquingKeysWith: max)
        }
    }
}

struct KillLoopError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
