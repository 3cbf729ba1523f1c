import COpenBLAS

/// The OpenBLAS calls moltscope makes, behind Swift signatures. Everything is float32 and
/// row-major.
public enum BLAS {
    /// Threads OpenBLAS may use per call. moltscope pins one by default: its stages already run
    /// side by side, and a pool per process would oversubscribe small machines.
    public static func setThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// c[m x n] = alpha * a[m x k] * b[n x k]^T + beta * c: dot products of every row of `a`
    /// with every row of `b`, the core of every distance block.
    public static func multiplyTransposed(
        _ a: UnsafePointer<Float>, rows m: Int, _ b: UnsafePointer<Float>, rows n: Int, depth k: Int,
        into c: UnsafeMutablePointer<Float>, alpha: Float = 1, beta: Float = 0
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(k), b, Int32(k), beta, c, Int32(n))
    }

    /// c[m x n] = alpha * a[m x k] * b[k x n] + beta * c.
    public static func multiply(
        _ a: UnsafePointer<Float>, rows m: Int, depth k: Int, _ b: UnsafePointer<Float>, columns n: Int,
        into c: UnsafeMutablePointer<Float>, alpha: Float = 1, beta: Float = 0
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(k), b, Int32(n), beta, c, Int32(n))
    }

    /// c[m x n] = alpha * a[k x m]^T * b[k x n] + beta * c: sums of outer products of matching
    /// rows (a classifier's gradient from residuals and features).
    public static func multiplyTransposingFirst(
        _ a: UnsafePointer<Float>, columns m: Int, _ b: UnsafePointer<Float>, columns n: Int, depth k: Int,
        into c: UnsafeMutablePointer<Float>, alpha: Float = 1, beta: Float = 0
    ) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(m), b, Int32(n), beta, c, Int32(n))
    }

    /// Upper triangle of c[k x k] += alpha * a[m x k]^T * a (a Gram / scatter matrix), then mirrored.
    public static func gramOfColumns(_ a: UnsafePointer<Float>, rows m: Int, columns k: Int,
                                     into c: UnsafeMutablePointer<Float>, alpha: Float = 1, beta: Float = 0) {
        guard m > 0, k > 0 else { return }
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(k), Int32(m), alpha, a, Int32(k), beta, c, Int32(k))
        for i in 0..<k { for j in 0..<i { c[i * k + j] = c[j * k + i] } }
    }

    /// Eigenvalues (descending) and the matching unit eigenvectors (as rows) of a symmetric
    /// n x n matrix, the `count` largest only (LAPACK ssyevr).
    public static func symmetricEigen(_ symmetric: [Float], order n: Int, largest count: Int) -> (values: [Float], vectors: Matrix) {
        precondition(symmetric.count == n * n, "not an n x n matrix")
        let wanted = min(max(count, 1), n)
        var a = symmetric   // row-major symmetric == column-major symmetric
        var jobz = Int8(UInt8(ascii: "V")), range = Int8(UInt8(ascii: "I")), uplo = Int8(UInt8(ascii: "U"))
        var order = Int32(n), lda = Int32(n), ldz = Int32(n)
        var vl: Float = 0, vu: Float = 0, abstol: Float = 0
        var il = Int32(n - wanted + 1), iu = Int32(n)
        var found: Int32 = 0, info: Int32 = 0
        var w = [Float](repeating: 0, count: n)
        var z = [Float](repeating: 0, count: n * wanted)
        var support = [Int32](repeating: 0, count: 2 * max(wanted, 1))
        // Workspace query first, then the real call.
        var workSize: Float = 0, iworkSize: Int32 = 0, query: Int32 = -1
        ssyevr_(&jobz, &range, &uplo, &order, &a, &lda, &vl, &vu, &il, &iu, &abstol, &found, &w, &z, &ldz,
                &support, &workSize, &query, &iworkSize, &query, &info)
        var lwork = Int32(workSize), liwork = iworkSize
        var work = [Float](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        ssyevr_(&jobz, &range, &uplo, &order, &a, &lda, &vl, &vu, &il, &iu, &abstol, &found, &w, &z, &ldz,
                &support, &work, &lwork, &iwork, &liwork, &info)
        precondition(info == 0, "LAPACK ssyevr failed (info \(info))")
        // ssyevr returns ascending eigenvalues with column-major eigenvectors: reverse both.
        let m = Int(found)
        var values = [Float](), vectors = Matrix(rows: m, columns: n)
        for out in 0..<m {
            let source = m - 1 - out
            values.append(w[source])
            for j in 0..<n { vectors[out, j] = z[source * n + j] }
        }
        return (values, vectors)
    }
}
