import XCTest
@testable import Tensors

/// sum/mean, reshape, permute/transpose, slice, concat.
final class ReductionAndShapeOpTests: XCTestCase {
    let t = Tape(recording: false)

    func testSumAndMeanForward() throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        XCTAssertEqual(try t.sum(x, axis: 0).scalars, [5, 7, 9])
        XCTAssertEqual(try t.sum(x, axis: -1).scalars, [6, 15])
        XCTAssertEqual(try t.mean(x, axis: 1, keepDims: true).shape, [2, 1])
        XCTAssertEqual(try t.mean(x, axis: 1).scalars, [2, 5])
        XCTAssertEqual(t.sum(x).scalars, [21])
        XCTAssertEqual(t.sum(x).shape, [])
        XCTAssertEqual(t.mean(x).scalarValue, 3.5)
        XCTAssertThrowsError(try t.sum(x, axis: 2)) { e in XCTAssertTrue("\(e)".contains("sum: axis 2"), "\(e)") }
    }

    func testReductionGradients() throws {
        let x = TestData.uniform([3, 17, 2], seed: 1)
        for axis in [0, 1, 2, -1] {
            try GradientCheck.check([x]) { t, v in try t.sum(v[0], axis: axis) }
            try GradientCheck.check([x]) { t, v in try t.mean(v[0], axis: axis, keepDims: true) }
        }
        try GradientCheck.check([x]) { t, v in t.sum(v[0]) }
        try GradientCheck.check([TestData.uniform([1], seed: 2)]) { t, v in t.mean(v[0]) }
        try GradientCheck.check([TestData.uniform([5, 33], seed: 3)]) { t, v in try t.mean(v[0], axis: 1) }
    }

    func testReshapeIsAViewAndDifferentiable() throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let y = try t.reshape(x, [3, -1])
        XCTAssertEqual(y.shape, [3, 2])
        XCTAssertTrue(y.storage === x.storage)
        XCTAssertThrowsError(try t.reshape(x, [4, 2]))
        XCTAssertThrowsError(try t.reshape(x, [-1, -1]))
        try GradientCheck.check([TestData.uniform([2, 3, 5], seed: 4)]) { t, v in
            try t.mul(t.reshape(v[0], [6, 5]), TestData.uniform([6, 5], seed: 5))
        }
    }

    func testPermuteForward() throws {
        let x = try Tensor((0..<24).map(Float.init), shape: [2, 3, 4])
        let y = try t.permute(x, [2, 0, 1])
        XCTAssertEqual(y.shape, [4, 2, 3])
        // y[k, i, j] = x[i, j, k]
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 {
            XCTAssertEqual(y.scalars[k * 6 + i * 3 + j], x.scalars[i * 12 + j * 4 + k])
        } } }
        XCTAssertEqual(try t.transpose(try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]), 0, 1).scalars, [1, 4, 2, 5, 3, 6])
        XCTAssertThrowsError(try t.permute(x, [0, 0, 1]))
    }

    func testPermuteGradients() throws {
        let x = TestData.uniform([2, 3, 5], seed: 6)
        for axes in [[2, 0, 1], [1, 0, 2], [0, 2, 1], [2, 1, 0]] {
            try GradientCheck.check([x]) { t, v in try t.permute(v[0], axes) }
        }
        try GradientCheck.check([x]) { t, v in try t.transpose(v[0], -1, -2) }
    }

    func testSliceAndConcat() throws {
        let x = try Tensor((0..<12).map(Float.init), shape: [3, 4])
        XCTAssertEqual(try t.slice(x, axis: 1, 1..<3).scalars, [1, 2, 5, 6, 9, 10])
        XCTAssertEqual(try t.slice(x, axis: 0, 2..<3).scalars, [8, 9, 10, 11])
        XCTAssertThrowsError(try t.slice(x, axis: 1, 3..<5)) { e in XCTAssertTrue("\(e)".hasPrefix("slice"), "\(e)") }
        let a = try Tensor([1, 2], shape: [2, 1]), b = try Tensor([3, 4, 5, 6], shape: [2, 2])
        let c = try t.concat([a, b], axis: 1)
        XCTAssertEqual(c.shape, [2, 3])
        XCTAssertEqual(c.scalars, [1, 3, 4, 2, 5, 6])
        XCTAssertEqual(try t.concat([b, b], axis: 0).scalars, [3, 4, 5, 6, 3, 4, 5, 6])
        XCTAssertThrowsError(try t.concat([a, Tensor.zeros([3, 1])], axis: 1)) { e in
            XCTAssertTrue("\(e)".contains("concat"), "\(e)")
        }
        XCTAssertThrowsError(try t.concat([], axis: 0))
    }

    func testSliceAndConcatGradients() throws {
        let x = TestData.uniform([3, 5, 2], seed: 7)
        try GradientCheck.check([x]) { t, v in try t.slice(v[0], axis: 1, 1..<4) }
        let a = TestData.uniform([2, 1, 3], seed: 8), b = TestData.uniform([2, 4, 3], seed: 9)
        try GradientCheck.check([a, b]) { t, v in try t.concat([v[0], v[1], v[0]], axis: 1) }
    }
}
