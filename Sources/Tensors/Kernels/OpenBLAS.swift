import Foundation

/// OpenBLAS, loaded at run time with `dlopen("libopenblas.so.0")` so that the package builds and runs with the
/// Swift toolchain alone (docs/engine.md §4.2). Only three symbols are used: `cblas_sgemm`,
/// `openblas_set_num_threads` and (for the log line) `openblas_get_corename`.
///
/// Which OpenBLAS variant is loaded is decided by the system (on Debian, update-alternatives picks between the
/// pthread and OpenMP builds); install `libopenblas0-pthread` for the one we measured (docs/engine.md §4.2).
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
    /// The file name that was loaded.
    let soname: String

    /// The library, or nil when no OpenBLAS can be loaded (the reason is in `loadError`).
    static let shared: OpenBLASLibrary? = {
        do { return try OpenBLASLibrary() } catch {
            loadError = "\(error)"
            return nil
        }
    }()
    nonisolated(unsafe) static var loadError: String?

    private init() throws {
        #if os(Linux)
        let candidates = ["libopenblas.so.0", "libopenblas.so"]
        #else
        let candidates = ["libopenblas.0.dylib", "libopenblas.dylib", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib"]
        #endif
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
        guard let s = dlsym(handle, "cblas_sgemm"), let t = dlsym(handle, "openblas_set_num_threads") else {
            throw TensorError.backendUnavailable(
                detail: "\(loaded) lacks cblas_sgemm or openblas_set_num_threads")
        }
        sgemm = unsafeBitCast(s, to: SgemmFunction.self)
        setNumThreads = unsafeBitCast(t, to: SetThreadsFunction.self)
        if let c = dlsym(handle, "openblas_get_corename") {
            coreName = unsafeBitCast(c, to: NameFunction.self)().map { String(cString: $0) }
        } else {
            coreName = nil
        }
        soname = loaded
    }
}
