import XCTest
@testable import Tensors

final class LossTests: XCTestCase {
    /// Double reference: weighted cross-entropy over non-ignored rows.
    func reference(_ logits: [Float], c: Int, targets: [Int], weights: [Float]?, mean: Bool) -> Double {
        var total = 0.0, wsum = 0.0
        for (i, t) in targets.enumerated() where t != -100 {
            let row = logits[(i * c)..<(i * c + c)].map(Double.init)
            let m = row.max()!
            let lse = m + log(row.map { exp($0 - m) }.reduce(0, +))
            let w = Double(weights?[i] ?? 1)
            total += w * (lse - row[t])
            wsum += w
        }
        return mean ? (wsum > 0 ? total / wsum : 0) : total
    }

    func testCrossEntropyMatchesReference() throws {
        let c = 37
        let logits = TestData.uniform([2, 3, c], -5, 5, seed: 1)
        let targets = [3, -100, 36, 0, -100, 12]
        let weights: [Float] = [0.5, 1, 2, 0, 1, 1.5]
        let t = Tape(recording: false)
        for (w, mean) in [(nil, true), (weights, true), (weights, false), (nil, false)] as [([Float]?, Bool)] {
            let loss = try t.crossEntropy(logits: logits, targets: targets, weights: w, reduction: mean ? .mean : .sum)
            XCTAssertEqual(loss.shape, [])
            XCTAssertEqual(Double(loss.scalarValue), reference(logits.scalars, c: c, targets: targets, weights: w, mean: mean),
                           accuracy: 1e-5)
        }
    }

    func testCrossEntropyGradients() throws {
        let logits = TestData.uniform([5, 19], -3, 3, seed: 2)
        let targets = [0, 18, -100, 7, 7]
        try GradientCheck.check([logits]) { t, v in try t.crossEntropy(logits: v[0], targets: targets) }
        try GradientCheck.check([logits]) { t, v in
            try t.crossEntropy(logits: v[0], targets: targets, weights: [1, 0.5, 3, 2, 0.25], reduction: .sum)
        }
        try GradientCheck.check([logits]) { t, v in
            try t.crossEntropy(logits: v[0], targets: [1, 1, 1, 1, 1], ignoreIndex: 1, weights: [1, 2, 3, 4, 5])
        }
        try GradientCheck.check([TestData.uniform([1, 1], seed: 3)]) { t, v in try t.crossEntropy(logits: v[0], targets: [0]) }
    }

    func testAllIgnoredGivesZeroLossAndGradient() throws {
        let logits = TestData.uniform([3, 4], seed: 4).requiringGradient()
        let tape = Tape()
        let loss = try tape.crossEntropy(logits: logits, targets: [-100, -100, -100])
        XCTAssertEqual(loss.scalarValue, 0)
        try tape.backward(loss)
        XCTAssertEqual(logits.gradient?.scalars ?? [], [Float](repeating: 0, count: 12))
    }

    func testCrossEntropyErrors() {
        let logits = Tensor.zeros([2, 4])
        XCTAssertThrowsError(try Tape().crossEntropy(logits: logits, targets: [1])) { e in
            XCTAssertTrue("\(e)".contains("crossEntropy") && "\(e)".contains("one target per row"), "\(e)")
        }
        XCTAssertThrowsError(try Tape().crossEntropy(logits: logits, targets: [1, 4])) { e in
            XCTAssertEqual("\(e)", "crossEntropy: target 4 of row 1 is outside 0..<4 (ignore index -100)")
        }
        XCTAssertThrowsError(try Tape().crossEntropy(logits: logits, targets: [1, 2], weights: [1]))
        XCTAssertThrowsError(try Tape().crossEntropy(logits: logits, targets: [1, 2], weights: [1, -1]))
    }

    func testNonFiniteLossIsRefusedByBackward() throws {
        let logits = try Tensor([0, .nan, 1, 2], shape: [2, 2]).requiringGradient()
        let tape = Tape()
        let loss = try tape.crossEntropy(logits: logits, targets: [0, 1])
        XCTAssertThrowsError(try tape.backward(loss)) { e in
            XCTAssertTrue("\(e)".hasPrefix("crossEntropy: non-finite value"), "\(e)")
        }
    }

    func testMSE() throws {
        let p = try Tensor([1, 2, 3], shape: [3]), q = try Tensor([1, 0, 6], shape: [3])
        XCTAssertEqual(try Tape(recording: false).mse(p, q).scalarValue, (0 + 4 + 9) / 3)
        XCTAssertThrowsError(try Tape().mse(p, Tensor.zeros([4])))
        try GradientCheck.check([TestData.uniform([3, 17], seed: 5), TestData.uniform([3, 17], seed: 6)]) { t, v in
            try t.mse(v[0], v[1])
        }
    }
}
