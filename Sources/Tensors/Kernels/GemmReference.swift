/// The float64 reference the engine checks its GEMM paths against at run time (the dispatcher's correctness check,
/// the OpenBLAS core-type check, `rt bench gemm`'s spot check). Tests keep their own, independent reference.
enum GemmReference {
    /// Largest `|C[i,j] − Σₚ op(A)[i,p]·op(B)[p,j]| / Σₚ |op(A)[i,p]·op(B)[p,j]|` over `entries`, for densely
    /// stored operands (`lda = transA ? m : k`, `ldb = transB ? k : n`, `ldc = n`) and `C = op(A)·op(B)`.
    static func maxRelativeError<S: Sequence>(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                                              a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                                              c: UnsafePointer<Float>, entries: S) -> Double
        where S.Element == (Int, Int)
    {
        var worst = 0.0
        for (i, j) in entries {
            var sum = 0.0, magnitude = 0.0
            for p in 0..<k {
                let x = Double(transA ? a[p * m + i] : a[i * k + p])
                let y = Double(transB ? b[j * k + p] : b[p * n + j])
                sum += x * y
                magnitude += abs(x * y)
            }
            worst = max(worst, abs(Double(c[i * n + j]) - sum) / (magnitude + 1e-30))
        }
        return worst
    }

    /// Every entry of an `m × n` result.
    static func allEntries(m: Int, n: Int) -> [(Int, Int)] {
        (0..<m).flatMap { i in (0..<n).map { j in (i, j) } }
    }
}
