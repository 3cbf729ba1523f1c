import Foundation
import MoltscopeNumerics

/// Network roles as in Molt Dynamics: the agents' centrality features standardised (z-scores),
/// k-means for each k in a range, the k with the best silhouette kept; each role is described
/// by its centroid (in z-scores and in the features' own units).
struct NetworkRoles {
    struct ScanPoint: Sendable {
        var k: Int
        var silhouette: Double?
        var inertia: Double
    }

    struct Role: Sendable {
        var id: Int
        var members: Int
        var name: String
        var description: String
        /// Mean feature values of the members, in `AgentCentrality.features` order.
        var means: [Double]
        /// The centroid in standard deviations from the mean of all agents.
        var zScores: [Double]
    }

    struct Outcome: Sendable {
        var roles: [Role]
        var labels: [Int32]
        var scan: [ScanPoint]
        var k: Int
        var silhouette: Double?
    }

    let kRange: ClosedRange<Int>
    let silhouetteSample: Int
    let seed: UInt64

    func run(_ centrality: AgentCentrality, cancellation: CancellationFlag) throws -> Outcome? {
        let n = centrality.count
        let width = AgentCentrality.features.count
        guard n > kRange.lowerBound else { return nil }
        let raw = (0..<n).map(centrality.row)
        var means = [Double](repeating: 0, count: width), deviations = means
        for row in raw { for j in 0..<width { means[j] += row[j] / Double(n) } }
        for row in raw { for j in 0..<width { deviations[j] += (row[j] - means[j]) * (row[j] - means[j]) / Double(n) } }
        deviations = deviations.map { $0.squareRoot() }
        var values: [Float] = []
        values.reserveCapacity(n * width)
        for row in raw { for j in 0..<width { values.append(deviations[j] > 0 ? Float((row[j] - means[j]) / deviations[j]) : 0) } }
        let points = Matrix(rows: n, columns: width, values: values)

        var scan: [ScanPoint] = []
        var best: (k: Int, fit: KMeansResult, silhouette: Double?)?
        for k in kRange where k < n {
            try cancellation.check()
            let fit = try KMeans(clusters: k, initializations: 3, seed: seed &+ UInt64(k)).fit(points, cancellation: cancellation)
            let silhouette = try Silhouette.sampledScore(points, labels: fit.labels, size: silhouetteSample, seed: seed,
                                                         cancellation: cancellation)
            scan.append(ScanPoint(k: k, silhouette: silhouette, inertia: fit.inertia))
            if best == nil || (silhouette ?? -2) > (best!.silhouette ?? -2) { best = (k, fit, silhouette) }
        }
        guard let best else { return nil }
        // Roles numbered by size, largest first.
        let sizes = best.fit.sizes
        let order = sizes.indices.sorted { (sizes[$0], -$0) > (sizes[$1], -$1) }
        var renumber = [Int32](repeating: 0, count: sizes.count)
        for (new, old) in order.enumerated() { renumber[old] = Int32(new) }
        let labels = best.fit.labels.map { renumber[Int($0)] }
        var roles: [Role] = []
        for (id, old) in order.enumerated() where sizes[old] > 0 {
            let members = labels.indices.filter { labels[$0] == Int32(id) }
            var mean = [Double](repeating: 0, count: width)
            for m in members { for j in 0..<width { mean[j] += raw[m][j] / Double(members.count) } }
            let z = (0..<width).map { deviations[$0] > 0 ? (mean[$0] - means[$0]) / deviations[$0] : 0 }
            roles.append(Role(id: id, members: members.count, name: "", description: Self.describe(z), means: mean, zScores: z))
        }
        Self.name(&roles)
        return Outcome(roles: roles, labels: labels, scan: scan, k: best.k, silhouette: best.silhouette)
    }

    /// The features that set a role apart, strongest first ("in_degree +4.2 sd, pagerank +3.9 sd").
    static func describe(_ z: [Double]) -> String {
        let notable = z.indices.filter { abs(z[$0]) >= 0.5 }.sorted { abs(z[$0]) > abs(z[$1]) }
        guard !notable.isEmpty else { return "close to the average agent on every feature" }
        return notable.prefix(4).map { String(format: "%@ %+.1f sd", AgentCentrality.features[$0], z[$0]) }
            .joined(separator: ", ")
    }

    /// Names from the centroids: the role lowest on degree and centrality is the periphery;
    /// each other role is named after its strongest raised feature.
    static func name(_ roles: inout [Role]) {
        let archetypes = ["in_degree": "attractor", "out_degree": "broadcaster", "in_weight": "attractor",
                          "out_weight": "broadcaster", "betweenness": "broker", "clustering": "clique member",
                          "pagerank": "authority", "reciprocity": "conversationalist"]
        let activity: (Role) -> Double = { $0.zScores[0] + $0.zScores[1] + $0.zScores[4] + $0.zScores[6] }
        let periphery = roles.indices.min { activity(roles[$0]) < activity(roles[$1]) }
        var used: [String: Int] = [:]
        for i in roles.indices {
            var name: String
            if i == periphery {
                name = "periphery"
            } else if let top = roles[i].zScores.indices.max(by: { roles[i].zScores[$0] < roles[i].zScores[$1] }),
                      roles[i].zScores[top] > 0 {
                name = archetypes[AgentCentrality.features[top]] ?? AgentCentrality.features[top]
                if roles[i].zScores[top] >= 3 { name = "super " + name }
            } else {
                name = "quiet"
            }
            used[name, default: 0] += 1
            if used[name]! > 1 { name += " \(used[name]!)" }
            roles[i].name = name
        }
    }
}
