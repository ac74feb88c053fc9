/// A Float32 tensor: a shape and a window onto contiguous, row-major storage.
///
/// `Tensor` is a small value (storage reference + offset + shape), but the **elements are shared**, as in
/// PyTorch: copying a `Tensor` or taking a view (`reshaped`, `rows`) never copies data, and writing through one
/// view is visible in the others. `copy()` makes an independent copy.
///
/// Autodiff identity travels with the value: a tensor produced by a recording `Tape` from tracked inputs, a
/// parameter, or a tensor marked with `requiringGradient()` carries a `GradientSlot`, and after
/// `Tape.backward` its gradient is in `gradient` (kept for leaves and parameters; intermediate gradients are
/// released as soon as backward has used them).
///
/// Raw access for kernels: `unsafePointer` is valid while this tensor (or any tensor sharing its storage) is
/// alive; prefer `withUnsafeBufferPointer`/`withUnsafeMutableBufferPointer`, which guarantee that.
public struct Tensor: CustomStringConvertible, @unchecked Sendable {
    /// The dimensions, outermost first.
    public let shape: Shape
    /// The memory this tensor is a window onto (possibly shared with other tensors).
    public let storage: TensorStorage
    /// Index of the first element in `storage`, in floats.
    public let offset: Int
    /// Autodiff identity (nil: no gradient is tracked for this tensor).
    public internal(set) var slot: GradientSlot?

    /// A view onto `storage` starting at `offset` (the storage must hold `offset + shape.count` floats).
    public init(shape: Shape, storage: TensorStorage, offset: Int = 0) {
        precondition(offset >= 0 && offset + shape.count <= storage.capacity, "view outside its storage")
        self.shape = shape
        self.storage = storage
        self.offset = offset
        self.slot = nil
    }

    /// A tensor with uninitialised elements, from the buffer pool. Kernels that overwrite every element use this.
    public init(uninitialized shape: Shape) {
        self.init(shape: shape, storage: TensorStorage(uninitializedCount: shape.count))
    }

    /// A tensor holding `scalars` (row-major) with the given shape.
    /// - Throws: `TensorError.shapeMismatch` when `scalars.count != shape.count`.
    public init(_ scalars: [Float], shape: Shape) throws {
        guard scalars.count == shape.count, shape.dims.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.shapeMismatch(
                op: "Tensor.init", shapes: [shape], detail: "\(scalars.count) scalars for \(shape.count) elements")
        }
        self.init(uninitialized: shape)
        scalars.withUnsafeBufferPointer { src in
            if let b = src.baseAddress { unsafePointer.update(from: b, count: scalars.count) }
        }
    }

    /// A rank-0 tensor holding one value.
    public init(scalar: Float) {
        self.init(uninitialized: [])
        unsafePointer.pointee = scalar
    }

    /// A rank-1 tensor holding `scalars`.
    public init(_ scalars: [Float]) {
        // Cannot fail: the shape is derived from the count.
        self.init(uninitialized: [scalars.count])
        scalars.withUnsafeBufferPointer { src in
            if let b = src.baseAddress { unsafePointer.update(from: b, count: scalars.count) }
        }
    }

    /// Number of elements.
    public var count: Int { shape.count }

    /// Pointer to the first element; valid while this tensor's storage is alive (see the type's notes).
    public var unsafePointer: UnsafeMutablePointer<Float> { storage.base + offset }

    /// Calls `body` with the elements (read-only), keeping the storage alive meanwhile.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) {
            try body(UnsafeBufferPointer(start: unsafePointer, count: count))
        }
    }

    /// Calls `body` with the elements (writable; every tensor sharing the storage sees the writes).
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R)
        rethrows -> R
    {
        try withExtendedLifetime(storage) {
            try body(UnsafeMutableBufferPointer(start: unsafePointer, count: count))
        }
    }

    /// The elements in row-major order (a copy).
    public var scalars: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    /// The first element: the value of a scalar or one-element tensor (e.g. a loss).
    public var scalarValue: Float {
        precondition(count >= 1, "scalarValue of an empty tensor")
        return withExtendedLifetime(storage) { unsafePointer.pointee }
    }

    /// An independent copy of the elements (not tracked by autodiff).
    public func copy() -> Tensor {
        let t = Tensor(uninitialized: shape)
        withExtendedLifetime(storage) { t.unsafePointer.update(from: unsafePointer, count: count) }
        return t
    }

    /// A view with a new shape over the same elements (no copy, not tracked; use `Tape.reshape` to
    /// differentiate through a reshape). One dimension may be -1 and is then inferred.
    /// - Throws: `TensorError.shapeMismatch` when the element counts differ.
    public func reshaped(_ newShape: Shape) throws -> Tensor {
        let resolved = try Tensor.resolve(newShape, count: count, op: "reshape", from: shape)
        return Tensor(shape: resolved, storage: storage, offset: offset)
    }

    /// A view of rows `range` along axis 0 (contiguous, no copy, not tracked).
    /// - Throws: `TensorError.invalidArgument` when the range is outside `0..<shape[0]` or the tensor is rank 0.
    public func rows(_ range: Range<Int>) throws -> Tensor {
        guard shape.rank >= 1, range.lowerBound >= 0, range.upperBound <= shape[0] else {
            throw TensorError.invalidArgument(op: "rows", detail: "rows \(range) of a tensor of shape \(shape)")
        }
        var s = shape
        s[0] = range.count
        let rowSize = shape.rank == 0 ? 1 : shape.count / max(shape[0], 1)
        return Tensor(shape: s, storage: storage, offset: offset + range.lowerBound * rowSize)
    }

    /// The same elements without autodiff identity (like `detach()` in PyTorch).
    public var detached: Tensor {
        Tensor(shape: shape, storage: storage, offset: offset)
    }

    /// The accumulated gradient after `Tape.backward` (nil before, or when none flowed to this tensor).
    public var gradient: Tensor? { slot?.value }

    /// True when autodiff tracks this tensor.
    public var requiresGradient: Bool { slot != nil }

    /// This tensor marked as a leaf whose gradient is wanted: ops recorded on a tape from it are differentiated,
    /// and `gradient` holds the result after `Tape.backward`. Gradients accumulate over backward passes until
    /// `zeroGradient()`.
    public func requiringGradient(name: String? = nil) -> Tensor {
        var t = detached
        t.slot = GradientSlot(shape: shape, retainsGradient: true, name: name)
        return t
    }

    /// Drops the accumulated gradient of a leaf.
    public func zeroGradient() {
        slot?.reset()
    }

    public var description: String {
        let values = withUnsafeBufferPointer { b in b.prefix(8).map { "\($0)" }.joined(separator: ", ") }
        return "Tensor\(shape)[\(values)\(count > 8 ? ", …" : "")]"
    }

    /// Resolves one `-1` dimension and checks the element count.
    static func resolve(_ newShape: Shape, count: Int, op: String, from: Shape) throws -> Shape {
        var dims = newShape.dims
        let unknown = dims.indices.filter { dims[$0] == -1 }
        guard unknown.count <= 1, dims.allSatisfy({ $0 >= -1 }) else {
            throw TensorError.shapeMismatch(op: op, shapes: [from, newShape], detail: "invalid target shape")
        }
        if let u = unknown.first {
            let known = dims.enumerated().filter { $0.offset != u }.reduce(1) { $0 * $1.element }
            guard known > 0, count % known == 0 else {
                throw TensorError.shapeMismatch(
                    op: op, shapes: [from, newShape], detail: "cannot infer -1 for \(count) elements")
            }
            dims[u] = count / known
        }
        let resolved = Shape(dims)
        guard resolved.count == count else {
            throw TensorError.shapeMismatch(
                op: op, shapes: [from, newShape], detail: "\(count) elements cannot take shape \(resolved)")
        }
        return resolved
    }
}
