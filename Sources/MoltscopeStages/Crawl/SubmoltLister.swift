import GRDB
import MoltbookAPI
import MoltscopeCore

/// Lists `/submolts` page by page, committing each page with the next offset.
struct SubmoltLister {
    let client: MoltbookClient
    let context: StageContext

    func run() async throws -> Int {
        let checkpoints = context.checkpoints
        var offset = try await context.store.pool.read { db in Int(try checkpoints.get(db, "submolts.offset") ?? "0") ?? 0 }
        var stored = 0
        while true {
            try Task.checkCancellation()
            let page: MoltbookClient.Fetched<SubmoltPage>
            do {
                page = try await client.submolts(limit: 100, offset: offset)
            } catch let error as APIRequestError {
                throw error.userError
            }
            let next = page.value.nextOffset ?? offset + page.value.submolts.count
            let finished = !page.value.hasMore || page.value.submolts.isEmpty
            let raw = StoredRaw(kind: .submoltList, raw: page.raw, postId: nil)
            try await context.store.pool.write { db in
                for submolt in page.value.submolts {
                    try CrawlWriter.upsertSubmolt(db, submolt, seenAt: page.raw.fetchedAt)
                }
                try CrawlWriter.insertRaw(db, raw)
                if finished { try checkpoints.remove(db, "submolts.offset") }
                else { try checkpoints.set(db, "submolts.offset", String(next)) }
            }
            stored += page.value.submolts.count
            if finished { break }
            offset = next
        }
        return stored
    }
}

/// Fetches `/agents/profile` for agents seen without a description (commenters, mostly).
struct ProfileFetcher {
    let client: MoltbookClient
    let context: StageContext
    let concurrency: Int

    func run() async throws -> StageReport {
        let names = try await context.store.pool.read { db in
            try String.fetchAll(db, sql: """
                SELECT name FROM agents WHERE description IS NULL AND profile_fetched_at IS NULL AND name IS NOT NULL
                ORDER BY name
                """)
        }
        var report = StageReport()
        context.progress.begin(total: names.count, unit: "profiles")
        let errors = context.errors
        // A bounded window of requests; each answer is committed on its own (they are small).
        try await withThrowingTaskGroup(of: (String, Result<MoltbookClient.Fetched<APIAgent>, APIRequestError>).self) { group in
            var iterator = names.makeIterator()
            func addNext() {
                guard let name = iterator.next() else { return }
                group.addTask {
                    do { return (name, .success(try await client.agentProfile(name: name))) }
                    catch let error as APIRequestError { return (name, .failure(error)) }
                }
            }
            for _ in 0..<concurrency { addNext() }
            while let (name, result) = try await group.next() {
                switch result {
                case .success(let fetched):
                    let raw = StoredRaw(kind: .agentProfile, raw: fetched.raw, postId: nil)
                    try await context.store.pool.write { db in
                        try CrawlWriter.upsertAgent(db, fetched.value, seenAt: fetched.raw.fetchedAt, profileFetched: true)
                        try CrawlWriter.insertRaw(db, raw)
                    }
                    report.rowsOut += 1
                case .failure(let error):
                    try await context.store.pool.write { db in
                        try errors.record(db, source: error.url, reason: error.description)
                        // A missing profile (404) is marked fetched, so it is not asked for on every
                        // run; any other failure (5xx, outage, an HTML page) is retried by the next run.
                        if error.kind == .status(404) {
                            try db.execute(sql: "UPDATE agents SET profile_fetched_at = ? WHERE name = ?",
                                           arguments: [Clock.now(), name])
                        }
                    }
                    report.errors += 1
                }
                context.progress.advance()
                addNext()
            }
        }
        context.progress.finish()
        return report
    }
}
