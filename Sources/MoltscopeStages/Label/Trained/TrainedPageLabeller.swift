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

extension FeatureSource {
    init(document: LabelDocuments.Document) {
        self.init(text: document.input.text, kind: document.input.kind, submolt: document.submolt,
                  copies: document.copies, vector: document.vector ?? [])
    }
}
