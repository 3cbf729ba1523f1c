/// Euclidean distances in double precision from coordinate differences, as the hdbscan package
/// computes them on its float64 copy of the data. The sgemm expansion |x|^2 + |y|^2 - 2 x.y
/// ranks candidates; the values that reach the hierarchy (core distances, spanning-tree edges)
/// come from here, so duplicates are exactly 0 and nothing depends on the expansion's rounding.
enum ExactDistance {
    static func squared(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, dimension: Int) -> Double {
        var lanes = SIMD8<Double>()
        var k = 0
        while k + 8 <= dimension {
            let a = SIMD8<Double>(UnsafeRawPointer(x + k).loadUnaligned(as: SIMD8<Float>.self))
            let b = SIMD8<Double>(UnsafeRawPointer(y + k).loadUnaligned(as: SIMD8<Float>.self))
            let d = a - b
            lanes += d * d
            k += 8
        }
        var sum = lanes.sum()
        while k < dimension {
            let d = Double(x[k]) - Double(y[k])
            sum += d * d
            k += 1
        }
        return sum
    }

    static func between(_ a: Int, _ b: Int, in points: Matrix) -> Double {
        points.values.withUnsafeBufferPointer { p in
            squared(p.baseAddress! + a * points.columns, p.baseAddress! + b * points.columns,
                    dimension: points.columns).squareRoot()
        }
    }
}
