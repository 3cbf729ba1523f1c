/// An order of the points in which near points tend to be near in the order: the leaves of a
/// random-projection tree (Dasgupta & Freund 2008), each node split at the median of the
/// points' projections on the difference of two of its points. Deterministic (fixed seed).
/// Only an order: the k-NN search stays exact, it merely finds good candidates first.
enum ProjectionTreeOrder {
    static func order(of matrix: Matrix, leafSize: Int, seed: UInt64 = 0x4844_4253) -> [Int32] {
        let n = matrix.rows, dim = matrix.columns
        var order = (0..<n).map { Int32($0) }
        guard n > leafSize, dim > 0 else { return order }
        var random = SeededRandom(seed: seed)
        var direction = [Float](repeating: 0, count: dim)
        var keyed: [(projection: Float, point: Int32)] = []
        var pending = [(0, n)]
        matrix.values.withUnsafeBufferPointer { x in
            while let (low, high) = pending.popLast() {
                guard high - low > leafSize else { continue }
                let a = Int(order[low + Int(random.next() % UInt64(high - low))])
                let b = Int(order[low + Int(random.next() % UInt64(high - low))])
                for d in 0..<dim { direction[d] = x[a * dim + d] - x[b * dim + d] }
                keyed.removeAll(keepingCapacity: true)
                direction.withUnsafeBufferPointer { u in
                    for slot in low..<high {
                        let point = order[slot]
                        keyed.append((dot(x.baseAddress! + Int(point) * dim, u.baseAddress!, dim), point))
                    }
                }
                keyed.sort { $0.projection < $1.projection || ($0.projection == $1.projection && $0.point < $1.point) }
                for (offset, entry) in keyed.enumerated() { order[low + offset] = entry.point }
                let middle = (low + high) / 2
                pending.append((middle, high))
                pending.append((low, middle))
            }
        }
        return order
    }

    private static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int) -> Float {
        var lanes = SIMD4<Float>()
        var k = 0
        while k + 4 <= count {
            lanes += UnsafeRawPointer(x + k).loadUnaligned(as: SIMD4<Float>.self)
                * UnsafeRawPointer(y + k).loadUnaligned(as: SIMD4<Float>.self)
            k += 4
        }
        var sum = lanes.sum()
        while k < count { sum += x[k] * y[k]; k += 1 }
        return sum
    }
}
