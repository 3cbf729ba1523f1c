import Foundation
import MoltscopeCore
import MoltscopeTestSupport

/// Runs a Python reference from `Tests/References/` (scikit-learn, networkx) single-threaded
/// and returns what it printed; a failure carries the script's last words.
enum ReferenceScript {
    static func run(_ name: String, _ arguments: [String]) throws -> Data {
        let script = CleanPipeline.repositoryRoot.appendingPathComponent("Tests/References/\(name)").path
        let result = try ProcessResult.python(script, arguments)
        guard result.status == 0 else {
            throw MoltscopeError(.internal, "\(name) failed: \(result.stderr.suffix(600))",
                                 remedy: "run scripts/install-deps (it installs the Python references)")
        }
        return result.stdoutData
    }
}
