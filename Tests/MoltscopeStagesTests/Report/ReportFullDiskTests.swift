import Foundation
import MoltscopeCore
import Testing
@testable import MoltscopeStages

/// The report's exports to a disk with no room left (a 64 KB tmpfs, filled): one line naming
/// the folder and the full disk, and the report tables stay committed. Needs root to mount.
@Suite(.serialized, .enabled(if: Tmpfs.mountingPermitted, "mounting a tmpfs is not permitted here (run as root)"))
struct ReportFullDiskTests {
    @Test func exportsToAFullDiskFailInOneLineAndKeepTheTables() async throws {
        let pipeline = try CleanPipeline(stages: Stages.registry)
        defer { pipeline.remove() }
        _ = try pipeline.store()
        try ReportSociety().write(to: pipeline.db)
        let disk = pipeline.directory.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        try #require(Tmpfs.command("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.path]) == 0)
        defer { _ = Tmpfs.command("/bin/umount", ["-l", disk.path]) }
        // Fill it: writes stop at ENOSPC.
        let filler = disk.appendingPathComponent("filler")
        _ = FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        while (try? handle.write(contentsOf: Data(repeating: 0x55, count: 4096))) != nil {}
        try handle.close()

        await #expect {
            try await pipeline.run(ReportStageTests.settings(exports: disk.appendingPathComponent("exports")),
                                   plan: .rebuild(stage: "report", downstream: false))
        } throws: { error in
            let text = "\(error)"
            return text.contains("cannot write the report") && text.contains(disk.path) && text.contains("disk full")
                && text.contains("disk has space") && !text.contains("\n")
        }
        #expect(try pipeline.int("SELECT count(*) FROM report_figures") == PublishedFigures.all.count)
        // With room again, the exports are written from the tables alone.
        try #require(Tmpfs.command("/bin/mount", ["-o", "remount,size=32m", disk.path]) == 0)
        let written = try await ReportExports.write(store: try pipeline.store(),
                                                    config: pipeline.config(ReportStageTests.settings(exports: disk.appendingPathComponent("exports"))))
        #expect(FileManager.default.fileExists(atPath: written.html))
    }
}

/// Mounting a tmpfs (root only).
enum Tmpfs {
    static func command(_ path: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    static let mountingPermitted: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("moltscope-tmpfs-probe-\(UUID().uuidString.prefix(8))")
        guard (try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(at: probe) }
        guard command("/bin/mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", probe.path]) == 0 else { return false }
        return command("/bin/umount", [probe.path]) == 0
    }()
}
