/// One Borůvka round's search: for each given point, the lightest mutual-reachability edge to a
/// point of another component, if lighter than its component's best so far. Rows are put in
/// component order, so a block of points from one component is multiplied (sgemm) against
/// the other components only; small components share blocks and skip their own members.
struct OutsideComponentSearch {
    static let rowsPerBlock = 128
    static let columnsPerTile = 1024
    /// A component gets blocks of its own from this many searching points (or when it holds a
    /// quarter of the data, whose rows are then skipped by every own block).
    static let ownBlockMinimum = 16

    let component: [Int32]
    let componentCount: Int
    let coreSquared: [Float]
    let offListBound: [Float]
    private(set) var searchedPoints = 0
    private(set) var distanceEvaluations = 0

    init(component: [Int32], componentCount: Int, coreSquared: [Float], offListBound: [Float]) {
        self.component = component
        self.componentCount = componentCount
        self.coreSquared = coreSquared
        self.offListBound = offListBound
    }

    mutating func run(_ searchers: [Int32], rows: inout CenteredRows, best: inout ComponentCandidates,
                      bounds: inout PointBounds, cancellation: CancellationFlag?) throws {
        let n = component.count
        let order = ComponentOrder(component: component, componentCount: componentCount, coreSquared: coreSquared,
                                   rows: &rows)
        let start = order.start, rowCoreSquared = order.rowCoreSquared

        // Searchers by component: blocks of one component, or shared blocks of small ones.
        let sorted = searchers.sorted { (component[Int($0)], $0) < (component[Int($1)], $1) }
        var blocks: [(points: ArraySlice<Int32>, own: Int?)] = []
        var shared: [Int32] = []
        var index = 0
        while index < sorted.count {
            let c = Int(component[Int(sorted[index])])
            var end = index
            while end < sorted.count && Int(component[Int(sorted[end])]) == c { end += 1 }
            let size = start[c + 1] - start[c]
            if end - index >= Self.ownBlockMinimum || 4 * size >= n {
                var chunk = index
                while chunk < end {
                    let chunkEnd = min(end, chunk + Self.rowsPerBlock)
                    blocks.append((sorted[chunk..<chunkEnd], c))
                    chunk = chunkEnd
                }
            } else {
                shared.append(contentsOf: sorted[index..<end])
            }
            index = end
        }
        var chunk = 0
        while chunk < shared.count {
            let chunkEnd = min(shared.count, chunk + Self.rowsPerBlock)
            blocks.append((shared[chunk..<chunkEnd], nil))
            chunk = chunkEnd
        }

        let dim = rows.matrix.columns
        var block = [Float](repeating: 0, count: Self.rowsPerBlock * dim)
        var tile = [Float](repeating: 0, count: Self.rowsPerBlock * Self.columnsPerTile)
        var active = [Int32](), blockNorm = [Float](), blockCore = [Float](), blockComponent = [Int32]()
        var threshold = [Float](), lightest = [Float](), target = [Int32]()

        for (points, own) in blocks {
            try cancellation?.check()
            // Points that the component's candidate (improved by earlier blocks) now rules out
            // are skipped.
            active.removeAll(keepingCapacity: true)
            threshold.removeAll(keepingCapacity: true)
            for point in points {
                let i = Int(point), limit = best.weight[Int(component[i])]
                if max(offListBound[i], bounds.lowerBound[i]) < limit {
                    active.append(point)
                    threshold.append(limit)
                }
            }
            let m = active.count
            guard m > 0 else { continue }
            searchedPoints += m
            blockNorm = active.map { rows.norms[Int(rows.rowOfPoint[Int($0)])] }
            blockCore = active.map { coreSquared[Int($0)] }
            blockComponent = active.map { component[Int($0)] }
            lightest = [Float](repeating: .infinity, count: m)
            target = [Int32](repeating: -1, count: m)
            rows.matrix.values.withUnsafeBufferPointer { x in
                block.withUnsafeMutableBufferPointer { b in
                    for (r, point) in active.enumerated() {
                        (b.baseAddress! + r * dim).update(from: x.baseAddress! + Int(rows.rowOfPoint[Int(point)]) * dim, count: dim)
                    }
                }
            }
            // The other components' rows: all rows, or all but the block's own component.
            var ranges = [0..<n]
            if let c = own { ranges = [0..<start[c], start[c + 1]..<n] }
            for range in ranges where !range.isEmpty {
                var tileStart = range.lowerBound
                while tileStart < range.upperBound {
                    let tileEnd = min(range.upperBound, tileStart + Self.columnsPerTile), w = tileEnd - tileStart
                    distanceEvaluations += m * w
                    rows.matrix.values.withUnsafeBufferPointer { x in
                        block.withUnsafeBufferPointer { b in
                            tile.withUnsafeMutableBufferPointer { t in
                                BLAS.multiplyTransposed(b.baseAddress!, rows: m, x.baseAddress! + tileStart * dim, rows: w,
                                                        depth: dim, into: t.baseAddress!, alpha: -2)
                            }
                        }
                    }
                    scan(tile: tile, rowsIn: m, tileStart: tileStart, tileEnd: tileEnd, norms: rows.norms,
                         componentStart: start, rowCoreSquared: rowCoreSquared,
                         blockNorm: blockNorm, blockCore: blockCore, blockComponent: blockComponent,
                         threshold: threshold, lightest: &lightest, target: &target)
                    tileStart = tileEnd
                }
            }
            // A found edge is the point's lightest (nothing lighter was below its threshold);
            // none found means none lighter than the threshold exists.
            for (r, point) in active.enumerated() {
                let i = Int(point)
                if target[r] >= 0 {
                    let far = Int(rows.pointAtRow[Int(target[r])])
                    bounds.target[i] = Int32(far)
                    bounds.targetWeight[i] = lightest[r]
                    best.offer(Int(blockComponent[r]), weight: lightest[r], from: i, to: far)
                } else {
                    bounds.lowerBound[i] = max(bounds.lowerBound[i], threshold[r])
                }
            }
        }
    }

    /// Squared distances of the tile (sgemm gave -2 x.y) into mutual-reachability weights, each
    /// row keeping its lightest edge to another component below its threshold. The row's own
    /// component is one range of rows, which the scan steps over.
    private func scan(tile: [Float], rowsIn m: Int, tileStart: Int, tileEnd: Int, norms: [Float],
                      componentStart: [Int], rowCoreSquared: [Float],
                      blockNorm: [Float], blockCore: [Float], blockComponent: [Int32],
                      threshold: [Float], lightest: inout [Float], target: inout [Int32]) {
        let w = tileEnd - tileStart
        tile.withUnsafeBufferPointer { t in
            norms.withUnsafeBufferPointer { norm in
                rowCoreSquared.withUnsafeBufferPointer { coreOf in
                    for r in 0..<m {
                        let dots = t.baseAddress! + r * w - tileStart
                        let ni = blockNorm[r], ci = blockCore[r], own = Int(blockComponent[r])
                        var limit = min(threshold[r], lightest[r])
                        // The tile before and after the row's own component.
                        func consider(_ lower: Int, _ upper: Int) {
                            guard lower < upper else { return }
                            let least = WeightScan.lightest(dots: dots + lower, norms: norm.baseAddress! + lower,
                                                            cores: coreOf.baseAddress! + lower, count: upper - lower,
                                                            rowNorm: ni, rowCore: ci)
                            guard least < limit else { return }
                            let found = WeightScan.locateLightest(dots: dots, norms: norm.baseAddress!, cores: coreOf.baseAddress!,
                                                                  in: lower..<upper, rowNorm: ni, rowCore: ci)
                            if found.weight < limit {
                                limit = found.weight
                                lightest[r] = found.weight
                                target[r] = Int32(found.column)
                            }
                        }
                        consider(tileStart, min(tileEnd, componentStart[own]))
                        consider(max(tileStart, componentStart[own + 1]), tileEnd)
                    }
                }
            }
        }
    }
}
