/// The GEMM benchmark behind `rt bench gemm`: GFLOP/s of each backend on the transformer shapes of
/// docs/engine.md §10, on 1 and 2 threads, with the ratio Swift/OpenBLAS measured in the same run
/// (backends are sampled alternately, so a burst of foreign load hits both).
public struct GemmBenchmark {
    /// One product `C[m×n] = op(A)·op(B)` and what it stands for in the model.
    public struct Case: Sendable {
        public var m: Int, n: Int, k: Int
        public var transA: Bool, transB: Bool
        public var role: String

        public init(m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false, role: String = "") {
            self.m = m; self.n = n; self.k = k; self.transA = transA; self.transB = transB; self.role = role
        }

        /// "2048x256x256".
        public var dims: String { "\(m)x\(n)x\(k)" }
        /// "NN", "TN", …
        public var op: String { (transA ? "T" : "N") + (transB ? "T" : "N") }
        /// Floating-point operations of one product (2·m·n·k).
        public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }

        /// The most elements one operand or the result may have (256 MiB of floats), so that a typo in a
        /// shape cannot ask for more memory than the machine has.
        public static let maximumMatrixElements = 1 << 26

        /// Parses "MxNxK" or "MxNxK:OP" (OP in NN, NT, TN, TT); nil unless all three dimensions are positive
        /// whole numbers and no matrix exceeds `maximumMatrixElements`.
        public init?(parsing s: String) {
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 1 || parts.count == 2 else { return nil }
            let d = parts[0].split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
            guard d.count == 3, let m = d[0], let n = d[1], let k = d[2], m > 0, n > 0, k > 0 else { return nil }
            for (rows, columns) in [(m, k), (k, n), (m, n)] {
                let (elements, overflow) = rows.multipliedReportingOverflow(by: columns)
                guard !overflow, elements <= Self.maximumMatrixElements else { return nil }
            }
            let op = parts.count > 1 ? parts[1].uppercased() : "NN"
            guard ["NN", "NT", "TN", "TT"].contains(op) else { return nil }
            self.init(m: m, n: n, k: k, transA: op.first == "T", transB: op.last == "T", role: "")
        }
    }

    /// The transformer shapes (B=16, L=128, d_model 256, d_inner 1024, 16 heads × 16).
    public static let transformerCases: [Case] = [
        Case(m: 2048, n: 256, k: 256, role: "b16*s128: x@Wq"),
        Case(m: 2048, n: 1024, k: 256, role: "b16*s128: FFN up"),
        Case(m: 2048, n: 256, k: 1024, role: "b16*s128: FFN down"),
        Case(m: 4096, n: 1024, k: 256, role: "4096: FFN up"),
        Case(m: 4096, n: 256, k: 1024, transB: true, role: "bwd dX = dY W^T"),
        Case(m: 256, n: 1024, k: 4096, transA: true, role: "bwd dW = X^T dY"),
        Case(m: 128, n: 256, k: 256, role: "1 seq of 128: x@Wq"),
        Case(m: 128, n: 128, k: 16, transB: true, role: "attn QK^T one head"),
        Case(m: 128, n: 16, k: 128, role: "attn PV one head"),
    ]

    /// A way to compute the product: a backend at float32, or our bfloat16 GEMM.
    public enum Path: String, CaseIterable, Sendable {
        /// Our GEMM at `CPU.level`.
        case swift
        /// Our GEMM at the AVX2 level (shown beside `swift` where that is AVX-512).
        case swiftAVX2 = "swift-avx2"
        /// OpenBLAS as loaded (with its core type).
        case openblas
        /// Our bfloat16 GEMM (float32 accumulation; AVX512-BF16).
        case swiftBF16 = "swift-bf16"

        /// Whether this machine can run the path.
        public var isAvailable: Bool {
            switch self {
            case .swift: return true
            case .swiftAVX2: return CPU.level != .avx2
            case .openblas: return Gemm.isOpenBLASAvailable
            case .swiftBF16: return BF16Gemm.isSupported
            }
        }

        /// Runs `C = op(A)·op(B)` on this path.
        func run(_ c: Case, threads: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                 out: UnsafeMutablePointer<Float>) {
            let lda = c.transA ? c.m : c.k, ldb = c.transB ? c.k : c.n
            switch self {
            case .swift, .openblas:
                Gemm.sgemm(backend: self == .swift ? .swift : .openblas, threads: threads, transA: c.transA,
                           transB: c.transB, m: c.m, n: c.n, k: c.k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb,
                           beta: 0, c: out, ldc: c.n)
            case .swiftAVX2:
                SwiftGemm.sgemm(transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, alpha: 1, a: a, lda: lda,
                                b: b, ldb: ldb, beta: 0, c: out, ldc: c.n, threads: threads, level: .avx2)
            case .swiftBF16:
                BF16Gemm.sgemm(transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, alpha: 1, a: a, lda: lda,
                               b: b, ldb: ldb, beta: 0, c: out, ldc: c.n, threads: threads)
            }
        }
    }

    /// One measured (case, threads, path).
    public struct Measurement: Sendable {
        public var gemmCase: Case
        public var threads: Int
        public var backend: Path
        /// Best and median GFLOP/s over the samples.
        public var best: Double, median: Double
        /// Largest relative error of 64 spot-checked entries against a Double dot product.
        public var maxRelativeError: Double
    }

    public var cases: [Case]
    public var threadCounts: [Int]
    public var backends: [Path]
    /// Samples per (case, threads, backend), each at least `sampleTime` seconds.
    public var samples: Int
    public var sampleTime: Double
    /// Time single-threaded runs by the thread's CPU time instead of wall time (robust when other processes
    /// compete for the cores; multi-threaded runs always use wall time).
    public var cpuClockForOneThread: Bool

    public init(cases: [Case] = GemmBenchmark.transformerCases, threadCounts: [Int] = [1, 2],
                backends: [Path]? = nil, samples: Int = 7, sampleTime: Double = 0.04,
                cpuClockForOneThread: Bool = false) {
        self.cpuClockForOneThread = cpuClockForOneThread
        self.cases = cases
        self.threadCounts = threadCounts
        self.backends = backends ?? Path.allCases.filter(\.isAvailable)
        self.samples = samples
        self.sampleTime = sampleTime
    }

    /// Runs everything; `progress` is called after each (case, threads) with its measurements.
    public func run(progress: ([Measurement]) -> Void = { _ in }) -> [Measurement] {
        var all: [Measurement] = []
        for c in cases {
            var g = SeededGenerator(seed: 42)
            let aCount = c.m * c.k, bCount = c.k * c.n
            let a = Tensor.randomUniform([aCount], low: -1, high: 1, using: &g)
            let b = Tensor.randomUniform([bCount], low: -1, high: 1, using: &g)
            let out = Tensor.zeros([c.m * c.n])
            for t in threadCounts {
                var rates: [Path: [Double]] = [:]
                var errors: [Path: Double] = [:]
                let call: (Path) -> Void = { path in
                    path.run(c, threads: t, a: a.unsafePointer, b: b.unsafePointer, out: out.unsafePointer)
                }
                for backend in backends {
                    call(backend); call(backend)  // warm-up
                    errors[backend] = spotCheck(c, a: a.unsafePointer, b: b.unsafePointer, c: out.unsafePointer)
                }
                for _ in 0..<samples {
                    for backend in backends {
                        let clock = t == 1 && cpuClockForOneThread ? BenchClock.threadCPUTime : BenchClock.now
                        let s = BenchClock.secondsPerCall(minTime: sampleTime, clock: clock) { call(backend) }
                        rates[backend, default: []].append(c.flops / s / 1e9)
                    }
                }
                let ms = backends.map { backend in
                    Measurement(gemmCase: c, threads: t, backend: backend, best: rates[backend]!.max()!,
                                median: BenchClock.median(rates[backend]!), maxRelativeError: errors[backend]!)
                }
                progress(ms)
                all += ms
            }
        }
        return all
    }

    /// The last line of `rt bench gemm`: `swift/openblas (M>=2048, 1 thread): min X.XX median Y.YY` over the
    /// cases with M ≥ 2048 measured on one thread (best GFLOP/s of each backend), or `openblas not found`.
    public static func summaryLine(_ ms: [Measurement]) -> String {
        let ratios = ratios(ms, threads: 1).filter { $0.gemmCase.m >= 2048 }.map(\.ratio)
        guard !ratios.isEmpty else {
            return Gemm.isOpenBLASAvailable ? "swift/openblas (M>=2048, 1 thread): no data" : "openblas not found"
        }
        let min = ratios.min()!, med = BenchClock.median(ratios)
        return "swift/openblas (M>=2048, 1 thread): min \(format2(min)) median \(format2(med))"
    }

    /// Swift/OpenBLAS ratio of best GFLOP/s per case on `threads`.
    public static func ratios(_ ms: [Measurement], threads: Int) -> [(gemmCase: Case, ratio: Double)] {
        var out: [(Case, Double)] = []
        let mine = ms.filter { $0.threads == threads }
        var seen = Set<String>()
        for m in mine where !seen.contains(m.gemmCase.dims + m.gemmCase.op) {
            seen.insert(m.gemmCase.dims + m.gemmCase.op)
            let same = mine.filter { $0.gemmCase.dims == m.gemmCase.dims && $0.gemmCase.op == m.gemmCase.op }
            if let s = same.first(where: { $0.backend == .swift }), let o = same.first(where: { $0.backend == .openblas }) {
                out.append((m.gemmCase, s.best / o.best))
            }
        }
        return out
    }

    /// "0.93".
    public static func format2(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        var s = "\(r)"
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < 2 { s += String(repeating: "0", count: 2 - decimals) }
        } else { s += ".00" }
        return s
    }

    /// Relative error of 64 entries of C against a Double dot product.
    func spotCheck(_ c: Case, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c out: UnsafePointer<Float>)
        -> Double
    {
        var g = SeededGenerator(seed: 7)
        let entries = (0..<64).map { _ in (Int(g.next() % UInt64(c.m)), Int(g.next() % UInt64(c.n))) }
        return GemmReference.maxRelativeError(transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, a: a, b: b,
                                              c: out, entries: entries)
    }
}
