import XCTest
@testable import Tensors

/// `matmul` and `linear`: forward values against Double references, gradients against finite differences,
/// on odd shapes (1, and non-multiples of the 6×16 GEMM tile and the 16-lane SIMD width).
final class LinearAlgebraOpTests: XCTestCase {
    func testMatmulForwardMatchesReference() throws {
        let a = TestData.uniform([2, 3, 5], seed: 1), b = TestData.uniform([2, 5, 7], seed: 2)
        let c = try Tape(recording: false).matmul(a, b)
        XCTAssertEqual(c.shape, [2, 3, 7])
        let av = a.scalars, bv = b.scalars
        var expected: [Double] = []
        for n in 0..<2 {
            for i in 0..<3 {
                for j in 0..<7 {
                    var s = 0.0
                    for p in 0..<5 { s += Double(av[n * 15 + i * 5 + p]) * Double(bv[n * 35 + p * 7 + j]) }
                    expected.append(s)
                }
            }
        }
        XCTAssertLessThan(TestData.maxAbsDifference(c.scalars, expected), 1e-6)
    }

    func testMatmulGradientsAllTransposes() throws {
        for ta in [false, true] {
            for tb in [false, true] {
                let a = TestData.uniform(ta ? [4, 3] : [3, 4], seed: 3)
                let b = TestData.uniform(tb ? [17, 4] : [4, 17], seed: 4)
                try GradientCheck.check([a, b]) { t, x in try t.matmul(x[0], x[1], transposeA: ta, transposeB: tb) }
            }
        }
    }

    func testBatchedMatmulGradients() throws {
        for ta in [false, true] {
            for tb in [false, true] {
                let a = TestData.uniform(ta ? [2, 5, 3] : [2, 3, 5], seed: 5)
                let b = TestData.uniform(tb ? [2, 1, 5] : [2, 5, 1], seed: 6)
                try GradientCheck.check([a, b]) { t, x in try t.matmul(x[0], x[1], transposeA: ta, transposeB: tb) }
            }
        }
    }

    /// One operand shared across the batch: its gradient sums over the batch.
    func testSharedOperandMatmulGradients() throws {
        for ta in [false, true] {
            let a = TestData.uniform(ta ? [2, 3, 4, 3] : [2, 3, 3, 4], seed: 7)
            let w = TestData.uniform([4, 5], seed: 8)
            try GradientCheck.check([a, w]) { t, x in try t.matmul(x[0], x[1], transposeA: ta) }
            let s = TestData.uniform([3, 4], seed: 9), bb = TestData.uniform([2, 4, 2], seed: 10)
            try GradientCheck.check([s, bb]) { t, x in try t.matmul(x[0], x[1]) }
        }
    }

    func testMatmulShapeErrorsNameTheOp() {
        let a = Tensor.zeros([3, 4]), b = Tensor.zeros([5, 2])
        XCTAssertThrowsError(try Tape().matmul(a, b)) { e in
            XCTAssertTrue("\(e)".contains("matmul"), "\(e)")
            XCTAssertTrue("\(e)".contains("[3, 4]") && "\(e)".contains("[5, 2]"), "\(e)")
        }
        XCTAssertThrowsError(try Tape().matmul(Tensor.zeros([2, 3, 4]), Tensor.zeros([3, 4, 2])))
        XCTAssertThrowsError(try Tape().matmul(Tensor.zeros([4]), Tensor.zeros([4, 2])))
    }

    func testLinearForwardBothLayouts() throws {
        let x = TestData.uniform([2, 3, 5], seed: 11)
        let wOutIn = TestData.uniform([7, 5], seed: 12), b = TestData.uniform([7], seed: 13)
        let tape = Tape(recording: false)
        let y = try tape.linear(x, weight: wOutIn, bias: b, layout: .outIn)
        // The same weight stored [in, out].
        let wInOut = try Tensor((0..<35).map { i in wOutIn.scalars[(i % 7) * 5 + i / 7] }, shape: [5, 7])
        let y2 = try tape.linear(x, weight: wInOut, bias: b, layout: .inOut)
        XCTAssertEqual(y.shape, [2, 3, 7])
        let xv = x.scalars, wv = wOutIn.scalars, bv = b.scalars
        var expected: [Double] = []
        for r in 0..<6 {
            for o in 0..<7 {
                var s = Double(bv[o])
                for i in 0..<5 { s += Double(xv[r * 5 + i]) * Double(wv[o * 5 + i]) }
                expected.append(s)
            }
        }
        XCTAssertLessThan(TestData.maxAbsDifference(y.scalars, expected), 1e-6)
        XCTAssertLessThan(TestData.maxAbsDifference(y2.scalars, expected), 1e-6)
        // Fused GELU equals linear then gelu.
        let fused = try tape.linear(x, weight: wOutIn, bias: b, activation: .gelu)
        let separate = tape.gelu(y)
        XCTAssertEqual(fused.scalars, separate.scalars)
    }

    func testLinearGradients() throws {
        for layout in [WeightLayout.outIn, .inOut] {
            for act in [Activation.identity, .gelu] {
                let x = TestData.uniform([3, 17], seed: 14)
                let w = TestData.uniform(layout == .outIn ? [19, 17] : [17, 19], -0.5, 0.5, seed: 15)
                let b = TestData.uniform([19], seed: 16)
                try GradientCheck.check([x, w, b]) { t, v in
                    try t.linear(v[0], weight: v[1], bias: v[2], layout: layout, activation: act)
                }
                try GradientCheck.check([x, w]) { t, v in try t.linear(v[0], weight: v[1], layout: layout, activation: act) }
            }
        }
        // Rank 1 input, one feature.
        try GradientCheck.check([TestData.uniform([1], seed: 17), TestData.uniform([1, 1], seed: 18), TestData.uniform([1], seed: 19)]) {
            t, v in try t.linear(v[0], weight: v[1], bias: v[2])
        }
    }

    func testLinearShapeErrors() {
        XCTAssertThrowsError(try Tape().linear(Tensor.zeros([2, 3]), weight: Tensor.zeros([4, 5]))) { e in
            XCTAssertTrue("\(e)".hasPrefix("linear"), "\(e)")
        }
        XCTAssertThrowsError(try Tape().linear(Tensor.zeros([2, 5]), weight: Tensor.zeros([4, 5]), bias: Tensor.zeros([5])))
    }
}
