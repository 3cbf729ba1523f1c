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
