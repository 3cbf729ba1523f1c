import Foundation
import MoltscopeNumerics
import MoltscopeTestSupport

/// Runs a reference implementation (scikit-learn, hdbscan, scipy, powerlaw, networkx) from
/// `Tests/References/` on the same data, for tests that compare against the libraries researchers
/// would otherwise use. A matrix goes through a raw float32 file, a vector through int64 or
/// float64, a graph through an edge list file; the script prints one JSON object.
enum PythonReference {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("References")

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `matrix` as little-endian float32 rows and returns the path.
    static func write(_ matrix: Matrix, to directory: URL, name: String = "points.f32") throws -> String {
        let url = directory.appendingPathComponent(name)
        let data = matrix.values.withUnsafeBufferPointer { Data(buffer: $0) }
        try data.write(to: url)
        return url.path
    }

    /// Writes int32 labels to a temporary file for a script argument; the caller removes it.
    static func labelsFile(_ labels: [Int32]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("moltscope-labels-\(UUID().uuidString).i32")
        try labels.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: url)
        return url.path
    }

    /// Runs `script` with the matrix file, its shape and `arguments`; returns its JSON answer.
    static func run(_ script: String, matrix: Matrix, arguments: [String] = []) throws -> [String: Any] {
        try withScratch { scratch in
            let path = try write(matrix, to: scratch)
            return try execute(script, [path, String(matrix.rows), String(matrix.columns)] + arguments)
        }
    }

    /// Runs `script` with a file of `integers` (little-endian int64) and `arguments`; returns its JSON answer.
    static func run(_ script: String, integers: [Int], arguments: [String] = []) throws -> [String: Any] {
        try withScratch { scratch in
            let url = scratch.appendingPathComponent("values.i64")
            try integers.map { Int64($0).littleEndian }.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: url)
            return try execute(script, [url.path] + arguments)
        }
    }

    /// Runs `script` with a file of `doubles` (little-endian float64) and `arguments`; returns its JSON answer.
    static func run(_ script: String, doubles: [Double], arguments: [String] = []) throws -> [String: Any] {
        try withScratch { scratch in
            let url = scratch.appendingPathComponent("values.f64")
            try doubles.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: url)
            return try execute(script, [url.path] + arguments)
        }
    }

    /// Runs `script` on an edge list (packed little-endian records: int32 source, int32 target,
    /// float64 weight) with the node count and `arguments`; returns its JSON answer.
    static func run(_ script: String, nodeCount: Int, sources: [Int32], targets: [Int32], weights: [Double],
                    arguments: [String] = []) throws -> [String: Any] {
        try withScratch { scratch in
            var data = Data(capacity: sources.count * 16)
            for i in sources.indices {
                withUnsafeBytes(of: sources[i].littleEndian) { data.append(contentsOf: $0) }
                withUnsafeBytes(of: targets[i].littleEndian) { data.append(contentsOf: $0) }
                withUnsafeBytes(of: weights[i].bitPattern.littleEndian) { data.append(contentsOf: $0) }
            }
            let url = scratch.appendingPathComponent("edges.bin")
            try data.write(to: url)
            return try execute(script, [url.path, String(nodeCount)] + arguments)
        }
    }

    private static func withScratch<T>(_ body: (URL) throws -> T) throws -> T {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("moltscope-ref-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        return try body(scratch)
    }

    private static func execute(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let result = try ProcessResult.python(directory.appendingPathComponent(script).path, arguments)
        guard result.status == 0 else {
            throw Failure(description: "\(script) failed (\(result.status)); the references need "
                + "scikit-learn, hdbscan, scipy, powerlaw and networkx (scripts/install-deps installs them): \(result.stderr.suffix(800))")
        }
        guard let object = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any] else {
            throw Failure(description: "\(script) printed no JSON object")
        }
        return object
    }
}
