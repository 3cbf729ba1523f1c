import Foundation

/// One writer per database: an advisory lock on `<db>.lock`, released when the process ends
/// (even by SIGKILL), so a stale lock never blocks the next run.
public final class RunLock {
    private let descriptor: Int32
    public let path: String

    public init(databasePath: String) throws {
        path = databasePath + ".lock"
        descriptor = open(path, O_CREAT | O_RDWR, 0o644)
        guard descriptor >= 0 else {
            throw MoltscopeError(.io, "cannot create lock file \(path): \(String(cString: strerror(errno)))",
                                 remedy: "check that the database folder is writable")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw MoltscopeError(.database, "another moltscope run is writing \(databasePath)",
                                 remedy: "wait for it to finish, or use another --db")
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
