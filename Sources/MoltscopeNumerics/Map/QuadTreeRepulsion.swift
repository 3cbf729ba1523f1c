extension QuadTree {
    /// The unnormalised repulsion on a point at (x, y): Σ_j q_ij·Z·(y_i - y_j)·q_ij·Z and
    /// Σ_j q_ij·Z with q_ij·Z = 1 / (1 + |y_i - y_j|²), far cells taken whole when
    /// width² / distance² < θ² (scikit-learn's `summarize`). The point's own leaf, and its
    /// duplicates', are skipped. `stack` is scratch space of at least `stackCapacity`.
    func repulsion(x: Float, y: Float, squaredTheta: Float,
                   stack: UnsafeMutablePointer<Int32>) -> (forceX: Double, forceY: Double, normalisation: Double) {
        // Float kernels and forces, a double normalisation: scikit-learn's precisions, and the
        // float division is what bounds this loop.
        var forceX: Float = 0, forceY: Float = 0, normalisation = 0.0
        cells.withUnsafeBufferPointer { cells in
            guard !cells.isEmpty else { return }
            stack[0] = 0
            var top = 1
            while top > 0 {
                top -= 1
                let cell = cells[Int(stack[top])]
                let dx = x - cell.massX, dy = y - cell.massY
                let squaredDistance = dx * dx + dy * dy
                if cell.firstChild < 0 {
                    if abs(dx) <= Self.duplicateTolerance && abs(dy) <= Self.duplicateTolerance { continue }
                } else if cell.squaredWidth >= squaredTheta * squaredDistance {
                    // Too close to summarise: open it, skipping empty children, in scikit-learn's order.
                    let first = Int(cell.firstChild)
                    var child = first + 3
                    while child >= first {
                        if cells[child].count > 0 {
                            stack[top] = Int32(truncatingIfNeeded: child)
                            top &+= 1
                        }
                        child &-= 1
                    }
                    continue
                }
                let kernel = 1 / (1 + squaredDistance)
                let size = Float(cell.count)
                normalisation += Double(size * kernel)
                let weight = size * kernel * kernel
                forceX += weight * dx
                forceY += weight * dy
            }
        }
        return (Double(forceX), Double(forceY), normalisation)
    }

    /// Scratch needed by `repulsion`: each opened level leaves at most three siblings pending.
    static var stackCapacity: Int { 3 * (maximumDepth + 2) + 4 }
}
