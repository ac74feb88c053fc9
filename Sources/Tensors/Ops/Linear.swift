/// Affine layers: `y = act(x · W + b)` with the bias (and optionally GELU) fused.

/// How a weight matrix is stored.
public enum WeightLayout: Sendable {
    /// `[out, in]`, PyTorch's `nn.Linear`: `y = x · Wᵀ`.
    case outIn
    /// `[in, out]`: `y = x · W` (e.g. XLNet's `q`, `k`, `v`, `o`, `r` weights `[d_model, n_head, d_head]` seen
    /// as `[d_model, n_head·d_head]`).
    case inOut
}

/// An activation fused into `linear`.
public enum Activation: Sendable {
    case identity
    /// Exact GELU: `x · Φ(x)`.
    case gelu
}

extension Tape {
    /// `y[..., out] = act(x[..., in] · W + b)` for a weight in either layout (see `WeightLayout`) and an
    /// optional bias `[out]`.
    ///
    /// Forward: with no activation the bias is broadcast into y and the GEMM accumulates onto it (`beta = 1`);
    /// with GELU the GEMM writes `z = x·W`, and one fused pass adds the bias in place (z is kept for backward)
    /// and writes `y = gelu(z)`.
    /// Backward: `dz = dy` (or `dy · gelu'(z)`), `db += Σ_rows dz` (deterministic column sums),
    /// `dW += xᵀ·dz` (or `dzᵀ·x` for `[out, in]`), `dx += dz·Wᵀ` (or `dz·W`), all GEMMs with `beta = 1`.
    /// - Throws: `TensorError.shapeMismatch` when x's last axis, W and b do not fit.
    public func linear(_ x: Tensor, weight w: Tensor, bias: Tensor? = nil, layout: WeightLayout = .outIn,
                       activation: Activation = .identity) throws -> Tensor {
        guard x.shape.rank >= 1, w.shape.rank == 2 else {
            throw TensorError.shapeMismatch(op: "linear", shapes: [x.shape, w.shape], detail: "weight must be 2-D")
        }
        let inF = layout == .outIn ? w.shape[1] : w.shape[0]
        let outF = layout == .outIn ? w.shape[0] : w.shape[1]
        guard x.shape.last == inF else {
            throw TensorError.shapeMismatch(
                op: "linear", shapes: [x.shape, w.shape],
                detail: "input features \(x.shape.last) but weight (\(layout)) expects \(inF)")
        }
        if let bias, bias.shape != [outF] {
            throw TensorError.shapeMismatch(op: "linear", shapes: [w.shape, bias.shape], detail: "bias must be [\(outF)]")
        }
        let rows = x.shape.rows
        var outDims = x.shape.dims
        outDims[outDims.count - 1] = outF
        let transW = layout == .outIn
        let ldw = layout == .outIn ? inF : outF
        let z = Tensor(uninitialized: Shape(outDims))
        let fusedBias = activation == .identity ? bias : nil
        if let fusedBias {
            Kernels.broadcastRows(fusedBias.unsafePointer, rows: rows, cols: outF, into: z.unsafePointer)
        }
        Gemm.sgemm(transA: false, transB: transW, m: rows, n: outF, k: inF, a: x.unsafePointer, lda: inF,
                   b: w.unsafePointer, ldb: ldw, beta: fusedBias == nil ? 0 : 1, c: z.unsafePointer, ldc: outF)
        var y = z
        if activation == .gelu {
            y = Tensor(uninitialized: z.shape)
            let zp = z.unsafePointer, yp = y.unsafePointer, bp = bias?.unsafePointer
            Parallel.forRanges(rows, grain: max(1, 16384 / max(outF, 1))) { r in
                Kernels.biasGeluForward(z: zp + r.lowerBound * outF, bias: bp, rows: r.count, cols: outF,
                                        y: yp + r.lowerBound * outF)
            }
        }
        var inputs = [x, w]
        if let bias { inputs.append(bias) }
        return record(activation == .gelu ? "linear+gelu" : "linear", inputs: inputs, output: y) { g in
            guard var dz = g.outputGradient() else { return }
            if activation == .gelu {
                let d = Tensor(uninitialized: z.shape)
                let zp = z.unsafePointer, dyp = dz.unsafePointer, dp = d.unsafePointer
                Parallel.forRanges(rows * outF, grain: 16384) { r in
                    Kernels.geluBackward(x: zp + r.lowerBound, dy: dyp + r.lowerBound, dx: dp + r.lowerBound,
                                         count: r.count, accumulate: false)
                }
                dz = d
            }
            if bias != nil, let db = g.inputGradient(2) {
                Kernels.addColumnSums(dz.unsafePointer, rows: rows, cols: outF, into: db.unsafePointer)
            }
            if let (dw, acc) = g.writableInputGradient(1) {
                if layout == .outIn {  // dW[out, in] += dzᵀ · x
                    Gemm.sgemm(transA: true, m: outF, n: inF, k: rows, a: dz.unsafePointer, lda: outF,
                               b: x.unsafePointer, ldb: inF, beta: acc ? 1 : 0, c: dw.unsafePointer, ldc: inF)
                } else {  // dW[in, out] += xᵀ · dz
                    Gemm.sgemm(transA: true, m: inF, n: outF, k: rows, a: x.unsafePointer, lda: inF,
                               b: dz.unsafePointer, ldb: outF, beta: acc ? 1 : 0, c: dw.unsafePointer, ldc: outF)
                }
            }
            if let (dx, acc) = g.writableInputGradient(0) {  // dx += dz · op(W)ᵀ
                Gemm.sgemm(transA: false, transB: !transW, m: rows, n: inF, k: outF, a: dz.unsafePointer, lda: outF,
                           b: w.unsafePointer, ldb: ldw, beta: acc ? 1 : 0, c: dx.unsafePointer, ldc: inF)
            }
        }
    }
}

extension Kernels {
    /// `y[r, :] = v` for every row r of a `rows × cols` matrix.
    public static func broadcastRows(_ v: UnsafePointer<Float>, rows: Int, cols: Int, into y: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { (y + r * cols).update(from: v, count: cols) }
    }

    /// `out[j] += Σ_r x[r, j]` over a `rows × cols` matrix — the bias gradient. Parallel over column blocks,
    /// each summing its rows in order, so the result does not depend on the thread count.
    public static func addColumnSums(_ x: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>,
                                     threads: Int = Engine.threads) {
        let blocks = (cols + 63) / 64
        Parallel.forRanges(blocks, grain: max(1, 4096 / max(rows, 1)), threads: threads) { r in
            for blk in r {
                let j0 = blk * 64, width = min(64, cols - j0)
                if width == 64 {
                    var s0 = Vec16(), s1 = Vec16(), s2 = Vec16(), s3 = Vec16()
                    for i in 0..<rows {
                        let p = x + i * cols + j0
                        s0 += SIMDMath.load(p); s1 += SIMDMath.load(p + 16)
                        s2 += SIMDMath.load(p + 32); s3 += SIMDMath.load(p + 48)
                    }
                    let o = out + j0
                    SIMDMath.store(SIMDMath.load(o) + s0, o); SIMDMath.store(SIMDMath.load(o + 16) + s1, o + 16)
                    SIMDMath.store(SIMDMath.load(o + 32) + s2, o + 32); SIMDMath.store(SIMDMath.load(o + 48) + s3, o + 48)
                } else {
                    for j in j0..<(j0 + width) {
                        var s: Float = 0
                        for i in 0..<rows { s += x[i * cols + j] }
                        out[j] += s
                    }
                }
            }
        }
    }
}
