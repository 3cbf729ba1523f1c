import Foundation
import MoltscopeCore

/// Writes capture lines as a sequence of gzip members, one per `postsPerMember` lines: memory
/// stays at one member's lines however large the file, and concatenated members are one valid
/// gzip stream (zlib's reader, hence `LineReader`, reads straight through them).
final class SynthCaptureWriter {
    private let handle: FileHandle
    private var pending = Data()
    private var linesPending = 0
    private let postsPerMember: Int

    init(path: String, postsPerMember: Int = 1000) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw MoltscopeError(.io, "cannot create \(path)", remedy: "check the directory exists and is writable")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        self.postsPerMember = postsPerMember
    }

    func append(line: String) throws {
        pending.append(contentsOf: line.utf8)
        pending.append(0x0A)
        linesPending += 1
        if linesPending >= postsPerMember { try flush() }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        try handle.write(contentsOf: Gzip.compress(pending))
        pending.removeAll(keepingCapacity: true)
        linesPending = 0
    }

    func close() throws {
        try flush()
        try handle.close()
    }
}
