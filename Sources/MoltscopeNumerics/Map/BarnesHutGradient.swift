import Foundation

/// The gradient of KL(P‖Q) for a 2-D Student-t embedding (one degree of freedom), attraction
/// exact over the sparse P and repulsion by Barnes-Hut, as scikit-learn's `_kl_divergence_bh`:
/// dC/dy_i = 4 (Σ_j p_ij q_ij Z (y_i - y_j) - Σ_j q_ij² Z² (y_i - y_j) / Z).
struct BarnesHutGradient {
    let affinities: JointAffinities
    let squaredTheta: Float
    private var tree = QuadTree()
    private var repulsionX: [Double] = [], repulsionY: [Double] = []
    private var order: [Int32] = []
    private var stack: [Int32]

    init(affinities: JointAffinities, theta: Double) {
        self.affinities = affinities
        self.squaredTheta = Float(theta * theta)
        self.stack = [Int32](repeating: 0, count: QuadTree.stackCapacity)
    }

    /// Writes the gradient at `positions` (x, y interleaved) into `gradient`, with P multiplied by
    /// `exaggeration`. Returns KL(exaggeration·P ‖ Q) when `withError` (scikit-learn's error,
    /// which during early exaggeration is of the exaggerated P), else nil.
    mutating func evaluate(at positions: [Float], exaggeration: Float, withError: Bool,
                           into gradient: inout [Float]) -> Double? {
        let n = positions.count / 2
        if repulsionX.count != n {
            repulsionX = [Double](repeating: 0, count: n)
            repulsionY = [Double](repeating: 0, count: n)
        }
        positions.withUnsafeBufferPointer { tree.build($0) }
        let normalisation = max(repel(positions), Double.ulpOfOne)
        return attract(positions, exaggeration: exaggeration, normalisation: normalisation,
                       withError: withError, into: &gradient)
    }

    /// Fills the repulsion per point and returns Z = Σ_{i≠j} 1 / (1 + |y_i - y_j|²).
    private mutating func repel(_ positions: [Float]) -> Double {
        var normalisation = 0.0
        SpatialOrder.zOrder(positions, into: &order)
        let tree = self.tree, squaredTheta = self.squaredTheta, order = self.order
        stack.withUnsafeMutableBufferPointer { stack in
            repulsionX.withUnsafeMutableBufferPointer { forceX in
                repulsionY.withUnsafeMutableBufferPointer { forceY in
                    for point in order {
                        let i = Int(point)
                        let part = tree.repulsion(x: positions[2 * i], y: positions[2 * i + 1],
                                                  squaredTheta: squaredTheta, stack: stack.baseAddress!)
                        forceX[i] = part.forceX
                        forceY[i] = part.forceY
                        normalisation += part.normalisation
                    }
                }
            }
        }
        return normalisation
    }

    /// Adds the attraction along P's entries, combines it with the repulsion / Z, and scales by 4.
    private func attract(_ positions: [Float], exaggeration: Float, normalisation: Double, withError: Bool,
                         into gradient: inout [Float]) -> Double? {
        var error = 0.0
        let tiny = Float.leastNormalMagnitude, inverseNormalisation = Float(1 / normalisation)
        positions.withUnsafeBufferPointer { y in
            affinities.columns.withUnsafeBufferPointer { columns in
                affinities.values.withUnsafeBufferPointer { values in
                    gradient.withUnsafeMutableBufferPointer { gradient in
                        for i in 0..<affinities.points {
                            // Float per entry, as scikit-learn; a row has at most 2k entries.
                            var attractionX: Float = 0, attractionY: Float = 0
                            let xi = y[2 * i], yi = y[2 * i + 1]
                            for entry in affinities.rowStarts[i]..<affinities.rowStarts[i + 1] {
                                let j = Int(columns[entry])
                                let dx = xi - y[2 * j], dy = yi - y[2 * j + 1]
                                let kernel = 1 / (1 + dx * dx + dy * dy)
                                let p = values[entry] * exaggeration
                                attractionX += p * kernel * dx
                                attractionY += p * kernel * dy
                                if withError {
                                    error += Double(p) * Double(log(max(p, tiny) / max(kernel * inverseNormalisation, tiny)))
                                }
                            }
                            gradient[2 * i] = Float(4 * (Double(attractionX) - repulsionX[i] / normalisation))
                            gradient[2 * i + 1] = Float(4 * (Double(attractionY) - repulsionY[i] / normalisation))
                        }
                    }
                }
            }
        }
        return withError ? error : nil
    }
}
