import Foundation

/// The benchmark behind `rt bench ops`: the fused SIMD kernels (layer norm, softmax, GELU, forward and
/// backward) against plain scalar loops over the same pointers (libm `erff`/`expf`, no SIMD types), on the
/// activation sizes of docs/engine.md §10 (4 M floats: GELU over 4096×1024, layer norm rows of 256, softmax rows
/// of 128). Reports ms per call, GB/s (bytes read + written once) and the speed-up of the fused kernel over the
/// scalar loop on one thread, plus the fused kernel on `threads` threads.
public struct OpsBenchmark {
    public struct Measurement: Sendable {
        public var kernel: String
        public var shape: String
        /// Bytes touched per call (each input read and each output written once).
        public var bytes: Double
        public var elements: Int
        /// Best seconds per call: scalar loop (1 thread), fused (1 thread), fused (`threads`).
        public var scalar: Double, fused: Double, fusedParallel: Double
        public var threads: Int
        /// Largest |fused − scalar| over the outputs (the two must compute the same function).
        public var maxDifference: Double

        public var speedup: Double { scalar / fused }
    }

    public var samples: Int
    public var sampleTime: Double
    public var threads: Int
    public var elements: Int
    /// Time the single-threaded columns by the thread's CPU time (robust on a busy machine).
    public var cpuClockForOneThread: Bool

    public init(samples: Int = 5, sampleTime: Double = 0.05, threads: Int = 2, elements: Int = 4096 * 1024,
                cpuClockForOneThread: Bool = false) {
        self.cpuClockForOneThread = cpuClockForOneThread
        self.samples = samples
        self.sampleTime = sampleTime
        self.threads = threads
        self.elements = elements
    }

    struct Case {
        let name: String, shape: String
        let bytesPerElement: Double
        let outputs: [Tensor]
        let scalar: () -> Void
        let fused: (Int) -> Void  // threads
    }

    public func run(progress: (Measurement) -> Void = { _ in }) -> [Measurement] {
        var out: [Measurement] = []
        for c in makeCases() {
            // Scalar first, keep its outputs, then fused, compare.
            c.scalar()
            let reference = c.outputs.map { $0.scalars }
            c.fused(1)
            var diff = 0.0
            for (t, r) in zip(c.outputs, reference) {
                let s = t.scalars
                for i in s.indices { diff = max(diff, Double(abs(s[i] - r[i]))) }
            }
            var best = (Double.infinity, Double.infinity, Double.infinity)
            for _ in 0..<samples {
                let clock = cpuClockForOneThread ? BenchClock.threadCPUTime : BenchClock.now
                best.0 = min(best.0, BenchClock.secondsPerCall(minTime: sampleTime, clock: clock, c.scalar))
                best.1 = min(best.1, BenchClock.secondsPerCall(minTime: sampleTime, clock: clock) { c.fused(1) })
                best.2 = min(best.2, BenchClock.secondsPerCall(minTime: sampleTime) { c.fused(threads) })
            }
            let m = Measurement(kernel: c.name, shape: c.shape, bytes: c.bytesPerElement * Double(elements),
                                elements: elements, scalar: best.0, fused: best.1, fusedParallel: best.2,
                                threads: threads, maxDifference: diff)
            progress(m)
            out.append(m)
        }
        return out
    }

    func makeCases() -> [Case] {
        var g = SeededGenerator(seed: 11)
        let n = elements
        let x = Tensor.randomNormal([n], using: &g)
        let dy = Tensor.randomNormal([n], using: &g)
        let y = Tensor.zeros([n]), dx = Tensor.zeros([n])
        let xp = x.unsafePointer, dyp = dy.unsafePointer, yp = y.unsafePointer, dxp = dx.unsafePointer
        var cases: [Case] = []

        // GELU forward / backward over the whole buffer.
        cases.append(Case(name: "gelu forward", shape: "\(n / 1024)x1024", bytesPerElement: 8, outputs: [y],
                          scalar: { ScalarKernels.gelu(xp, yp, n) },
                          fused: { t in Parallel.forRanges(n, grain: 16384, threads: t) { r in
                              Kernels.geluForward(xp + r.lowerBound, yp + r.lowerBound, count: r.count) } }))
        cases.append(Case(name: "gelu backward", shape: "\(n / 1024)x1024", bytesPerElement: 12, outputs: [dx],
                          scalar: { ScalarKernels.geluBackward(xp, dyp, dxp, n) },
                          fused: { t in Parallel.forRanges(n, grain: 16384, threads: t) { r in
                              Kernels.geluBackward(x: xp + r.lowerBound, dy: dyp + r.lowerBound, dx: dxp + r.lowerBound,
                                                   count: r.count, accumulate: false) } }))

        // Layer norm, rows of 256.
        let d = 256, rows = n / d
        let gamma = Tensor.randomUniform([d], low: 0.5, high: 1.5, using: &g)
        let beta = Tensor.randomUniform([d], low: -0.5, high: 0.5, using: &g)
        let stats = Tensor.zeros([rows, 2])
        let gp = gamma.unsafePointer, bp = beta.unsafePointer, sp = stats.unsafePointer
        cases.append(Case(name: "layer norm forward", shape: "\(rows)x\(d)", bytesPerElement: 8, outputs: [y],
                          scalar: { ScalarKernels.layerNorm(xp, gp, bp, yp, rows, d, 1e-5) },
                          fused: { t in Parallel.forRanges(rows, grain: 32, threads: t) { r in
                              for i in r {
                                  Kernels.layerNormRow(xp + i * d, count: d, gamma: gp, beta: bp, eps: 1e-5,
                                                       into: yp + i * d, stats: sp + 2 * i)
                              } } }))
        // Backward from the statistics the forward pass saves.
        for i in 0..<rows {
            Kernels.layerNormRow(xp + i * d, count: d, gamma: nil, beta: nil, eps: 1e-5, into: dxp + i * d, stats: sp + 2 * i)
        }
        cases.append(Case(name: "layer norm backward", shape: "\(rows)x\(d)", bytesPerElement: 12, outputs: [dx],
                          scalar: { ScalarKernels.layerNormBackward(xp, dyp, gp, dxp, rows, d, 1e-5) },
                          fused: { t in
                              Kernels.layerNormBackward(z: xp, stats: sp, dy: dyp, gamma: gp, rows: rows, cols: d,
                                                        dz: dxp, dgamma: nil, dbeta: nil, threads: t)
                          }))

        // Softmax, rows of 128.
        let c = 128, srows = n / c
        cases.append(Case(name: "softmax forward", shape: "\(srows)x\(c)", bytesPerElement: 8, outputs: [y],
                          scalar: { ScalarKernels.softmax(xp, yp, srows, c) },
                          fused: { t in Parallel.forRanges(srows, grain: 64, threads: t) { r in
                              for i in r { Kernels.softmaxRow(xp + i * c, count: c, into: yp + i * c) } } }))
        // Backward from the softmax output y computed above (fused and scalar use the same y).
        let probs = Tensor.zeros([n])
        let pp = probs.unsafePointer
        ScalarKernels.softmax(xp, pp, srows, c)
        cases.append(Case(name: "softmax backward", shape: "\(srows)x\(c)", bytesPerElement: 12, outputs: [dx],
                          scalar: { ScalarKernels.softmaxBackward(pp, dyp, dxp, srows, c) },
                          fused: { t in Parallel.forRanges(srows, grain: 64, threads: t) { r in
                              for i in r {
                                  let o = i * c
                                  Kernels.softmaxBackwardRow(y: pp + o, dy: dyp + o, count: c, into: dxp + o,
                                                             accumulate: false)
                              } } }))
        withExtendedLifetime((x, dy, y, dx, gamma, beta, stats, probs)) {}
        return cases.map { cs in
            Case(name: cs.name, shape: cs.shape, bytesPerElement: cs.bytesPerElement, outputs: cs.outputs,
                 scalar: { withExtendedLifetime((x, dy, y, dx, gamma, beta, stats, probs)) { cs.scalar() } },
                 fused: { t in withExtendedLifetime((x, dy, y, dx, gamma, beta, stats, probs)) { cs.fused(t) } })
        }
    }
}

/// Plain scalar loops over raw pointers with libm functions: the baseline the fused kernels are compared with
/// (what a first, straightforward implementation looks like; docs/engine.md §8).
enum ScalarKernels {
    static func gelu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] = 0.5 * x[i] * (1 + erff(x[i] * 0.70710678)) }
    }

    static func geluBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                             _ n: Int) {
        for i in 0..<n {
            let v = x[i]
            let cdf = 0.5 * (1 + erff(v * 0.70710678))
            let pdf = 0.39894228 * expf(-0.5 * v * v)
            dx[i] = dy[i] * (cdf + v * pdf)
        }
    }

    static func layerNorm(_ x: UnsafePointer<Float>, _ gamma: UnsafePointer<Float>, _ beta: UnsafePointer<Float>,
                          _ y: UnsafeMutablePointer<Float>, _ rows: Int, _ d: Int, _ eps: Float) {
        for r in 0..<rows {
            let xr = x + r * d, yr = y + r * d
            var s: Float = 0
            for j in 0..<d { s += xr[j] }
            let mean = s / Float(d)
            var v: Float = 0
            for j in 0..<d { let c = xr[j] - mean; v += c * c }
            let rstd = 1 / sqrtf(v / Float(d) + eps)
            for j in 0..<d { yr[j] = (xr[j] - mean) * rstd * gamma[j] + beta[j] }
        }
    }

    static func layerNormBackward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ gamma: UnsafePointer<Float>,
                                  _ dx: UnsafeMutablePointer<Float>, _ rows: Int, _ d: Int, _ eps: Float) {
        for r in 0..<rows {
            let xr = x + r * d, dyr = dy + r * d, dxr = dx + r * d
            var s: Float = 0
            for j in 0..<d { s += xr[j] }
            let mean = s / Float(d)
            var v: Float = 0
            for j in 0..<d { let c = xr[j] - mean; v += c * c }
            let rstd = 1 / sqrtf(v / Float(d) + eps)
            var mg: Float = 0, mgx: Float = 0
            for j in 0..<d {
                let g = dyr[j] * gamma[j]
                mg += g
                mgx += g * (xr[j] - mean) * rstd
            }
            mg /= Float(d)
            mgx /= Float(d)
            for j in 0..<d { dxr[j] = (dyr[j] * gamma[j] - mg - (xr[j] - mean) * rstd * mgx) * rstd }
        }
    }

    static func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ rows: Int, _ c: Int) {
        for r in 0..<rows {
            let xr = x + r * c, yr = y + r * c
            var m = -Float.infinity
            for j in 0..<c { m = max(m, xr[j]) }
            var s: Float = 0
            for j in 0..<c { yr[j] = expf(xr[j] - m); s += yr[j] }
            let inv = 1 / s
            for j in 0..<c { yr[j] *= inv }
        }
    }

    static func softmaxBackward(_ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                                _ rows: Int, _ c: Int) {
        for r in 0..<rows {
            let yr = y + r * c, dyr = dy + r * c, dxr = dx + r * c
            var dot: Float = 0
            for j in 0..<c { dot += yr[j] * dyr[j] }
            for j in 0..<c { dxr[j] = yr[j] * (dyr[j] - dot) }
        }
    }
}
