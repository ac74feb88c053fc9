import Foundation

/// Process-wide engine settings: the number of threads kernels may use.
///
/// Default: the number of active processors, or `RT_THREADS` when set. Changing it also sets OpenBLAS's thread
/// count. Results never depend on it: every reduction splits its work in fixed chunks, independent of threads.
public enum Engine {
    /// The most threads `RT_THREADS` may ask for.
    public static let maximumThreads = 4096

    nonisolated(unsafe) private static var _threads: Int = {
        if let n = try? threadsFromEnvironment() { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// The thread count `RT_THREADS` asks for, or nil when it is unset or empty. An unusable value is ignored by
    /// the engine (which then uses every core); tools call this first to turn it into an error.
    /// - Throws: `TensorError.environment` unless the value is a whole number from 1 to `maximumThreads`.
    public static func threadsFromEnvironment() throws -> Int? {
        guard let value = ProcessInfo.processInfo.environment["RT_THREADS"], !value.isEmpty else { return nil }
        guard let n = Int(value.trimmingCharacters(in: .whitespaces)), (1...maximumThreads).contains(n) else {
            throw TensorError.environment(
                variable: "RT_THREADS", detail: "'\(value)' is not a thread count (expected a whole number from 1 to \(maximumThreads))")
        }
        return n
    }

    /// Threads used by GEMM and by the row-parallel kernels.
    public static var threads: Int { _threads }

    /// Sets the thread count (at least 1) for our kernels and for OpenBLAS. Call it between ops, not from inside
    /// a parallel region.
    public static func setThreads(_ n: Int) {
        _threads = max(1, n)
        Gemm.threadsDidChange()
    }
}
