/// Raw kernels on pointers: the building blocks of the ops and of fused ops written in other modules (which
/// parallelise them as they see fit, e.g. per attention head). Each op family's kernels live in its
/// `Ops/<Family>.swift` file next to the differentiable op; this file holds the generic vector helpers.
///
/// Kernels are single-threaded, except the few reductions that say so (`addColumnSums`, `scatterAddRows`,
/// `layerNormBackward`): those split fixed blocks over `threads` (default `Engine.threads`; pass 1 when calling
/// them from inside your own parallel region).
///
/// Conventions: `count` elements; row-wise kernels take `rows × cols` matrices with row stride `cols`
/// unless a stride is given; backward kernels **accumulate** into their gradient outputs.
public enum Kernels {
    /// `y[i] += x[i]`.
    @inlinable
    public static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            SIMDMath.store(SIMDMath.load(y + i) + SIMDMath.load(x + i), y + i)
            i += 16
        }
        while i < count { y[i] += x[i]; i += 1 }
    }

    /// `y[i] += a · x[i]`.
    @inlinable
    public static func addScaled(_ x: UnsafePointer<Float>, _ a: Float, into y: UnsafeMutablePointer<Float>,
                                 count: Int) {
        let va = Vec16(repeating: a)
        var i = 0
        while i + 16 <= count {
            SIMDMath.store(SIMDMath.load(y + i).addingProduct(va, SIMDMath.load(x + i)), y + i)
            i += 16
        }
        while i < count { y[i] += a * x[i]; i += 1 }
    }

    /// `y[i] = a · x[i]` (`x` and `y` may be the same buffer).
    @inlinable
    public static func scale(_ x: UnsafePointer<Float>, _ a: Float, into y: UnsafeMutablePointer<Float>,
                             count: Int) {
        let va = Vec16(repeating: a)
        var i = 0
        while i + 16 <= count {
            SIMDMath.store(SIMDMath.load(x + i) * va, y + i)
            i += 16
        }
        while i < count { y[i] = a * x[i]; i += 1 }
    }

    /// `Σ x[i]` accumulated in Double, in index order (deterministic).
    @inlinable
    public static func sum(_ x: UnsafePointer<Float>, count: Int) -> Double {
        var s = 0.0
        for i in 0..<count { s += Double(x[i]) }
        return s
    }

    /// `Σ x[i]²` in Double, 16 lanes of Float partial sums per block of 4096 elements, blocks added in order
    /// (deterministic, accurate to ~1e-7 relative).
    public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
        var total = 0.0
        var start = 0
        while start < count {
            let end = min(count, start + 4096)
            var acc = Vec16()
            var i = start
            while i + 16 <= end {
                let v = SIMDMath.load(x + i)
                acc = acc.addingProduct(v, v)
                i += 16
            }
            var s = Double(SIMDMath.sum(acc))
            while i < end { s += Double(x[i]) * Double(x[i]); i += 1 }
            total += s
            start = end
        }
        return total
    }
}
