import XCTest
@testable import Tensors

/// Counter-based dropout: rate, reproducibility, independence of the thread count, gradients.
final class DropoutTests: XCTestCase {
    func testDropRateAndScaling() throws {
        let n = 200_000
        let y = try Tape(recording: false).dropout(Tensor.ones([n]), p: 0.1, key: RandomKey(seed: 42)).scalars
        let dropped = y.filter { $0 == 0 }.count
        // Binomial(n, 0.1): sd ≈ 134; allow 5 sd.
        XCTAssertEqual(Double(dropped), 0.1 * Double(n), accuracy: 700)
        XCTAssertTrue(y.allSatisfy { $0 == 0 || abs($0 - 1 / 0.9) < 1e-6 })
    }

    func testSameKeySameMaskOtherKeyOtherMask() throws {
        let x = Tensor.ones([1000])
        let t = Tape(recording: false)
        let a = try t.dropout(x, p: 0.5, key: RandomKey(seed: 1, stream: 2)).scalars
        let b = try t.dropout(x, p: 0.5, key: RandomKey(seed: 1, stream: 2)).scalars
        let c = try t.dropout(x, p: 0.5, key: RandomKey(seed: 1, stream: 3)).scalars
        let d = try t.dropout(x, p: 0.5, key: RandomKey(seed: 1, stream: 2).derived(0)).scalars
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertNotEqual(a, d)
    }

    func testMaskDoesNotDependOnThreadCount() throws {
        let x = TestData.uniform([300_001], seed: 1)
        let saved = Engine.threads
        defer { Engine.setThreads(saved) }
        Engine.setThreads(1)
        let one = try Tape(recording: false).dropout(x, p: 0.2, key: RandomKey(seed: 3)).scalars
        Engine.setThreads(2)
        let two = try Tape(recording: false).dropout(x, p: 0.2, key: RandomKey(seed: 3)).scalars
        XCTAssertEqual(one, two)
    }

    /// The SIMD path (8 at a time) and the scalar tail draw the same bits as `RandomKey.bits`.
    func testVectorAndScalarBitsAgree() {
        let key = RandomKey(seed: 99, stream: 7)
        for start: UInt32 in [0, 13, 4_000_000_000] {
            let v = key.bits8(start)
            for i in 0..<8 { XCTAssertEqual(v[i], key.bits(start + UInt32(i))) }
        }
        var mask = [Float](repeating: -1, count: 21)
        Kernels.dropoutMask(p: 0.5, key: key, startIndex: 5, count: 21, into: &mask)
        let y = try! Tape(recording: false).dropout(Tensor.ones([26]), p: 0.5, key: key).scalars
        XCTAssertEqual(Array(y[5...]).map { $0 == 0 ? Float(0) : 1 }, mask)
    }

    func testEdgeProbabilities() throws {
        let x = TestData.uniform([37], seed: 2)
        let t = Tape()
        let tracked = x.requiringGradient()
        let same = try t.dropout(tracked, p: 0, key: RandomKey(seed: 1))
        XCTAssertEqual(same.scalars, x.scalars)
        XCTAssertEqual(try t.dropout(x, p: 1, key: RandomKey(seed: 1)).scalars, [Float](repeating: 0, count: 37))
        XCTAssertThrowsError(try t.dropout(x, p: 1.5, key: RandomKey(seed: 1))) { e in
            XCTAssertTrue("\(e)".hasPrefix("dropout"), "\(e)")
        }
        XCTAssertThrowsError(try t.dropout(x, p: -0.1, key: RandomKey(seed: 1)))
    }

    func testGradient() throws {
        try GradientCheck.check([TestData.uniform([5, 23], seed: 3)]) { t, v in
            try t.dropout(v[0], p: 0.4, key: RandomKey(seed: 8))
        }
    }
}
