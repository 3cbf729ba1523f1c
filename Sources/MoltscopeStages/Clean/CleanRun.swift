import Foundation
import GRDB
import MoltscopeCore

/// One run of the clean stage. Every run recomputes everything:
/// 1. read posts and comments in batches from a snapshot (the next batch is read while this one
///    is cleaned), clean each batch on every core, park the rows in the spill file and keep the
///    compact index (`CorpusIndex`);
/// 2. group, find floods, apply the rules, compute per-agent statistics (`CleanAnalysis`);
/// 3. replace all outputs in one write transaction (`CleanWriter`): a run killed at any moment
///    leaves the previous outputs whole.
struct CleanRun: Sendable {
    let context: StageContext
    let settings: CleanSettings

    func run() async throws -> StageReport {
        let logger = context.logger
        let started = Date()
        let snapshot = try context.store.pool.makeSnapshot()
        let reader = DocumentReader(snapshot: snapshot, prefixChars: settings.rawPrefixChars,
                                    batchSize: max(context.batchSize * 8, 256))
        let total = try await reader.total()
        context.progress.begin(total: total, unit: "documents cleaned")

        let spillPath = context.store.path + ".clean-spill"
        defer { try? FileManager.default.removeItem(atPath: spillPath) }
        let spill = try SpillWriter(path: spillPath)
        var index = CorpusIndex(permutations: settings.permutations)
        let cleaner = DocumentCleaner(settings: settings)

        var batch = try await reader.batch(at: .posts(after: 0))
        while !batch.documents.isEmpty {
            try Task.checkCancellation()
            let documents = batch.documents, position = batch.next
            async let following = reader.batch(at: position)
            let cleaned = await Self.clean(documents, with: cleaner)
            for document in cleaned {
                try spill.write(document)
                index.add(document)
            }
            context.progress.advance(by: cleaned.count)
            batch = try await following
        }
        try spill.close()
        context.progress.finish()
        let cleanedAt = Date()

        let analysis = CleanAnalysis(index: index, settings: settings)
        let analysedAt = Date()
        logger.info("clean: grouped", metadata: [
            "documents": "\(index.count)", "distinct_texts": "\(index.distinctTexts)",
            "signed": "\(index.signatureOrdinals.count)", "exact_groups": "\(analysis.exactGroupCount)",
            "near_groups": "\(analysis.nearGroupCount)", "compared_pairs": "\(analysis.nearStats.comparedPairs)",
            "similar_pairs": "\(analysis.nearStats.similarPairs)", "largest_bucket": "\(analysis.nearStats.largestBucket)",
            "flood_events": "\(analysis.events.count)",
            "clean_seconds": "\(String(format: "%.2f", cleanedAt.timeIntervalSince(started)))",
            "group_seconds": "\(String(format: "%.2f", analysedAt.timeIntervalSince(cleanedAt)))",
        ])

        try Task.checkCancellation()
        context.progress.begin(total: index.count, unit: "documents written")
        let context = self.context
        let frozenIndex = index
        let result = try await context.store.pool.write { db in
            try CleanWriter.write(db, spillPath: spillPath, index: frozenIndex, analysis: analysis, context: context)
        }
        context.progress.finish()
        logger.info("clean: written", metadata: [
            "documents": "\(result.documents)", "dropped": "\(analysis.dropped)",
            "write_seconds": "\(String(format: "%.2f", Date().timeIntervalSince(analysedAt)))",
        ])
        let note = "\(result.documents) documents (\(analysis.dropped) dropped, \(index.truncated) truncated), "
            + "\(analysis.exactGroupCount) exact and \(analysis.nearGroupCount) near duplicate groups, "
            + "\(analysis.events.count) flood events"
        return StageReport(rowsIn: total, rowsOut: result.documents, errors: result.errors, note: note)
    }

    /// Cleans a batch on every core, keeping its order.
    static func clean(_ documents: [RawDocument], with cleaner: DocumentCleaner) async -> [CleanedDocument] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 16, documents.count))
        let chunk = (documents.count + workers - 1) / workers
        return await withTaskGroup(of: (Int, [CleanedDocument]).self) { group in
            for worker in 0..<workers {
                let range = (worker * chunk)..<min(documents.count, (worker + 1) * chunk)
                guard !range.isEmpty else { continue }
                let slice = Array(documents[range])
                group.addTask { (worker, slice.map(cleaner.clean)) }
            }
            var parts = [[CleanedDocument]](repeating: [], count: workers)
            for await (worker, cleaned) in group { parts[worker] = cleaned }
            return parts.flatMap { $0 }
        }
    }
}
