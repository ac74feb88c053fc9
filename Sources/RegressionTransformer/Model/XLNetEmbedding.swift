import Tensors

/// The inputs of both streams as one tape op (docs/xlnet.md §4.1, docs/rt-text-format.md §7.5): the stacked `[R, d]`
/// tensor of `StreamLayout` with
///
///     content row b·L + i:  dropout(E[id] + NE[id])          ('sum' numerical encodings, or none)
///                           dropout(E[id] with its last D channels replaced by NE[id])   ('concat')
///     query row  B·L + k:   dropout(mask_emb)                (the same vector for every target)
///
/// `E` is the word embedding `[V, d]` (tracked), `NE` the frozen numerical-encoding table `[V, D]` (D = d for
/// 'sum'), `mask_emb` `[1, 1, d]` (tracked). One dropout key covers the whole stacked tensor (element index =
/// flat index). Backward: `dE[id] += m ⊙ dS` over the content rows (in row order, so repeated ids accumulate
/// deterministically; for 'concat' only the first d − D channels), `dmask_emb += Σ_k m ⊙ dS_k`.
extension Tape {
    func xlnetStreamInputs(ids: [Int32], wordEmbedding: Tensor, numericalEncodings: Tensor?,
                           format: NumericalEncodingConfiguration.Format, maskEmbedding: Tensor, queryRows: Int,
                           dropout p: Float, key: RandomKey) throws -> Tensor {
        let v = wordEmbedding.shape[0], d = wordEmbedding.shape.last
        let ne = numericalEncodings
        let neWidth = ne?.shape.last ?? 0
        if let bad = ids.firstIndex(where: { $0 < 0 || Int($0) >= v }) {
            throw XLNetError.invalidInput("token id \(ids[bad]) at position \(bad) is outside the vocabulary 0..<\(v)")
        }
        if let ne, ne.shape[0] != v || (format == .sum && neWidth != d) || neWidth > d {
            throw TensorError.shapeMismatch(op: "xlnetStreamInputs", shapes: [wordEmbedding.shape, ne.shape],
                                            detail: "numerical encodings do not fit the word embedding")
        }
        let contentRows = ids.count, rows = contentRows + queryRows
        let stacked = Tensor(uninitialized: [rows, d])
        let ep = wordEmbedding.unsafePointer, np = ne?.unsafePointer, mp = maskEmbedding.unsafePointer
        let sp = stacked.unsafePointer
        let keep = format == .concat ? d - neWidth : d  // channels taken from E
        ids.withUnsafeBufferPointer { idp in
            let idp = idp
            Parallel.forRanges(contentRows, grain: max(1, 4096 / max(d, 1))) { r in
                for t in r {
                    let id = Int(idp[t]), dst = sp + t * d
                    switch (np, format) {
                    case (let np?, .sum):
                        for j in 0..<d { dst[j] = ep[id * d + j] + np[id * d + j] }
                    case (let np?, .concat):
                        dst.update(from: ep + id * d, count: keep)
                        (dst + keep).update(from: np + id * neWidth, count: neWidth)
                    default:
                        dst.update(from: ep + id * d, count: d)
                    }
                }
            }
        }
        for k in 0..<queryRows { (sp + (contentRows + k) * d).update(from: mp, count: d) }
        if p > 0 {
            Parallel.forRanges(rows * d, grain: 16384) { r in
                Kernels.dropoutAdd(sp + r.lowerBound, residual: nil, p: p, key: key, startIndex: r.lowerBound,
                                   count: r.count, into: sp + r.lowerBound)
            }
        }
        return record("xlnetStreamInputs", inputs: [wordEmbedding, maskEmbedding], output: stacked) { g in
            guard let ds = g.outputGradient() else { return }
            var grad = ds
            if p > 0 {  // m ⊙ dS / (1 − p)
                grad = Tensor(uninitialized: ds.shape)
                let src = ds.unsafePointer, dst = grad.unsafePointer
                Parallel.forRanges(rows * d, grain: 16384) { r in
                    Kernels.dropoutAdd(src + r.lowerBound, residual: nil, p: p, key: key, startIndex: r.lowerBound,
                                       count: r.count, into: dst + r.lowerBound)
                }
            }
            let gp = grad.unsafePointer
            if let de = g.inputGradient(0) {
                let dep = de.unsafePointer
                // Rows in order within each 64-column block: deterministic for repeated ids.
                let blocks = (keep + 63) / 64
                ids.withUnsafeBufferPointer { idp in
                    let idp = idp
                    Parallel.forEach(blocks) { blk in
                        let j0 = blk * 64, width = min(64, keep - j0)
                        for t in 0..<contentRows {
                            Kernels.add(gp + t * d + j0, into: dep + Int(idp[t]) * d + j0, count: width)
                        }
                    }
                }
            }
            if queryRows > 0, let dm = g.inputGradient(1) {
                for k in 0..<queryRows { Kernels.add(gp + (contentRows + k) * d, into: dm.unsafePointer, count: d) }
            }
            withExtendedLifetime(grad) {}
        }
    }
}
