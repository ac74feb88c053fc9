/// A block of float memory shared by one or more tensors (views). Owns its memory when it came from the
/// `BufferPool` (and returns it there on `deinit`); otherwise it only borrows memory whose owner it keeps alive.
///
/// Kernels never touch this class in their loops: they take `base` once and work on raw pointers.
public final class TensorStorage: @unchecked Sendable {
    /// First element. Valid as long as this object is alive.
    public let base: UnsafeMutablePointer<Float>
    /// Number of floats available at `base`.
    public let capacity: Int
    private let pooled: Bool
    private let owner: AnyObject?

    /// Fresh, uninitialised storage for at least `count` floats from the shared pool.
    public init(uninitializedCount count: Int) {
        let (p, c) = BufferPool.shared.allocate(count)
        base = p
        capacity = c
        pooled = true
        owner = nil
    }

    /// Storage over memory owned by `owner` (kept alive by this object); nothing is freed on `deinit`.
    public init(borrowing base: UnsafeMutablePointer<Float>, capacity: Int, owner: AnyObject?) {
        self.base = base
        self.capacity = capacity
        self.pooled = false
        self.owner = owner
    }

    deinit {
        if pooled { BufferPool.shared.release(base, capacity: capacity) }
    }
}
