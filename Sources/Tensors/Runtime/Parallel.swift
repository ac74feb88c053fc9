import CKernels

/// Fork/join helpers over the persistent thread pool of `CKernels` (`rt_pool_run`): workers are created once and
/// spin for 300 µs between jobs before they sleep, so back-to-back kernels reach them in well under a microsecond.
/// (`DispatchQueue.concurrentPerform` was used before; on the 2-core KVM machines its worker often woke too late to
/// take part in a 1.5 ms two-part job, and a 2-thread GEMM ran at the 1-thread rate in about half the calls.)
///
/// Rules kept by every kernel: work items write disjoint outputs; reductions split the input into **fixed**
/// chunks (independent of the thread count) and combine the partial results in chunk order, so results are
/// bit-identical for any number of threads; and nothing here is called with a multi-threaded BLAS running
/// inside the parallel region (see `Gemm.withSingleThreadedBLAS`).
public enum Parallel {
    /// Calls `body` on contiguous sub-ranges that together cover `0..<count`, in parallel on up to
    /// `Engine.threads` threads. Ranges are at least `grain` long (except the last), so tiny inputs run inline.
    /// `body` must only write outputs belonging to its range.
    public static func forRanges(_ count: Int, grain: Int = 1, threads: Int = Engine.threads,
                                 _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let maxParts = max(1, count / max(grain, 1))
        let parts = min(threads, maxParts)
        if parts <= 1 {
            body(0..<count)
            return
        }
        run(parts: parts, threads: threads) { part in
            let lo = count * part / parts
            let hi = count * (part + 1) / parts
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Calls `body(part)` for every part in `0..<parts` on up to `threads` threads (the caller is one of them) and
    /// returns when all are done. Which thread runs which part varies: `body`'s effects must not depend on it.
    /// Nested calls (from inside a part) run inline.
    public static func run(parts: Int, threads: Int = Engine.threads, _ body: (Int) -> Void) {
        guard parts > 0 else { return }
        if parts == 1 || threads <= 1 {
            for p in 0..<parts { body(p) }
            return
        }
        withoutActuallyEscaping(body) { body in
            var task = body
            withUnsafeMutablePointer(to: &task) { context in
                rt_pool_run(parts, threads, { context, part in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(part)
                }, context)
            }
        }
    }

    /// Calls `body(i)` for every `i` in `0..<count`, spreading contiguous blocks of indices over the threads.
    public static func forEach(_ count: Int, threads: Int = Engine.threads, _ body: (Int) -> Void) {
        forRanges(count, grain: 1, threads: threads) { r in for i in r { body(i) } }
    }

    /// A deterministic parallel sum: `0..<count` is cut into fixed chunks of `chunk` elements, `partial(range)`
    /// computes each chunk's sum (in any thread), and the partial sums are added in chunk order. The result is
    /// identical for every thread count.
    public static func sum(_ count: Int, chunk: Int, threads: Int = Engine.threads,
                           _ partial: (Range<Int>) -> Double) -> Double {
        guard count > 0 else { return 0 }
        let chunks = (count + chunk - 1) / chunk
        if chunks == 1 { return partial(0..<count) }
        var partials = [Double](repeating: 0, count: chunks)
        partials.withUnsafeMutableBufferPointer { out in
            let o = out.baseAddress!
            forEach(chunks, threads: threads) { c in
                o[c] = partial(c * chunk..<min(count, (c + 1) * chunk))
            }
        }
        var total = 0.0
        for p in partials { total += p }
        return total
    }
}
