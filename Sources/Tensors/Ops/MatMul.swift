/// Matrix products: `C = op(A) · op(B)`, 2-D or batched, transposes by flags (never by copies).
extension Tape {
    /// Matrix product of the last two axes: `C[..., m, n] = op(A)[..., m, k] · op(B)[..., k, n]`, where
    /// `op(A)` = A (`[..., m, k]`) or Aᵀ (A is `[..., k, m]`) when `transposeA`, and likewise for B.
    ///
    /// Batch axes (all but the last two) must be equal, or one operand is 2-D and is shared by every batch
    /// item (`[B, L, d] · [d, e]` runs as one `[B·L, d] · [d, e]` product).
    ///
    /// Backward: `d op(A) = dC · op(B)ᵀ`, `d op(B) = op(A)ᵀ · dC` (summed over the batch for a shared operand),
    /// each one GEMM per item with the transposes folded into the flags and `beta = 1` to accumulate.
    /// - Throws: `TensorError.shapeMismatch` when ranks are below 2, inner dimensions differ, or batch axes
    ///   neither match nor broadcast.
    public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) throws
        -> Tensor
    {
        let (ta, tb) = (transposeA, transposeB)
        guard a.shape.rank >= 2, b.shape.rank >= 2 else {
            throw TensorError.shapeMismatch(op: "matmul", shapes: [a.shape, b.shape], detail: "operands must have rank ≥ 2")
        }
        let m = ta ? a.shape[-1] : a.shape[-2], k = ta ? a.shape[-2] : a.shape[-1]
        let kb = tb ? b.shape[-1] : b.shape[-2], n = tb ? b.shape[-2] : b.shape[-1]
        guard k == kb else {
            throw TensorError.shapeMismatch(
                op: "matmul", shapes: [a.shape, b.shape],
                detail: "inner dimensions \(k) and \(kb) differ (transposeA: \(ta), transposeB: \(tb))")
        }
        let aBatch = Array(a.shape.dims.dropLast(2)), bBatch = Array(b.shape.dims.dropLast(2))
        let batchDims: [Int]
        if aBatch == bBatch || bBatch.isEmpty { batchDims = aBatch } else if aBatch.isEmpty { batchDims = bBatch } else {
            throw TensorError.shapeMismatch(
                op: "matmul", shapes: [a.shape, b.shape], detail: "batch axes \(aBatch) and \(bBatch) differ")
        }
        let batch = batchDims.reduce(1, *)
        let aShared = aBatch.isEmpty && batch > 1, bShared = bBatch.isEmpty && batch > 1
        let c = Tensor(uninitialized: Shape(batchDims + [m, n]))
        let lda = ta ? m : k, ldb = tb ? k : n
        // A shared B with untransposed A is one tall product.
        let flat = bShared && !ta
        let items = flat ? 1 : batch, rowsM = flat ? batch * m : m
        let sA = aShared ? 0 : m * k, sB = bShared ? 0 : k * n, sC = m * n
        Gemm.batched(count: items, transA: ta, transB: tb, m: rowsM, n: n, k: k, a: a.unsafePointer, lda: lda,
                     strideA: sA, b: b.unsafePointer, ldb: ldb, strideB: sB, c: c.unsafePointer, ldc: n,
                     strideC: sC)
        return record("matmul", inputs: [a, b], output: c) { g in
            guard let dc = g.outputGradient() else { return }
            // A gradient shared by every batch item (stride 0) sums over the items: start from zeros. Otherwise
            // the first contribution overwrites (beta = 0) instead of adding to a zero-filled buffer.
            func target(_ i: Int, shared: Bool) -> (Tensor, Float)? {
                if shared && items > 1 { return g.inputGradient(i).map { ($0, 1) } }
                return g.writableInputGradient(i).map { ($0.gradient, $0.accumulate ? 1 : 0) }
            }
            if let (da, beta) = target(0, shared: sA == 0) {
                if !ta {  // dA[m×k] += dC · op(B)ᵀ
                    Gemm.batched(count: items, transA: false, transB: !tb, m: rowsM, n: k, k: n, a: dc.unsafePointer,
                                 lda: n, strideA: sC, b: b.unsafePointer, ldb: ldb, strideB: sB, beta: beta,
                                 c: da.unsafePointer, ldc: k, strideC: sA)
                } else {  // dA[k×m] += op(B) · dCᵀ
                    Gemm.batched(count: items, transA: tb, transB: true, m: k, n: m, k: n, a: b.unsafePointer,
                                 lda: ldb, strideA: sB, b: dc.unsafePointer, ldb: n, strideB: sC, beta: beta,
                                 c: da.unsafePointer, ldc: m, strideC: sA)
                }
            }
            if let (db, beta) = target(1, shared: sB == 0) {
                if !tb {  // dB[k×n] += op(A)ᵀ · dC
                    Gemm.batched(count: items, transA: !ta, transB: false, m: k, n: n, k: rowsM, a: a.unsafePointer,
                                 lda: lda, strideA: sA, b: dc.unsafePointer, ldb: n, strideB: sC, beta: beta,
                                 c: db.unsafePointer, ldc: n, strideC: sB)
                } else {  // dB[n×k] += dCᵀ · op(A)
                    Gemm.batched(count: items, transA: true, transB: ta, m: n, n: k, k: rowsM, a: dc.unsafePointer,
                                 lda: n, strideA: sC, b: a.unsafePointer, ldb: lda, strideB: sA, beta: beta,
                                 c: db.unsafePointer, ldc: k, strideC: sB)
                }
            }
        }
    }
}
