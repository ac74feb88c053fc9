import XCTest
@testable import Tensors

/// Broadcasting arithmetic, scale and GELU.
final class ElementwiseOpTests: XCTestCase {
    func testBroadcastForward() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let b = try Tensor([10, 20, 30], shape: [3])
        let col = try Tensor([100, 200], shape: [2, 1])
        let t = Tape(recording: false)
        XCTAssertEqual(try t.add(a, b).scalars, [11, 22, 33, 14, 25, 36])
        XCTAssertEqual(try t.sub(a, col).scalars, [-99, -98, -97, -196, -195, -194])
        XCTAssertEqual(try t.mul(col, b).scalars, [1000, 2000, 3000, 2000, 4000, 6000])
        XCTAssertEqual(try t.mul(col, b).shape, [2, 3])
        XCTAssertEqual(try t.div(a, Tensor(scalar: 2)).scalars, [0.5, 1, 1.5, 2, 2.5, 3])
        XCTAssertEqual(t.scale(a, -2).scalars, [-2, -4, -6, -8, -10, -12])
    }

    func testBroadcastShapeError() {
        XCTAssertThrowsError(try Tape().add(Tensor.zeros([2, 3]), Tensor.zeros([2]))) { e in
            XCTAssertTrue("\(e)".contains("add") && "\(e)".contains("[2, 3]") && "\(e)".contains("[2]"), "\(e)")
        }
    }

    func testArithmeticGradientsWithBroadcasting() throws {
        let shapes: [(Shape, Shape)] = [([3, 17], [3, 17]), ([2, 3, 17], [17]), ([3, 1], [1, 17]), ([1], [5, 3]),
                                        ([2, 1, 5], [3, 1]), ([33], [])]
        for (sa, sb) in shapes {
            let a = TestData.uniform(sa, seed: 1), b = TestData.uniform(sb, 0.5, 1.5, seed: 2)
            try GradientCheck.check([a, b]) { t, x in try t.add(x[0], x[1]) }
            try GradientCheck.check([a, b]) { t, x in try t.sub(x[0], x[1]) }
            try GradientCheck.check([a, b]) { t, x in try t.mul(x[0], x[1]) }
            try GradientCheck.check([a, b]) { t, x in try t.div(x[0], x[1]) }
        }
    }

    func testSameTensorOnBothSides() throws {
        try GradientCheck.check([TestData.uniform([5, 3], seed: 3)]) { t, x in try t.mul(x[0], x[0]) }
    }

    func testScaleGradient() throws {
        try GradientCheck.check([TestData.uniform([7, 19], seed: 4)]) { t, x in t.scale(x[0], 0.3) }
    }

    func testGeluMatchesErfDefinition() throws {
        let xs: [Float] = (0..<200).map { Float($0 - 100) / 16 } + [-20, 20, 0]
        let y = Tape(recording: false).gelu(Tensor(xs)).scalars
        for (x, v) in zip(xs, y) {
            let expected = 0.5 * Double(x) * (1 + erf(Double(x) / 2.0.squareRoot()))
            XCTAssertEqual(Double(v), expected, accuracy: 3e-7 * max(1, abs(Double(x))), "x = \(x)")
        }
    }

    func testGeluGradient() throws {
        try GradientCheck.check([TestData.uniform([3, 21], -3, 3, seed: 5)]) { t, x in t.gelu(x[0]) }
        try GradientCheck.check([TestData.uniform([1], seed: 6)]) { t, x in t.gelu(x[0]) }
    }
}
