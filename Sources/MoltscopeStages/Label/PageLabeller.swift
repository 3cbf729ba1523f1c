/// Which labeller produced a row: backend, model and version, the key of every label table.
struct LabellerIdentity: Sendable, Equatable {
    var labeller: String
    var model: String
    var version: String

    var arguments: [String] { [labeller, model, version] }
    var description: String { "\(labeller) (\(model), \(version))" }
}

/// One document's result: labels, or why there are none (never a guess).
enum LabelOutcome: Sendable, Equatable {
    case labels(DocumentLabels)
    case failed(String)
}

/// A labeller as the stage drives it: a page of documents in, one outcome per document out.
protocol PageLabeller: Sendable {
    var identity: LabellerIdentity { get }
    /// Documents per page (an LLM answers slowly: smaller pages lose less when a run is killed).
    var pageSize: Int { get }
    func label(_ page: [LabelDocuments.Document]) async throws -> [LabelOutcome]
}
