import CKernels
import Foundation

/// OpenBLAS, loaded at run time with `dlopen("libopenblas.so.0")` so that the package builds and runs with the
/// Swift toolchain alone (docs/engine.md §4.2). Symbols used: `cblas_sgemm`, `openblas_set_num_threads`, and for
/// the log lines `openblas_get_corename` and `openblas_get_config`.
///
/// **Core type.** OpenBLAS picks its kernel family from the CPU model at load time. A library older than the CPU
/// does not know the model and falls back to a generic family (Debian's 0.3.21 runs `Prescott` SSE3 kernels on an
/// Intel Xeon of family 6 model 207, at a fifth of its speed). When the loaded copy reports a family below what
/// this CPU's flags allow (`CoreFamily.best(for:)`), a second copy is loaded with `OPENBLAS_CORETYPE` set to the
/// best family (`rt_dlopen_fresh`; the variable is restored right after), checked against a Double reference and
/// timed against the first copy; it replaces the first only when correct and faster. A value of
/// `OPENBLAS_CORETYPE` set by the user is never overridden. `coreChoice` says what happened.
///
/// Which OpenBLAS build is loaded is the system's choice (on Debian, update-alternatives picks between the pthread
/// and OpenMP builds); install `libopenblas0-pthread` for the one we measured (docs/engine.md §4.2).
final class OpenBLASLibrary: @unchecked Sendable {
    typealias SgemmFunction = @convention(c) (
        Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
        UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
    ) -> Void
    typealias SetThreadsFunction = @convention(c) (Int32) -> Void
    typealias NameFunction = @convention(c) () -> UnsafePointer<CChar>?

    // CBLAS enum values (identical in every CBLAS implementation).
    static let rowMajor: Int32 = 101, noTrans: Int32 = 111, trans: Int32 = 112

    let sgemm: SgemmFunction
    let setNumThreads: SetThreadsFunction
    /// The kernel family OpenBLAS selected for this CPU (e.g. "Haswell", "Cooperlake"), when it says.
    let coreName: String?
    /// `openblas_get_config()`: version, build options and family (e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH … Haswell").
    let config: String?
    /// The file name that was loaded.
    let soname: String
    /// How the kernel family was chosen.
    private(set) var coreChoice: CoreChoice = .detected

    /// How the kernel family of the loaded copy came about.
    enum CoreChoice: Equatable, CustomStringConvertible {
        /// OpenBLAS's own detection, which this CPU's flags do not improve on.
        case detected
        /// `OPENBLAS_CORETYPE` was set by the user.
        case userSet(String)
        /// OpenBLAS detected `generic`; a copy forced to `forced` was correct and faster (GFLOP/s before, after).
        case forced(generic: String, forced: String, before: Double, after: Double)
        /// OpenBLAS detected `generic`; forcing `tried` did not help, for `reason`.
        case kept(generic: String, tried: String, reason: String)

        var description: String {
            switch self {
            case .detected: return "detected by OpenBLAS"
            case .userSet(let v): return "OPENBLAS_CORETYPE=\(v) set by the user"
            case let .forced(g, f, before, after):
                return String(format: "OpenBLAS detected %@; forced %@ (%.0f -> %.0f GFLOP/s, checked)", g, f, before, after)
            case let .kept(g, t, reason): return "OpenBLAS detected \(g); forcing \(t) was not used: \(reason)"
            }
        }
    }

    /// OpenBLAS kernel families by the instructions they need, from the generic ones up.
    enum CoreFamily: Int, Comparable {
        case generic = 0, avx2 = 1, avx512 = 2

        static func < (a: CoreFamily, b: CoreFamily) -> Bool { a.rawValue < b.rawValue }

        /// The tier of an `openblas_get_corename()` value (any case); names we do not know count as generic.
        init(coreName: String) {
            switch coreName.lowercased() {
            case "skylakex", "cooperlake", "sapphirerapids": self = .avx512
            case "haswell", "zen", "skylake": self = .avx2
            default: self = .generic
            }
        }

        /// The best `OPENBLAS_CORETYPE` value this CPU's flags allow, with its tier (nil: none better than generic).
        static func best(for features: CPU.Features) -> (name: String, family: CoreFamily)? {
            if features.isSuperset(of: [.avx512f, .avx512bw, .avx512vl, .avx512dq]) {
                return (features.contains(.avx512bf16) ? "Cooperlake" : "SkylakeX", .avx512)
            }
            if features.contains(.avx2) { return ("Haswell", .avx2) }
            return nil
        }
    }

    /// The library, or nil when no OpenBLAS can be loaded (the reason is in `loadError`).
    static let shared: OpenBLASLibrary? = {
        isLoaded = true
        do { return try load() } catch {
            loadError = "\(error)"
            return nil
        }
    }()
    nonisolated(unsafe) static var loadError: String?
    /// Whether `shared` has been resolved (so that callers can skip OpenBLAS without loading it).
    nonisolated(unsafe) private static var isLoaded = false
    /// `shared` if something has already loaded it, else nil (without loading).
    static var ifLoaded: OpenBLASLibrary? { isLoaded ? shared : nil }

    #if os(Linux)
    static let candidates = ["libopenblas.so.0", "libopenblas.so"]
    #else
    static let candidates = ["libopenblas.0.dylib", "libopenblas.dylib", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib"]
    #endif

    /// Loads OpenBLAS and applies the core-type policy of the type's notes.
    static func load() throws -> OpenBLASLibrary {
        var handle: UnsafeMutableRawPointer?
        var loaded = ""
        for name in candidates {
            handle = dlopen(name, RTLD_NOW | RTLD_LOCAL)
            if handle != nil { loaded = name; break }
        }
        guard let handle else {
            let why = dlerror().map { String(cString: $0) } ?? "not found"
            throw TensorError.backendUnavailable(detail: "cannot load \(candidates[0]): \(why)")
        }
        let first = try OpenBLASLibrary(handle: handle, soname: loaded)
        if let user = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], !user.isEmpty {
            first.coreChoice = .userSet(user)
            return first
        }
        let detected = first.coreName ?? "unknown"
        guard let best = CoreFamily.best(for: CPU.features), CoreFamily(coreName: detected) < best.family else {
            return first
        }
        return first.replacedByForcedCopy(detected: detected, family: best.name)
    }

    /// Tries a fresh copy with `OPENBLAS_CORETYPE=family`; returns it when correct and faster, else `self` with
    /// the reason recorded.
    private func replacedByForcedCopy(detected: String, family: String) -> OpenBLASLibrary {
        guard let forced = freshCopy(coreType: family) else {
            coreChoice = .kept(generic: detected, tried: family, reason: "a second copy could not be loaded")
            return self
        }
        guard forced.coreName?.lowercased() == family.lowercased() else {
            coreChoice = .kept(generic: detected, tried: family,
                               reason: "the library does not know it (reports \(forced.coreName ?? "nothing"))")
            return self
        }
        let error = forced.relativeErrorOnCheckShapes()
        guard error < 1e-5 else {
            coreChoice = .kept(generic: detected, tried: family, reason: "wrong results (relative error \(error))")
            return self
        }
        let before = gigaflops(), after = forced.gigaflops()
        guard after > before else {
            coreChoice = .kept(generic: detected, tried: family,
                               reason: String(format: "not faster (%.0f vs %.0f GFLOP/s)", after, before))
            return self
        }
        forced.coreChoice = .forced(generic: detected, forced: family, before: before, after: after)
        return forced
    }

    /// A second, independent copy of this library initialised with `OPENBLAS_CORETYPE=coreType` (nil where
    /// `dlmopen` is unavailable or the copy lacks the symbols).
    func freshCopy(coreType: String) -> OpenBLASLibrary? {
        guard let h = rt_dlopen_fresh(soname, "OPENBLAS_CORETYPE", coreType) else { return nil }
        return try? OpenBLASLibrary(handle: h, soname: soname)
    }

    private init(handle: UnsafeMutableRawPointer, soname: String) throws {
        guard let s = dlsym(handle, "cblas_sgemm"), let t = dlsym(handle, "openblas_set_num_threads") else {
            throw TensorError.backendUnavailable(detail: "\(soname) lacks cblas_sgemm or openblas_set_num_threads")
        }
        sgemm = unsafeBitCast(s, to: SgemmFunction.self)
        setNumThreads = unsafeBitCast(t, to: SetThreadsFunction.self)
        func text(_ symbol: String) -> String? {
            guard let f = dlsym(handle, symbol) else { return nil }
            return unsafeBitCast(f, to: NameFunction.self)().map { String(cString: $0).trimmingCharacters(in: .whitespaces) }
        }
        coreName = text("openblas_get_corename")
        config = text("openblas_get_config")
        self.soname = soname
    }

    /// `C = op(A)·op(B)` through this copy, single-threaded.
    private func product(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, _ a: [Float], _ b: [Float]) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        setNumThreads(1)
        sgemm(Self.rowMajor, transA ? Self.trans : Self.noTrans, transB ? Self.trans : Self.noTrans, Int32(m),
              Int32(n), Int32(k), 1, a, Int32(transA ? m : k), b, Int32(transB ? k : n), 0, &c, Int32(n))
        return c
    }

    /// Largest error, relative to Σ|aᵢbᵢ|, of every transpose combination on two odd shapes against Double.
    func relativeErrorOnCheckShapes() -> Double {
        var g = SeededGenerator(seed: 17)
        var worst = 0.0
        for (m, n, k) in [(67, 45, 130), (130, 200, 37)] {
            let a = (0..<(m * k)).map { _ in Float(Gaussian.unitInterval(using: &g) * 2 - 1) }
            let b = (0..<(k * n)).map { _ in Float(Gaussian.unitInterval(using: &g) * 2 - 1) }
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let c = product(transA: ta, transB: tb, m: m, n: n, k: k, a, b)
                worst = max(worst, GemmReference.maxRelativeError(transA: ta, transB: tb, m: m, n: n, k: k, a: a, b: b,
                                                                  c: c, entries: GemmReference.allEntries(m: m, n: n)))
            }
        }
        return worst
    }

    /// Single-thread GFLOP/s on a 512×256×256 product (best of 5 after a warm-up, about 30 ms in all).
    func gigaflops() -> Double {
        let m = 512, n = 256, k = 256
        let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
        _ = product(transA: false, transB: false, m: m, n: n, k: k, a, b)
        var best = Double.infinity
        for _ in 0..<5 {
            let t0 = BenchClock.now()
            _ = product(transA: false, transB: false, m: m, n: n, k: k, a, b)
            best = min(best, BenchClock.now() - t0)
        }
        return 2.0 * Double(m * n * k) / best / 1e9
    }
}
