import Tensors

/// XLNet's two-stream relative attention core as one fused tape op (docs/xlnet.md §4.4).
///
/// Inputs (token-major, heads side by side in the last axis, `HD = H·d_head`):
/// `q` `[R, HD]` queries of both streams (stacked as `StreamLayout` describes), `k`, `v` `[B·L, HD]` keys and
/// values of the content stream, `kr` `[2L, HD]` the relative-position keys `R·W_r` (computed once per layer for
/// the whole batch), `rw`, `rr` `[H, d_head]` (`r_w_bias`, `r_r_bias`). Output `a` `[R, HD]`.
///
/// For a row at position `i` of sample `b` and head `n` (`·` a dot product over `d_head`):
///
///     AC[i, j] = (q_i + rw_n) · k_j
///     BD[i, j] = (q_i + rr_n) · kr_{L − i + j}          (row L − i + j of R encodes the distance i − j)
///     S[i, j]  = (AC + BD) / √d_head,  −1e30 where `blocked`
///     P = softmax_j(S),   a_i = Σ_j dropout(P)[i, j] · v_j
///
/// HF materialises `BD` against all `2L` position rows and shifts it with a reshape + `index_select`
/// ("rel_shift"); here one GEMM gives `BD_full = (q + rr)·krᵀ` `[rows, 2L]` and the softmax pass reads row `i`
/// at column offset `L − i` — the shift is index arithmetic. A fully blocked row comes out uniform, as in HF;
/// its scores then get no gradient (torch's autograd would pass one through `score − 1e30`, although the
/// rounded result no longer depends on the score). RT batches have no such rows: every query sees context.
///
/// Backward (from the saved `P`, dropout masks regenerated from `key`): `dP = dropout'(dA·vᵀ)`,
/// `dS = P ⊙ (dP − Σ_j dP ⊙ P) / √d_head`, `dAC = dS`, `dBD_full[i, L − i + j] = dS[i, j]`;
/// `dq = dAC·k + dBD_full·kr`, `dk += dACᵀ·(q + rw)`, `dkr += dBD_fullᵀ·(q + rr)`, `dv += dropout(P)ᵀ·dA`,
/// `drw += Σ_i dAC·k`, `drr += Σ_i dBD_full·kr`. Work runs per (sample, head) in parallel with single-threaded
/// GEMMs; the terms shared across samples (`dkr`, `drw`, `drr`) are summed per item and then added in sample
/// order, so results do not depend on the thread count.
///
/// Dropout element `(item, row, j)` uses index `(itemRowBase(b)·H + n·rows_b + row)·L + j` of `key`.
extension Tape {
    func relativeAttention(query q: Tensor, key k: Tensor, value v: Tensor, positionKey kr: Tensor,
                           contentBias rw: Tensor, positionBias rr: Tensor, layout: StreamLayout, heads: Int,
                           dropout p: Float, key: RandomKey) throws -> Tensor {
        let l = layout.length, bsz = layout.batchSize, hd = q.shape.last, dh = hd / max(heads, 1)
        guard heads > 0, hd % heads == 0, q.shape == [layout.rows, hd], k.shape == [layout.contentRows, hd],
              v.shape == k.shape, kr.shape == [2 * l, hd], rw.count == hd, rr.count == hd else {
            throw TensorError.shapeMismatch(op: "relativeAttention", shapes: [q.shape, k.shape, v.shape, kr.shape, rw.shape, rr.shape],
                                            detail: "expected q [\(layout.rows), H·d], k and v [\(layout.contentRows), H·d], kr [\(2 * l), H·d], biases [H, d]")
        }
        guard layout.rows * heads * l < Int(UInt32.max) else {
            throw TensorError.invalidArgument(op: "relativeAttention", detail: "more than 2^32 attention weights")
        }
        let tracking = isTracking([q, k, v, kr, rw, rr])
        let probabilities = tracking ? Tensor(uninitialized: [layout.rows * heads * l]) : nil
        let out = Tensor(uninitialized: q.shape)
        let scale = 1 / Float(dh).squareRoot()
        let kernel = RelativeAttentionItem(layout: layout, heads: heads, headDim: dh, scale: scale, dropout: p, key: key)
        let qp = q.unsafePointer, kp = k.unsafePointer, vp = v.unsafePointer, krp = kr.unsafePointer
        let rwp = rw.unsafePointer, rrp = rr.unsafePointer, op = out.unsafePointer
        let pp = probabilities?.unsafePointer, blocked = layout.blocked?.unsafePointer
        Gemm.withSingleThreadedBLAS {
            Parallel.forEach(bsz * heads) { item in
                kernel.forward(sample: item / heads, head: item % heads, q: qp, k: kp, v: vp, kr: krp, rw: rwp, rr: rrp,
                               blocked: blocked, saved: pp, out: op)
            }
        }
        withExtendedLifetime(layout.blocked) {}
        guard let probabilities else { return out }
        return record("relativeAttention", inputs: [q, k, v, kr, rw, rr], output: out) { g in
            guard let da = g.outputGradient() else { return }
            let dq = g.writableInputGradient(0), dk = g.writableInputGradient(1), dv = g.writableInputGradient(2)
            let dkr = g.inputGradient(3), drw = g.inputGradient(4), drr = g.inputGradient(5)
            let partialKr = dkr != nil ? Tensor(uninitialized: [bsz * heads * 2 * l * dh]) : nil
            let partialBias = (drw != nil || drr != nil) ? Tensor(uninitialized: [bsz * heads * 2 * dh]) : nil
            let gradients = RelativeAttentionItem.Gradients(
                dq: dq?.gradient.unsafePointer, accumulateQ: dq?.accumulate ?? false,
                dk: dk?.gradient.unsafePointer, accumulateK: dk?.accumulate ?? false,
                dv: dv?.gradient.unsafePointer, accumulateV: dv?.accumulate ?? false,
                partialKr: partialKr?.unsafePointer, partialBias: partialBias?.unsafePointer)
            let qp = q.unsafePointer, kp = k.unsafePointer, vp = v.unsafePointer, krp = kr.unsafePointer
            let rwp = rw.unsafePointer, rrp = rr.unsafePointer, pp = probabilities.unsafePointer
            let dap = da.unsafePointer
            Gemm.withSingleThreadedBLAS {
                Parallel.forEach(bsz * heads) { item in
                    kernel.backward(sample: item / heads, head: item % heads, q: qp, k: kp, v: vp, kr: krp, rw: rwp, rr: rrp,
                                    saved: pp, da: dap, gradients: gradients)
                }
            }
            // Terms shared by all samples: add the per-item partial sums in sample order.
            if let dkr, let partialKr {
                let d = dkr.unsafePointer, part = partialKr.unsafePointer
                Parallel.forEach(heads) { n in
                    for b in 0..<bsz {
                        let src = part + (b * heads + n) * 2 * l * dh
                        for r in 0..<(2 * l) { Kernels.add(src + r * dh, into: d + r * hd + n * dh, count: dh) }
                    }
                }
            }
            if let partialBias {
                let part = partialBias.unsafePointer
                for b in 0..<bsz {
                    for n in 0..<heads {
                        let src = part + (b * heads + n) * 2 * dh
                        if let drw { Kernels.add(src, into: drw.unsafePointer + n * dh, count: dh) }
                        if let drr { Kernels.add(src + dh, into: drr.unsafePointer + n * dh, count: dh) }
                    }
                }
            }
            withExtendedLifetime((layout.blocked, partialKr, partialBias, dq?.gradient, dk?.gradient, dv?.gradient)) {}
        }
    }
}
