import XCTest
@testable import Tensors

/// Every GEMM path — our kernels at each level this CPU supports (AVX2 6×16, AVX-512 12×32) and OpenBLAS where it
/// loads — against a naive Double reference, for every transpose combination, edge shapes (1, odd, K = 1,
/// non-multiples of both tiles and of the 1024 depth block), padded leading dimensions, alpha/beta, and thread
/// counts. Bound: |error| ≤ 1e-6 · (|alpha| · Σ|aᵢbᵢ| + 1) per element, for inputs in [-1, 1].
final class GemmTests: XCTestCase {
    /// One way to compute a product.
    enum Path: CustomStringConvertible {
        case ours(CPU.KernelLevel)
        case openblas

        var description: String {
            switch self {
            case .ours(let level): return "swift/\(level.rawValue)"
            case .openblas: return "openblas"
            }
        }
    }

    /// Paths available on this machine (OpenBLAS only where it loads; CI installs it). Levels the CPU lacks are
    /// left out; `testKernelLevelsAreBitIdentical` says which.
    var backends: [Path] {
        CPU.KernelLevel.allCases.filter(\.isSupported).map { Path.ours($0) }
            + (Gemm.isOpenBLASAvailable ? [.openblas] : [])
    }

    static func sgemm(_ path: Path, threads: Int, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
                      c: UnsafeMutablePointer<Float>, ldc: Int) {
        switch path {
        case .ours(let level):
            SwiftGemm.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
                            ldb: ldb, beta: beta, c: c, ldc: ldc, threads: threads, level: level)
        case .openblas:
            Gemm.sgemm(backend: .openblas, threads: threads, transA: transA, transB: transB, m: m, n: n, k: k,
                       alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        }
    }

    /// Runs one product on `backend` and compares it with the Double reference, element by element.
    func check(_ backend: Path, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
               alpha: Float = 1, beta: Float = 0, pad: Int = 0, threads: Int = 2,
               file: StaticString = #filePath, line: UInt = #line) {
        var g = SeededGenerator(seed: UInt64(m * 1_000_003 + n * 1009 + k * 7 + (transA ? 1 : 0) + (transB ? 2 : 0)))
        let aRows = transA ? k : m, aCols = transA ? m : k
        let bRows = transB ? n : k, bCols = transB ? k : n
        let lda = aCols + pad, ldb = bCols + pad, ldc = n + pad
        let a = (0..<max(aRows * lda, 1)).map { _ in Float(Gaussian.unitInterval(using: &g) * 2 - 1) }
        let b = (0..<max(bRows * ldb, 1)).map { _ in Float(Gaussian.unitInterval(using: &g) * 2 - 1) }
        var c = (0..<max(m * ldc, 1)).map { _ in Float(Gaussian.unitInterval(using: &g) * 2 - 1) }
        let c0 = c
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    Self.sgemm(backend, threads: threads, transA: transA, transB: transB, m: m, n: n, k: k,
                               alpha: alpha, a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb,
                               beta: beta, c: cp.baseAddress!, ldc: ldc)
                }
            }
        }
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0, mag = 0.0
                for p in 0..<k {
                    let x = Double(transA ? a[p * lda + i] : a[i * lda + p])
                    let y = Double(transB ? b[j * ldb + p] : b[p * ldb + j])
                    s += x * y
                    mag += abs(x * y)
                }
                let expected = Double(alpha) * s + (beta == 0 ? 0 : Double(beta) * Double(c0[i * ldc + j]))
                let err = abs(Double(c[i * ldc + j]) - expected) / (abs(Double(alpha)) * mag + 1)
                worst = max(worst, err)
            }
            // Padding columns must be untouched.
            for j in n..<(n + pad) where i * ldc + j < c.count {
                XCTAssertEqual(c[i * ldc + j], c0[i * ldc + j], "padding overwritten", file: file, line: line)
            }
        }
        XCTAssertLessThan(worst, 1e-6, "\(backend) \(transA ? "T" : "N")\(transB ? "T" : "N") \(m)x\(n)x\(k) "
                          + "alpha \(alpha) beta \(beta) pad \(pad) threads \(threads)", file: file, line: line)
    }

    func testAllTransposesOnEdgeShapes() {
        let shapes = [(1, 1, 1), (1, 17, 3), (7, 1, 5), (6, 16, 1), (5, 15, 7), (13, 33, 29), (37, 19, 300),
                      (64, 48, 257), (150, 70, 20), (7, 130, 513), (12, 32, 1), (25, 65, 40), (11, 31, 9)]
        for backend in backends {
            for (m, n, k) in shapes {
                for ta in [false, true] {
                    for tb in [false, true] {
                        check(backend, transA: ta, transB: tb, m: m, n: n, k: k)
                    }
                }
            }
        }
    }

    func testAlphaBetaAndLeadingDimensions() {
        for backend in backends {
            for ta in [false, true] {
                for tb in [false, true] {
                    check(backend, transA: ta, transB: tb, m: 23, n: 41, k: 37, alpha: 0.5, beta: 1, pad: 3)
                    check(backend, transA: ta, transB: tb, m: 12, n: 32, k: 300, alpha: -2, beta: 0.25, pad: 5)
                }
            }
        }
    }

    /// Larger shapes exercise several row blocks, column panels, depth and column blocks, and both threads.
    func testMultiBlockShapes() {
        for backend in backends {
            check(backend, transA: false, transB: false, m: 301, n: 97, k: 530)
            check(backend, transA: true, transB: false, m: 64, n: 200, k: 700)
            check(backend, transA: false, transB: true, m: 290, n: 35, k: 64, beta: 1)
            check(backend, transA: true, transB: true, m: 150, n: 150, k: 150, threads: 1)
            // Several depth blocks (kc = 1024) and several column blocks (nc = 2048 at that depth).
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                check(backend, transA: ta, transB: tb, m: 13, n: 35, k: 1100, beta: 0.5)
            }
            check(backend, transA: false, transB: true, m: 7, n: 2100, k: 1030)
            // Transposed A with a stride beyond SwiftGemm.directTransposedStride: the packed-A path.
            check(backend, transA: true, transB: false, m: 4100, n: 45, k: 9, beta: 0.5)
            check(backend, transA: true, transB: true, m: 4099, n: 33, k: 3, pad: 1)
        }
    }

    func testZeroDepthScalesC() {
        for backend in backends {
            check(backend, transA: false, transB: false, m: 5, n: 7, k: 0, beta: 0.5)
            check(backend, transA: false, transB: false, m: 5, n: 7, k: 0, beta: 0)
        }
    }

    /// beta = 0 must not read C: NaN there must not leak into the result.
    func testBetaZeroIgnoresGarbage() {
        for backend in backends {
            let a = [Float](repeating: 1, count: 13 * 9), b = [Float](repeating: 2, count: 9 * 40)
            for (m, n) in [(8, 17), (13, 40)] {
                var c = [Float](repeating: .nan, count: m * n)
                Self.sgemm(backend, threads: 1, transA: false, transB: false, m: m, n: n, k: 9, alpha: 1,
                           a: a, lda: 9, b: b, ldb: n, beta: 0, c: &c, ldc: n)
                XCTAssertEqual(c, [Float](repeating: 18, count: m * n), "\(backend) \(m)x\(n)")
            }
        }
    }

    /// The Swift GEMM gives bit-identical results on 1 and 2 threads.
    func testSwiftGemmIsThreadCountInvariant() {
        var g = SeededGenerator(seed: 9)
        let m = 200, n = 150, k = 300
        let a = (0..<(m * k)).map { _ in Float(Gaussian.unitInterval(using: &g)) }
        let b = (0..<(k * n)).map { _ in Float(Gaussian.unitInterval(using: &g)) }
        var c1 = [Float](repeating: 0, count: m * n), c2 = c1
        Gemm.sgemm(backend: .swift, threads: 1, transA: false, transB: false, m: m, n: n, k: k, alpha: 1,
                   a: a, lda: k, b: b, ldb: n, beta: 0, c: &c1, ldc: n)
        Gemm.sgemm(backend: .swift, threads: 2, transA: false, transB: false, m: m, n: n, k: k, alpha: 1,
                   a: a, lda: k, b: b, ldb: n, beta: 0, c: &c2, ldc: n)
        XCTAssertEqual(c1, c2)
    }

    /// Our kernels at every level give bit-identical results (same FMA chain per element, same depth blocks, same
    /// epilogue), on full and partial tiles, every transpose, alpha/beta, several depth blocks, 1 and 2 threads —
    /// so a run reproduces whether or not the machine has AVX-512.
    func testKernelLevelsAreBitIdentical() throws {
        let levels = CPU.KernelLevel.allCases.filter(\.isSupported)
        guard levels.count > 1 else {
            throw XCTSkip("this CPU lacks avx512f (has: \(CPU.features)): only the AVX2 kernels can run")
        }
        var g = SeededGenerator(seed: 11)
        let shapes = [(12, 32, 7), (13, 33, 1), (97, 130, 300), (50, 64, 1100), (200, 96, 64), (7, 40, 2050),
                      (4101, 40, 5)]
        for (m, n, k) in shapes {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1), (-2, 0.25)] {
                    let a = (0..<(m * k)).map { _ in Float(Gaussian.unitInterval(using: &g) * 2 - 1) }
                    let b = (0..<(k * n)).map { _ in Float(Gaussian.unitInterval(using: &g) * 2 - 1) }
                    let c0 = (0..<(m * n)).map { _ in Float(Gaussian.unitInterval(using: &g) * 2 - 1) }
                    var results: [[Float]] = []
                    for level in levels {
                        for threads in [1, 2] {
                            var c = c0
                            SwiftGemm.sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, a: a,
                                            lda: ta ? m : k, b: b, ldb: tb ? k : n, beta: beta, c: &c, ldc: n,
                                            threads: threads, level: level)
                            results.append(c)
                        }
                    }
                    for r in results.dropFirst() {
                        XCTAssertTrue(r.elementsEqual(results[0]) { $0.bitPattern == $1.bitPattern },
                                      "\(ta ? "T" : "N")\(tb ? "T" : "N") \(m)x\(n)x\(k) alpha \(alpha) beta \(beta)")
                    }
                }
            }
        }
    }

    /// Per-head products addressed by offsets into `[B·L, H·d]` layouts equal separate products on copies.
    func testBatchedPerHeadOffsets() {
        let batch = 2, len = 5, heads = 3, d = 4
        let width = heads * d
        var g = SeededGenerator(seed: 3)
        let q = (0..<(batch * len * width)).map { _ in Float(Gaussian.unitInterval(using: &g)) }
        let kk = (0..<(batch * len * width)).map { _ in Float(Gaussian.unitInterval(using: &g)) }
        var scores = [Float](repeating: 0, count: batch * heads * len * len)
        Gemm.batched(count: batch * heads, transB: true, m: len, n: len, k: d, a: q, lda: width, b: kk, ldb: width,
                     c: &scores, ldc: len) { i in
            let (bi, h) = (i / heads, i % heads)
            return (bi * len * width + h * d, bi * len * width + h * d, i * len * len)
        }
        for bi in 0..<batch {
            for h in 0..<heads {
                for i in 0..<len {
                    for j in 0..<len {
                        var s: Float = 0
                        for p in 0..<d { s += q[(bi * len + i) * width + h * d + p] * kk[(bi * len + j) * width + h * d + p] }
                        XCTAssertEqual(scores[((bi * heads + h) * len + i) * len + j], s, accuracy: 1e-5)
                    }
                }
            }
        }
    }
}
