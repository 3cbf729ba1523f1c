import Foundation
import MoltscopeCore

/// Runs a Python reference from `Tests/References/` (scikit-learn, networkx) single-threaded
/// and returns what it printed; a failure carries the script's last words.
enum ReferenceScript {
    static func run(_ name: String, _ arguments: [String]) throws -> Data {
        let script = CleanPipeline.repositoryRoot.appendingPathComponent("Tests/References/\(name)").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"] { environment[key] = "1" }
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let answer = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MoltscopeError(.internal, "\(name) failed: \(String(decoding: complaint, as: UTF8.self).suffix(600))",
                                 remedy: "run scripts/install-deps (it installs the Python references)")
        }
        return answer
    }
}
