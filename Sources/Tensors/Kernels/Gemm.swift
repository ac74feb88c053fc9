import Foundation

/// Every matrix product of the engine goes through here: `C = alpha · op(A) · op(B) + beta · C`.
///
/// Row-major throughout. `op(A)` is `m × k` (A stored `m × k` with row stride `lda`, or `k × m` when
/// `transA`), `op(B)` is `k × n`, C is `m × n` with row stride `ldc`. Leading dimensions and pointer offsets let
/// a caller address sub-matrices without copies — e.g. head `h` of a `[B·L, H·dₕ]` activation is
/// `a: x + h·dₕ, lda: H·dₕ`. With `beta == 0`, C is write-only (it may hold garbage or NaN); `beta == 1`
/// accumulates (used for gradients).
///
/// Backends (docs/engine.md §4.2): OpenBLAS when `libopenblas.so.0` can be loaded, else our own `SwiftGemm`.
/// `RT_BLAS=swift|openblas` forces one. Threads: `Engine.threads` (both backends), or one thread inside
/// `withSingleThreadedBLAS` — the rule is never to run a multi-threaded GEMM inside a parallel region.
public enum Gemm {
    /// A GEMM implementation.
    public enum Backend: String, CaseIterable, Sendable {
        /// Our packed, register-blocked SIMD GEMM (`SwiftGemm`).
        case swift
        /// OpenBLAS's `cblas_sgemm`, loaded at run time.
        case openblas
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var selected: Backend?
    nonisolated(unsafe) private static var openBLASThreads = 0
    nonisolated(unsafe) private static var singleThreadDepth = 0

    /// True when OpenBLAS could be loaded.
    public static var isOpenBLASAvailable: Bool { OpenBLASLibrary.shared != nil }

    /// A one-line description of the loaded OpenBLAS (file and kernel family), or why it could not be loaded.
    public static var openBLASDescription: String {
        if let lib = OpenBLASLibrary.shared { return "\(lib.soname) (core: \(lib.coreName ?? "unknown"))" }
        return OpenBLASLibrary.loadError ?? "not found"
    }

    /// The backend requested by the environment: `RT_BLAS=swift|openblas`, or when unset OpenBLAS if it loads
    /// and Swift otherwise.
    /// - Throws: `TensorError.backendUnavailable` for an unknown value, or `openblas` without OpenBLAS.
    public static func backendFromEnvironment() throws -> Backend {
        if let b = try requestedBackend() {
            if b == .openblas && !isOpenBLASAvailable {
                throw TensorError.backendUnavailable(
                    detail: "RT_BLAS=openblas but OpenBLAS is unavailable: \(openBLASDescription)")
            }
            return b
        }
        return isOpenBLASAvailable ? .openblas : .swift
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

    /// The backend in use. Resolved on first use from `backendFromEnvironment()`; if the environment asks for
    /// something impossible, the Swift GEMM is used and a warning goes to stderr once (tools call
    /// `backendFromEnvironment()` first to turn that into an error).
    public static var backend: Backend {
        lock.lock()
        defer { lock.unlock() }
        if let s = selected { return s }
        let b: Backend
        do { b = try backendFromEnvironment() } catch {
            FileHandle.standardError.write(Data("warning: \(error); using the Swift GEMM\n".utf8))
            b = .swift
        }
        selected = b
        return b
    }

    /// Selects the backend for all later calls.
    /// - Throws: `TensorError.backendUnavailable` when asking for OpenBLAS and it is absent.
    public static func setBackend(_ b: Backend) throws {
        if b == .openblas && !isOpenBLASAvailable {
            throw TensorError.backendUnavailable(detail: "OpenBLAS is unavailable: \(openBLASDescription)")
        }
        lock.lock()
        selected = b
        lock.unlock()
    }

    /// Called by `Engine.setThreads`.
    static func threadsDidChange() {
        lock.lock()
        openBLASThreads = 0  // re-set lazily on the next OpenBLAS call
        lock.unlock()
    }

    /// Threads a GEMM may use right now.
    static var effectiveThreads: Int { singleThreadDepth > 0 ? 1 : Engine.threads }

    /// Runs `body` — typically a `concurrentPerform` over attention heads that calls `sgemm` per head — with
    /// every GEMM (OpenBLAS included) restricted to the calling thread. Call it from outside parallel regions.
    public static func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        singleThreadDepth += 1
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
        sgemm(backend: backend, threads: effectiveThreads, transA: transA, transB: transB, m: m, n: n, k: k,
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
