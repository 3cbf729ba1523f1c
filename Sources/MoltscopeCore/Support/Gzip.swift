import CZlib
import Foundation

/// gzip compression in memory, used for raw API responses kept in the database.
public enum Gzip {
    public static func compress(_ data: Data, level: Int32 = 6) -> Data {
        var stream = z_stream()
        guard ms_deflate_init_gzip(&stream, level) == Z_OK else { return Data() }
        defer { deflateEnd(&stream) }
        var output = Data(count: Int(deflateBound(&stream, uLong(data.count))) + 32)
        let produced: Int = data.withUnsafeBytes { (input: UnsafeRawBufferPointer) -> Int in
            output.withUnsafeMutableBytes { (out: UnsafeMutableRawBufferPointer) -> Int in
                stream.next_in = UnsafeMutablePointer(
                    mutating: input.bindMemory(to: Bytef.self).baseAddress ?? UnsafePointer(bitPattern: 1)!)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(out.count)
                _ = deflate(&stream, Z_FINISH)
                return out.count - Int(stream.avail_out)
            }
        }
        output.count = produced
        return output
    }

    public static func decompress(_ data: Data) throws -> Data {
        var stream = z_stream()
        guard ms_inflate_init_auto(&stream) == Z_OK else {
            throw MoltscopeError(.io, "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var result = Data()
        let chunk = 1 << 16
        var buffer = [UInt8](repeating: 0, count: chunk)
        var status: Int32 = Z_OK
        try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(
                mutating: input.bindMemory(to: Bytef.self).baseAddress ?? UnsafePointer(bitPattern: 1)!)
            stream.avail_in = uInt(input.count)
            repeat {
                let written: Int = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return chunk - Int(stream.avail_out)
                }
                if status == Z_BUF_ERROR && stream.avail_in == 0 {
                    throw MoltscopeError(.input, "gzip data is truncated")
                }
                if status != Z_OK && status != Z_STREAM_END {
                    throw MoltscopeError(.input, "gzip data is corrupt (zlib status \(status))")
                }
                result.append(contentsOf: buffer[0..<written])
                if written == 0 && stream.avail_in == 0 && status != Z_STREAM_END {
                    throw MoltscopeError(.input, "gzip data is truncated")
                }
            } while status != Z_STREAM_END
        }
        return result
    }
}

/// Reads a text file line by line, gzip-compressed or plain (zlib detects which), in bounded
/// memory: only the current line and one read buffer are held, however large the file.
public final class LineReader {
    private let file: gzFile
    public let path: String
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var finished = false
    /// 1-based number of the line last returned.
    public private(set) var lineNumber = 0

    public init(path: String, bufferSize: Int = 1 << 20) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw MoltscopeError(.input, "file \(path) does not exist", remedy: "check the path")
        }
        guard let handle = gzopen(path, "rb") else {
            throw MoltscopeError(.io, "cannot open \(path): \(String(cString: strerror(errno)))",
                                 remedy: "check its permissions")
        }
        gzbuffer(handle, 1 << 17)
        self.file = handle
        self.path = path
        self.buffer = [UInt8](repeating: 0, count: bufferSize)
    }

    deinit { gzclose(file) }

    /// Bytes of the file consumed so far (compressed bytes for gzip): with the file size, the
    /// share read, for a progress estimate.
    public var fileOffset: Int64 { Int64(gzoffset(file)) }

    /// The next line without its terminator, or nil at the end of the file.
    public func nextLine() throws -> Data? {
        var line = Data()
        while true {
            if start < end {
                let newline: Int? = buffer.withUnsafeBufferPointer { buf in
                    guard let base = buf.baseAddress else { return nil }
                    guard let hit = memchr(base + start, 0x0A, end - start) else { return nil }
                    return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                }
                if let newline {
                    line.append(contentsOf: buffer[start..<newline])
                    start = newline + 1
                    lineNumber += 1
                    if line.last == 0x0D { line.removeLast() }
                    return line
                }
                line.append(contentsOf: buffer[start..<end])
                start = end
            }
            if finished {
                if line.isEmpty { return nil }
                lineNumber += 1
                return line
            }
            let count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
            if count < 0 {
                var code: Int32 = 0
                let message = gzerror(file, &code).map { String(cString: $0) } ?? "unknown"
                throw MoltscopeError(.input, "\(path) is not readable gzip or text (\(message))",
                                     remedy: "check the file is a complete .jsonl or .jsonl.gz")
            }
            if count == 0 {
                // zlib ends a gzip stream cut short like a complete one, saying so only here.
                var code: Int32 = 0
                _ = gzerror(file, &code)
                if code == Z_BUF_ERROR {
                    throw MoltscopeError(.input, "\(path) is not readable gzip or text (truncated gzip data)",
                                         remedy: "check the file is a complete .jsonl or .jsonl.gz")
                }
                finished = true
            }
            start = 0
            end = Int(count)
        }
    }
}
