/// The dimensions of a row-major tensor, outermost first: `[B, L, D]` has `B·L·D` elements and its last axis
/// is contiguous in memory.
///
/// A scalar has the empty shape `[]` (one element). Dimensions may be 0 (an empty tensor).
public struct Shape: Hashable, Sendable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The extent of each axis, outermost first.
    public var dims: [Int]

    public init(_ dims: [Int]) {
        self.dims = dims
    }

    public init(arrayLiteral elements: Int...) {
        self.dims = elements
    }

    /// Number of axes.
    public var rank: Int { dims.count }

    /// Number of elements: the product of the dimensions (1 for a scalar).
    public var count: Int { dims.reduce(1, *) }

    /// The extent of axis `i`; negative `i` counts from the end (`-1` is the last axis).
    public subscript(_ i: Int) -> Int {
        get { dims[i < 0 ? dims.count + i : i] }
        set { dims[i < 0 ? dims.count + i : i] = newValue }
    }

    /// The last dimension (the contiguous one), or 1 for a scalar.
    public var last: Int { dims.last ?? 1 }

    /// Product of all dimensions but the last: the number of rows when the tensor is seen as a matrix
    /// `[rows, last]`.
    public var rows: Int { dims.dropLast().reduce(1, *) }

    /// Row-major strides in elements: `strides[i]` = product of `dims[(i+1)...]`.
    public var strides: [Int] {
        var s = [Int](repeating: 1, count: dims.count)
        var acc = 1
        for i in stride(from: dims.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= dims[i]
        }
        return s
    }

    /// Resolves a possibly negative axis index, or returns nil when it is out of range.
    public func normalizedAxis(_ axis: Int) -> Int? {
        let a = axis < 0 ? rank + axis : axis
        return (0..<rank).contains(a) ? a : nil
    }

    public var description: String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }
}
