import Foundation

/// Which GEMM runs each product, decided by measurement on this machine (docs/engine.md §4.3).
///
/// Products fall into three shape classes (`ShapeClass`). On first use — when `RT_BLAS` does not force a backend —
/// every available path (our kernels at `CPU.level`, OpenBLAS as loaded) is checked on representative transformer
/// shapes of each class: for correctness against a Double reference, for bit-identical results on 1 and N threads,
/// and for speed at the machine's thread count. The fastest correct path wins, but OpenBLAS only when it is at
/// least 25 % faster than ours (`openBLASMargin`: mixing backends has a cost the isolated numbers do not show) (ours is bit-identical across thread counts and kernel levels, so preferring it keeps
/// runs reproducible between machines that differ only in their instruction sets). The decision is the same for
/// every thread count (so `--threads` never changes a result) and is cached per machine in
/// `$RT_CACHE_DIR` (default `$XDG_CACHE_HOME/rt`, else `~/.cache/rt`), keyed by CPU model, flags, kernel level and
/// OpenBLAS build; `rt doctor --remeasure` measures again.
public enum GemmDispatch {
    /// Shape classes, by the number of multiply-adds `m·n·k`.
    public enum ShapeClass: String, CaseIterable, Codable, Sendable {
        /// ≥ 2²⁴: the batch-wide projections, feed-forward layers and their gradients (multi-threaded).
        case large
        /// 2²⁰ … 2²⁴: one sequence's projections (inference on one molecule).
        case sequence
        /// < 2²⁰: per-head attention products (single-threaded inside head-parallel loops).
        case attention

        /// The class of an `m × n × k` product.
        @inline(__always)
        public static func of(m: Int, n: Int, k: Int) -> ShapeClass {
            let work = m * n * k
            return work >= 1 << 24 ? .large : work >= 1 << 20 ? .sequence : .attention
        }

        /// Representative shapes (M×N×K, transposes) of the class, for `d_model` 256, `d_inner` 1024, B·L = 2048.
        var shapes: [(m: Int, n: Int, k: Int, transA: Bool, transB: Bool)] {
            switch self {
            case .large:
                return [(2048, 256, 256, false, false), (2048, 1024, 256, false, false),
                        (2048, 256, 1024, false, true), (256, 1024, 2048, true, false)]
            case .sequence:
                return [(128, 256, 256, false, false), (128, 1024, 256, false, false), (128, 256, 1024, false, true)]
            case .attention:
                return [(128, 128, 16, false, true), (128, 16, 128, false, false), (128, 16, 128, true, false)]
            }
        }

        /// The class's position in `allCases` (the index of its backend in `Gemm`'s routing table).
        @inline(__always)
        var index: Int {
            switch self {
            case .large: return 0
            case .sequence: return 1
            case .attention: return 2
            }
        }

        /// Threads the class is measured on: attention products run one per thread.
        func measuringThreads(_ machineThreads: Int) -> Int { self == .attention ? 1 : machineThreads }
    }

    /// The outcome for one class: the chosen backend and what each candidate measured.
    public struct ClassChoice: Codable, Sendable {
        public var backend: Gemm.Backend
        /// GFLOP/s over the class's shapes, per backend (raw value).
        public var gigaflops: [String: Double]
        /// Why each rejected candidate was rejected (raw value → reason), if not simply slower.
        public var rejected: [String: String]
        /// GFLOP/s of our bfloat16 GEMM on the class's shapes (large and sequence classes, where AVX512-BF16 exists).
        public var bf16Gigaflops: Double?
    }

    /// A decision for every class, with the machine it was measured on.
    public struct Decision: Codable, Sendable {
        public var key: String
        public var machineThreads: Int
        public var measuredAt: String
        public var classes: [String: ClassChoice]

        /// The backend for `shapeClass` (ours when the decision lacks the class).
        public func backend(for shapeClass: ShapeClass) -> Gemm.Backend {
            classes[shapeClass.rawValue]?.backend ?? .swift
        }
    }

    /// OpenBLAS must beat ours by this factor to be chosen. Not 1.05: mixing the two costs more than the isolated
    /// per-class numbers show — OpenBLAS's threads spin-yield while ours run, and every head-parallel region switches
    /// OpenBLAS to one thread and back. Measured on Zen 4 (2026-12-07, `rt bench infer`, 1×128, 2 threads, medians of
    /// 4 alternating runs): OpenBLAS for the sequence and attention classes (isolated: 1.09× and 1.23× faster than
    /// ours) gave 17.3 ms per plain forward, ours for everything 13.9 ms.
    public static let openBLASMargin = 1.25
    /// `--precision auto` picks bf16 only when our bfloat16 GEMM beats the float32 choice by this factor.
    public static let bf16Margin = 1.2

    /// The machine's key: CPU, flags, kernel level, OpenBLAS build and core choice, thread count, schema.
    public static var machineKey: String {
        let sig = CPU.signature
        var parts = ["gemm-dispatch/3", CPU.brand, "\(sig.family).\(sig.model).\(sig.stepping)", CPU.features.description,
                     "level=\(CPU.level.rawValue)", "threads=\(machineThreads)"]
        if let lib = OpenBLASLibrary.shared {
            parts += [lib.soname, lib.config ?? lib.coreName ?? "?", lib.coreChoice.description]
        } else {
            parts.append("no-openblas")
        }
        return parts.joined(separator: " | ")
    }

    /// The thread count decisions are measured at: every active core (at most 64).
    public static var machineThreads: Int { min(64, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    /// The cache directory: `$RT_CACHE_DIR`, else `$XDG_CACHE_HOME/rt`, else `~/.cache/rt`.
    public static var cacheDirectory: URL {
        let env = ProcessInfo.processInfo.environment
        if let d = env["RT_CACHE_DIR"], !d.isEmpty { return URL(fileURLWithPath: d) }
        if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return URL(fileURLWithPath: x).appendingPathComponent("rt") }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/rt")
    }

    /// The cache file of this machine's key.
    public static var cacheFile: URL {
        var h: UInt64 = 0xcbf29ce484222325  // FNV-1a of the key
        for byte in machineKey.utf8 { h = (h ^ UInt64(byte)) &* 0x100000001b3 }
        return cacheDirectory.appendingPathComponent("gemm-dispatch-\(String(h, radix: 16)).json")
    }

    /// The cached decision for this machine, if any (a file for another key, or unreadable, counts as none).
    public static func cachedDecision() -> Decision? {
        guard let data = try? Data(contentsOf: cacheFile),
              let d = try? JSONDecoder().decode(Decision.self, from: data), d.key == machineKey else { return nil }
        return d
    }

    /// What happened to the cache on the last `decide` (for `rt doctor`).
    nonisolated(unsafe) public private(set) static var cacheNote = "not consulted"

    /// The cached decision, or a new measurement (then cached; a cache that cannot be written only costs a
    /// re-measurement next time).
    public static func decide(remeasure: Bool = false) -> Decision {
        if !remeasure, let d = cachedDecision() {
            cacheNote = "read from \(cacheFile.path)"
            return d
        }
        let d = measure()
        do {
            try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(d).write(to: cacheFile, options: .atomic)
            cacheNote = "measured now, saved to \(cacheFile.path)"
        } catch {
            cacheNote = "measured now; not saved (\(error.localizedDescription))"
        }
        return d
    }

    /// Measures every class on every available backend and on our bfloat16 GEMM (about a second on 2 cores).
    public static func measure() -> Decision {
        let threads = machineThreads
        var classes: [String: ClassChoice] = [:]
        let candidates: [Gemm.Backend] = Gemm.isOpenBLASAvailable ? [.swift, .openblas] : [.swift]
        for shapeClass in ShapeClass.allCases {
            var rejected: [String: String] = [:]
            var runners: [(name: String, backend: Gemm.Backend?)] = []
            for backend in candidates {
                if let why = problem(backend, shapeClass, threads: threads) {
                    rejected[backend.rawValue] = why
                } else {
                    runners.append((backend.rawValue, backend))
                }
            }
            if shapeClass != .attention && BF16Gemm.isSupported { runners.append(("bf16", nil)) }
            // Candidates take turns, five rounds, best of each: a burst of foreign load hits them all alike.
            var best: [String: Double] = [:]
            let t = shapeClass.measuringThreads(threads)
            for _ in 0..<5 {
                for r in runners { best[r.name] = max(best[r.name] ?? 0, gigaflops(r.backend, shapeClass, threads: t)) }
            }
            let bf16 = best.removeValue(forKey: "bf16")
            let ours = best[Gemm.Backend.swift.rawValue] ?? 0
            var choice = Gemm.Backend.swift
            if let theirs = best[Gemm.Backend.openblas.rawValue], theirs > ours * openBLASMargin { choice = .openblas }
            classes[shapeClass.rawValue] = ClassChoice(backend: choice, gigaflops: best, rejected: rejected,
                                                       bf16Gigaflops: bf16)
        }
        let stamp = ISO8601DateFormatter().string(from: Date())
        return Decision(key: machineKey, machineThreads: threads, measuredAt: stamp, classes: classes)
    }

    /// Why `backend` must not serve `shapeClass` (wrong results, or results that change with the thread count),
    /// or nil. Checked on the class's first shape, scaled down to keep the Double reference cheap.
    static func problem(_ backend: Gemm.Backend, _ shapeClass: ShapeClass, threads: Int) -> String? {
        var g = SeededGenerator(seed: 23)
        for s in shapeClass.shapes.prefix(2) {
            let m = min(s.m, 256), n = s.n, k = s.k
            let a = (0..<(m * k)).map { _ in Float(Gaussian.unitInterval(using: &g) * 2 - 1) }
            let b = (0..<(k * n)).map { _ in Float(Gaussian.unitInterval(using: &g) * 2 - 1) }
            var one = [Float](repeating: 0, count: m * n), many = one
            let lda = s.transA ? m : k, ldb = s.transB ? k : n
            Gemm.sgemm(backend: backend, threads: 1, transA: s.transA, transB: s.transB, m: m, n: n, k: k, alpha: 1,
                       a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: &one, ldc: n)
            Gemm.sgemm(backend: backend, threads: threads, transA: s.transA, transB: s.transB, m: m, n: n, k: k,
                       alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: &many, ldc: n)
            if !one.elementsEqual(many, by: { $0.bitPattern == $1.bitPattern }) {
                return "results differ between 1 and \(threads) threads on \(m)x\(n)x\(k)"
            }
            let sampled = stride(from: 0, to: m, by: 7).flatMap { i in stride(from: 0, to: n, by: 5).map { j in (i, j) } }
            let worst = GemmReference.maxRelativeError(transA: s.transA, transB: s.transB, m: m, n: n, k: k, a: a,
                                                       b: b, c: one, entries: sampled)
            if worst > 1e-5 { return "wrong results on \(m)x\(n)x\(k) (relative error \(worst))" }
        }
        return nil
    }

    /// GFLOP/s over the class's shapes on `backend` (nil: our bfloat16 GEMM): one pass over them to warm up, then
    /// the better of 2 timed passes.
    static func gigaflops(_ backend: Gemm.Backend?, _ shapeClass: ShapeClass, threads: Int) -> Double {
        let shapes = shapeClass.shapes
        let biggest = shapes.map { max($0.m * $0.k, $0.k * $0.n, $0.m * $0.n) }.max() ?? 1
        let a = [Float](repeating: 0.5, count: biggest), b = [Float](repeating: 0.25, count: biggest)
        var c = [Float](repeating: 0, count: biggest)
        let flops = shapes.reduce(0.0) { $0 + 2.0 * Double($1.m * $1.n * $1.k) }
        let repeats = shapeClass == .large ? 1 : 20
        func pass() {
            for _ in 0..<repeats {
                for s in shapes {
                    let lda = s.transA ? s.m : s.k, ldb = s.transB ? s.k : s.n
                    if let backend {
                        Gemm.sgemm(backend: backend, threads: threads, transA: s.transA, transB: s.transB, m: s.m,
                                   n: s.n, k: s.k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: &c, ldc: s.n)
                    } else {
                        BF16Gemm.sgemm(transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, alpha: 1, a: a,
                                       lda: lda, b: b, ldb: ldb, beta: 0, c: &c, ldc: s.n, threads: threads)
                    }
                }
            }
        }
        pass()
        var best = Double.infinity
        for _ in 0..<2 {
            let t0 = BenchClock.now()
            pass()
            best = min(best, BenchClock.now() - t0)
        }
        return flops * Double(repeats) / best / 1e9
    }
}
