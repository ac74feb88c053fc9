import CKernels
import XCTest
@testable import Tensors

/// The bfloat16 GEMM: bit-equal to a scalar model of `vdpbf16ps` on the same rounded operands, within the bfloat16
/// rounding bound of the exact product, bit-identical on 1 and 2 threads; and the rounding itself.
final class BF16GemmTests: XCTestCase {
    /// Round to nearest even, ties to even, NaN kept, infinities and the largest values exact where they should be.
    func testRoundingToBFloat16() {
        func r(_ x: Float) -> UInt16 { rt_bf16_from_float(x) }
        XCTAssertEqual(r(1.0), 0x3F80)
        XCTAssertEqual(r(-2.0), 0xC000)
        XCTAssertEqual(r(Float(bitPattern: 0x3F80_8000)), 0x3F80)  // tie: stays even
        XCTAssertEqual(r(Float(bitPattern: 0x3F81_8000)), 0x3F82)  // tie: rounds up to even
        XCTAssertEqual(r(Float(bitPattern: 0x3F80_8001)), 0x3F81)  // above the tie
        XCTAssertEqual(r(.infinity), 0x7F80)
        XCTAssertEqual(r(Float(bitPattern: 0x7F7F_FFFF)), 0x7F80)  // the largest float rounds to infinity
        XCTAssertTrue(rt_float_from_bf16(r(.nan)).isNaN)
        XCTAssertTrue(rt_float_from_bf16(r(Float(bitPattern: 0x7F80_0001))).isNaN)  // a NaN whose top bits are 0
        XCTAssertEqual(rt_float_from_bf16(0x4049), 3.140625)
    }

    func testMatchesScalarModelBitForBit() throws {
        guard BF16Gemm.isSupported else { throw XCTSkip("this CPU lacks avx512_bf16 (has: \(CPU.features))") }
        var g = SeededGenerator(seed: 31)
        let shapes = [(12, 32, 2), (13, 33, 1), (1, 1, 5), (29, 70, 37), (100, 64, 1030), (150, 40, 256)]
        for (m, n, k) in shapes {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1), (-2, 0.25)] {
                    let a = (0..<(m * k)).map { _ in Float(Gaussian.unitInterval(using: &g) * 2 - 1) }
                    let b = (0..<(k * n)).map { _ in Float(Gaussian.unitInterval(using: &g) * 2 - 1) }
                    let c0 = (0..<(m * n)).map { _ in Float(Gaussian.unitInterval(using: &g) * 2 - 1) }
                    let lda = ta ? m : k, ldb = tb ? k : n
                    var c1 = c0, c2 = c0
                    BF16Gemm.sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
                                   ldb: ldb, beta: beta, c: &c1, ldc: n, threads: 1)
                    BF16Gemm.sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
                                   ldb: ldb, beta: beta, c: &c2, ldc: n, threads: 2)
                    let label = "\(ta ? "T" : "N")\(tb ? "T" : "N") \(m)x\(n)x\(k) alpha \(alpha) beta \(beta)"
                    XCTAssertTrue(c1.elementsEqual(c2) { $0.bitPattern == $1.bitPattern }, "threads differ: \(label)")
                    var mismatches = 0, worst = 0.0
                    for i in 0..<m {
                        for j in 0..<n {
                            // Pairs of (A[i, p], A[i, p+1]) and (B[p, j], B[p+1, j]), rounded, per depth block.
                            var expected = c0[i * n + j]
                            var first = true
                            var p0 = 0
                            while p0 < k {
                                let len = min(BF16Gemm.kc, k - p0)
                                let words = (len + 1) / 2
                                var x = [UInt16](repeating: 0, count: 2 * words), y = x
                                for p in 0..<len {
                                    x[p] = rt_bf16_from_float(ta ? a[(p0 + p) * lda + i] : a[i * lda + p0 + p])
                                    y[p] = rt_bf16_from_float(tb ? b[j * ldb + p0 + p] : b[(p0 + p) * ldb + j])
                                }
                                let dot = rt_bf16_reference_dot(len, x, 2, y, 2, 0)
                                let betaHere: Float = first ? beta : 1
                                expected = betaHere == 0 ? alpha * dot : (betaHere * expected).addingProduct(alpha, dot)
                                first = false
                                p0 += len
                            }
                            if c1[i * n + j].bitPattern != expected.bitPattern { mismatches += 1 }
                            // Bound against the exact product of the float32 inputs.
                            var exact = 0.0, mag = 0.0
                            for p in 0..<k {
                                let xv = Double(ta ? a[p * lda + i] : a[i * lda + p])
                                let yv = Double(tb ? b[j * ldb + p] : b[p * ldb + j])
                                exact += xv * yv
                                mag += abs(xv * yv)
                            }
                            let want = Double(alpha) * exact + (beta == 0 ? 0 : Double(beta) * Double(c0[i * n + j]))
                            worst = max(worst, abs(Double(c1[i * n + j]) - want) / (abs(Double(alpha)) * mag + 1))
                        }
                    }
                    XCTAssertEqual(mismatches, 0, "elements differing from the scalar model: \(label)")
                    // Each operand rounded to 8 significant bits: |error| ≤ (2·2⁻⁹ + 2⁻¹⁸)·Σ|ab| + accumulation.
                    XCTAssertLessThan(worst, 0.0042, label)
                }
            }
        }
    }
}
