import XCTest
@testable import Tensors

/// `Tape.candidateExpectation` against torch autograd (Fixtures/number_token_loss, written by
/// scripts/fixtures/number_token_loss_fixtures.py from the full softmax renormalised over the candidates), plus a
/// numeric gradient check and the errors for bad arguments.
final class CandidateExpectationTests: XCTestCase {
    func testMatchesTorchValuesAndGradient() throws {
        let f = try XCTUnwrap(try Fixtures.json("number_token_loss/candidate_expectation.json")["expectation"] as? [String: Any])
        let shape = Shape(try XCTUnwrap(f["shape"] as? [Int]))
        let logits = try Tensor(Fixtures.floats(f["logits"]), shape: shape).requiringGradient()
        let candidates = try XCTUnwrap(f["candidates"] as? [[Int]])
        let values = try XCTUnwrap(f["values"] as? [Any]).map { Fixtures.floats($0) }
        let upstream = try Tensor(Fixtures.floats(f["upstream"]), shape: [shape.rows])
        let tape = Tape()
        let e = try tape.candidateExpectation(logits: logits, candidates: candidates, values: values)
        XCTAssertEqual(e.shape, [shape.rows])
        let expected = Fixtures.doubles(f["expectation"])
        for (r, v) in e.scalars.enumerated() { XCTAssertEqual(Double(v), expected[r], accuracy: 1e-5, "row \(r)") }
        XCTAssertEqual(e.scalars[3], 0, "a row without candidates gives exactly 0")
        try tape.backward(from: e, seed: upstream)
        let gradient = try XCTUnwrap(logits.gradient?.scalars)
        let torch = Fixtures.doubles(f["gradient"])
        XCTAssertLessThan(TestData.maxAbsDifference(gradient, torch), 1e-5)
        // columns that are no row's candidate get exactly nothing
        XCTAssertEqual(gradient[3 * shape.last..<4 * shape.last].allSatisfy { $0 == 0 }, true)
        XCTAssertEqual(gradient[2 * shape.last + 5], 0, "a single candidate has probability 1: no gradient")
    }

    func testNumericGradient() throws {
        let logits = TestData.uniform([3, 7], -2, 2, seed: 11)
        try GradientCheck.check([logits]) { t, v in
            try t.candidateExpectation(logits: v[0], candidates: [[0, 6, 2], [], [1, 2, 3, 4]],
                                       values: [[1, -2, 0.5], [], [3, 0, 1, 2]])
        }
    }

    func testRejectsBadArguments() {
        let logits = TestData.uniform([2, 4], seed: 12)
        let t = Tape(recording: false)
        XCTAssertThrowsError(try t.candidateExpectation(logits: logits, candidates: [[0]], values: [[1]]))
        XCTAssertThrowsError(try t.candidateExpectation(logits: logits, candidates: [[0], [1, 2]], values: [[1], [1]]))
        XCTAssertThrowsError(try t.candidateExpectation(logits: logits, candidates: [[0], [4]], values: [[1], [1]])) { error in
            XCTAssertTrue("\(error)".contains("column 4 of row 1"), "\(error)")
        }
        XCTAssertThrowsError(try t.candidateExpectation(logits: logits, candidates: [[0, 0], []], values: [[1, 2], []]))
        XCTAssertThrowsError(try t.candidateExpectation(logits: logits, candidates: [[0], []], values: [[.nan], []]))
    }
}
