import Tensors

/// The per-(sample, head) work of `Tape.relativeAttention`: the sample's `L` content rows and `n_b` query rows
/// ("item rows", see `StreamLayout`) against the sample's `L` keys, for one head. Runs on one thread with
/// single-threaded GEMMs on `[·, H·d_head]` slices (`lda = H·d_head`, no copies of k, v, kr).
///
/// Scratch per item (from the buffer pool): `qw = q + rw` and `qr = q + rr` gathered to contiguous
/// `[rows, d_head]`, `AC` `[rows, L]`, `BD_full` `[rows, 2L]`, and the dropped-out probabilities `[rows, L]`.
struct RelativeAttentionItem: @unchecked Sendable {
    let layout: StreamLayout
    let heads: Int
    let headDim: Int
    let scale: Float
    let dropout: Float
    let key: RandomKey

    var hd: Int { heads * headDim }

    /// Offset of item (b, n)'s probabilities `[rows_b, L]` in the saved buffer.
    @inline(__always) func probabilityOffset(sample b: Int, head n: Int) -> Int {
        (layout.itemRowBase(b) * heads + n * layout.itemRows(b)) * layout.length
    }

    /// Gathers `q + bias` for the item's rows into `[rows, d_head]`.
    @inline(__always)
    private func gather(_ q: UnsafePointer<Float>, bias: UnsafePointer<Float>, sample b: Int, head n: Int, rows: Int,
                        into out: UnsafeMutablePointer<Float>) {
        let dh = headDim, col = n * dh
        for r in 0..<rows {
            let src = q + layout.streamRow(r, sample: b) * hd + col, dst = out + r * dh
            for e in 0..<dh { dst[e] = src[e] + bias[col + e] }
        }
    }

    /// `dst[rows, d_head] → a[stream rows, head n]`: two GEMM-compatible blocks per item, content rows at
    /// `b·L` and query rows at `B·L + queryOffsets[b]`.
    @inline(__always) private func contentRowPointer(_ base: UnsafePointer<Float>, sample b: Int, head n: Int) -> UnsafePointer<Float> {
        base + b * layout.length * hd + n * headDim
    }

    @inline(__always) private func queryRowPointer(_ base: UnsafePointer<Float>, sample b: Int, head n: Int) -> UnsafePointer<Float> {
        base + (layout.contentRows + layout.queryOffsets[b]) * hd + n * headDim
    }

    // MARK: - Forward

    func forward(sample b: Int, head n: Int, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                 kr: UnsafePointer<Float>, rw: UnsafePointer<Float>, rr: UnsafePointer<Float>,
                 blocked: UnsafePointer<Float>?, saved: UnsafeMutablePointer<Float>?, out: UnsafeMutablePointer<Float>) {
        let l = layout.length, dh = headDim, rows = layout.itemRows(b), nq = rows - l
        let needsDropped = dropout > 0
        let scratchCount = 2 * rows * dh + rows * l + rows * 2 * l + (saved == nil || needsDropped ? rows * l : 0)
        BufferPool.shared.withScratch(scratchCount) { s in
            let qw = s, qr = qw + rows * dh, ac = qr + rows * dh, bd = ac + rows * l, extra = bd + rows * 2 * l
            gather(q, bias: rw, sample: b, head: n, rows: rows, into: qw)
            gather(q, bias: rr, sample: b, head: n, rows: rows, into: qr)
            // AC = (q + rw)·kᵀ  [rows, L];  BD_full = (q + rr)·krᵀ  [rows, 2L]
            Gemm.sgemm(transB: true, m: rows, n: l, k: dh, a: qw, lda: dh, b: contentRowPointer(k, sample: b, head: n),
                       ldb: hd, c: ac, ldc: l)
            Gemm.sgemm(transB: true, m: rows, n: 2 * l, k: dh, a: qr, lda: dh, b: kr + n * dh, ldb: hd, c: bd, ldc: 2 * l)
            let pOffset = probabilityOffset(sample: b, head: n)
            let probs = saved.map { $0 + pOffset } ?? extra
            for r in 0..<rows {
                let i = layout.position(r, sample: b)
                let mask = blocked.map { $0 + layout.streamRow(r, sample: b) * l }
                RelativeAttentionKernels.maskedSoftmaxRow(ac: ac + r * l, bd: bd + r * 2 * l + (l - i), blocked: mask,
                                                          scale: scale, count: l, into: probs + r * l)
            }
            var weights = UnsafePointer(probs)
            if needsDropped {
                let dropped = saved == nil ? probs : extra  // in place when nothing is saved
                Kernels.dropoutAdd(probs, residual: nil, p: dropout, key: key, startIndex: pOffset, count: rows * l,
                                   into: dropped)
                weights = UnsafePointer(dropped)
            }
            // a = dropout(P)·v, written straight into the content and query blocks of the output.
            let vb = contentRowPointer(v, sample: b, head: n)
            Gemm.sgemm(m: l, n: dh, k: l, a: weights, lda: l, b: vb, ldb: hd,
                       c: UnsafeMutablePointer(mutating: contentRowPointer(out, sample: b, head: n)), ldc: hd)
            if nq > 0 {
                Gemm.sgemm(m: nq, n: dh, k: l, a: weights + l * l, lda: l, b: vb, ldb: hd,
                           c: UnsafeMutablePointer(mutating: queryRowPointer(out, sample: b, head: n)), ldc: hd)
            }
        }
    }

    // MARK: - Backward

    /// Gradient destinations (nil = not tracked). `dq`, `dk`, `dv` blocks of an item are written by that item
    /// only (overwritten unless `accumulate…`); `partialKr` `[B, H, 2L, d_head]` and `partialBias`
    /// `[B, H, 2, d_head]` (drw, drr) receive per-item sums that the caller adds up in order.
    struct Gradients: @unchecked Sendable {
        var dq: UnsafeMutablePointer<Float>?
        var accumulateQ: Bool
        var dk: UnsafeMutablePointer<Float>?
        var accumulateK: Bool
        var dv: UnsafeMutablePointer<Float>?
        var accumulateV: Bool
        var partialKr: UnsafeMutablePointer<Float>?
        var partialBias: UnsafeMutablePointer<Float>?
    }

    func backward(sample b: Int, head n: Int, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                  kr: UnsafePointer<Float>, rw: UnsafePointer<Float>, rr: UnsafePointer<Float>,
                  saved: UnsafePointer<Float>, da: UnsafePointer<Float>, gradients g: Gradients) {
        let l = layout.length, dh = headDim, rows = layout.itemRows(b), nq = rows - l
        let pOffset = probabilityOffset(sample: b, head: n)
        let probs = saved + pOffset
        let itemIndex = b * heads + n
        let scratchCount = 4 * rows * dh + 2 * rows * l + rows * 2 * l
        BufferPool.shared.withScratch(scratchCount) { s in
            let qw = s, qr = qw + rows * dh, dqw = qr + rows * dh, dqr = dqw + rows * dh
            let dp = dqr + rows * dh, dropped = dp + rows * l, dbd = dropped + rows * l
            let daContent = contentRowPointer(da, sample: b, head: n), daQuery = queryRowPointer(da, sample: b, head: n)
            // dP_dropped = dA·vᵀ  [rows, L]
            let vb = contentRowPointer(v, sample: b, head: n)
            Gemm.sgemm(transB: true, m: l, n: l, k: dh, a: daContent, lda: hd, b: vb, ldb: hd, c: dp, ldc: l)
            if nq > 0 {
                Gemm.sgemm(transB: true, m: nq, n: l, k: dh, a: daQuery, lda: hd, b: vb, ldb: hd, c: dp + l * l, ldc: l)
            }
            // The weights that multiplied v in forward: dropout(P), regenerated from the key.
            var weights = probs
            if dropout > 0 {
                Kernels.dropoutAdd(probs, residual: nil, p: dropout, key: key, startIndex: pOffset, count: rows * l,
                                   into: dropped)
                Kernels.dropoutAdd(dp, residual: nil, p: dropout, key: key, startIndex: pOffset, count: rows * l, into: dp)
                weights = UnsafePointer(dropped)
            }
            // dv += dropout(P)ᵀ·dA  (content rows, then query rows)
            if let dv = g.dv {
                let dvb = UnsafeMutablePointer(mutating: contentRowPointer(dv, sample: b, head: n))
                Gemm.sgemm(transA: true, m: l, n: dh, k: l, a: weights, lda: l, b: daContent, ldb: hd,
                           beta: g.accumulateV ? 1 : 0, c: dvb, ldc: hd)
                if nq > 0 {
                    Gemm.sgemm(transA: true, m: l, n: dh, k: nq, a: weights + l * l, lda: l, b: daQuery, ldb: hd,
                               beta: 1, c: dvb, ldc: hd)
                }
            }
            // dS = P ⊙ (dP − Σ dP⊙P) · scale, in place; then scatter into dBD_full with the row's shift.
            dbd.update(repeating: 0, count: rows * 2 * l)
            for r in 0..<rows {
                let row = dp + r * l
                if layout.blockedEverywhere.contains(layout.streamRow(r, sample: b)) {
                    row.update(repeating: 0, count: l)  // uniform weights: the scores do not matter
                    continue
                }
                Kernels.softmaxBackwardRow(y: probs + r * l, dy: row, count: l, into: row, accumulate: false)
                Kernels.scale(row, scale, into: row, count: l)
                let i = layout.position(r, sample: b)
                (dbd + r * 2 * l + (l - i)).update(from: row, count: l)
            }
            let needQuery = g.dq != nil || g.partialBias != nil
            let needGathered = g.dk != nil || g.partialKr != nil
            if needQuery {
                // dqw = dAC·k, dqr = dBD_full·kr  [rows, d_head]
                Gemm.sgemm(m: rows, n: dh, k: l, a: dp, lda: l, b: contentRowPointer(k, sample: b, head: n), ldb: hd,
                           c: dqw, ldc: dh)
                Gemm.sgemm(m: rows, n: dh, k: 2 * l, a: dbd, lda: 2 * l, b: kr + n * dh, ldb: hd, c: dqr, ldc: dh)
            }
            if needGathered {
                gather(q, bias: rw, sample: b, head: n, rows: rows, into: qw)
                gather(q, bias: rr, sample: b, head: n, rows: rows, into: qr)
            }
            if let dk = g.dk {  // dk += dACᵀ·(q + rw)
                Gemm.sgemm(transA: true, m: l, n: dh, k: rows, a: dp, lda: l, b: qw, ldb: dh,
                           beta: g.accumulateK ? 1 : 0,
                           c: UnsafeMutablePointer(mutating: contentRowPointer(dk, sample: b, head: n)), ldc: hd)
            }
            if let part = g.partialKr {  // dkr (this item's share) = dBD_fullᵀ·(q + rr)
                Gemm.sgemm(transA: true, m: 2 * l, n: dh, k: rows, a: dbd, lda: 2 * l, b: qr, ldb: dh,
                           c: part + itemIndex * 2 * l * dh, ldc: dh)
            }
            if let part = g.partialBias {  // drw, drr shares: column sums of dqw, dqr
                let pw = part + itemIndex * 2 * dh, pr = pw + dh
                pw.update(repeating: 0, count: 2 * dh)
                for r in 0..<rows {
                    Kernels.add(dqw + r * dh, into: pw, count: dh)
                    Kernels.add(dqr + r * dh, into: pr, count: dh)
                }
            }
            if let dq = g.dq {  // dq = dqw + dqr, scattered to the stream rows
                let col = n * dh
                for r in 0..<rows {
                    let dst = dq + layout.streamRow(r, sample: b) * hd + col
                    let a = dqw + r * dh, c = dqr + r * dh
                    if g.accumulateQ {
                        for e in 0..<dh { dst[e] += a[e] + c[e] }
                    } else {
                        for e in 0..<dh { dst[e] = a[e] + c[e] }
                    }
                }
            }
        }
    }
}

/// Row kernels of the attention core.
enum RelativeAttentionKernels {
    /// `p[j] = softmax_j(s)` with `s[j] = (ac[j] + bd[j])·scale`, replaced by −1e30 where `blocked[j] > 0`
    /// (`bd` already points at the row's shifted window). A row blocked everywhere becomes uniform.
    static func maskedSoftmaxRow(ac: UnsafePointer<Float>, bd: UnsafePointer<Float>, blocked: UnsafePointer<Float>?,
                                 scale: Float, count n: Int, into p: UnsafeMutablePointer<Float>) {
        let vs = Vec16(repeating: scale), big = Vec16(repeating: -1e30), zero = Vec16()
        var j = 0
        while j + 16 <= n {
            var s = (SIMDMath.load(ac + j) + SIMDMath.load(bd + j)) * vs
            if let blocked { s.replace(with: big, where: SIMDMath.load(blocked + j) .> zero) }
            SIMDMath.store(s, p + j)
            j += 16
        }
        while j < n {
            var s = (ac[j] + bd[j]) * scale
            if let blocked, blocked[j] > 0 { s = -1e30 }
            p[j] = s
            j += 1
        }
        Kernels.softmaxRow(p, count: n, into: p)
    }
}
