import Foundation

/// A process-wide pool of 64-byte-aligned float buffers, so that training loops do not pay for `malloc`/`free`
/// (and the page faults of fresh `mmap`ed memory) on every op.
///
/// Tensor storage comes from here and goes back here when its last reference disappears. Requests are rounded
/// up to a size class (multiples of 16 floats up to 1024, then 8 classes per power of two, so at most 12.5 %
/// is wasted), and a freed buffer is handed to the next request of the same class. A training step allocates
/// the same sizes every time, so after the first step it allocates no new memory. `trim()` gives everything
/// cached back to the system.
///
/// Thread-safe (one lock; a pool operation costs tens of nanoseconds, far below any op that allocates).
public final class BufferPool: @unchecked Sendable {
    /// The pool every tensor uses.
    public static let shared = BufferPool()

    /// Counters for tests and benchmarks.
    public struct Statistics: Equatable, Sendable {
        /// Buffers obtained from the system.
        public var freshAllocations = 0
        /// Requests served from the pool's free lists.
        public var reusedAllocations = 0
        /// Bytes currently held in free lists.
        public var cachedBytes = 0
        /// Bytes currently handed out (in use by tensors or scratch space).
        public var liveBytes = 0
        /// The largest `liveBytes` seen since the last `resetPeak()`.
        public var peakLiveBytes = 0
    }

    /// Debugging aid (on in the test suite): fill buffers with NaN when handed out and when given back, so that
    /// reading uninitialised memory or a buffer after its tensor died shows up as NaN instead of stale values.
    nonisolated(unsafe) public var poisonsBuffers = false

    private let lock = NSLock()
    private var free: [Int: [UnsafeMutableRawPointer]] = [:]
    private var stats = Statistics()

    /// The byte alignment of every buffer (one cache line; enough for any SIMD load).
    public static let alignment = 64

    public init() {}

    /// Rounds a request of `count` floats up to its size class.
    public static func sizeClass(_ count: Int) -> Int {
        let n = max(count, 16)
        if n <= 1024 { return (n + 15) & ~15 }
        let top = Int.bitWidth - 1 - n.leadingZeroBitCount  // floor(log2 n)
        let step = 1 << (top - 3)
        return (n + step - 1) / step * step
    }

    /// A buffer of at least `count` floats (uninitialised). Returns it and its real capacity in floats.
    public func allocate(_ count: Int) -> (UnsafeMutablePointer<Float>, Int) {
        let capacity = BufferPool.sizeClass(count)
        let bytes = capacity * MemoryLayout<Float>.stride
        lock.lock()
        let reused = free[capacity]?.popLast()
        if reused != nil {
            stats.reusedAllocations += 1
            stats.cachedBytes -= bytes
        } else {
            stats.freshAllocations += 1
        }
        stats.liveBytes += bytes
        stats.peakLiveBytes = max(stats.peakLiveBytes, stats.liveBytes)
        lock.unlock()
        let raw = reused ?? UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: BufferPool.alignment)
        let p = raw.bindMemory(to: Float.self, capacity: capacity)
        if poisonsBuffers { p.update(repeating: .nan, count: capacity) }
        return (p, capacity)
    }

    /// Returns a buffer obtained from `allocate` (with the capacity `allocate` reported).
    public func release(_ pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        let bytes = capacity * MemoryLayout<Float>.stride
        if poisonsBuffers { pointer.update(repeating: .nan, count: capacity) }
        lock.lock()
        free[capacity, default: []].append(UnsafeMutableRawPointer(pointer))
        stats.cachedBytes += bytes
        stats.liveBytes -= bytes
        lock.unlock()
    }

    /// Frees every cached buffer.
    public func trim() {
        lock.lock()
        let lists = free
        free = [:]
        stats.cachedBytes = 0
        lock.unlock()
        for (_, list) in lists { for p in list { p.deallocate() } }
    }

    /// A snapshot of the counters.
    public var statistics: Statistics {
        lock.lock()
        defer { lock.unlock() }
        return stats
    }

    /// Sets `peakLiveBytes` to the current `liveBytes`.
    public func resetPeak() {
        lock.lock()
        stats.peakLiveBytes = stats.liveBytes
        lock.unlock()
    }

    /// Runs `body` with a scratch buffer of at least `count` floats (uninitialised) that goes back to the pool
    /// afterwards.
    public func withScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> R) rethrows -> R {
        let (p, capacity) = allocate(count)
        defer { release(p, capacity: capacity) }
        return try body(p)
    }
}
