import ArgumentParser
import Foundation
import Tensors

// What the `rt bench` verbs share: the clock choice, the load guard around a measurement, table padding and the
// checks of their numeric options.

/// Which clock times single-threaded benchmark runs.
enum BenchClockChoice: String, ExpressibleByArgument, CaseIterable {
    /// Monotonic wall time.
    case wall
    /// The measuring thread's CPU time: nearly unaffected by other processes on a busy machine.
    case cpu

    var read: () -> Double { self == .cpu ? BenchClock.threadCPUTime : BenchClock.now }
}

/// The load guard around a measurement (docs/engine.md §10): optionally wait until the machine is idle,
/// then log to stderr how much CPU other processes used while the benchmark ran — a run with more than a few
/// tenths of a second of it per 10 s is noisy.
struct LoadGuard {
    private let monitor: LoadMonitor
    private let start: Double

    /// Waits (with `waitIdle`, up to 15 minutes) for an idle machine, then starts watching.
    init(waitIdle: Bool) {
        if waitIdle && !LoadMonitor.waitUntilIdle() { printError("warning: machine did not become idle") }
        monitor = LoadMonitor()
        start = BenchClock.now()
    }

    /// Logs `foreign CPU during the run: X s over Y s` and returns X (nil where /proc/stat is unavailable).
    @discardableResult
    func finish() -> Double? {
        let foreign = monitor.foreignSeconds()
        if let foreign {
            printError(String(format: "foreign CPU during the run: %.1f s over %.0f s", foreign, BenchClock.now() - start))
        }
        return foreign
    }
}

/// Left- and right-aligned table cells (at least one space between columns).
enum TableCell {
    static func left(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }

    static func right(_ s: String, _ width: Int) -> String {
        s.count >= width ? " " + s : String(repeating: " ", count: width - s.count) + s
    }
}

/// Checks of numeric options, with the option's name in the message (a usage error: exit status 2).
enum OptionCheck {
    static func positive(_ value: Int, _ option: String) throws {
        guard value >= 1 else { throw ValidationError("\(option) must be a positive whole number, not \(value)") }
    }

    static func inRange(_ value: Int, _ range: ClosedRange<Int>, _ option: String) throws {
        guard range.contains(value) else {
            throw ValidationError("\(option) must be from \(range.lowerBound) to \(range.upperBound), not \(value)")
        }
    }

    /// A positive, finite number of seconds.
    static func seconds(_ value: Double, _ option: String, maximum: Double = 3600) throws {
        guard value.isFinite, value > 0, value <= maximum else {
            throw ValidationError("\(option) must be a number of seconds above 0 and at most \(Int(maximum)), not \(value)")
        }
    }

    /// A thread count: 1 … `Engine.maximumThreads`.
    static func threads(_ value: Int, _ option: String = "--threads") throws {
        try inRange(value, 1...Engine.maximumThreads, option)
    }
}
