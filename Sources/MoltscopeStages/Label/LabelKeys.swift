import Foundation
import MoltscopeCore

/// The `[toxicity_label]` section of a pipeline configuration.
enum LabelKeys {
    /// The labeller a later stage reads (its `key`, e.g. `temporal.labeller`): "default" means
    /// whichever `toxicity_label.labeller` is configured.
    static func labeller(_ config: PipelineConfig, key: String) -> String {
        let chosen = config.string(key) ?? "default"
        return chosen == "default" ? (config.string("toxicity_label.labeller") ?? "trained") : chosen
    }

    static let all: [ConfigKey] = [
        ConfigKey("toxicity_label.labeller", .choice(["trained", "zero-shot", "llm"]), default: .string("trained"),
                  "Who labels: a classifier trained on the annotated set (offline, default), similarity to label descriptions in the embedding space (no annotations needed), or an LLM server (the published method)."),
        ConfigKey("toxicity_label.annotations", .path, default: .string("data/labels/annotations.csv"),
                  "The annotated set (CSV with text and labels, see data/labels/CODEBOOK.md): training data of the trained labeller and the benchmark of all three."),
        ConfigKey("toxicity_label.min_documents", .int(1...1_000_000), default: .int(20),
                  "Agents and submolts with fewer labelled documents are left out of the most-toxic rankings (a share of 1 of 2 says little)."),
        ConfigKey("toxicity_label.top", .int(1...100_000), default: .int(50),
                  "Agents ranked in label_toxic_agents."),
        ConfigKey("toxicity_label.page_size", .int(16...100_000), default: .int(2048),
                  "Documents labelled and committed per step (a killed run resumes after the last committed page).",
                  affectsOutput: false),
        ConfigKey("toxicity_label.trained.c", .double(1e-6...1e6), default: .double(0.01),
                  "Trained labeller: inverse L2 regularization of the logistic regressions (scikit-learn's C)."),
        ConfigKey("toxicity_label.trained.lexical_weight", .double(0...1_000), default: .double(20),
                  "Trained labeller: scale of the word-and-bigram TF-IDF features against the standardized embedding features; 0 uses the embeddings alone."),
        ConfigKey("toxicity_label.trained.hash_bits", .int(10...24), default: .int(15),
                  "Trained labeller: words and bigrams are hashed into 2^bits TF-IDF columns."),
        ConfigKey("toxicity_label.trained.balanced_topics", .bool, default: .bool(true),
                  "Trained labeller: weight topic examples inversely to their class's frequency (better macro-F1 on rare topics such as Politics)."),
        ConfigKey("toxicity_label.trained.exact_matches", .bool, default: .bool(true),
                  "Trained labeller: a document whose text is identical to an annotated one takes the annotation (confidence 1)."),
        ConfigKey("toxicity_label.trained.neighbours", .int(0...1_000), default: .int(15),
                  "Trained labeller: annotated nearest neighbours (cosine of centred embeddings) whose votes are blended into the models' probabilities; 0: none."),
        ConfigKey("toxicity_label.trained.neighbour_weight", .double(0...1), default: .double(0.2),
                  "Trained labeller: weight of the neighbours' votes against the logistic regressions."),
        ConfigKey("toxicity_label.evaluate.folds", .int(0...50), default: .int(5),
                  "Cross-validation folds of the trained labeller's evaluation, stored by every run (label_evaluation); 0 skips it in the stage (moltscope labels evaluate still runs it, with 5)."),
        ConfigKey("toxicity_label.seed", .int(0...Int(Int32.max)), default: .int(42), "Seed of the cross-validation folds."),
        ConfigKey("toxicity_label.zero_shot.temperature", .double(0.001...10), default: .double(0.05),
                  "Zero-shot labeller: softmax temperature turning cosine similarities into a confidence."),
        ConfigKey("toxicity_label.llm.url", .url, default: nil,
                  "LLM labeller: an OpenAI-compatible chat completions endpoint, e.g. http://127.0.0.1:8080/v1/chat/completions (llama.cpp, vLLM, Ollama, a hosted API)."),
        ConfigKey("toxicity_label.llm.model", .string, default: nil, "LLM labeller: the model name sent in each request."),
        ConfigKey("toxicity_label.llm.token_env", .string, default: .string("LLM_API_KEY"),
                  "LLM labeller: environment variable holding a Bearer token, if the server wants one (never stored or logged)."),
        ConfigKey("toxicity_label.llm.documents_per_request", .int(1...256), default: .int(8),
                  "LLM labeller: documents labelled per request (1: slowest, most robust)."),
        ConfigKey("toxicity_label.llm.concurrency", .int(1...64), default: .int(2),
                  "LLM labeller: requests in flight; more than the server computes at once gains nothing.", affectsOutput: false),
        ConfigKey("toxicity_label.llm.max_attempts", .int(1...20), default: .int(3),
                  "LLM labeller: attempts per request for server errors and invalid answers; then the documents are recorded as failures, never guessed.",
                  affectsOutput: false),
        ConfigKey("toxicity_label.llm.timeout_seconds", .double(1...3600), default: .double(120),
                  "LLM labeller: seconds per request.", affectsOutput: false),
        ConfigKey("toxicity_label.llm.json_mode", .choice(["schema", "object", "none"]), default: .string("schema"),
                  "LLM labeller: response_format sent: a strict JSON schema (constrained decoding), any JSON object, or none (servers that reject it)."),
        ConfigKey("toxicity_label.llm.max_tokens", .int(0...1_000_000), default: .int(0),
                  "LLM labeller: max_tokens per request; 0 leaves the server's default."),
    ]
}

/// The `[toxicity_label]` settings of one run.
struct LabelSettings: Sendable {
    enum Labeller: String, Sendable { case trained, zeroShot = "zero-shot", llm }

    var labeller: Labeller
    var annotations: String
    var minDocuments: Int
    var top: Int
    var pageSize: Int
    var trained: TrainedLabellerSettings
    var folds: Int
    var seed: UInt64
    var zeroShotTemperature: Double
    var embeddingModel: String

    init(config: PipelineConfig) {
        labeller = Labeller(rawValue: config.string("toxicity_label.labeller") ?? "trained") ?? .trained
        annotations = config.string("toxicity_label.annotations") ?? "data/labels/annotations.csv"
        minDocuments = config.int("toxicity_label.min_documents")
        top = config.int("toxicity_label.top")
        pageSize = config.int("toxicity_label.page_size")
        trained = TrainedLabellerSettings(inverseRegularization: config.double("toxicity_label.trained.c"),
                                          lexicalWeight: config.double("toxicity_label.trained.lexical_weight"),
                                          hashBits: config.int("toxicity_label.trained.hash_bits"),
                                          balancedTopics: config.bool("toxicity_label.trained.balanced_topics"),
                                          exactMatches: config.bool("toxicity_label.trained.exact_matches"),
                                          neighbours: config.int("toxicity_label.trained.neighbours"),
                                          neighbourWeight: config.double("toxicity_label.trained.neighbour_weight"))
        folds = config.int("toxicity_label.evaluate.folds")
        seed = UInt64(config.int("toxicity_label.seed"))
        zeroShotTemperature = config.double("toxicity_label.zero_shot.temperature")
        embeddingModel = EmbedKeys.model(config)
    }

    /// The LLM labeller's settings; a clear error when its URL or model is missing.
    func chatSettings(config: PipelineConfig, environment: [String: String]) throws -> ChatLabellerSettings {
        guard let url = config.string("toxicity_label.llm.url"), let model = config.string("toxicity_label.llm.model") else {
            throw MoltscopeError(.config, "\(config.sourcePath ?? "config"): toxicity_label.labeller = \"llm\" needs toxicity_label.llm.url and toxicity_label.llm.model",
                                 remedy: "set both to your chat completions server (e.g. http://127.0.0.1:8080/v1/chat/completions and its model name), or use labeller = \"trained\"")
        }
        let maxTokens = config.int("toxicity_label.llm.max_tokens")
        return ChatLabellerSettings(
            url: url, model: model, token: environment[config.string("toxicity_label.llm.token_env") ?? "LLM_API_KEY"],
            documentsPerRequest: config.int("toxicity_label.llm.documents_per_request"),
            concurrency: config.int("toxicity_label.llm.concurrency"),
            maxAttempts: config.int("toxicity_label.llm.max_attempts"),
            timeout: config.double("toxicity_label.llm.timeout_seconds"),
            maxTokens: maxTokens > 0 ? maxTokens : nil,
            jsonMode: ChatLabellerSettings.JSONMode(rawValue: config.string("toxicity_label.llm.json_mode") ?? "schema") ?? .schema)
    }
}
