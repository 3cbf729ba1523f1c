import Foundation

/// Free space where a database lives, to tell a full disk from other I/O errors.
enum DiskSpace {
    /// Less than 1 MB left for unprivileged writers (or the folder cannot be asked).
    static func isNearlyFull(folderOf path: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        var stats = statvfs()
        guard statvfs(folder.isEmpty ? "." : folder, &stats) == 0 else { return false }
        // f_bfree, not f_bavail: root (whom this also runs as) may write into the reserved blocks.
        let free = UInt64(stats.f_bfree) * UInt64(stats.f_frsize)
        return free < 1 << 20
    }
}
