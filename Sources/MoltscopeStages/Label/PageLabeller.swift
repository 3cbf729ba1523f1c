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

/// The trained labeller over pages: documents without a vector cannot be labelled.
struct TrainedPageLabeller: PageLabeller {
    let identity: LabellerIdentity
    let pageSize: Int
    let labeller: TrainedLabeller

    func label(_ page: [LabelDocuments.Document]) async throws -> [LabelOutcome] {
        let usable = page.indices.filter { page[$0].vector?.count == labeller.dimension }
        let labels = labeller.label(usable.map { FeatureSource(document: page[$0]) }, hashes: usable.map { page[$0].input.contentHash })
        var outcomes = [LabelOutcome](repeating: .failed(Self.noVector(identity.model)), count: page.count)
        for (row, index) in usable.enumerated() { outcomes[index] = .labels(labels[row]) }
        return outcomes
    }

    static func noVector(_ model: String) -> String { "no \(model) vector: run `moltscope stage embed` first" }
}

/// The zero-shot labeller over pages.
struct ZeroShotPageLabeller: PageLabeller {
    let identity: LabellerIdentity
    let pageSize: Int
    let labeller: ZeroShotLabeller
    let dimension: Int

    func label(_ page: [LabelDocuments.Document]) async throws -> [LabelOutcome] {
        let usable = page.indices.filter { page[$0].vector?.count == dimension }
        let labels = labeller.label(usable.map { page[$0].vector! })
        var outcomes = [LabelOutcome](repeating: .failed(TrainedPageLabeller.noVector(identity.model)), count: page.count)
        for (row, index) in usable.enumerated() { outcomes[index] = .labels(labels[row]) }
        return outcomes
    }
}

extension FeatureSource {
    init(document: LabelDocuments.Document) {
        self.init(text: document.input.text, kind: document.input.kind, submolt: document.submolt,
                  copies: document.copies, vector: document.vector ?? [])
    }
}
