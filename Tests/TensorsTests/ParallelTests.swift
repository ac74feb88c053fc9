import XCTest
@testable import Tensors

/// The thread pool behind `Parallel`: every part runs exactly once, for any parts/threads combination, nested calls
/// and concurrent callers; and results of the deterministic helpers do not depend on the thread count.
final class ParallelTests: XCTestCase {
    /// Each part of many jobs of different sizes runs exactly once (counts per part, not just a total).
    func testEveryPartRunsOnce() {
        for threads in [1, 2, 3, 8] {
            for parts in [1, 2, 3, 7, 64, 1000] {
                var counts = [Int](repeating: 0, count: parts)
                counts.withUnsafeMutableBufferPointer { buf in
                    nonisolated(unsafe) let p = buf.baseAddress!
                    Parallel.run(parts: parts, threads: threads) { part in p[part] += 1 }
                }
                XCTAssertEqual(counts, [Int](repeating: 1, count: parts), "parts \(parts) threads \(threads)")
            }
        }
    }

    /// Thousands of back-to-back tiny jobs (the pattern that exposes lost wake-ups and late workers claiming a
    /// part of the next job): each job's parts write their own job number, and every slot ends up with the last.
    func testBackToBackJobs() {
        let parts = 4
        var slots = [Int](repeating: -1, count: parts)
        var sum = 0
        slots.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let p = buf.baseAddress!
            for job in 0..<5000 {
                Parallel.run(parts: parts, threads: 2) { part in p[part] = job }
                for i in 0..<parts where p[i] != job { sum += 1 }
            }
        }
        XCTAssertEqual(sum, 0, "slots not written by their own job")
        XCTAssertEqual(slots, [Int](repeating: 4999, count: parts))
    }

    /// A call from inside a part runs inline and completes before the outer part returns.
    func testNestedCallsRunInline() {
        var totals = [Int](repeating: 0, count: 6)
        totals.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let p = buf.baseAddress!
            Parallel.run(parts: 6, threads: 2) { outer in
                var local = 0
                withUnsafeMutablePointer(to: &local) { lp in
                    nonisolated(unsafe) let lp = lp
                    // Inner parts run one after another on this thread: no race on `local`.
                    Parallel.run(parts: 10, threads: 2) { inner in lp.pointee += inner }
                }
                p[outer] = local
            }
        }
        XCTAssertEqual(totals, [Int](repeating: 45, count: 6))
    }

    /// Several threads submitting jobs at once: one owns the pool, the others run inline; all complete exactly.
    func testConcurrentCallers() {
        let callers = 4, parts = 50
        var counts = [Int](repeating: 0, count: callers * parts)
        counts.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let p = buf.baseAddress!
            DispatchQueue.concurrentPerform(iterations: callers) { caller in
                for _ in 0..<200 {
                    Parallel.run(parts: parts, threads: 2) { part in p[caller * parts + part] += 1 }
                }
            }
        }
        XCTAssertEqual(counts, [Int](repeating: 200, count: callers * parts))
    }

    /// The fixed-chunk sum is bit-identical on 1, 2 and 5 threads.
    func testDeterministicSum() {
        var g = SeededGenerator(seed: 5)
        let x = (0..<100_003).map { _ in Gaussian.unitInterval(using: &g) * 1e6 }
        let sums = [1, 2, 5].map { t in
            x.withUnsafeBufferPointer { buf in
                Parallel.sum(buf.count, chunk: 4096, threads: t) { r in r.reduce(0) { $0 + buf[$1] } }
            }
        }
        XCTAssertEqual(sums[0].bitPattern, sums[1].bitPattern)
        XCTAssertEqual(sums[0].bitPattern, sums[2].bitPattern)
    }
}
