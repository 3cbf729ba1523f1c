import Foundation
import MoltscopeCore
import MoltscopeNumerics
@testable import MoltscopeStages

/// The shared capture (../shared/data) crawled and cleaned once per test process, with lexical
/// stand-in vectors: the golden tests of several stages read it, and preparing it takes two
/// minutes in a debug build. Nil when the capture is not beside this checkout.
enum GoldenCapture {
    static let prepared: Task<CleanPipeline?, any Error> = Task {
        guard let capture = CleanPipeline.sharedCapture else { return nil }
        let pipeline = try CleanPipeline(capture: capture, stages: Stages.registry, name: "golden")
        directory = pipeline.directory.path
        atexit { if let directory = GoldenCapture.directory { try? FileManager.default.removeItem(atPath: directory) } }
        try await pipeline.run(["crawl.submolts=false"], plan: .pipeline(stages: ["crawl", "clean"]))
        _ = try pipeline.store()
        let db = pipeline.db
        // Heavy work runs off the cooperative pool, so other tests' tasks keep running meanwhile.
        _ = try await Compute.run { _ in try LexicalVectors.fill(db: db) }
        return pipeline
    }

    /// Removed when the test process exits.
    nonisolated(unsafe) static var directory: String?
}
