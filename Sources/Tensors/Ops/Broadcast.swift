/// NumPy broadcasting of two shapes: trailing axes aligned, an axis of extent 1 (or a missing leading axis)
/// stretches to the other operand's extent. The result is walked row by row (all axes but the last), each
/// operand advancing with stride 0 along axes where it is broadcast.
struct Broadcast {
    /// The result's shape.
    let shape: Shape
    /// Element strides of a and b along each result axis (0 where broadcast).
    let aStrides: [Int], bStrides: [Int]
    /// Result axes as walked: at least one axis.
    let dims: [Int]

    init(_ a: Shape, _ b: Shape, op: String) throws {
        let rank = max(a.rank, b.rank)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.rank ? 1 : a.dims[i - (rank - a.rank)]
            let db = i < rank - b.rank ? 1 : b.dims[i - (rank - b.rank)]
            guard da == db || da == 1 || db == 1 else {
                throw TensorError.shapeMismatch(
                    op: op, shapes: [a, b], detail: "axis \(i - rank) has extents \(da) and \(db), which do not broadcast")
            }
            out[i] = da == 1 ? db : da
        }
        shape = Shape(out)
        aStrides = Broadcast.strides(of: a, in: out)
        bStrides = Broadcast.strides(of: b, in: out)
        dims = out.isEmpty ? [1] : out
    }

    /// Strides of `s` viewed in result axes `out` (0 for stretched or missing axes).
    static func strides(of s: Shape, in out: [Int]) -> [Int] {
        let own = s.strides
        var r = [Int](repeating: 0, count: max(out.count, 1))
        for i in 0..<out.count {
            let j = i - (out.count - s.rank)
            if j >= 0 && s.dims[j] != 1 { r[i] = own[j] }
        }
        return r
    }

    /// Rows (product of all result axes but the last) and the length of a row.
    var rows: Int { dims.dropLast().reduce(1, *) }
    var inner: Int { dims.last! }
    /// Strides of a and b along the last axis: 1 or 0 (stretched).
    var aInner: Int { aStrides.last ?? 0 }
    var bInner: Int { bStrides.last ?? 0 }

    /// Calls `body(outOffset, aOffset, bOffset)` for each row in `range`, in order.
    func forEachRow(_ range: Range<Int>, _ body: (Int, Int, Int) -> Void) {
        guard !range.isEmpty else { return }
        let outer = dims.count - 1
        var index = [Int](repeating: 0, count: max(outer, 1))
        var rem = range.lowerBound
        var ao = 0, bo = 0
        for ax in stride(from: outer - 1, through: 0, by: -1) {
            index[ax] = rem % dims[ax]
            rem /= dims[ax]
            ao += index[ax] * aStrides[ax]
            bo += index[ax] * bStrides[ax]
        }
        for row in range {
            body(row * inner, ao, bo)
            // Advance the odometer over the outer axes.
            var ax = outer - 1
            while ax >= 0 {
                index[ax] += 1
                ao += aStrides[ax]
                bo += bStrides[ax]
                if index[ax] < dims[ax] { break }
                ao -= aStrides[ax] * dims[ax]
                bo -= bStrides[ax] * dims[ax]
                index[ax] = 0
                ax -= 1
            }
        }
    }
}
