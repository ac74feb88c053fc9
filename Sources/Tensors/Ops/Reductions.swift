/// Sums and means, over one axis or over everything.
///
/// `sum(x, axis: a)`: `y[o, i] = Σ_j x[o, j, i]` with x seen as `[outer, n, inner]` around axis a; each output
/// adds its inputs in index order (deterministic). Backward broadcasts back: `dx[o, j, i] += dy[o, i]`
/// (× 1/n for the mean). The total `sum(x)` accumulates fixed chunks in Double and returns a rank-0 tensor.
extension Tape {
    /// Sum over `axis` (negative counts from the end); `keepDims` keeps it with extent 1.
    /// - Throws: `TensorError.invalidArgument` for an axis outside the tensor's rank.
    public func sum(_ x: Tensor, axis: Int, keepDims: Bool = false) throws -> Tensor {
        try reduce(x, axis: axis, keepDims: keepDims, mean: false)
    }

    /// Mean over `axis` (negative counts from the end); `keepDims` keeps it with extent 1.
    public func mean(_ x: Tensor, axis: Int, keepDims: Bool = false) throws -> Tensor {
        try reduce(x, axis: axis, keepDims: keepDims, mean: true)
    }

    /// Sum of all elements, as a rank-0 tensor (accumulated in Double over fixed chunks).
    public func sum(_ x: Tensor) -> Tensor { total(x, mean: false) }

    /// Mean of all elements, as a rank-0 tensor (0 for an empty tensor).
    public func mean(_ x: Tensor) -> Tensor { total(x, mean: true) }

    private func total(_ x: Tensor, mean: Bool) -> Tensor {
        let n = x.count
        let xp = x.unsafePointer
        let s = Parallel.sum(n, chunk: 65536) { r in Kernels.sum(xp + r.lowerBound, count: r.count) }
        let factor: Float = mean ? (n > 0 ? 1 / Float(n) : 0) : 1
        let y = Tensor(scalar: Float(mean ? (n > 0 ? s / Double(n) : 0) : s))
        return record(mean ? "mean" : "sum", inputs: [x], output: y) { g in
            guard let dy = g.outputGradient(), let dx = g.inputGradient(0) else { return }
            let v = dy.scalarValue * factor
            let dxp = dx.unsafePointer
            Parallel.forRanges(n, grain: 32768) { r in
                let vv = Vec16(repeating: v)
                var i = r.lowerBound
                while i + 16 <= r.upperBound { SIMDMath.store(SIMDMath.load(dxp + i) + vv, dxp + i); i += 16 }
                while i < r.upperBound { dxp[i] += v; i += 1 }
            }
        }
    }

    private func reduce(_ x: Tensor, axis: Int, keepDims: Bool, mean: Bool) throws -> Tensor {
        let name = mean ? "mean" : "sum"
        guard let a = x.shape.normalizedAxis(axis) else {
            throw TensorError.invalidArgument(op: name, detail: "axis \(axis) out of range for shape \(x.shape)")
        }
        let dims = x.shape.dims
        let outer = dims[..<a].reduce(1, *), n = dims[a], inner = dims[(a + 1)...].reduce(1, *)
        var outDims = dims
        if keepDims { outDims[a] = 1 } else { outDims.remove(at: a) }
        let y = Tensor(uninitialized: Shape(outDims))
        let factor: Float = mean ? (n > 0 ? 1 / Float(n) : 0) : 1
        let xp = x.unsafePointer, yp = y.unsafePointer
        Parallel.forRanges(outer, grain: max(1, 16384 / max(n * inner, 1))) { r in
            for o in r {
                Kernels.sumMiddleAxis(xp + o * n * inner, n: n, inner: inner, scale: factor, into: yp + o * inner)
            }
        }
        return record(name, inputs: [x], output: y) { g in
            guard let dy = g.outputGradient(), let dx = g.inputGradient(0) else { return }
            let dyp = dy.unsafePointer, dxp = dx.unsafePointer
            Parallel.forRanges(outer, grain: max(1, 16384 / max(n * inner, 1))) { r in
                for o in r {
                    for j in 0..<n {
                        Kernels.addScaled(dyp + o * inner, factor, into: dxp + (o * n + j) * inner, count: inner)
                    }
                }
            }
        }
    }
}

extension Kernels {
    /// `y[i] = scale · Σ_j x[j·inner + i]` for `i < inner` (j in order).
    public static func sumMiddleAxis(_ x: UnsafePointer<Float>, n: Int, inner: Int, scale: Float,
                                     into y: UnsafeMutablePointer<Float>) {
        if inner == 1 {
            var acc = Vec16()
            var j = 0
            while j + 16 <= n { acc += SIMDMath.load(x + j); j += 16 }
            var s = SIMDMath.sum(acc)
            while j < n { s += x[j]; j += 1 }
            y[0] = s * scale
            return
        }
        y.update(repeating: 0, count: inner)
        for j in 0..<n { add(x + j * inner, into: y, count: inner) }
        if scale != 1 { Kernels.scale(y, scale, into: y, count: inner) }
    }
}
