import XCTest
@testable import Tensors

final class SoftmaxAndMaskTests: XCTestCase {
    func testSoftmaxAndLogSoftmaxMatchReference() throws {
        for cols in [1, 5, 16, 37, 128] {
            let x = TestData.uniform([3, cols], -20, 20, seed: UInt64(cols))
            let t = Tape(recording: false)
            let y = t.softmax(x).scalars, ly = t.logSoftmax(x).scalars
            let xs = x.scalars
            for r in 0..<3 {
                let row = xs[(r * cols)..<(r * cols + cols)].map(Double.init)
                let m = row.max()!
                let s = row.map { exp($0 - m) }.reduce(0, +)
                for j in 0..<cols {
                    XCTAssertEqual(Double(y[r * cols + j]), exp(row[j] - m) / s, accuracy: 1e-6)
                    XCTAssertEqual(Double(ly[r * cols + j]), row[j] - m - log(s), accuracy: 2e-5)
                }
            }
        }
    }

    func testMaskedLogitsGetExactlyZeroProbability() throws {
        let x = try Tensor([1, -1e30, 2, -.infinity], shape: [1, 4])
        let y = Tape(recording: false).softmax(x).scalars
        XCTAssertEqual(y[1], 0)
        XCTAssertEqual(y[3], 0)
        XCTAssertEqual(Double(y[0] + y[2]), 1, accuracy: 1e-6)
    }

    func testSoftmaxGradients() throws {
        for cols in [1, 3, 17] {
            let x = TestData.uniform([4, cols], -3, 3, seed: 3)
            try GradientCheck.check([x]) { t, v in t.softmax(v[0]) }
            try GradientCheck.check([x]) { t, v in t.logSoftmax(v[0]) }
        }
    }

    func testMaskedFill() throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let rowMask = try Tensor([0, 1, 0], shape: [3])
        let y = try Tape(recording: false).maskedFill(x, mask: rowMask, value: -9)
        XCTAssertEqual(y.scalars, [1, -9, 3, 4, -9, 6])
        let full = try Tensor([1, 0, 0, 0, 0, 1], shape: [2, 3])
        XCTAssertEqual(try Tape(recording: false).maskedFill(x, mask: full, value: 0).scalars, [0, 2, 3, 4, 5, 0])
        XCTAssertThrowsError(try Tape().maskedFill(x, mask: Tensor.zeros([2]), value: 0))
        XCTAssertThrowsError(try Tape().maskedFill(x, mask: Tensor.zeros([4, 2, 3]), value: 0))
        let m = try Tensor([1, 0, 0, 1, 0], shape: [5, 1])
        try GradientCheck.check([TestData.uniform([5, 3], seed: 4), m], differentiable: [0]) { t, v in
            try t.maskedFill(v[0], mask: v[1], value: -1)
        }
    }
}
