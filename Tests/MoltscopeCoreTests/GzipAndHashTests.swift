import Foundation
import MoltscopeCore
import Testing

/// Deterministic pseudo-random bytes (xorshift), compressible only a little.
private func noise(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> Data {
    var state = seed
    var bytes = [UInt8](repeating: 0, count: count)
    for i in 0..<count {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        bytes[i] = UInt8(truncatingIfNeeded: state)
    }
    return Data(bytes)
}

@Suite("gzip")
struct GzipTests {
    @Test func roundTrips() throws {
        let samples: [Data] = [
            Data(),
            Data("a".utf8),
            Data("{\"id\":\"p1\",\"title\":\"héllo 🦞\"}\n".utf8),
            noise(70_000),
            Data(repeating: 0x41, count: 200_000),
        ]
        for sample in samples {
            let compressed = Gzip.compress(sample)
            #expect(compressed.prefix(2) == Data([0x1F, 0x8B]), "gzip magic for \(sample.count) bytes")
            #expect(try Gzip.decompress(compressed) == sample, "\(sample.count) bytes")
        }
        #expect(Gzip.compress(Data(repeating: 0x41, count: 200_000)).count < 1_000)
    }

    @Test func roundTripsFiveMegabytes() throws {
        var text = Data()
        var line = 0
        while text.count < 5_000_000 {
            text.append(contentsOf: "{\"line\":\(line),\"content\":\"agent \(line % 97) posts about molting\"}\n".utf8)
            line += 1
        }
        text.append(noise(100_000))
        let compressed = Gzip.compress(text, level: 1)
        #expect(compressed.count < text.count / 2)
        let restored = try Gzip.decompress(compressed)
        #expect(restored.count == text.count)
        #expect(restored == text)
    }

    @Test func corruptDataIsAnError() throws {
        let original = noise(50_000)
        var corrupt = Gzip.compress(original)
        for i in stride(from: 20, to: corrupt.count - 20, by: 97) { corrupt[i] ^= 0x5A }
        let error = #expect(throws: MoltscopeError.self) { try Gzip.decompress(corrupt) }
        #expect(error?.kind == .input)
        #expect(error?.description.contains("gzip data is") == true)

        let notGzip = #expect(throws: MoltscopeError.self) { try Gzip.decompress(Data("plain text, not gzip".utf8)) }
        #expect(notGzip?.description.contains("gzip data is corrupt") == true)
    }

    @Test func truncatedDataIsAnError() throws {
        let original = noise(100_000)
        let compressed = Gzip.compress(original)
        for cut in [compressed.count / 2, compressed.count - 4, 10] {
            let error = #expect(throws: MoltscopeError.self, "cut at \(cut) of \(compressed.count)") {
                try Gzip.decompress(compressed.prefix(cut))
            }
            #expect(error?.description.contains("gzip data is truncated") == true, "cut at \(cut): \(String(describing: error))")
        }
        #expect(throws: MoltscopeError.self) { try Gzip.decompress(Data()) }
    }
}

@Suite("LineReader")
final class LineReaderTests {
    /// This test's folder, removed after it.
    private let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory("moltscope-lines") }

    private func write(_ data: Data, name: String) throws -> String {
        let path = directory.path(name)
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    private func readAll(_ path: String, bufferSize: Int = 1 << 20) throws -> [String] {
        let reader = try LineReader(path: path, bufferSize: bufferSize)
        var lines: [String] = []
        while let line = try reader.nextLine() {
            lines.append(String(decoding: line, as: UTF8.self))
            #expect(reader.lineNumber == lines.count)
        }
        #expect(try reader.nextLine() == nil)
        return lines
    }

    static let sample = "first\r\nsecond\n\nfourth 🦞 héllo\r\nlast without newline"
    static let expected = ["first", "second", "", "fourth 🦞 héllo", "last without newline"]

    @Test(arguments: [1 << 20, 7, 1])
    func plainFile(bufferSize: Int) throws {
        let path = try write(Data(Self.sample.utf8), name: "plain.jsonl")
        #expect(try readAll(path, bufferSize: bufferSize) == Self.expected)
    }

    @Test(arguments: [1 << 20, 5])
    func gzipFile(bufferSize: Int) throws {
        let path = try write(Gzip.compress(Data(Self.sample.utf8)), name: "lines.jsonl.gz")
        #expect(try readAll(path, bufferSize: bufferSize) == Self.expected)
    }

    @Test func crlfSplitAcrossBuffers() throws {
        // With a 4-byte buffer the \r of "abc\r\n" ends one read and the \n starts the next.
        let path = try write(Data("abc\r\ndefgh\r\nij\r\n".utf8), name: "crlf.txt")
        #expect(try readAll(path, bufferSize: 4) == ["abc", "defgh", "ij"])
    }

    @Test func concatenatedGzipMembersReadAsOne() throws {
        var data = Gzip.compress(Data("one\ntwo\n".utf8))
        data.append(Gzip.compress(Data("three\n".utf8)))
        let path = try write(data, name: "multi.gz")
        #expect(try readAll(path) == ["one", "two", "three"])
    }

    @Test func threeMegabyteLine() throws {
        let long = String(repeating: "0123456789abcdef", count: 3 * 1024 * 1024 / 16)
        let text = "short\n" + long + "\nafter\n"
        for (name, data) in [("long.txt", Data(text.utf8)), ("long.txt.gz", Gzip.compress(Data(text.utf8)))] {
            let path = try write(data, name: name)
            let reader = try LineReader(path: path)
            #expect(try reader.nextLine() == Data("short".utf8))
            let line = try #require(try reader.nextLine())
            #expect(line.count == long.utf8.count)
            #expect(line == Data(long.utf8))
            #expect(try reader.nextLine() == Data("after".utf8))
            #expect(reader.lineNumber == 3)
            #expect(try reader.nextLine() == nil)
        }
    }

    @Test func emptyFiles() throws {
        #expect(try readAll(try write(Data(), name: "empty.txt")) == [])
        #expect(try readAll(try write(Gzip.compress(Data()), name: "empty.gz")) == [])
        #expect(try readAll(try write(Data("\n".utf8), name: "newline.txt")) == [""])
    }

    @Test func missingFileAndFolderAreErrors() throws {
        let missing = #expect(throws: MoltscopeError.self) {
            try LineReader(path: "/nonexistent-moltscope/capture.jsonl.gz")
        }
        #expect(missing?.kind == .input)
        #expect(missing?.description.contains("file /nonexistent-moltscope/capture.jsonl.gz does not exist") == true)

        #expect(throws: MoltscopeError.self) { try LineReader(path: self.directory.url.path) }
    }

    @Test func truncatedGzipFileIsAnErrorNotASilentEnd() throws {
        var text = ""
        for i in 0..<20_000 { text += "{\"line\":\(i)}\n" }
        let compressed = Gzip.compress(Data(text.utf8))
        let path = try write(compressed.prefix(compressed.count / 2), name: "cut.jsonl.gz")
        let reader = try LineReader(path: path)
        let error = #expect(throws: MoltscopeError.self) {
            while try reader.nextLine() != nil {}
        }
        #expect(error?.description.contains("is not readable gzip or text") == true)
    }
}

@Suite("SHA-256 and fingerprints")
struct HashTests {
    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    private func sha(_ bytes: [UInt8]) -> String {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hex(hasher.finalize())
    }

    @Test func standardVectors() {
        #expect(sha([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // 55, 56 and 64 bytes: the padding edge cases.
        #expect(sha([UInt8](repeating: 0x61, count: 55)) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(sha([UInt8](repeating: 0x61, count: 56)) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(sha([UInt8](repeating: 0x61, count: 64)) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    @Test func millionAs() {
        var hasher = SHA256Hasher()
        let chunk = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalUpdatesEqualOneUpdate() {
        let data = Array(noise(1_000))
        var whole = SHA256Hasher()
        whole.update(data)
        var parts = SHA256Hasher()
        parts.update(data[0..<1])
        parts.update(data[1..<63])
        parts.update(data[63..<64])
        parts.update(data[64..<1000])
        #expect(hex(whole.finalize()) == hex(parts.finalize()))

        var string = SHA256Hasher()
        string.update("abc")
        #expect(hex(string.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Fingerprint.of(data: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func fingerprintSeparatesParts() {
        #expect(Fingerprint.of(["ab", "c"]) != Fingerprint.of(["a", "bc"]))
        #expect(Fingerprint.of(["abc"]) != Fingerprint.of(["ab", "c"]))
        #expect(Fingerprint.of(["a", ""]) != Fingerprint.of(["a"]))
        #expect(Fingerprint.of([]) != Fingerprint.of([""]))
        #expect(Fingerprint.of(["x", "y"]) != Fingerprint.of(["y", "x"]))
        #expect(Fingerprint.of(["x", "y"]) == Fingerprint.of(["x", "y"]))
        let fingerprint = Fingerprint.of(["stage=dbl", "version=1"])
        #expect(fingerprint.count == 64)
        #expect(fingerprint.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        // The parts are hashed with a 0x1F after each.
        #expect(Fingerprint.of(["abc"]) == Fingerprint.of(data: Data("abc\u{1F}".utf8)))
    }
}
