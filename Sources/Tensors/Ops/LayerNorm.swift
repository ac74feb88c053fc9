/// Layer normalisation over the last axis, alone or fused with a residual add and dropout.
///
/// Forward, per row z of length D: `μ = mean(z)`, `σ² = mean((z − μ)²)` (biased, two passes),
/// `r = 1/√(σ² + ε)`, `x̂ = (z − μ)·r`, `y = x̂·γ + β`. μ and r are saved per row.
/// Backward (as in llm.c): `g = dy·γ`, `dz = (g − mean(g) − x̂·mean(g·x̂))·r`, `dγ += Σ_rows dy·x̂`,
/// `dβ += Σ_rows dy`. Rows run in parallel; dγ, dβ are summed per fixed block of 32 rows and the blocks added in
/// order (deterministic for any thread count).
extension Tape {
    /// `LayerNorm(x)` over the last axis with optional affine `gamma`, `beta` (`[D]`).
    /// (PyTorch's default ε is 1e-5; XLNet uses `layer_norm_eps` = 1e-12.)
    /// - Throws: `TensorError.shapeMismatch` when gamma/beta are not `[D]`.
    public func layerNorm(_ x: Tensor, gamma: Tensor?, beta: Tensor?, eps: Float = 1e-5) throws -> Tensor {
        try residualLayerNorm(x, residual: nil, gamma: gamma, beta: beta, eps: eps)
    }

    /// `LayerNorm(dropout(x) + residual)` in one pass (XLNet's post-attention and post-FFN step):
    /// `z = x·m/(1−p) + residual` with the keep-mask `m` drawn from `key` (element i kept iff
    /// `key.bits(i) ≥ RandomKey.dropThreshold(p)`; `p = 0` disables dropout), then layer norm of z.
    /// z is stored for backward; `dresidual += dz`, `dx += dz·m/(1−p)`.
    /// - Throws: `TensorError.shapeMismatch` for mismatched shapes, `invalidArgument` for p outside [0, 1).
    public func residualLayerNorm(_ x: Tensor, residual: Tensor?, gamma: Tensor?, beta: Tensor?, eps: Float = 1e-5,
                                  dropout p: Float = 0, key: RandomKey = RandomKey(seed: 0)) throws -> Tensor {
        let op = residual == nil ? "layerNorm" : "residualLayerNorm"
        let d = x.shape.last, rows = x.shape.rows
        for (t, what) in [(gamma, "gamma"), (beta, "beta")] {
            if let t, t.shape != [d] {
                throw TensorError.shapeMismatch(op: op, shapes: [x.shape, t.shape], detail: "\(what) must be [\(d)]")
            }
        }
        if let residual, residual.shape != x.shape {
            throw TensorError.shapeMismatch(op: op, shapes: [x.shape, residual.shape], detail: "residual must match x")
        }
        guard p >= 0 && p < 1 else { throw TensorError.invalidArgument(op: op, detail: "dropout probability \(p) outside [0, 1)") }
        guard p == 0 || x.count < Int(UInt32.max) else {
            throw TensorError.invalidArgument(op: op, detail: "dropout on more than 2^32 elements")
        }
        // z = dropout(x) + residual (only materialised when it differs from x).
        var z = x
        if residual != nil || p > 0 {
            z = Tensor(uninitialized: x.shape)
            let xp = x.unsafePointer, zp = z.unsafePointer, rp = residual?.unsafePointer
            Parallel.forRanges(x.count, grain: 16384) { r in
                Kernels.dropoutAdd(xp + r.lowerBound, residual: rp.map { $0 + r.lowerBound }, p: p, key: key,
                                   startIndex: r.lowerBound, count: r.count, into: zp + r.lowerBound)
            }
        }
        let y = Tensor(uninitialized: x.shape)
        let stats = Tensor(uninitialized: [rows, 2])  // (mean, rstd) per row
        let zp = z.unsafePointer, yp = y.unsafePointer, sp = stats.unsafePointer
        let gp = gamma?.unsafePointer, bp = beta?.unsafePointer
        Parallel.forRanges(rows, grain: max(1, 8192 / max(d, 1))) { r in
            for i in r {
                Kernels.layerNormRow(zp + i * d, count: d, gamma: gp, beta: bp, eps: eps, into: yp + i * d,
                                     stats: sp + 2 * i)
            }
        }
        var inputs = [x]
        if let residual { inputs.append(residual) }
        let gammaIndex = inputs.count
        if let gamma { inputs.append(gamma) }
        let betaIndex = inputs.count
        if let beta { inputs.append(beta) }
        return record(op, inputs: inputs, output: y) { g in
            guard let dy = g.outputGradient() else { return }
            let zp = z.unsafePointer, sp = stats.unsafePointer, gp = gamma?.unsafePointer
            let dgamma = gamma != nil ? g.inputGradient(gammaIndex) : nil
            let dbeta = beta != nil ? g.inputGradient(betaIndex) : nil
            let needInput = g.needsGradient(0) || (residual != nil && g.needsGradient(1))
            let dz = needInput ? Tensor(uninitialized: x.shape) : nil
            Kernels.layerNormBackward(z: zp, stats: sp, dy: dy.unsafePointer, gamma: gp, rows: rows, cols: d,
                                      dz: dz?.unsafePointer, dgamma: dgamma?.unsafePointer, dbeta: dbeta?.unsafePointer)
            guard let dz else { return }
            let dzp = dz.unsafePointer
            if residual != nil, let (dr, acc) = g.writableInputGradient(1) {
                let drp = dr.unsafePointer
                Parallel.forRanges(x.count, grain: 16384) { r in
                    if acc { Kernels.add(dzp + r.lowerBound, into: drp + r.lowerBound, count: r.count) }
                    else { (drp + r.lowerBound).update(from: dzp + r.lowerBound, count: r.count) }
                }
            }
            if let (dx, acc) = g.writableInputGradient(0) {
                let dxp = dx.unsafePointer
                Parallel.forRanges(x.count, grain: 16384) { r in
                    Kernels.dropoutAdd(dzp + r.lowerBound, residual: acc ? UnsafePointer(dxp + r.lowerBound) : nil, p: p,
                                       key: key, startIndex: r.lowerBound, count: r.count, into: dxp + r.lowerBound)
                }
            }
        }
    }
}

extension Kernels {
    /// Normalises one row: `y = (z − μ)·r·γ + β`; writes `stats = (μ, r)`. Nil γ/β mean 1/0.
    public static func layerNormRow(_ z: UnsafePointer<Float>, count d: Int, gamma: UnsafePointer<Float>?,
                                    beta: UnsafePointer<Float>?, eps: Float, into y: UnsafeMutablePointer<Float>,
                                    stats: UnsafeMutablePointer<Float>) {
        var acc = Vec16()
        var j = 0
        while j + 16 <= d { acc += SIMDMath.load(z + j); j += 16 }
        var s = SIMDMath.sum(acc)
        while j < d { s += z[j]; j += 1 }
        let mean = s / Float(max(d, 1))
        let vm = Vec16(repeating: mean)
        acc = Vec16()
        j = 0
        while j + 16 <= d { let c = SIMDMath.load(z + j) - vm; acc = acc.addingProduct(c, c); j += 16 }
        var ss = SIMDMath.sum(acc)
        while j < d { let c = z[j] - mean; ss += c * c; j += 1 }
        let rstd = 1 / (ss / Float(max(d, 1)) + eps).squareRoot()
        stats[0] = mean
        stats[1] = rstd
        let vr = Vec16(repeating: rstd)
        j = 0
        while j + 16 <= d {
            var v = (SIMDMath.load(z + j) - vm) * vr
            if let gamma { v *= SIMDMath.load(gamma + j) }
            if let beta { v += SIMDMath.load(beta + j) }
            SIMDMath.store(v, y + j)
            j += 16
        }
        while j < d {
            var v = (z[j] - mean) * rstd
            if let gamma { v *= gamma[j] }
            if let beta { v += beta[j] }
            y[j] = v
            j += 1
        }
    }

    /// Layer-norm backward over `rows × cols` (see the op's notes): overwrites `dz` (if given) and accumulates
    /// into `dgamma`, `dbeta` (if given). Parallel over rows; deterministic.
    public static func layerNormBackward(z: UnsafePointer<Float>, stats: UnsafePointer<Float>, dy: UnsafePointer<Float>,
                                         gamma: UnsafePointer<Float>?, rows: Int, cols d: Int,
                                         dz: UnsafeMutablePointer<Float>?, dgamma: UnsafeMutablePointer<Float>?,
                                         dbeta: UnsafeMutablePointer<Float>?, threads: Int = Engine.threads) {
        let blockRows = 32
        let blocks = (rows + blockRows - 1) / blockRows
        let wantParams = dgamma != nil || dbeta != nil
        // Per block partial sums of dy·x̂ and dy.
        let partial = wantParams ? Tensor.zeros([blocks, 2 * d]) : nil
        let pp = partial?.unsafePointer
        Parallel.forRanges(blocks, grain: max(1, 4096 / max(d * blockRows, 1)), threads: threads) { r in
            BufferPool.shared.withScratch(d) { xhat in
                for blk in r {
                    for i in (blk * blockRows)..<min(rows, (blk + 1) * blockRows) {
                        let zr = z + i * d, dyr = dy + i * d
                        let mean = stats[2 * i], rstd = stats[2 * i + 1]
                        let vm = Vec16(repeating: mean), vr = Vec16(repeating: rstd)
                        var sg = Vec16(), sgx = Vec16()
                        var sgS: Float = 0, sgxS: Float = 0
                        var j = 0
                        while j + 16 <= d {
                            let xh = (SIMDMath.load(zr + j) - vm) * vr
                            SIMDMath.store(xh, xhat + j)
                            var gv = SIMDMath.load(dyr + j)
                            if let gamma { gv *= SIMDMath.load(gamma + j) }
                            sg += gv
                            sgx = sgx.addingProduct(gv, xh)
                            j += 16
                        }
                        while j < d {
                            let xh = (zr[j] - mean) * rstd
                            xhat[j] = xh
                            let gv = dyr[j] * (gamma?[j] ?? 1)
                            sgS += gv
                            sgxS += gv * xh
                            j += 1
                        }
                        let meanG = (SIMDMath.sum(sg) + sgS) / Float(d)
                        let meanGX = (SIMDMath.sum(sgx) + sgxS) / Float(d)
                        if let dz {
                            let dzr = dz + i * d
                            let vmg = Vec16(repeating: meanG), vmgx = Vec16(repeating: meanGX)
                            j = 0
                            while j + 16 <= d {
                                var gv = SIMDMath.load(dyr + j)
                                if let gamma { gv *= SIMDMath.load(gamma + j) }
                                let v = (gv - vmg - SIMDMath.load(xhat + j) * vmgx) * vr
                                SIMDMath.store(v, dzr + j)
                                j += 16
                            }
                            while j < d {
                                let gv = dyr[j] * (gamma?[j] ?? 1)
                                dzr[j] = (gv - meanG - xhat[j] * meanGX) * rstd
                                j += 1
                            }
                        }
                        if let pp {
                            let pg = pp + blk * 2 * d, pb = pg + d
                            j = 0
                            while j + 16 <= d {
                                let dv = SIMDMath.load(dyr + j)
                                SIMDMath.store(SIMDMath.load(pg + j).addingProduct(dv, SIMDMath.load(xhat + j)), pg + j)
                                SIMDMath.store(SIMDMath.load(pb + j) + dv, pb + j)
                                j += 16
                            }
                            while j < d { pg[j] += dyr[j] * xhat[j]; pb[j] += dyr[j]; j += 1 }
                        }
                    }
                }
            }
        }
        if let pp {
            for blk in 0..<blocks {
                if let dgamma { add(pp + blk * 2 * d, into: dgamma, count: d) }
                if let dbeta { add(pp + blk * 2 * d + d, into: dbeta, count: d) }
            }
        }
        withExtendedLifetime(partial) {}
    }
}
