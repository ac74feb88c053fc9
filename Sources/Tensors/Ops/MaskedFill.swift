/// `maskedFill`: replace masked elements by a constant (e.g. −∞ or −1e30 before a softmax).
extension Tape {
    /// `y = mask ≠ 0 ? value : x`, with `mask` (any non-zero float counts as set) broadcastable to x's shape.
    /// Backward: `dx += dy` where the mask is zero. The mask is not differentiated.
    /// - Throws: `TensorError.shapeMismatch` when the mask does not broadcast to x's shape.
    public func maskedFill(_ x: Tensor, mask: Tensor, value: Float) throws -> Tensor {
        let plan = try Broadcast(x.shape, mask.shape, op: "maskedFill")
        guard plan.shape == x.shape || (plan.shape.count == x.count && plan.shape.rank <= max(x.shape.rank, 1)) else {
            throw TensorError.shapeMismatch(op: "maskedFill", shapes: [x.shape, mask.shape],
                                            detail: "mask must broadcast to the shape of x")
        }
        let y = Tensor(uninitialized: x.shape)
        let xp = x.unsafePointer, mp = mask.unsafePointer, yp = y.unsafePointer
        let inner = plan.inner, mi = plan.bInner
        Parallel.forRanges(plan.rows, grain: max(1, 16384 / max(inner, 1))) { r in
            plan.forEachRow(r) { o, xo, mo in
                for j in 0..<inner { yp[o + j] = mp[mo + j * mi] != 0 ? value : xp[xo + j] }
            }
        }
        return record("maskedFill", inputs: [x], output: y) { g in
            guard let dy = g.outputGradient(), let dx = g.inputGradient(0) else { return }
            let dyp = dy.unsafePointer, dxp = dx.unsafePointer, mp = mask.unsafePointer
            Parallel.forRanges(plan.rows, grain: max(1, 16384 / max(inner, 1))) { r in
                plan.forEachRow(r) { o, _, mo in
                    for j in 0..<inner where mp[mo + j * mi] == 0 { dxp[o + j] += dyp[o + j] }
                }
            }
        }
    }
}
