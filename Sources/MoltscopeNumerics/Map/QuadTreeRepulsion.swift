extension QuadTree {
    /// The unnormalised repulsion on a point at (x, y): Σ_j q_ij·Z·(y_i - y_j)·q_ij·Z and
    /// Σ_j q_ij·Z with q_ij·Z = 1 / (1 + |y_i - y_j|²), far cells taken whole when
    /// width² / distance² < θ² (scikit-learn's `summarize`). The point's own leaf, and its
    /// duplicates', are skipped. `stack` is scratch space of at least `stackCapacity`.
    func repulsion(x: Float, y: Float, squaredTheta: Float,
                   stack: UnsafeMutablePointer<Int32>) -> (forceX: Double, forceY: Double, normalisation: Double) {
        var forceX = 0.0, forceY = 0.0, normalisation = 0.0
        cells.withUnsafeBufferPointer { cells in
            guard !cells.isEmpty else { return }
            var top = 0
            stack[0] = 0
            top = 1
            while top > 0 {
                top -= 1
                let cell = cells[Int(stack[top])]
                let dx = x - cell.massX, dy = y - cell.massY
                let squaredDistance = dx * dx + dy * dy
                let leaf = cell.firstChild < 0
                if leaf {
                    if cell.count == 0 { continue }
                    if abs(dx) <= Self.duplicateTolerance && abs(dy) <= Self.duplicateTolerance { continue }
                } else if cell.squaredWidth >= squaredTheta * squaredDistance {
                    // Too close to summarise: open it, children in scikit-learn's order.
                    let first = cell.firstChild
                    stack[top] = first + 3; stack[top + 1] = first + 2
                    stack[top + 2] = first + 1; stack[top + 3] = first
                    top += 4
                    continue
                }
                let kernel = 1 / (1 + Double(squaredDistance))
                let size = Double(cell.count)
                normalisation += size * kernel
                let weight = size * kernel * kernel
                forceX += weight * Double(dx)
                forceY += weight * Double(dy)
            }
        }
        return (forceX, forceY, normalisation)
    }

    /// Scratch needed by `repulsion`: each opened level leaves at most three siblings pending.
    static var stackCapacity: Int { 3 * (maximumDepth + 2) + 4 }
}
