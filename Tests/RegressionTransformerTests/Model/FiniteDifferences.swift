import Tensors
import XCTest

/// Finite-difference gradient checks for the model's fused ops (the engine's own checker lives in its test
/// target). For `y = f(x₀, x₁, …)`, a fixed random projection `r` makes the scalar `L = Σ r·y` (in Double);
/// the analytic gradient is `Tape.backward` seeded with `r`, the numeric one the Richardson-extrapolated central
/// difference `(4·D(h/2) − D(h))/3`. The worst `|analytic − numeric|`, relative to the largest numeric gradient
/// (at least 1), must stay within `tolerance`.
enum FiniteDifferences {
    static func check(_ inputs: [Tensor], differentiable: Set<Int>? = nil, step: Double = 1.0 / 64,
                      tolerance: Double = 2e-3, seed: UInt64 = 1, file: StaticString = #filePath, line: UInt = #line,
                      _ f: (Tape, [Tensor]) throws -> Tensor) throws {
        let which = differentiable ?? Set(inputs.indices)
        let tape = Tape()
        let tracked = inputs.enumerated().map { which.contains($0.offset) ? $0.element.requiringGradient() : $0.element }
        let y = try f(tape, tracked)
        var g = SeededGenerator(seed: seed)
        let r = Tensor.randomUniform(y.shape, low: -1, high: 1, using: &g)
        try tape.backward(from: y, seed: r)
        let analytic = tracked.map { $0.gradient?.scalars }
        let rs = r.scalars.map(Double.init)
        func loss() throws -> Double {
            let o = try f(Tape(recording: false), inputs).scalars
            return zip(o, rs).reduce(0) { $0 + Double($1.0) * $1.1 }
        }
        var results: [(input: Int, index: Int, analytic: Double, numeric: Double)] = []
        var largest = 1.0
        for (i, x) in inputs.enumerated() where which.contains(i) {
            let p = x.unsafePointer
            for j in 0..<x.count {
                let v = p[j]
                func central(_ h: Double) throws -> Double {
                    let hi = Float(Double(v) + h), lo = Float(Double(v) - h)
                    p[j] = hi; let a = try loss()
                    p[j] = lo; let b = try loss()
                    p[j] = v
                    return (a - b) / (Double(hi) - Double(lo))
                }
                let h = step * max(1, abs(Double(v)))
                let numeric = (4 * (try central(h / 2)) - (try central(h))) / 3
                results.append((i, j, Double(analytic[i]?[j] ?? 0), numeric))
                largest = max(largest, abs(numeric))
            }
        }
        let worst = results.max { abs($0.analytic - $0.numeric) < abs($1.analytic - $1.numeric) }
        if let w = worst {
            XCTAssertLessThanOrEqual(abs(w.analytic - w.numeric) / largest, tolerance,
                                     "input \(w.input) element \(w.index): analytic \(w.analytic), numeric \(w.numeric)",
                                     file: file, line: line)
        }
    }

    /// Seeded uniform values in [-1, 1).
    static func uniform(_ shape: Shape, seed: UInt64, scale: Float = 1) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return Tensor.randomUniform(shape, low: -scale, high: scale, using: &g)
    }
}
