import Foundation

/// Timing helpers for `rt bench …` (benchmarks are never timed unit tests).
public enum BenchClock {
    /// Monotonic time in seconds.
    @inline(__always)
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// CPU time of the calling thread in seconds: what a single-threaded kernel costs, nearly unaffected by
    /// other processes competing for the cores (unlike wall time).
    @inline(__always)
    public static func threadCPUTime() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Calls `body` repeatedly until at least `minTime` seconds have passed on `clock`; returns seconds per call.
    public static func secondsPerCall(minTime: Double, clock: () -> Double = now, _ body: () -> Void) -> Double {
        var calls = 0
        let t0 = clock()
        var t = t0
        repeat {
            body()
            calls += 1
            t = clock()
        } while t - t0 < minTime
        return (t - t0) / Double(calls)
    }

    /// Median of a non-empty list.
    public static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
    }
}

/// CPU time spent by *other* processes while a benchmark ran ("foreign CPU", the load guard of
/// docs/engine.md §10): the machine's busy time from `/proc/stat` minus this process's own CPU time.
/// Runs with more than a few tenths of a second of foreign CPU per 10 s are noisy.
public struct LoadMonitor {
    private var busy0: Double
    private var own0: Double

    public init() {
        busy0 = LoadMonitor.machineBusySeconds() ?? 0
        own0 = LoadMonitor.ownCPUSeconds()
    }

    /// Seconds of CPU used by other processes since `init` (nil where /proc/stat is unavailable).
    public func foreignSeconds() -> Double? {
        guard let busy = LoadMonitor.machineBusySeconds() else { return nil }
        return max(0, (busy - busy0) - (LoadMonitor.ownCPUSeconds() - own0))
    }

    /// Waits (up to `timeout` seconds) until the machine is idle: under 5 % of one core busy over 2 s.
    /// Returns whether it became idle.
    @discardableResult
    public static func waitUntilIdle(timeout: Double = 900) -> Bool {
        let start = BenchClock.now()
        while BenchClock.now() - start < timeout {
            guard let a = machineBusySeconds() else { return true }
            Thread.sleep(forTimeInterval: 2)
            guard let b = machineBusySeconds() else { return true }
            if b - a < 0.1 { return true }
        }
        return false
    }

    /// Busy CPU seconds of the whole machine (user + nice + system + irq + softirq), from /proc/stat.
    static func machineBusySeconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let f = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard f.count >= 7 else { return nil }
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (f[0] + f[1] + f[2] + f[5] + f[6]) / hz
    }

    /// This process's user + system CPU seconds.
    static func ownCPUSeconds() -> Double {
        var u = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        #else
        getrusage(RUSAGE_SELF, &u)
        #endif
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) * 1e-6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) * 1e-6
    }
}
