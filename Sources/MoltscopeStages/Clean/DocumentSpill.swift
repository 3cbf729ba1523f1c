import Foundation
import MoltscopeCore

/// Cleaned documents parked on disk between the cleaning pass and the write transaction, so
/// memory holds only the compact per-document index (`CorpusIndex`), never every text. One
/// length-prefixed record per document, in reading order; the file sits next to the database
/// (not in /tmp, which may be memory) and is removed when the stage ends.
struct SpilledDocument {
    var kind: RawDocument.Kind
    var id: String
    var postId: String
    var parentId: String?
    var authorId: String?
    var authorName: String?
    var submolt: String?
    var createdAt: String?
    var text: String
    var language: String
    var length: Int
    var originalLength: Int
    var truncated: Bool
    var contentHash: String
}

final class SpillWriter {
    let path: String
    private var file: UnsafeMutablePointer<FILE>?
    private var buffer: [UInt8] = []
    private var record: [UInt8] = []

    init(path: String) throws {
        self.path = path
        file = fopen(path, "wb")
        guard file != nil else {
            throw MoltscopeError(.io, "cannot create \(path): \(String(cString: strerror(errno)))",
                                 remedy: "check that the database folder is writable and has space")
        }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if let file { fclose(file) }
    }

    func write(_ document: CleanedDocument) throws {
        record.removeAll(keepingCapacity: true)
        let raw = document.raw
        record.append(raw.kind.rawValue)
        record.append(document.truncated ? 1 : 0)
        put(UInt32(document.length))
        put(UInt32(clamping: document.originalLength))
        put(raw.id)
        put(raw.postId)
        put(raw.parentId)
        put(raw.authorId)
        put(raw.authorName)
        put(raw.submolt)
        put(raw.createdAt)
        put(document.text)
        put(document.language)
        put(document.hash.hex)
        let size = UInt32(record.count)
        for shift in stride(from: 0, to: 32, by: 8) { buffer.append(UInt8(truncatingIfNeeded: size >> UInt32(shift))) }
        buffer.append(contentsOf: record)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func close() throws {
        try flush()
        if let file {
            let failed = fclose(file) != 0
            self.file = nil
            if failed { throw MoltscopeError(.io, "cannot write \(path)", remedy: "check free disk space") }
        }
    }

    private func flush() throws {
        guard !buffer.isEmpty, let file else { return }
        let written = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == buffer.count else {
            throw MoltscopeError(.io, "cannot write \(path): \(String(cString: strerror(errno)))",
                                 remedy: "check free disk space next to the database")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    private func put(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { record.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private func put(_ string: String?) {
        guard let string else {
            put(UInt32.max)
            return
        }
        put(UInt32(string.utf8.count))
        record.append(contentsOf: string.utf8)
    }
}

final class SpillReader {
    let path: String
    private var file: UnsafeMutablePointer<FILE>?
    private var record: [UInt8] = []
    private var position = 0

    init(path: String) throws {
        self.path = path
        file = fopen(path, "rb")
        guard file != nil else {
            throw MoltscopeError(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        if let file { fclose(file) }
    }

    func next() throws -> SpilledDocument? {
        guard let file else { return nil }
        var header = [UInt8](repeating: 0, count: 4)
        let got = header.withUnsafeMutableBytes { fread($0.baseAddress, 1, 4, file) }
        if got == 0 { return nil }
        guard got == 4 else { throw corrupt() }
        let size = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16 | Int(header[3]) << 24
        record = [UInt8](repeating: 0, count: size)
        let read = record.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, file) }
        guard read == size, size >= 10 else { throw corrupt() }
        position = 0
        guard let kind = RawDocument.Kind(rawValue: record[0]) else { throw corrupt() }
        let truncated = record[1] == 1
        position = 2
        let length = Int(try uint32())
        let originalLength = Int(try uint32())
        guard let id = try string(), let postId = try string() else { throw corrupt() }
        let parentId = try string(), authorId = try string(), authorName = try string()
        let submolt = try string(), createdAt = try string()
        guard let text = try string(), let language = try string(), let hash = try string() else { throw corrupt() }
        return SpilledDocument(kind: kind, id: id, postId: postId, parentId: parentId, authorId: authorId,
                               authorName: authorName, submolt: submolt, createdAt: createdAt, text: text,
                               language: language, length: length, originalLength: originalLength,
                               truncated: truncated, contentHash: hash)
    }

    private func corrupt() -> MoltscopeError {
        MoltscopeError(.internal, "the clean stage's spill file \(path) is damaged", remedy: "run the stage again")
    }

    private func uint32() throws -> UInt32 {
        guard position + 4 <= record.count else { throw corrupt() }
        var value: UInt32 = 0
        for k in 0..<4 { value |= UInt32(record[position + k]) << UInt32(8 * k) }
        position += 4
        return value
    }

    private func string() throws -> String? {
        let count = try uint32()
        if count == UInt32.max { return nil }
        let end = position + Int(count)
        guard end <= record.count else { throw corrupt() }
        let value = String(decoding: record[position..<end], as: UTF8.self)
        position = end
        return value
    }
}
