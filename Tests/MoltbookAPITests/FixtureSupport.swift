import Foundation
import MoltbookAPI
import Testing

/// Test fixtures: real lines cut from the shared capture (see Fixtures/cut-fixtures.py) and
/// hand-written bodies for the shapes of later eras.
enum Fixture {
    static func data(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"),
                               "fixture \(name) is missing")
        return try Data(contentsOf: url)
    }

    /// The non-empty lines of a fixture, each as it would come from a capture file.
    static func lines(_ name: String) throws -> [Data] {
        try data(name).split(separator: UInt8(ascii: "\n")).map { Data($0) }
    }

    static func text(_ json: String) -> Data { Data(json.utf8) }
}

/// The shared capture, decompressed with gzip (the test target depends only on MoltbookAPI,
/// so MoltscopeCore's LineReader is not at hand).
enum SharedCapture {
    static let path = "/work/shared/data/moltbook-2026-01-posts.jsonl.gz"
    static var isAvailable: Bool { FileManager.default.fileExists(atPath: path) }

    static func lines() throws -> [Data] {
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        gzip.arguments = ["-dc", path]
        let output = Pipe()
        gzip.standardOutput = output
        try gzip.run()
        let all = output.fileHandleForReading.readDataToEndOfFile()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        return all.split(separator: UInt8(ascii: "\n")).map { Data($0) }
    }
}

/// Runs `body` and returns the reason of the ParseError it throws, nil when it does not throw one.
func parseFailure<T>(_ body: () throws -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch let error as ParseError {
        return error.reason
    } catch {
        return "unexpected error \(error)"
    }
}
