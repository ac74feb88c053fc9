import XCTest
@testable import Tensors

/// Layer norm (plain and residual + dropout) against a Double reference and finite differences.
final class NormalizationTests: XCTestCase {
    func reference(_ z: [Float], rows: Int, d: Int, gamma: [Float], beta: [Float], eps: Double) -> [Double] {
        var out: [Double] = []
        for r in 0..<rows {
            let row = z[(r * d)..<(r * d + d)].map(Double.init)
            let mean = row.reduce(0, +) / Double(d)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(d)
            for j in 0..<d { out.append((row[j] - mean) / (variance + eps).squareRoot() * Double(gamma[j]) + Double(beta[j])) }
        }
        return out
    }

    func testForwardMatchesReference() throws {
        for d in [1, 7, 16, 37, 256] {
            let x = TestData.uniform([3, d], -2, 3, seed: UInt64(d)), g = TestData.uniform([d], seed: 2)
            let b = TestData.uniform([d], seed: 3)
            let y = try Tape(recording: false).layerNorm(x, gamma: g, beta: b, eps: 1e-5)
            let expected = reference(x.scalars, rows: 3, d: d, gamma: g.scalars, beta: b.scalars, eps: 1e-5)
            XCTAssertLessThan(TestData.maxAbsDifference(y.scalars, expected), 2e-5, "d = \(d)")
        }
    }

    func testGradients() throws {
        for d in [2, 17, 33] {
            let x = TestData.uniform([3, d], seed: 4), g = TestData.uniform([d], 0.5, 1.5, seed: 5)
            let b = TestData.uniform([d], seed: 6)
            try GradientCheck.check([x, g, b]) { t, v in try t.layerNorm(v[0], gamma: v[1], beta: v[2], eps: 1e-5) }
            try GradientCheck.check([x]) { t, v in try t.layerNorm(v[0], gamma: nil, beta: nil, eps: 1e-5) }
        }
        // 40 rows exercise more than one block of the deterministic gamma/beta reduction.
        let x = TestData.uniform([40, 5], seed: 7), g = TestData.uniform([5], seed: 8), b = TestData.uniform([5], seed: 9)
        try GradientCheck.check([x, g, b]) { t, v in try t.layerNorm(v[0], gamma: v[1], beta: v[2]) }
    }

    func testResidualDropoutLayerNormEqualsComposition() throws {
        let x = TestData.uniform([4, 21], seed: 10), r = TestData.uniform([4, 21], seed: 11)
        let g = TestData.uniform([21], seed: 12), b = TestData.uniform([21], seed: 13)
        let key = RandomKey(seed: 5, stream: 9)
        let t = Tape(recording: false)
        let fused = try t.residualLayerNorm(x, residual: r, gamma: g, beta: b, eps: 1e-12, dropout: 0.3, key: key)
        let composed = try t.layerNorm(t.add(t.dropout(x, p: 0.3, key: key), r), gamma: g, beta: b, eps: 1e-12)
        XCTAssertLessThan(TestData.maxAbsDifference(fused.scalars, composed.scalars.map(Double.init)), 1e-6)
    }

    func testResidualDropoutLayerNormGradients() throws {
        let x = TestData.uniform([3, 19], seed: 14), r = TestData.uniform([3, 19], seed: 15)
        let g = TestData.uniform([19], 0.5, 1.5, seed: 16), b = TestData.uniform([19], seed: 17)
        let key = RandomKey(seed: 1)
        try GradientCheck.check([x, r, g, b]) { t, v in
            try t.residualLayerNorm(v[0], residual: v[1], gamma: v[2], beta: v[3], eps: 1e-5, dropout: 0.25, key: key)
        }
        try GradientCheck.check([x, r]) { t, v in try t.residualLayerNorm(v[0], residual: v[1], gamma: nil, beta: nil) }
    }

    func testShapeErrors() {
        XCTAssertThrowsError(try Tape().layerNorm(Tensor.zeros([2, 3]), gamma: Tensor.zeros([4]), beta: nil)) { e in
            XCTAssertTrue("\(e)".contains("layerNorm") && "\(e)".contains("gamma"), "\(e)")
        }
        XCTAssertThrowsError(try Tape().residualLayerNorm(Tensor.zeros([2, 3]), residual: Tensor.zeros([3, 2]), gamma: nil, beta: nil))
        XCTAssertThrowsError(try Tape().residualLayerNorm(Tensor.zeros([2, 3]), residual: nil, gamma: nil, beta: nil, dropout: 1))
    }
}
