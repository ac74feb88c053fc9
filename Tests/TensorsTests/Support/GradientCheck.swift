import XCTest
@testable import Tensors

/// Finite-difference gradient checking, evaluated in Double.
///
/// For a function `f` of several tensors built from tape ops, a fixed random projection `r` turns the output
/// into the scalar `L = Σ r·f(x)` (summed in Double). The analytic gradient comes from `Tape.backward` seeded
/// with `r`; the numeric one perturbs each input element by ±h and ±h/2 and combines the two central
/// differences by Richardson extrapolation, `(4·D(h/2) − D(h))/3` (truncation error O(h⁴)). The two must
/// agree to `|analytic − numeric| ≤ tolerance · (1 + |numeric|)` scaled by the largest gradient.
enum GradientCheck {
    struct Report {
        var worst: Double
        var worstInput: Int
        var worstIndex: Int
        var analytic: Double
        var numeric: Double
    }

    /// Runs the check; `f` must only use `tape` for its ops (so the same code runs tracked and untracked).
    /// `differentiable` limits the inputs that are checked (others, like masks, stay constant).
    static func check(_ inputs: [Tensor], step: Double = 1.0 / 64, tolerance: Double = 2e-3, seed: UInt64 = 1,
                      differentiable: Set<Int>? = nil,
                      file: StaticString = #filePath, line: UInt = #line,
                      _ f: (Tape, [Tensor]) throws -> Tensor) throws {
        let worst = try measure(inputs, step: step, seed: seed, differentiable: differentiable, f)
        XCTAssertLessThanOrEqual(
            worst.worst, tolerance,
            "gradient mismatch at input \(worst.worstInput) element \(worst.worstIndex): analytic \(worst.analytic) "
                + "numeric \(worst.numeric)", file: file, line: line)
    }

    /// The largest scaled disagreement between analytic and numeric gradients.
    static func measure(_ inputs: [Tensor], step: Double = 1.0 / 64, seed: UInt64 = 1,
                        differentiable: Set<Int>? = nil,
                        _ f: (Tape, [Tensor]) throws -> Tensor) throws -> Report {
        _ = TestData.poison
        let which = differentiable ?? Set(inputs.indices)
        // Analytic.
        let tape = Tape()
        let tracked = inputs.enumerated().map { which.contains($0.offset) ? $0.element.requiringGradient() : $0.element }
        let y = try f(tape, tracked)
        var g = SeededGenerator(seed: seed)
        let r = Tensor.randomUniform(y.shape, low: -1, high: 1, using: &g)
        try tape.backward(from: y, seed: r)
        let analytic = tracked.map { $0.gradient?.scalars }
        // Numeric.
        func loss() throws -> Double {
            let out = try f(Tape(recording: false), inputs)
            let o = out.scalars, rs = r.scalars
            var s = 0.0
            for i in o.indices { s += Double(o[i]) * Double(rs[i]) }
            return s
        }
        var worst = Report(worst: 0, worstInput: -1, worstIndex: -1, analytic: 0, numeric: 0)
        var maxNumeric = 0.0
        var pairs: [(Int, Int, Double, Double)] = []
        for (i, x) in inputs.enumerated() where which.contains(i) {
            let p = x.unsafePointer
            for j in 0..<x.count {
                let v = p[j]
                func diff(_ h: Double) throws -> Double {
                    let hi = Float(Double(v) + h), lo = Float(Double(v) - h)
                    p[j] = hi
                    let lp = try loss()
                    p[j] = lo
                    let lm = try loss()
                    p[j] = v
                    return (lp - lm) / (Double(hi) - Double(lo))
                }
                let h = step * max(1, abs(Double(v)))
                let numeric = (4 * (try diff(h / 2)) - (try diff(h))) / 3
                let a = Double(analytic[i]?[j] ?? 0)
                pairs.append((i, j, a, numeric))
                maxNumeric = max(maxNumeric, abs(numeric))
            }
        }
        let scale = max(1, maxNumeric)
        for (i, j, a, n) in pairs {
            let err = abs(a - n) / scale
            if err > worst.worst { worst = Report(worst: err, worstInput: i, worstIndex: j, analytic: a, numeric: n) }
        }
        return worst
    }
}

/// Seeded test tensors. Using them switches on the buffer pool's NaN poisoning for the whole test process, so a
/// kernel that reads uninitialised memory or a freed buffer produces NaN and fails its test.
enum TestData {
    static let poison: Void = { BufferPool.shared.poisonsBuffers = true }()

    /// Uniform values in [low, high).
    static func uniform(_ shape: Shape, _ low: Float = -1, _ high: Float = 1, seed: UInt64) -> Tensor {
        _ = poison
        var g = SeededGenerator(seed: seed)
        return Tensor.randomUniform(shape, low: low, high: high, using: &g)
    }

    /// Largest |a − b| over elements (shapes must match).
    static func maxAbsDifference(_ a: [Float], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        var m = 0.0
        for i in a.indices { m = max(m, abs(Double(a[i]) - b[i])) }
        return m
    }
}
