import XCTest
@testable import Tensors

final class EmbeddingTests: XCTestCase {
    func testLookupAndShape() throws {
        let table = try Tensor((0..<12).map(Float.init), shape: [4, 3])
        let y = try Tape(recording: false).embedding(table, ids: [3, 0, 3, 1], shape: [2, 2])
        XCTAssertEqual(y.shape, [2, 2, 3])
        XCTAssertEqual(y.scalars, [9, 10, 11, 0, 1, 2, 9, 10, 11, 3, 4, 5])
    }

    func testScatterAddGradientWithRepeatedIds() throws {
        let table = TestData.uniform([5, 19], seed: 1)
        try GradientCheck.check([table]) { t, v in try t.embedding(v[0], ids: [4, 0, 4, 4, 2, 0]) }
        // Exact: gradient of the sum of all outputs counts each id's uses.
        let tracked = table.requiringGradient()
        let tape = Tape()
        let y = try tape.embedding(tracked, ids: [4, 0, 4, 4, 2, 0])
        try tape.backward(tape.sum(y))
        let g = tracked.gradient!.scalars
        for (id, uses) in [(0, 2), (1, 0), (2, 1), (3, 0), (4, 3)] {
            XCTAssertEqual(Array(g[(id * 19)..<(id * 19 + 19)]), [Float](repeating: Float(uses), count: 19))
        }
    }

    func testGatherRows() throws {
        let x = TestData.uniform([6, 2, 3], seed: 2)
        let y = try Tape(recording: false).gatherRows(x, [5, 1])
        XCTAssertEqual(y.shape, [2, 2, 3])
        XCTAssertEqual(Array(y.scalars[0..<6]), Array(x.scalars[30..<36]))
        try GradientCheck.check([x]) { t, v in try t.gatherRows(v[0], [5, 1, 5]) }
    }

    func testOutOfRangeIdsThrow() {
        let table = Tensor.zeros([4, 3])
        XCTAssertThrowsError(try Tape().embedding(table, ids: [1, 4])) { e in
            XCTAssertEqual("\(e)", "embedding: id 4 at position 1 is outside 0..<4")
        }
        XCTAssertThrowsError(try Tape().embedding(table, ids: [-1]))
        XCTAssertThrowsError(try Tape().embedding(table, ids: [1, 2], shape: [3]))
    }
}
