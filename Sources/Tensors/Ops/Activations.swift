/// Exact (erf) GELU: `gelu(x) = x · Φ(x)`, `gelu'(x) = Φ(x) + x · φ(x)` (Φ, φ: standard normal CDF and
/// density), as PyTorch's `F.gelu` with `approximate="none"` and HF's `"gelu"` activation. Φ comes from
/// `SIMDMath.normalCDF` (|error| < 1.5e-7).
extension Tape {
    /// `y = gelu(x)` elementwise (exact, erf-based).
    public func gelu(_ x: Tensor) -> Tensor {
        let y = Tensor(uninitialized: x.shape)
        let xp = x.unsafePointer, yp = y.unsafePointer
        Parallel.forRanges(x.count, grain: 16384) { r in
            Kernels.geluForward(xp + r.lowerBound, yp + r.lowerBound, count: r.count)
        }
        return record("gelu", inputs: [x], output: y) { g in
            guard let dy = g.outputGradient(), let (dx, acc) = g.writableInputGradient(0) else { return }
            let xp = x.unsafePointer, dyp = dy.unsafePointer, dxp = dx.unsafePointer
            Parallel.forRanges(x.count, grain: 16384) { r in
                Kernels.geluBackward(x: xp + r.lowerBound, dy: dyp + r.lowerBound, dx: dxp + r.lowerBound,
                                     count: r.count, accumulate: acc)
            }
        }
    }
}

extension Kernels {
    /// `y[i] = x[i] · Φ(x[i])` (`x` and `y` may alias).
    public static func geluForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 16 <= count {
            let v = SIMDMath.load(x + i)
            SIMDMath.store(v * SIMDMath.normalCDF(v), y + i)
            i += 16
        }
        if i < count {
            let v = SIMDMath.load(x + i, count: count - i)
            SIMDMath.store(v * SIMDMath.normalCDF(v), y + i, count: count - i)
        }
    }

    /// Fused bias + GELU over a `rows × cols` matrix: `z[r, j] += bias[j]` in place (z is kept as the
    /// pre-activation for backward) and `y[r, j] = gelu(z[r, j])`. A nil bias skips the add.
    public static func biasGeluForward(z: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, rows: Int,
                                       cols: Int, y: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let zr = z + r * cols, yr = y + r * cols
            var j = 0
            while j + 16 <= cols {
                var v = SIMDMath.load(zr + j)
                if let bias { v += SIMDMath.load(bias + j); SIMDMath.store(v, zr + j) }
                SIMDMath.store(v * SIMDMath.normalCDF(v), yr + j)
                j += 16
            }
            if j < cols {
                let n = cols - j
                var v = SIMDMath.load(zr + j, count: n)
                if let bias { v += SIMDMath.load(bias + j, count: n); SIMDMath.store(v, zr + j, count: n) }
                SIMDMath.store(v * SIMDMath.normalCDF(v), yr + j, count: n)
            }
        }
    }

    /// `dx[i] (+)= dy[i] · (Φ(x[i]) + x[i] · φ(x[i]))`; with `accumulate == false`, dx is overwritten.
    public static func geluBackward(x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>,
                                    count: Int, accumulate: Bool) {
        @inline(__always) func derivative(_ v: Vec16) -> Vec16 {
            SIMDMath.normalCDF(v).addingProduct(v, SIMDMath.normalPDF(v))
        }
        var i = 0
        while i + 16 <= count {
            let d = SIMDMath.load(dy + i) * derivative(SIMDMath.load(x + i))
            SIMDMath.store(accumulate ? SIMDMath.load(dx + i) + d : d, dx + i)
            i += 16
        }
        if i < count {
            let n = count - i
            let d = SIMDMath.load(dy + i, count: n) * derivative(SIMDMath.load(x + i, count: n))
            SIMDMath.store(accumulate ? SIMDMath.load(dx + i, count: n) + d : d, dx + i, count: n)
        }
    }
}
