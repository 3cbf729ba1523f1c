import GRDB

extension ResultsStore {
    /// Writes in one transaction even when the calling task is being cancelled: on Ctrl-C a
    /// stage still commits the batch it holds (with its checkpoint) before it stops.
    public func commit<T: Sendable>(_ updates: @escaping @Sendable (GRDB.Database) throws -> T) async throws -> T {
        let pool = self.pool
        // An unstructured task does not inherit the caller's cancellation.
        return try await Task { try await pool.write(updates) }.value
    }
}
