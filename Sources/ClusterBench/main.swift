import Foundation
import MoltscopeNumerics

// The numeric half of bench/cluster-benchmark and bench/graph-benchmark: one task on a raw
// float32 matrix (or an edge list, GraphMode.swift), timed around the computation only (loading
// excluded, as on the Python side), one JSON line on stdout.
//
//   moltscope-cluster-bench kmeans     POINTS ROWS COLS K N_INIT TOL SEED LABELS_OUT
//   moltscope-cluster-bench silhouette POINTS ROWS COLS LABELS
//   moltscope-cluster-bench hdbscan    POINTS ROWS COLS MIN_CLUSTER_SIZE LABELS_OUT
//   moltscope-cluster-bench graph      EDGES NODES PIVOTS SEED OUT [SOURCES]   (bench/graph-benchmark; GraphMode.swift)

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("moltscope-cluster-bench: \(message)\n".utf8))
    exit(2)
}

func load(_ path: String, rows: Int, columns: Int) -> Matrix {
    guard let data = FileManager.default.contents(atPath: path), data.count == rows * columns * 4 else {
        fail("\(path) is not a \(rows) x \(columns) float32 matrix")
    }
    let values = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    return Matrix(rows: rows, columns: columns, values: values)
}

func loadLabels(_ path: String) -> [Int32] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return data.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
}

func saveLabels(_ labels: [Int32], _ path: String) {
    let data = labels.withUnsafeBufferPointer { Data(buffer: $0) }
    guard FileManager.default.createFile(atPath: path, contents: data) else { fail("cannot write \(path)") }
}

func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

func emit(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

let arguments = CommandLine.arguments
if arguments.count > 1 && arguments[1] == "graph" {
    try runGraph(arguments)
    exit(0)
}
guard arguments.count >= 5, let rows = Int(arguments[3]), let columns = Int(arguments[4]) else {
    fail("usage: moltscope-cluster-bench kmeans|silhouette|hdbscan POINTS ROWS COLS ... | graph EDGES NODES ...")
}
BLAS.setThreads(1)
let points = load(arguments[2], rows: rows, columns: columns)

switch arguments[1] {
case "kmeans":
    guard arguments.count == 10, let k = Int(arguments[5]), let n = Int(arguments[6]), let tol = Double(arguments[7]),
          let seed = UInt64(arguments[8]) else { fail("kmeans POINTS ROWS COLS K N_INIT TOL SEED LABELS_OUT") }
    let (result, seconds) = try timed { try KMeans(clusters: k, initializations: n, tolerance: tol, seed: seed).fit(points) }
    saveLabels(result.labels, arguments[9])
    emit(["seconds": seconds, "inertia": result.inertia, "iterations": result.iterations])
case "silhouette":
    guard arguments.count == 6 else { fail("silhouette POINTS ROWS COLS LABELS") }
    let labels = loadLabels(arguments[5])
    let (score, seconds) = try timed { try Silhouette.score(points, labels: labels) }
    emit(["seconds": seconds, "silhouette": score ?? Double.nan])
case "hdbscan":
    guard arguments.count == 7, let size = Int(arguments[5]) else { fail("hdbscan POINTS ROWS COLS MIN_CLUSTER_SIZE LABELS_OUT") }
    let (result, seconds) = try timed { try HDBSCAN(minClusterSize: size).fit(points) }
    saveLabels(result.labels, arguments[6])
    emit(["seconds": seconds, "clusters": result.clusterCount, "noise": result.labels.filter { $0 < 0 }.count])
default:
    fail("unknown task \(arguments[1])")
}
