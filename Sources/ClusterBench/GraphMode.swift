import Foundation
import MoltscopeNumerics

// `moltscope-cluster-bench graph EDGES NODES PIVOTS SEED OUT [SOURCES]`: the moltscope half of
// bench/graph-benchmark. EDGES holds packed little-endian records (int32 source, int32 target,
// float64 weight), 16 bytes an edge, for nodes 0..<NODES. Times, each around the computation only
// (reading the file excluded, as on the Python side): building the WeightedDigraph, PageRank
// (networkx's default tolerance, and 1e-10), betweenness from PIVOTS sources drawn with SEED,
// betweenness from the int32 nodes in SOURCES (networkx's sample, for a like-for-like time and an
// exact comparison), clustering, and reciprocity per node and overall. Writes float64 values per
// node to OUT.pagerank, OUT.pagerank_tight, OUT.betweenness, OUT.betweenness_same_sources,
// OUT.clustering and OUT.reciprocity (NaN where undefined); prints one JSON line with the seconds
// and the peak RSS (MB) after each step.

func runGraph(_ arguments: [String]) throws {
    guard arguments.count == 7 || arguments.count == 8, let nodes = Int(arguments[3]), let pivots = Int(arguments[4]),
          let seed = UInt64(arguments[5]) else { fail("graph EDGES NODES PIVOTS SEED OUT [SOURCES]") }
    let out = arguments[6]
    guard let data = FileManager.default.contents(atPath: arguments[2]), data.count % 16 == 0 else {
        fail("\(arguments[2]) is not a list of 16-byte edge records")
    }
    let count = data.count / 16
    var sources = [Int32](repeating: 0, count: count), targets = sources
    var weights = [Double](repeating: 0, count: count)
    data.withUnsafeBytes { raw in
        for i in 0..<count {
            sources[i] = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 16 * i, as: Int32.self))
            targets[i] = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 16 * i + 4, as: Int32.self))
            weights[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16 * i + 8, as: UInt64.self)))
        }
    }
    var sameSources: [Int]?
    if arguments.count == 8 {
        guard let file = FileManager.default.contents(atPath: arguments[7]) else { fail("cannot read \(arguments[7])") }
        sameSources = file.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }.map { Int($0) }
    }

    var seconds: [String: Double] = [:], peaks: [String: Double] = [:]
    func step<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let (value, elapsed) = try timed(body)
        seconds[name] = elapsed
        peaks[name] = peakResidentMB()
        return value
    }
    let graph = step("build") { WeightedDigraph(nodeCount: nodes, sources: sources, targets: targets, weights: weights) }
    let pageRank = try step("pagerank") { try GraphMeasures.pageRank(graph) }
    // networkx's default stops once the L1 change is below n x 1e-6 (3 iterations at 100,000 nodes):
    // a tight tolerance measures the iterations themselves.
    let pageRankTight = try step("pagerank_tight") { try GraphMeasures.pageRank(graph, tolerance: 1e-10, maxIterations: 1000) }
    let betweenness = try step("betweenness") { try GraphMeasures.betweenness(graph, pivots: pivots, seed: seed) }
    if let sameSources {
        let values = try step("betweenness_same_sources") { try GraphMeasures.betweenness(graph, sources: sameSources) }
        save(values, "\(out).betweenness_same_sources")
    }
    let clustering = try step("clustering") { try GraphMeasures.clustering(graph) }
    let (reciprocity, overall) = step("reciprocity") {
        (GraphMeasures.reciprocity(graph), GraphMeasures.overallReciprocity(graph))
    }
    save(pageRank, "\(out).pagerank")
    save(pageRankTight, "\(out).pagerank_tight")
    save(betweenness, "\(out).betweenness")
    save(clustering, "\(out).clustering")
    save(reciprocity.map { $0 ?? .nan }, "\(out).reciprocity")
    emit(["seconds": seconds, "rss_mb": peaks, "edges": graph.edgeCount, "overall_reciprocity": overall])
}

private func save(_ values: [Double], _ path: String) {
    let data = values.withUnsafeBufferPointer { Data(buffer: $0) }
    guard FileManager.default.createFile(atPath: path, contents: data) else { fail("cannot write \(path)") }
}

#if canImport(Glibc)
private let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
private let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif

/// Peak resident set so far (getrusage; kilobytes on Linux).
private func peakResidentMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF_WHO, &usage)
    return Double(usage.ru_maxrss) / 1024
}
