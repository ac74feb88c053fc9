/// Row gathers: embedding lookup, and the same for any tensor's rows (e.g. selecting target positions).
extension Tape {
    /// `y[i, :] = table[ids[i], :]` for a table `[V, D…]`; the output has shape `idsShape + [D…]`
    /// (`idsShape` defaults to `[ids.count]`).
    ///
    /// Backward scatter-adds: `dtable[ids[i], :] += dy[i, :]`, parallel over column blocks with every block
    /// visiting the ids in order, so repeated ids accumulate deterministically.
    /// - Throws: `TensorError.invalidArgument` naming the first id outside `0..<V`;
    ///   `shapeMismatch` when `idsShape` does not hold `ids.count` elements.
    public func embedding(_ table: Tensor, ids: [Int], shape idsShape: Shape? = nil) throws -> Tensor {
        try gather(table, ids, idsShape, op: "embedding")
    }

    /// Rows `indices` of `x` viewed as `[x.shape[0], rest…]`: `y[i] = x[indices[i]]` (same as `embedding`).
    public func gatherRows(_ x: Tensor, _ indices: [Int]) throws -> Tensor {
        try gather(x, indices, nil, op: "gatherRows")
    }

    private func gather(_ table: Tensor, _ ids: [Int], _ idsShape: Shape?, op: String) throws -> Tensor {
        guard table.shape.rank >= 1 else {
            throw TensorError.invalidArgument(op: op, detail: "table must have rank ≥ 1, got \(table.shape)")
        }
        let v = table.shape[0]
        let d = v == 0 ? table.shape.dims.dropFirst().reduce(1, *) : table.count / v
        if let bad = ids.firstIndex(where: { $0 < 0 || $0 >= v }) {
            throw TensorError.invalidArgument(op: op, detail: "id \(ids[bad]) at position \(bad) is outside 0..<\(v)")
        }
        let lead = idsShape ?? [ids.count]
        guard lead.count == ids.count else {
            throw TensorError.shapeMismatch(op: op, shapes: [lead], detail: "\(ids.count) ids for shape \(lead)")
        }
        let y = Tensor(uninitialized: Shape(lead.dims + table.shape.dims.dropFirst()))
        let tp = table.unsafePointer, yp = y.unsafePointer
        ids.withUnsafeBufferPointer { idp in
            let idp = idp
            Parallel.forRanges(ids.count, grain: max(1, 8192 / max(d, 1))) { r in
                for i in r { (yp + i * d).update(from: tp + idp[i] * d, count: d) }
            }
        }
        return record(op, inputs: [table], output: y) { g in
            guard let dy = g.outputGradient(), let dt = g.inputGradient(0) else { return }
            Kernels.scatterAddRows(dy.unsafePointer, ids: ids, width: d, into: dt.unsafePointer)
        }
    }
}

extension Kernels {
    /// `table[ids[i], :] += rows[i, :]` for rows of `width` floats. Parallel over column blocks of 64; each
    /// block walks the ids in order (deterministic for repeated ids, independent of the thread count).
    public static func scatterAddRows(_ rows: UnsafePointer<Float>, ids: [Int], width: Int,
                                      into table: UnsafeMutablePointer<Float>, threads: Int = Engine.threads) {
        let blocks = (width + 63) / 64
        ids.withUnsafeBufferPointer { idp in
            let idp = idp
            Parallel.forRanges(blocks, grain: max(1, 2048 / max(ids.count, 1)), threads: threads) { r in
                let j0 = r.lowerBound * 64, j1 = min(width, r.upperBound * 64)
                for i in 0..<idp.count {
                    add(rows + i * width + j0, into: table + idp[i] * width + j0, count: j1 - j0)
                }
            }
        }
    }
}
