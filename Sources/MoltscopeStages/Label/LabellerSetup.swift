import Foundation
import GRDB
import MoltscopeCore
import MoltscopeNumerics

/// Builds the configured labeller and its evaluation against the annotated set: the trained
/// one is trained (and cross-validated), the zero-shot one gets its description vectors, the
/// LLM one its client. Vectors of annotations and descriptions come from the embedding cache,
/// or once from the configured model server.
struct LabellerSetup {
    let context: StageContext
    let settings: LabelSettings

    struct Prepared: Sendable {
        var labeller: any PageLabeller
        var evaluation: LabelEvaluation?
        var annotated: Int
        /// The annotated set's labels (for the class distribution), when it was read.
        var annotatedLabels: [(kind: String, labels: DocumentLabels)] = []
    }

    func prepare(evaluate: Bool = true) async throws -> Prepared {
        // Small matrix products: one BLAS thread is fastest, and leaves the other cores alone.
        BLAS.setThreads(1)
        switch settings.labeller {
        case .trained: return try await trained(evaluate: evaluate)
        case .zeroShot: return try await zeroShot(evaluate: evaluate)
        case .llm: return try llm()
        }
    }

    /// The annotated set as training examples, with vectors for the embedding model.
    func trainingExamples() async throws -> (set: AnnotatedSet, examples: [TrainingExample]) {
        let set = try AnnotatedSet.load(path: settings.annotations)
        let seeded = try await ShippedVectors.seed(store: context.store, annotations: settings.annotations, model: settings.embeddingModel,
                                                   hashes: set.items.map(\.input.contentHash), table: LabelSchema.vectorTable)
        if seeded > 0 { context.logger.info("\(seeded) vectors of annotated texts taken from the file shipped beside the annotated set") }
        let vectors = try await TextVectors(context: context, model: settings.embeddingModel, table: LabelSchema.vectorTable)
            .vectors(for: set.items.map { ($0.input.contentHash, $0.input.text) }, purpose: "the annotated set")
        let examples = set.items.map { item in
            TrainingExample(source: FeatureSource(text: item.input.text, kind: item.input.kind, submolt: item.submolt,
                                                  copies: item.copies, vector: vectors[item.input.contentHash]!),
                            contentHash: item.input.contentHash, labels: item.labels)
        }
        return (set, examples)
    }

    private func trained(evaluate: Bool) async throws -> Prepared {
        let (set, examples) = try await trainingExamples()
        let trainedSettings = settings.trained, folds = settings.folds, seed = settings.seed
        let identity = LabellerIdentity(labeller: "trained", model: settings.embeddingModel,
                                        version: Self.trainedVersion(settings: trainedSettings, annotations: set.fileHash))
        context.logger.info("training the labeller on \(examples.count) annotated documents")
        let progress = context.progress
        let (labeller, evaluation) = try await Compute.run("moltscope-label-train") { flag -> (TrainedLabeller, LabelEvaluation?) in
            let labeller = try TrainedLabeller.train(examples, settings: trainedSettings, cancellation: flag)
            guard evaluate, folds >= 2 else { return (labeller, nil) }
            progress.begin(total: folds, unit: "folds")
            let evaluation = try LabelEvaluation.crossValidate(examples, settings: trainedSettings, folds: folds, seed: seed,
                                                               cancellation: flag) { _ in progress.advance() }
            progress.finish()
            return (labeller, evaluation)
        }
        return Prepared(labeller: TrainedPageLabeller(identity: identity, pageSize: settings.pageSize, labeller: labeller),
                        evaluation: evaluation, annotated: examples.count,
                        annotatedLabels: examples.map { ($0.source.kind, $0.labels) })
    }

    static func trainedVersion(settings: TrainedLabellerSettings, annotations: String) -> String {
        let fingerprint = Fingerprint.of(["\(settings)", annotations]).prefix(10)
        return "\(TrainedLabeller.version)+\(fingerprint)"
    }

    private func zeroShot(evaluate: Bool) async throws -> Prepared {
        let model = settings.embeddingModel
        let texts = LabelTarget.allCases.flatMap { LabelDescriptions.texts(for: $0) }
        let vectors = try await TextVectors(context: context, model: model, table: LabelSchema.vectorTable)
            .vectors(for: texts.map { (SHA256.hex(SHA256.digest($0)), $0) }, purpose: "the label descriptions")
        var descriptions: [LabelTarget: [[Float]]] = [:]
        for target in LabelTarget.allCases {
            descriptions[target] = LabelDescriptions.texts(for: target).map { vectors[SHA256.hex(SHA256.digest($0))]! }
        }
        let reference = try await context.store.pool.read { db in
            // A spread of the corpus (content hashes are random): the calibration sample.
            try Data.fetchAll(db, sql: """
                SELECT e.vector FROM embeddings e WHERE e.model = ? AND e.content_hash IN
                    (SELECT content_hash FROM documents WHERE status = 'kept') ORDER BY e.content_hash LIMIT 5000
                """, arguments: [model]).map(Vectors.vector)
        }
        let labeller = ZeroShotLabeller(descriptions: descriptions, temperature: settings.zeroShotTemperature, reference: reference)
        let identity = LabellerIdentity(labeller: "zero-shot", model: model,
                                        version: "\(ZeroShotLabeller.version)+t\(settings.zeroShotTemperature)")
        var evaluation: LabelEvaluation?
        var examples: [TrainingExample] = []
        if evaluate, FileManager.default.fileExists(atPath: settings.annotations) {
            examples = try await trainingExamples().examples
            evaluation = LabelEvaluation.agreement(truth: examples.map(\.labels), predicted: labeller.label(examples.map(\.source.vector)))
        }
        return Prepared(labeller: ZeroShotPageLabeller(identity: identity, pageSize: settings.pageSize, labeller: labeller,
                                                       dimension: descriptions[.topic]![0].count),
                        evaluation: evaluation, annotated: examples.count,
                        annotatedLabels: examples.map { ($0.source.kind, $0.labels) })
    }

    private func llm() throws -> Prepared {
        let chat = try settings.chatSettings(config: context.config, environment: context.environment)
        let labeller = ChatLabeller(settings: chat, http: CurlHTTPClient(maxConcurrentRequests: chat.concurrency),
                                    logger: context.logger)
        let identity = LabellerIdentity(labeller: "llm", model: chat.model, version: LabelPrompt.version)
        let pageSize = min(settings.pageSize, max(chat.documentsPerRequest * chat.concurrency * 4, 16))
        return Prepared(labeller: LLMPageLabeller(identity: identity, pageSize: pageSize, labeller: labeller, store: context.store,
                                                  cachedCount: LLMPageLabeller.CachedCounter()),
                        evaluation: nil, annotated: 0)
    }
}
