import Foundation

/// A tmpfs of a few hundred kilobytes mounted on a test folder: a disk that fills up. Needs
/// root (or CAP_SYS_ADMIN); `permitted` says whether this machine allows it.
struct SmallDisk {
    let mountPoint: URL

    /// Mounting works here: probed once by mounting and unmounting a tiny tmpfs.
    static let permitted: Bool = {
        guard let probe = try? TestEnvironment.temporaryDirectory("tmpfsprobe") else { return false }
        defer { try? FileManager.default.removeItem(at: probe) }
        guard (try? command("/bin/mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", probe.path])) == 0 else { return false }
        return (try? command("/bin/umount", [probe.path])) == 0
    }()

    /// Mounts a tmpfs of `kilobytes` on a new folder.
    static func mount(kilobytes: Int, name: String = #function) throws -> SmallDisk {
        let point = try TestEnvironment.temporaryDirectory("small\(name)")
        let status = try command("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", point.path])
        guard status == 0 else { throw SmallDiskError.mountFailed(point.path) }
        return SmallDisk(mountPoint: point)
    }

    /// Makes the disk bigger, keeping every file on it.
    func grow(toKilobytes kilobytes: Int) throws {
        let status = try Self.command("/bin/mount", ["-o", "remount,size=\(kilobytes)k", mountPoint.path])
        guard status == 0 else { throw SmallDiskError.mountFailed(mountPoint.path) }
    }

    func unmount() {
        _ = try? Self.command("/bin/umount", ["-l", mountPoint.path])
        try? FileManager.default.removeItem(at: mountPoint)
    }

    /// Fills what is left of the disk with one file (ENOSPC ends the write).
    func fill() {
        let handle = FileManager.default.createFile(atPath: mountPoint.appendingPathComponent("filler").path, contents: nil)
            ? FileHandle(forWritingAtPath: mountPoint.appendingPathComponent("filler").path) : nil
        let block = Data(repeating: 0x55, count: 4096)
        while let handle, (try? handle.write(contentsOf: block)) != nil {}
        try? handle?.close()
    }

    static func command(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

enum SmallDiskError: Error { case mountFailed(String) }
