/// The stages a build of moltscope has, in pipeline order.
public struct StageRegistry: Sendable {
    /// The design's full pipeline; stages not built yet are simply absent from a registry.
    public static let designOrder = ["crawl", "clean", "embed", "cluster", "toxicity-label", "temporal", "report"]

    public let stages: [StageDescriptor]

    public init(_ stages: [StageDescriptor]) {
        let order = Self.designOrder
        self.stages = stages.sorted {
            (order.firstIndex(of: $0.name) ?? order.count) < (order.firstIndex(of: $1.name) ?? order.count)
        }
        let names = Set(stages.map(\.name))
        for stage in stages {
            for upstream in stage.upstream {
                precondition(names.contains(upstream), "stage \(stage.name) reads \(upstream), which is not registered")
            }
        }
    }

    public var names: [String] { stages.map(\.name) }

    public func descriptor(_ name: String) throws -> StageDescriptor {
        guard let stage = stages.first(where: { $0.name == name }) else {
            throw MoltscopeError(.usage, "no stage named \(name)",
                                 remedy: "the stages are: \(names.joined(separator: ", "))")
        }
        return stage
    }

    /// Every stage that reads `name`'s outputs, directly or not, in pipeline order.
    public func downstream(of name: String) -> [String] {
        var found: Set<String> = [name]
        for stage in stages where stage.upstream.contains(where: found.contains) { found.insert(stage.name) }
        return names.filter { found.contains($0) && $0 != name }
    }

    /// All configuration keys: the engine's and each stage's.
    public var configSchema: [ConfigKey] { EngineKeys.all + stages.flatMap(\.configKeys) }

    public var migrations: [StoreMigration] { stages.flatMap(\.migrations) }
}
