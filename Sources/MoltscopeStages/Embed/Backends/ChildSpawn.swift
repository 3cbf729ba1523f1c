import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `posix_spawn` with a clean slate: default signal dispositions, an empty signal mask, a process
/// group of its own, stdin from /dev/null, stdout and stderr into fresh pipes, nothing else
/// inherited. Blocking only for the duration of the spawn itself.
enum ChildSpawn {
    struct Spawned {
        var pid: Int32
        /// Read ends of the child's stdout and stderr (close-on-exec); the caller closes them.
        var stdout: Int32
        var stderr: Int32
    }

    struct Failure: Error, CustomStringConvertible {
        var executable: String
        var code: Int32
        var description: String { "\(executable): \(String(cString: strerror(code)))" }
    }

    /// `argv[0]` is the executable's path.
    static func spawn(_ argv: [String], environment: [String: String]) throws -> Spawned {
        let executable = argv[0]
        func fail(_ code: Int32) -> Failure { Failure(executable: executable, code: code) }

        let stdoutPipe = try makePipe(executable)
        let stderrPipe: (read: Int32, write: Int32)
        do {
            stderrPipe = try makePipe(executable)
        } catch {
            close(stdoutPipe.read)
            close(stdoutPipe.write)
            throw error
        }
        // The parent keeps only the read ends.
        defer {
            close(stdoutPipe.write)
            close(stderrPipe.write)
        }

        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe.write, 2)

        var flags = Int32(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        #if canImport(Darwin)
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #else
        closeInheritedDescriptors(&actions)
        #endif
        posix_spawnattr_setpgroup(&attributes, 0)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in 1..<32 where signal != SIGKILL && signal != SIGSTOP { sigaddset(&defaults, Int32(signal)) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var arguments = argv.map { strdup($0) } + [nil]
        var variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in arguments { free(pointer) }
            for pointer in variables { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, &arguments, &variables)
        guard result == 0 else {
            close(stdoutPipe.read)
            close(stderrPipe.read)
            throw fail(result)
        }
        return Spawned(pid: pid, stdout: stdoutPipe.read, stderr: stderrPipe.read)
    }

    private static func makePipe(_ executable: String) throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw Failure(executable: executable, code: errno) }
        // Close-on-exec: neither this child (it gets dup2'd copies) nor any other inherits them.
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    #if !canImport(Darwin)
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc 2.34+ has posix_spawn_file_actions_addclosefrom_np (not in Swift's Glibc module);
    /// otherwise every descriptor above 2 open now is closed one by one.
    private static let addCloseFrom: CloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0),
                                                       "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }

    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let addCloseFrom, addCloseFrom(&actions, 3) == 0 { return }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) }
            ?? Array(3..<Int32(min(getdtablesize(), 4096)))
        for fd in open where fd > 2 && fcntl(fd, F_GETFD) >= 0 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }
    #endif
}
