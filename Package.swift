// swift-tools-version: 6.2
import PackageDescription

// Every warning of our own code is an error: in particular "no 'async' operations occur within
// 'await' expression", which is how a silently chosen synchronous overload (GRDB, async-algorithms)
// shows itself.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "moltscope",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "moltscope", targets: ["moltscope"]),
        .executable(name: "moltscope-cluster-bench", targets: ["ClusterBench"]),
        .library(name: "MoltscopeCore", targets: ["MoltscopeCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // System libraries: libcurl (with a header of inline shims for the variadic
        // curl_easy_setopt/getinfo) and zlib (gzip captures, compressed raw responses).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // SQLite options behind the variadic sqlite3_db_config (the library GRDB links).
        .systemLibrary(name: "CSQLiteConfig", providers: [.apt(["libsqlite3-dev"])]),
        // OpenBLAS: sgemm for distance blocks, ssyrk and LAPACK's ssyevr for PCA.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        // The engine: configuration, the SQLite store, stages, channels, provenance, progress.
        .target(
            name: "MoltscopeCore",
            dependencies: [
                "CZlib", "CCurl", "CSQLiteConfig",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strict),
        // Dense numerics on float32 matrices (k-means, silhouette, HDBSCAN, X-Means, PCA, t-SNE),
        // with no database or pipeline knowledge, so every stage can use them.
        .target(name: "MoltscopeNumerics", dependencies: ["COpenBLAS"], swiftSettings: strict),
        // The Moltbook API: one typed model for every era's shapes, and its HTTP client.
        .target(name: "MoltbookAPI", dependencies: ["MoltscopeCore"], swiftSettings: strict),
        // Local servers standing in for the outside world (test doubles and demos): a capture
        // played back as the real API, and a fast hashed-words embeddings server for scale runs.
        .target(name: "MoltbookReplay", dependencies: ["MoltscopeCore", "MoltscopeNumerics"], swiftSettings: strict),
        // The pipeline's stages, one folder each.
        .target(
            name: "MoltscopeStages",
            dependencies: ["MoltscopeCore", "MoltbookAPI", "MoltscopeNumerics",
                           .product(name: "AsyncAlgorithms", package: "swift-async-algorithms")],
            swiftSettings: strict),
        // The thin command line over the library.
        .executableTarget(
            name: "moltscope",
            dependencies: ["MoltscopeCore", "MoltbookAPI", "MoltbookReplay", "MoltscopeStages",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),

        // The numeric half of bench/cluster-benchmark and bench/graph-benchmark (not installed, not used by the pipeline).
        .executableTarget(name: "ClusterBench", dependencies: ["MoltscopeNumerics"], path: "Sources/ClusterBench",
                          swiftSettings: strict),

        // Helpers every test target shares: a loopback HTTP server, child processes, waits off
        // the cooperative pool, log capture, a seeded generator.
        .target(name: "MoltscopeTestSupport", dependencies: [.product(name: "Logging", package: "swift-log")],
                path: "Tests/Support", swiftSettings: strict),
        .testTarget(name: "MoltscopeCoreTests", dependencies: ["MoltscopeTestSupport", "MoltscopeCore"],
                    swiftSettings: strict),
        .testTarget(name: "MoltscopeNumericsTests", dependencies: ["MoltscopeTestSupport", "MoltscopeNumerics"],
                    swiftSettings: strict),
        .testTarget(name: "MoltbookAPITests", dependencies: ["MoltscopeTestSupport", "MoltbookAPI"],
                    resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "MoltbookReplayTests", dependencies: ["MoltscopeTestSupport", "MoltbookReplay", "MoltbookAPI"],
                    swiftSettings: strict),
        .testTarget(
            name: "MoltscopeStagesTests",
            dependencies: ["MoltscopeTestSupport", "MoltscopeStages", "MoltscopeCore", "MoltbookAPI", "MoltscopeNumerics",
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["MoltscopeTestSupport", "moltscope", "MoltscopeCore", "MoltbookAPI", "MoltbookReplay", "MoltscopeStages",
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
    ]
)
