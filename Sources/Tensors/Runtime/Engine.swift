import Foundation

/// Process-wide engine settings: the number of threads kernels may use.
///
/// Default: the number of active processors, or `RT_THREADS` when set. Changing it also sets OpenBLAS's thread
/// count. Results never depend on it: every reduction splits its work in fixed chunks, independent of threads.
public enum Engine {
    nonisolated(unsafe) private static var _threads: Int = {
        if let s = ProcessInfo.processInfo.environment["RT_THREADS"], let n = Int(s), n >= 1 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Threads used by GEMM and by the row-parallel kernels.
    public static var threads: Int { _threads }

    /// Sets the thread count (at least 1) for our kernels and for OpenBLAS. Call it between ops, not from inside
    /// a parallel region.
    public static func setThreads(_ n: Int) {
        _threads = max(1, n)
        Gemm.threadsDidChange()
    }
}
