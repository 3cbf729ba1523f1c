import AsyncAlgorithms
import Foundation
import GRDB
import MoltbookAPI
import MoltscopeCore

/// Reads a capture file (`{"endpoint","fetched_at","status","body"}` lines, gzip or plain) as
/// if it were the API. The resume point is the last line committed; posts already stored with
/// at least as many comments are skipped, so rereading a capture adds nothing twice.
struct CaptureSource {
    let path: String
    let context: StageContext

    private struct Batch: Sendable {
        var items: [CrawlItem] = []
        var lastLine = 0
    }

    func crawl() async throws -> StageReport {
        let identity = try Self.identity(of: path)
        let checkpoints = context.checkpoints
        let resumeLine: Int = try await context.store.pool.read { db in
            guard try checkpoints.get(db, "capture.identity") == identity else { return 0 }
            return Int(try checkpoints.get(db, "capture.line") ?? "0") ?? 0
        }
        if resumeLine > 0 { context.logger.info("resuming \(path) after line \(resumeLine)") }
        context.progress.begin(total: nil, unit: "lines")

        // Reader -> bounded channel of parsed batches -> writer: parsing overlaps with writing,
        // and the channel's back-pressure keeps at most one batch waiting.
        let batches = AsyncThrowingChannel<Batch, any Error>()
        let batchSize = context.batchSize
        let path = self.path
        let progress = context.progress
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
        let reading = Task {
            do {
                let reader = try LineReader(path: path)
                var batch = Batch()
                while let line = try reader.nextLine() {
                    try Task.checkCancellation()
                    let number = reader.lineNumber
                    if number <= resumeLine { continue }
                    batch.items.append(Self.item(line: line, number: number, path: path))
                    batch.lastLine = number
                    if batch.items.count >= batchSize {
                        // Lines so far over the share of the file read: an estimate for the ETA.
                        let share = fileSize > 0 ? Double(reader.fileOffset) / fileSize : 0
                        if share > 0.01 { progress.setTotal(Int(Double(number) / min(share, 1))) }
                        await batches.send(batch)
                        batch = Batch()
                    }
                }
                if !batch.items.isEmpty { await batches.send(batch) }
                batches.finish()
            } catch {
                batches.fail(error)
            }
        }
        defer { reading.cancel() }

        var report = StageReport()
        for try await batch in batches {
            let counts = try await commit(batch, identity: identity)
            report.rowsIn += batch.items.count
            report.rowsOut += counts.posts + counts.comments
            report.errors += counts.errors
            context.progress.advance(by: batch.items.count)
        }
        context.progress.setTotal(nil)
        context.progress.finish()
        report.note = "\(report.rowsIn) capture lines read, \(report.errors) unusable"
        return report
    }

    /// Commits one batch with the capture checkpoint: rows and resume point never disagree.
    private func commit(_ batch: Batch, identity: String) async throws -> CrawlWriter.Counts {
        let checkpoints = context.checkpoints
        let errors = context.errors
        do {
            return try await context.store.commit { db in
                let fresh = try batch.items.filter { item in
                    guard case .post(let crawled) = item else { return true }
                    return try KnownPosts.needsFetch(db, id: crawled.post.id, declaredComments: crawled.post.commentCount,
                                                     have: crawled.comments.count)
                }
                let counts = try CrawlWriter.write(db, items: fresh, errors: errors)
                try checkpoints.set(db, "capture.identity", identity)
                try checkpoints.set(db, "capture.line", String(batch.lastLine))
                return counts
            }
        } catch {
            throw StoreErrors.describe(error, path: context.store.path, doing: "writing crawl results to")
        }
    }

    /// Parses one line into a post, or a failure that names the file and line.
    static func item(line: Data, number: Int, path: String) -> CrawlItem {
        let source = "\(path):\(number)"
        let record: CaptureRecord
        do {
            record = try MoltbookParser.captureLine(line)
        } catch {
            return .failure(CrawlFailure(postId: nil, source: source, reason: "unreadable capture line: \(error)",
                                         excerpt: String(decoding: line.prefix(300), as: UTF8.self)))
        }
        guard let detail = record.detail else {
            let reason = record.error.map { "capture holds an error response (HTTP \(record.status)): \($0.message)" }
                ?? "capture holds HTTP \(record.status) for \(record.endpoint)"
            return .failure(CrawlFailure(postId: nil, source: source, reason: reason, excerpt: nil))
        }
        let fetchedAt = record.fetchedAt.iso ?? Clock.now()
        let raw = RawResponse(url: "capture:\(record.endpoint)", status: record.status, contentType: "application/json",
                              body: line, fetchedAt: fetchedAt)
        return .post(CrawledPost(post: detail.post, comments: detail.comments ?? [],
                                 raws: [StoredRaw(kind: .captureLine, raw: raw, postId: detail.post.id)],
                                 source: "capture", fetchedAt: fetchedAt))
    }

    /// Path, size and modification time: a different (or changed) file starts from line 0.
    static func identity(of path: String) throws -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw MoltscopeError(.input, "capture file \(path) does not exist", remedy: "check crawl.capture")
        }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(path)|\(size)|\(Int64(modified))"
    }
}

/// Whether the database lacks a post or holds fewer comments than an answer declares, so a
/// crawl fetches only new posts and posts whose comment counts grew. Asked per post inside
/// the writing transaction: memory stays flat however many posts are stored.
enum KnownPosts {
    static func needsFetch(_ db: Database, id: String, declaredComments: Int?, have: Int? = nil) throws -> Bool {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT coalesce(comment_count, 0), comments_fetched FROM posts WHERE id = ?"),
                                         arguments: [id]) else { return true }
        if let declaredComments, declaredComments > (row[0] as Int) { return true }
        if let have, have > (row[1] as Int) { return true }
        return false
    }
}
