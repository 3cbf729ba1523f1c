import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics
@testable import MoltscopeStages

/// The bundled sample through crawl and clean, with lexical stand-in vectors for its documents,
/// for a slice of the shipped annotated set and for the zero-shot label descriptions: the
/// toxicity-label stage runs on it without a model server.
enum LabelPipeline {
    static var shippedAnnotations: String {
        CleanPipeline.repositoryRoot.appendingPathComponent("data/labels/annotations.csv").path
    }

    /// Quick settings for a debug build: a slice of the annotations, two folds, 1,024 word columns.
    static func settings(_ pipeline: CleanPipeline) -> [String] {
        ["embed.model=\(LexicalVectors.model)", "toxicity_label.evaluate.folds=2", "toxicity_label.trained.hash_bits=10",
         "toxicity_label.annotations=\(annotationSlice(pipeline))", "toxicity_label.min_documents=3"]
    }

    static func annotationSlice(_ pipeline: CleanPipeline) -> String {
        pipeline.directory.appendingPathComponent("annotations.csv").path
    }

    static func prepared(rows: Int = 600, name: String = #function) async throws -> CleanPipeline {
        let pipeline = try CleanPipeline(stages: Stages.registry, name: name)
        try await pipeline.run(settings(pipeline), plan: .pipeline(stages: ["crawl", "clean"]))
        _ = try pipeline.store()
        let texts = try writeSlice(rows: rows, to: annotationSlice(pipeline))
        let db = pipeline.db
        _ = try await Compute.run { _ in
            try LexicalVectors.fill(db: db)
            try LexicalVectors.fill(db: db, texts: texts + LabelTarget.allCases.flatMap { LabelDescriptions.texts(for: $0) },
                                    table: LabelSchema.vectorTable)
        }
        return pipeline
    }

    /// The first `rows` records of the shipped annotated set, rewritten as CSV; returns their texts.
    static func writeSlice(rows: Int, to path: String) throws -> [String] {
        let records = try CSVRecords.parse(String(contentsOfFile: shippedAnnotations, encoding: .utf8))
        let kept = Array(records.prefix(rows + 1))
        let textColumn = kept[0].fields.firstIndex(of: "text")!
        let csv = kept.map { record in
            record.fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return kept.dropFirst().map { $0.fields[textColumn] }
    }
}
