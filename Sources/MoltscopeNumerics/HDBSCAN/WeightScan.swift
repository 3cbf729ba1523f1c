/// The inner loops of the searches over sgemm tiles. The tile holds -2 x.y, so a squared
/// distance is (dot + |x|^2) + |y|^2, always added in that order so that the vector and the
/// scalar passes agree to the bit. Vectors are SIMD4, which the default x86-64 target compiles
/// to plain SSE without spills.
enum WeightScan {
    @inline(__always)
    static func squaredDistance(dot: Float, rowNorm: Float, norm: Float) -> Float {
        dot + rowNorm + norm
    }

    /// The lightest mutual-reachability weight (squared) from one row to `count` columns:
    /// max(|x - y|^2, core_y^2, core_x^2), minimised.
    @inline(__always)
    static func lightest(dots: UnsafePointer<Float>, norms: UnsafePointer<Float>, cores: UnsafePointer<Float>,
                         count: Int, rowNorm: Float, rowCore: Float) -> Float {
        var a = SIMD4<Float>(repeating: .infinity), b = a
        let rowNorms = SIMD4<Float>(repeating: rowNorm)
        var j = 0
        while j + 8 <= count {
            var first = load(dots + j) + rowNorms + load(norms + j)
            let firstCore = load(cores + j)
            first.replace(with: firstCore, where: first .< firstCore)
            a.replace(with: first, where: first .< a)
            var second = load(dots + j + 4) + rowNorms + load(norms + j + 4)
            let secondCore = load(cores + j + 4)
            second.replace(with: secondCore, where: second .< secondCore)
            b.replace(with: second, where: second .< b)
            j += 8
        }
        a.replace(with: b, where: b .< a)
        var least = a.min()
        while j < count {
            least = min(least, max(squaredDistance(dot: dots[j], rowNorm: rowNorm, norm: norms[j]), cores[j]))
            j += 1
        }
        return max(least, rowCore)
    }

    /// The column in `range` of the lightest weight, and that weight (the scalar pass after
    /// `lightest` found something worth locating).
    @inline(__always)
    static func locateLightest(dots: UnsafePointer<Float>, norms: UnsafePointer<Float>, cores: UnsafePointer<Float>,
                               in range: Range<Int>, rowNorm: Float, rowCore: Float) -> (column: Int, weight: Float) {
        var at = range.lowerBound, least = Float.infinity
        for j in range {
            let weight = max(squaredDistance(dot: dots[j], rowNorm: rowNorm, norm: norms[j]), cores[j], rowCore)
            if weight < least { least = weight; at = j }
        }
        return (at, least)
    }

    /// Whether any of the 16 columns from `j` is nearer than its own bound or than `rowBound`
    /// (squared distances; the k-NN scan).
    @inline(__always)
    static func anyNearer(dots: UnsafePointer<Float>, norms: UnsafePointer<Float>, bounds: UnsafePointer<Float>,
                          rowNorm: Float, rowBound: Float) -> Bool {
        let rowNorms = SIMD4<Float>(repeating: rowNorm), rowBounds = SIMD4<Float>(repeating: rowBound)
        var hit = SIMDMask<SIMD4<Int32>>(repeating: false)
        for k in stride(from: 0, to: 16, by: 4) {
            let d2 = load(dots + k) + rowNorms + load(norms + k)
            hit = hit .| (d2 .< load(bounds + k)) .| (d2 .< rowBounds)
        }
        return any(hit)
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Float>.self)
    }
}
