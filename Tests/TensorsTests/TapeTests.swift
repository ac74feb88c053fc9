import XCTest
@testable import Tensors

/// The tape itself: custom ops recorded from outside, accumulation, no-grad mode, error cases.
final class TapeTests: XCTestCase {
    /// A custom op as another module would write it: y = 2·x, with a backward factor to test the checker.
    func double(_ tape: Tape, _ x: Tensor, backwardFactor: Float = 2) -> Tensor {
        let y = Tensor(uninitialized: x.shape)
        Kernels.scale(x.unsafePointer, 2, into: y.unsafePointer, count: x.count)
        return tape.record("double", inputs: [x], output: y) { g in
            guard let dy = g.outputGradient(), let dx = g.inputGradient(0) else { return }
            Kernels.addScaled(dy.unsafePointer, backwardFactor, into: dx.unsafePointer, count: x.count)
        }
    }

    func testCustomOpIsDifferentiated() throws {
        try GradientCheck.check([TestData.uniform([3, 5], seed: 1)]) { t, x in double(t, x[0]) }
    }

    /// The checker must catch a wrong backward.
    func testGradientCheckDetectsWrongBackward() throws {
        let report = try GradientCheck.measure([TestData.uniform([3, 5], seed: 1)]) { t, x in
            double(t, x[0], backwardFactor: 2.1)
        }
        XCTAssertGreaterThan(report.worst, 0.01)
    }

    func testGradientsAccumulateAcrossBackwardPasses() throws {
        let x = try Tensor([1, 2, 3], shape: [3]).requiringGradient(name: "x")
        for _ in 0..<2 {
            let tape = Tape()
            let y = double(tape, x)
            try tape.backward(from: y, seed: Tensor.ones([3]))
        }
        XCTAssertEqual(x.gradient?.scalars, [4, 4, 4])
        x.zeroGradient()
        XCTAssertNil(x.gradient)
    }

    func testFanOutAccumulates() throws {
        // y = 2x + 2x: dy/dx = 4.
        let x = try Tensor([1, -1], shape: [2]).requiringGradient()
        let tape = Tape()
        let y = try tape.add(double(tape, x), double(tape, x))
        try tape.backward(from: y, seed: Tensor.ones([2]))
        XCTAssertEqual(x.gradient?.scalars, [4, 4])
    }

    func testNoGradRecordsNothing() throws {
        let x = Tensor.ones([4]).requiringGradient()
        let tape = Tape()
        let y = tape.withoutRecording { double(tape, x) }
        XCTAssertEqual(tape.count, 0)
        XCTAssertFalse(y.requiresGradient)
        let inference = Tape(recording: false)
        XCTAssertFalse(double(inference, x).requiresGradient)
        XCTAssertEqual(inference.count, 0)
        // Untracked inputs are not recorded either.
        XCTAssertFalse(double(tape, Tensor.ones([4])).requiresGradient)
        XCTAssertEqual(tape.count, 0)
    }

    func testIntermediateGradientsAreReleasedAndOpsConsumed() throws {
        let x = Tensor.ones([4]).requiringGradient()
        let tape = Tape()
        let h = double(tape, x)
        let y = double(tape, h)
        XCTAssertEqual(tape.opNames, ["double", "double"])
        try tape.backward(from: y, seed: Tensor.ones([4]))
        XCTAssertEqual(tape.count, 0)
        XCTAssertNil(h.gradient)
        XCTAssertEqual(x.gradient?.scalars, [4, 4, 4, 4])
    }

    func testBackwardErrors() throws {
        let tape = Tape()
        XCTAssertThrowsError(try tape.backward(Tensor(scalar: 1))) { e in
            XCTAssertTrue("\(e)".contains("no tracked input"), "\(e)")
        }
        let x = Tensor.ones([2]).requiringGradient()
        let y = double(tape, x)
        XCTAssertThrowsError(try tape.backward(y)) { e in XCTAssertTrue("\(e)".contains("one-element"), "\(e)") }
        let nan = double(tape, try Tensor([.nan], shape: [1]).requiringGradient())
        XCTAssertThrowsError(try tape.backward(nan)) { e in
            XCTAssertEqual(e as? TensorError, .nonFinite(op: "double", detail: "loss is nan"))
        }
        let inf = double(tape, try Tensor([.infinity], shape: [1]).requiringGradient())
        XCTAssertThrowsError(try tape.backward(inf)) { e in XCTAssertTrue("\(e)".contains("inf"), "\(e)") }
    }

    /// Ops that overwrite a fresh gradient buffer on the first contribution and add on later ones: feeding the
    /// same inputs twice (f(x) + f(x)) exercises both paths; fresh buffers are NaN-poisoned in tests, so a
    /// missed element would show.
    func testFirstContributionOverwritesLaterOnesAccumulate() throws {
        let x = TestData.uniform([3, 17], seed: 1), w = TestData.uniform([5, 17], seed: 2)
        let r = TestData.uniform([3, 17], seed: 3), key = RandomKey(seed: 4)
        let b3 = TestData.uniform([2, 17, 3], seed: 5), a3 = TestData.uniform([2, 4, 17], seed: 6)
        let twice: [(String, [Tensor], (Tape, [Tensor]) throws -> Tensor)] = [
            ("linear", [x, w], { t, v in try t.linear(v[0], weight: v[1]) }),
            ("gelu", [x], { t, v in t.gelu(v[0]) }),
            ("softmax", [x], { t, v in t.softmax(v[0]) }),
            ("dropout", [x], { t, v in try t.dropout(v[0], p: 0.3, key: key) }),
            ("residualLayerNorm", [x, r], { t, v in try t.residualLayerNorm(v[0], residual: v[1], gamma: nil, beta: nil, dropout: 0.2, key: key) }),
            ("matmul", [a3, b3], { t, v in try t.matmul(v[0], v[1]) }),
            ("matmul shared", [a3, TestData.uniform([17, 2], seed: 7)], { t, v in try t.matmul(v[0], v[1]) }),
        ]
        for (name, inputs, f) in twice {
            let report = try GradientCheck.measure(inputs) { t, v in try t.add(f(t, v), f(t, v)) }
            XCTAssertLessThan(report.worst, 2e-3, name)
        }
    }
}
