import Foundation

/// Softmax and log-softmax over the last axis.
///
/// `softmax(x)_j = e^(x_j − m) / Σ_k e^(x_k − m)` with m the row maximum; backward
/// `dx = y ⊙ (dy − Σ_j dy_j·y_j)`. `logSoftmax(x)_j = x_j − m − log Σ_k e^(x_k − m)`; backward
/// `dx = dy − e^y · Σ_j dy_j`. Rows of −∞ (fully masked) give NaN, as in PyTorch.
extension Tape {
    /// Softmax over the last axis.
    public func softmax(_ x: Tensor) -> Tensor {
        let (rows, cols) = (x.shape.rows, x.shape.last)
        let y = Tensor(uninitialized: x.shape)
        let xp = x.unsafePointer, yp = y.unsafePointer
        Parallel.forRanges(rows, grain: max(1, 8192 / max(cols, 1))) { r in
            for i in r { Kernels.softmaxRow(xp + i * cols, count: cols, into: yp + i * cols) }
        }
        return record("softmax", inputs: [x], output: y) { g in
            guard let dy = g.outputGradient(), let (dx, acc) = g.writableInputGradient(0) else { return }
            let yp = y.unsafePointer, dyp = dy.unsafePointer, dxp = dx.unsafePointer
            Parallel.forRanges(rows, grain: max(1, 8192 / max(cols, 1))) { r in
                for i in r {
                    Kernels.softmaxBackwardRow(y: yp + i * cols, dy: dyp + i * cols, count: cols, into: dxp + i * cols,
                                               accumulate: acc)
                }
            }
        }
    }

    /// Log-softmax over the last axis.
    public func logSoftmax(_ x: Tensor) -> Tensor {
        let (rows, cols) = (x.shape.rows, x.shape.last)
        let y = Tensor(uninitialized: x.shape)
        let xp = x.unsafePointer, yp = y.unsafePointer
        Parallel.forRanges(rows, grain: max(1, 8192 / max(cols, 1))) { r in
            for i in r { Kernels.logSoftmaxRow(xp + i * cols, count: cols, into: yp + i * cols) }
        }
        return record("logSoftmax", inputs: [x], output: y) { g in
            guard let dy = g.outputGradient(), let dx = g.inputGradient(0) else { return }
            let yp = y.unsafePointer, dyp = dy.unsafePointer, dxp = dx.unsafePointer
            Parallel.forRanges(rows, grain: max(1, 8192 / max(cols, 1))) { r in
                for i in r {
                    Kernels.logSoftmaxBackwardRow(y: yp + i * cols, dy: dyp + i * cols, count: cols, into: dxp + i * cols)
                }
            }
        }
    }
}

extension Kernels {
    /// Maximum of a row (NaN-free rows; −∞ for an empty row).
    @inlinable
    public static func rowMax(_ x: UnsafePointer<Float>, count n: Int) -> Float {
        var m = Vec16(repeating: -.infinity)
        var j = 0
        while j + 16 <= n {
            let v = SIMDMath.load(x + j)
            m.replace(with: v, where: v .> m)
            j += 16
        }
        var s = SIMDMath.max(m)
        while j < n { if x[j] > s { s = x[j] }; j += 1 }
        return s
    }

    /// `y = e^(x − shift)` over a row and returns `Σ y` (in Float, lanes then tail).
    @inlinable
    public static func expShifted(_ x: UnsafePointer<Float>, shift: Float, count n: Int,
                                  into y: UnsafeMutablePointer<Float>) -> Float {
        let vs = Vec16(repeating: shift)
        var acc = Vec16()
        var j = 0
        while j + 16 <= n {
            let e = SIMDMath.exp(SIMDMath.load(x + j) - vs)
            SIMDMath.store(e, y + j)
            acc += e
            j += 16
        }
        if j < n {
            let e = SIMDMath.exp(SIMDMath.load(x + j, count: n - j, fill: -.infinity) - vs)
            SIMDMath.store(e, y + j, count: n - j)
            acc += e
        }
        return SIMDMath.sum(acc)
    }

    /// Softmax of one row (`x` and `y` may alias).
    public static func softmaxRow(_ x: UnsafePointer<Float>, count n: Int, into y: UnsafeMutablePointer<Float>) {
        guard n > 0 else { return }
        let m = rowMax(x, count: n)
        let s = expShifted(x, shift: m, count: n, into: y)
        scale(y, 1 / s, into: y, count: n)
    }

    /// `dx (+)= y ⊙ (dy − Σ dy·y)` for one row (overwrites dx when `accumulate` is false).
    public static func softmaxBackwardRow(y: UnsafePointer<Float>, dy: UnsafePointer<Float>, count n: Int,
                                          into dx: UnsafeMutablePointer<Float>, accumulate: Bool = true) {
        let dot = rowDot(y, dy, count: n)
        let vd = Vec16(repeating: dot)
        var j = 0
        while j + 16 <= n {
            let v = SIMDMath.load(y + j) * (SIMDMath.load(dy + j) - vd)
            SIMDMath.store(accumulate ? SIMDMath.load(dx + j) + v : v, dx + j)
            j += 16
        }
        while j < n { let v = y[j] * (dy[j] - dot); dx[j] = accumulate ? dx[j] + v : v; j += 1 }
    }

    /// Log-softmax of one row (`x` and `y` may alias).
    public static func logSoftmaxRow(_ x: UnsafePointer<Float>, count n: Int, into y: UnsafeMutablePointer<Float>) {
        guard n > 0 else { return }
        let m = rowMax(x, count: n)
        var acc = Vec16()
        let vm = Vec16(repeating: m)
        var j = 0
        while j + 16 <= n { acc += SIMDMath.exp(SIMDMath.load(x + j) - vm); j += 16 }
        if j < n { acc += SIMDMath.exp(SIMDMath.load(x + j, count: n - j, fill: -.infinity) - vm) }
        let lse = m + log(SIMDMath.sum(acc))
        let vl = Vec16(repeating: lse)
        j = 0
        while j + 16 <= n { SIMDMath.store(SIMDMath.load(x + j) - vl, y + j); j += 16 }
        while j < n { y[j] = x[j] - lse; j += 1 }
    }

    /// `dx += dy − e^y · Σ dy` for one row of log-softmax output y.
    public static func logSoftmaxBackwardRow(y: UnsafePointer<Float>, dy: UnsafePointer<Float>, count n: Int,
                                             into dx: UnsafeMutablePointer<Float>) {
        var acc = Vec16()
        var j = 0
        while j + 16 <= n { acc += SIMDMath.load(dy + j); j += 16 }
        var s = SIMDMath.sum(acc)
        while j < n { s += dy[j]; j += 1 }
        let vs = Vec16(repeating: s)
        j = 0
        while j + 16 <= n {
            let v = SIMDMath.load(dy + j) - SIMDMath.exp(SIMDMath.load(y + j)) * vs
            SIMDMath.store(SIMDMath.load(dx + j) + v, dx + j)
            j += 16
        }
        if j < n {
            let k = n - j
            let v = SIMDMath.load(dy + j, count: k) - SIMDMath.exp(SIMDMath.load(y + j, count: k)) * vs
            SIMDMath.store(SIMDMath.load(dx + j, count: k) + v, dx + j, count: k)
        }
    }

    /// `Σ a·b` over a row (Float, 16 lanes then tail).
    @inlinable
    public static func rowDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count n: Int) -> Float {
        var acc = Vec16()
        var j = 0
        while j + 16 <= n { acc = acc.addingProduct(SIMDMath.load(a + j), SIMDMath.load(b + j)); j += 16 }
        var s = SIMDMath.sum(acc)
        while j < n { s += a[j] * b[j]; j += 1 }
        return s
    }
}
