import Foundation

/// Every matrix product of the engine goes through here: `C = alpha · op(A) · op(B) + beta · C`.
///
/// Row-major throughout. `op(A)` is `m × k` (A stored `m × k` with row stride `lda`, or `k × m` when
/// `transA`), `op(B)` is `k × n`, C is `m × n` with row stride `ldc`. Leading dimensions and pointer offsets let
/// a caller address sub-matrices without copies — e.g. head `h` of a `[B·L, H·dₕ]` activation is
/// `a: x + h·dₕ, lda: H·dₕ`. With `beta == 0`, C is write-only (it may hold garbage or NaN); `beta == 1`
/// accumulates (used for gradients).
///
/// Backends (docs/engine.md §4.2): our own GEMM (`SwiftGemm`, at `CPU.level`) and OpenBLAS when
/// `libopenblas.so.0` loads. Which one serves a product is decided per shape class by measurement on this machine
/// (`GemmDispatch`, cached); `RT_BLAS=swift|openblas` forces one for everything. Threads: `Engine.threads` (both
/// backends), or one thread inside `withSingleThreadedBLAS` — the rule is never to run a multi-threaded GEMM inside
/// a parallel region.
public enum Gemm {
    /// A GEMM implementation.
    public enum Backend: String, CaseIterable, Codable, Sendable {
        /// Our packed, register-blocked GEMM (`SwiftGemm` around the `CKernels` micro-kernels).
        case swift
        /// OpenBLAS's `cblas_sgemm`, loaded at run time.
        case openblas
    }

    /// The precision of the operands of large products.
    public enum Precision: String, CaseIterable, Codable, Sendable {
        /// float32 operands (the default): every result as the float32 path computes it.
        case float32
        /// Operands of the large and sequence classes rounded to bfloat16 (round to nearest even), float32
        /// accumulation and results (`BF16Gemm`); attention products stay float32. Needs AVX512-BF16.
        case bf16
    }

    nonisolated(unsafe) private static var bf16Products = false
    /// Tests only: with `.bf16`, send the attention class through the bfloat16 GEMM too (small fixtures have no
    /// large products).
    nonisolated(unsafe) static var bf16IncludesAttention = false

    /// The precision in use (process-wide; `.float32` unless `setPrecision` changed it).
    public static var precision: Precision { bf16Products ? .bf16 : .float32 }

    /// Sets the precision of later products. Call it between ops, not from inside a parallel region.
    /// - Throws: `TensorError.backendUnavailable` for `.bf16` on a CPU without AVX512-BF16 (naming the flag).
    public static func setPrecision(_ p: Precision) throws {
        if p == .bf16 && !BF16Gemm.isSupported {
            throw TensorError.backendUnavailable(
                detail: "bf16 products need avx512_bf16, which this CPU lacks (has: \(CPU.features))")
        }
        bf16Products = p == .bf16
    }

    /// The precision `auto` stands for on this machine: bf16 where the dispatcher measured our bfloat16 GEMM at
    /// least `GemmDispatch.bf16Margin` times faster than the float32 path chosen for large products, else
    /// float32; with the reason, for the tools to print.
    public static var automaticPrecision: (precision: Precision, reason: String) {
        guard BF16Gemm.isSupported else { return (.float32, "no avx512_bf16 on this CPU") }
        let d = dispatchDecision ?? GemmDispatch.decide()
        guard let large = d.classes[GemmDispatch.ShapeClass.large.rawValue],
              let bf16 = large.bf16Gigaflops, let f32 = large.gigaflops[large.backend.rawValue] else {
            return (.float32, "bf16 not measured")
        }
        let ratio = bf16 / f32
        let detail = String(format: "bf16 GEMM %.0f vs float32 %.0f GFLOP/s on large products (%.2fx)", bf16, f32, ratio)
        return ratio >= GemmDispatch.bf16Margin ? (.bf16, detail) : (.float32, detail)
    }

    private static let lock = NSLock()
    /// Guards `routes` and `decision` (separate from `lock`: measuring calls GEMMs, which take `lock`).
    private static let routeLock = NSLock()
    /// The backend of each `GemmDispatch.ShapeClass` (by its `index`), resolved on first use.
    nonisolated(unsafe) private static var routes: [Backend]?
    /// The measured decision behind `routes` (nil when a backend is forced).
    nonisolated(unsafe) private static var decision: GemmDispatch.Decision?
    nonisolated(unsafe) private static var openBLASThreads = 0
    nonisolated(unsafe) private static var singleThreadDepth = 0

    /// True when OpenBLAS could be loaded.
    public static var isOpenBLASAvailable: Bool { OpenBLASLibrary.shared != nil }

    /// A one-line description of the loaded OpenBLAS (file, kernel family and how it was chosen), or why it could
    /// not be loaded.
    public static var openBLASDescription: String {
        if let lib = OpenBLASLibrary.shared {
            return "\(lib.soname) (core: \(lib.coreName ?? "unknown"), \(lib.coreChoice))"
        }
        return OpenBLASLibrary.loadError ?? "not found"
    }

    /// `openblas_get_config()` of the loaded OpenBLAS (version and build), when it says.
    public static var openBLASConfig: String? { OpenBLASLibrary.shared?.config }

    /// The backend requested by the environment (`RT_BLAS=swift|openblas`), nil when unset.
    /// - Throws: `TensorError.backendUnavailable` for an unknown value, or `openblas` without OpenBLAS.
    public static func backendFromEnvironment() throws -> Backend? {
        guard let b = try requestedBackend() else { return nil }
        if b == .openblas && !isOpenBLASAvailable {
            throw TensorError.backendUnavailable(
                detail: "RT_BLAS=openblas but OpenBLAS is unavailable: \(openBLASDescription)")
        }
        return b
    }

    /// The backend `RT_BLAS` names (any case), or nil when it is unset or empty; whether it can be loaded is
    /// not checked (`backendFromEnvironment()` does that).
    /// - Throws: `TensorError.backendUnavailable` for a value other than `swift` or `openblas`.
    public static func requestedBackend() throws -> Backend? {
        guard let value = ProcessInfo.processInfo.environment["RT_BLAS"], !value.isEmpty else { return nil }
        guard let b = Backend(rawValue: value.lowercased()) else {
            throw TensorError.backendUnavailable(detail: "RT_BLAS=\(value): expected 'swift' or 'openblas'")
        }
        return b
    }

    /// The backend per shape class, resolving it on first use: `RT_BLAS` or `setBackend` when set, else the
    /// measured decision (`GemmDispatch.decide()`). If the environment asks for something impossible, the
    /// decision is used and a warning goes to stderr once (tools call `backendFromEnvironment()` first to turn
    /// that into an error).
    static var resolvedRoutes: [Backend] {
        if let r = routes { return r }
        routeLock.lock()
        defer { routeLock.unlock() }
        if let r = routes { return r }
        var forced: Backend?
        do { forced = try backendFromEnvironment() } catch {
            FileHandle.standardError.write(Data("warning: \(error); choosing the GEMM by measurement\n".utf8))
        }
        let r: [Backend]
        if let forced {
            r = GemmDispatch.ShapeClass.allCases.map { _ in forced }
        } else {
            let d = GemmDispatch.decide()
            decision = d
            r = GemmDispatch.ShapeClass.allCases.map { d.backend(for: $0) }
        }
        routes = r
        return r
    }

    /// The backend serving products of `shapeClass`.
    public static func backend(for shapeClass: GemmDispatch.ShapeClass) -> Backend {
        resolvedRoutes[shapeClass.index]
    }

    /// The measured decision in use, or nil when a backend is forced (`RT_BLAS`, `setBackend`).
    public static var dispatchDecision: GemmDispatch.Decision? {
        _ = resolvedRoutes
        routeLock.lock()
        defer { routeLock.unlock() }
        return decision
    }

    /// One line naming the path of every shape class, e.g.
    /// `large: swift/avx512, sequence: swift/avx512, attention: openblas/Cooperlake (measured)`.
    public static var pathDescription: String {
        let forced = dispatchDecision == nil
        let parts = GemmDispatch.ShapeClass.allCases.map { c -> String in
            let b = backend(for: c)
            let detail = b == .swift ? CPU.level.rawValue : (OpenBLASLibrary.shared?.coreName ?? "?")
            return "\(c.rawValue): \(b.rawValue)/\(detail)"
        }
        return parts.joined(separator: ", ") + (forced ? " (forced)" : " (measured)")
    }

    /// Sends every later product to `b` (benchmarks and tests); `nil` returns to the measured decision.
    /// - Throws: `TensorError.backendUnavailable` when asking for OpenBLAS and it is absent.
    public static func setBackend(_ b: Backend?) throws {
        if b == .openblas && !isOpenBLASAvailable {
            throw TensorError.backendUnavailable(detail: "OpenBLAS is unavailable: \(openBLASDescription)")
        }
        routeLock.lock()
        if let b {
            routes = GemmDispatch.ShapeClass.allCases.map { _ in b }
            decision = nil
        } else {
            routes = nil
        }
        routeLock.unlock()
    }

    /// Called by `Engine.setThreads`.
    static func threadsDidChange() {
        lock.lock()
        openBLASThreads = 0  // re-set lazily on the next OpenBLAS call
        lock.unlock()
    }

    /// Threads a GEMM may use right now.
    static var effectiveThreads: Int { singleThreadDepth > 0 ? 1 : Engine.threads }

    /// Runs `body` — typically a `Parallel.forEach` over attention heads that calls `sgemm` per head — with
    /// every GEMM (OpenBLAS included) restricted to the calling thread. Call it from outside parallel regions.
    ///
    /// OpenBLAS is switched to one thread here, on entry (`openblas_set_num_threads` must not be called from the
    /// parallel region itself); the next multi-threaded call switches it back. Without this, OpenBLAS products
    /// inside the region ran with the thread count of the last large product and serialised on OpenBLAS's own
    /// thread server.
    public static func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        singleThreadDepth += 1
        if singleThreadDepth == 1, openBLASThreads != 1, let lib = OpenBLASLibrary.ifLoaded {
            lib.setNumThreads(1)
            openBLASThreads = 1
        }
        lock.unlock()
        defer {
            lock.lock()
            singleThreadDepth -= 1
            lock.unlock()
        }
        return try body()
    }

    /// `C = alpha · op(A) · op(B) + beta · C` on the current backend (see the type's notes for shapes).
    @inline(__always)
    public static func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let shapeClass = GemmDispatch.ShapeClass.of(m: m, n: n, k: k)
        if bf16Products && (shapeClass != .attention || bf16IncludesAttention) && k > 0 {
            BF16Gemm.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b,
                           ldb: ldb, beta: beta, c: c, ldc: ldc, threads: effectiveThreads)
            return
        }
        sgemm(backend: resolvedRoutes[shapeClass.index], threads: effectiveThreads, transA: transA, transB: transB, m: m, n: n, k: k,
              alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// The same on an explicit backend and thread count (benchmarks and tests). An unavailable OpenBLAS, or
    /// dimensions beyond OpenBLAS's 32-bit integers, fall back to the Swift GEMM.
    public static func sgemm(backend: Backend, threads: Int, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                             alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m <= 0 || n <= 0 { return }
        let limit = Int(Int32.max)
        if backend == .openblas, let lib = OpenBLASLibrary.shared,
           m <= limit, n <= limit, k <= limit, lda <= limit, ldb <= limit, ldc <= limit {
            if singleThreadDepth == 0 {
                lock.lock()
                if openBLASThreads != threads {
                    lib.setNumThreads(Int32(threads))
                    openBLASThreads = threads
                }
                lock.unlock()
            }
            lib.sgemm(OpenBLASLibrary.rowMajor, transA ? OpenBLASLibrary.trans : OpenBLASLibrary.noTrans,
                      transB ? OpenBLASLibrary.trans : OpenBLASLibrary.noTrans,
                      Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)), beta, c,
                      Int32(max(ldc, 1)))
        } else {
            SwiftGemm.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                            b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, threads: threads)
        }
    }

    /// `count` independent products `C_i = alpha · op(A_i) · op(B_i) + beta · C_i` of the same shape, where
    /// `offsets(i)` gives the element offsets of `A_i`, `B_i`, `C_i` from `a`, `b`, `c` (so per-head slices of
    /// `[B·L, H·dₕ]` activations need no copies).
    ///
    /// Small products run in parallel across items with single-threaded GEMMs; large ones one after another,
    /// each using every thread. When items write overlapping parts of C (e.g. accumulating one weight gradient
    /// over a batch with `beta = 1`), pass `outputsOverlap: true`: they then run in order on one thread each.
    public static func batched(count: Int, transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                               alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                               ldb: Int, beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int,
                               outputsOverlap: Bool = false,
                               offsets: (Int) -> (a: Int, b: Int, c: Int)) {
        guard count > 0 else { return }
        let small = m * n * k < (1 << 22)
        if count == 1 || !small || outputsOverlap || Engine.threads == 1 || singleThreadDepth > 0 {
            for i in 0..<count {
                let o = offsets(i)
                sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a + o.a, lda: lda,
                      b: b + o.b, ldb: ldb, beta: beta, c: c + o.c, ldc: ldc)
            }
            return
        }
        nonisolated(unsafe) let c = c
        withSingleThreadedBLAS {
            Parallel.forEach(count) { i in
                let o = offsets(i)
                sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a + o.a, lda: lda,
                      b: b + o.b, ldb: ldb, beta: beta, c: c + o.c, ldc: ldc)
            }
        }
    }

    /// `batched` with constant strides between consecutive items.
    public static func batched(count: Int, transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                               alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, strideA: Int,
                               b: UnsafePointer<Float>, ldb: Int, strideB: Int, beta: Float = 0,
                               c: UnsafeMutablePointer<Float>, ldc: Int, strideC: Int) {
        batched(count: count, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, outputsOverlap: strideC == 0) { i in
            (i * strideA, i * strideB, i * strideC)
        }
    }
}
