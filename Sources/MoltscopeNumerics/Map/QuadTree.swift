/// A Barnes-Hut quadtree over the 2-D embedding, rebuilt every iteration: each cell knows its
/// point count, centre of mass and squared width, so the repulsion of a far cell is taken as one
/// body. Built as scikit-learn's `_QuadTree` (same bounding box, same splits, duplicates within
/// 1e-6 share a leaf, a leaf's centre of mass is its first point) so the forces are the same.
struct QuadTree {
    /// What the force walk reads, packed together for the cache.
    struct Cell {
        var massX: Float = 0
        var massY: Float = 0
        var squaredWidth: Float = 0
        var count: Int32 = 0
        /// Index of the first of four consecutive children, or -1 for a leaf.
        var firstChild: Int32 = -1
    }

    /// Points closer than this on both axes are one point (scikit-learn's EPSILON).
    static let duplicateTolerance: Float = 1e-6
    /// Cells this deep are not split again: float32 bounds stop halving long before, and two
    /// points an ulp apart would otherwise split forever.
    static let maximumDepth = 48

    private(set) var cells: [Cell] = []
    // Build-only state, per cell.
    private var minX: [Float] = [], minY: [Float] = [], maxX: [Float] = [], maxY: [Float] = []
    private var sumX: [Double] = [], sumY: [Double] = []

    /// Rebuilds the tree over `positions` (x, y interleaved), reusing the storage.
    mutating func build(_ positions: UnsafeBufferPointer<Float>) {
        let n = positions.count / 2
        cells.removeAll(keepingCapacity: true)
        minX.removeAll(keepingCapacity: true); minY.removeAll(keepingCapacity: true)
        maxX.removeAll(keepingCapacity: true); maxY.removeAll(keepingCapacity: true)
        sumX.removeAll(keepingCapacity: true); sumY.removeAll(keepingCapacity: true)
        guard n > 0 else { return }
        var lowX = Float.infinity, lowY = Float.infinity, highX = -Float.infinity, highY = -Float.infinity
        for i in 0..<n {
            lowX = min(lowX, positions[2 * i]); highX = max(highX, positions[2 * i])
            lowY = min(lowY, positions[2 * i + 1]); highY = max(highY, positions[2 * i + 1])
        }
        // scikit-learn's margin, so every point lies strictly inside the root.
        func widened(_ high: Float) -> Float { max(high * (1 + 1e-3 * (high > 0 ? 1 : high < 0 ? -1 : 0)), high + 1e-3) }
        appendCell(minX: lowX, minY: lowY, maxX: widened(highX), maxY: widened(highY))
        for i in 0..<n { insert(x: positions[2 * i], y: positions[2 * i + 1]) }
        for index in cells.indices where cells[index].firstChild >= 0 {
            let count = Double(cells[index].count)
            cells[index].massX = Float(sumX[index] / count)
            cells[index].massY = Float(sumY[index] / count)
        }
    }

    private mutating func insert(x: Float, y: Float) {
        var cell = 0, depth = 0
        while true {
            if cells[cell].count == 0 {
                // An empty leaf takes the point.
                cells[cell].count = 1
                cells[cell].massX = x; cells[cell].massY = y
                sumX[cell] = Double(x); sumY[cell] = Double(y)
                return
            }
            if cells[cell].firstChild >= 0 {
                cells[cell].count += 1
                sumX[cell] += Double(x); sumY[cell] += Double(y)
                cell = Int(cells[cell].firstChild) + quadrant(of: x, y, in: cell)
                depth += 1
                continue
            }
            let duplicate = abs(x - cells[cell].massX) <= Self.duplicateTolerance
                && abs(y - cells[cell].massY) <= Self.duplicateTolerance
            if duplicate || depth >= Self.maximumDepth {
                cells[cell].count += 1
                sumX[cell] += Double(x); sumY[cell] += Double(y)
                return
            }
            split(cell)
        }
    }

    /// Turns an occupied leaf into an inner cell whose leaf content moves to one of four children.
    private mutating func split(_ cell: Int) {
        let first = cells.count
        let centreX = (minX[cell] + maxX[cell]) / 2, centreY = (minY[cell] + maxY[cell]) / 2
        for child in 0..<4 {
            // scikit-learn's child order: x decides the high bit, y the low one.
            let upperX = child >= 2, upperY = child % 2 == 1
            appendCell(minX: upperX ? centreX : minX[cell], minY: upperY ? centreY : minY[cell],
                       maxX: upperX ? maxX[cell] : centreX, maxY: upperY ? maxY[cell] : centreY)
        }
        let target = first + quadrant(of: cells[cell].massX, cells[cell].massY, in: cell)
        cells[target].count = cells[cell].count
        cells[target].massX = cells[cell].massX; cells[target].massY = cells[cell].massY
        sumX[target] = sumX[cell]; sumY[target] = sumY[cell]
        cells[cell].firstChild = Int32(first)
    }

    private func quadrant(of x: Float, _ y: Float, in cell: Int) -> Int {
        let centreX = (minX[cell] + maxX[cell]) / 2, centreY = (minY[cell] + maxY[cell]) / 2
        return (x >= centreX ? 2 : 0) + (y >= centreY ? 1 : 0)
    }

    private mutating func appendCell(minX lowX: Float, minY lowY: Float, maxX highX: Float, maxY highY: Float) {
        let width = max(highX - lowX, highY - lowY)
        cells.append(Cell(squaredWidth: width * width))
        minX.append(lowX); minY.append(lowY); maxX.append(highX); maxY.append(highY)
        sumX.append(0); sumY.append(0)
    }
}
