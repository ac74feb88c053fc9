import Foundation

/// The expectation of per-column values under a softmax restricted to a few columns of each row — the building
/// block of regression-aware losses on a token distribution (e.g. the Number Token Loss over the ten digit tokens
/// of one decimal place).

extension Tape {
    /// For every row `r` of `logits` (`[..., C]`, rows = all leading axes), the expectation of `values[r]` under
    /// the softmax of that row restricted to the columns `candidates[r]`:
    ///
    ///     p_rk = exp(z_r,c_rk) / Σ_k' exp(z_r,c_rk'),   E_r = Σ_k p_rk · v_rk
    ///
    /// (restricting the softmax to the candidates is the same as renormalising the full softmax over them).
    /// Returns `[rows]`; a row with no candidates gives 0 and receives no gradient.
    /// Backward: `dz_r,c_rk += dE_r · p_rk · (v_rk − E_r)`; the other columns get nothing. Sums run in Double.
    /// - Throws: `TensorError.shapeMismatch` unless there is one candidate list per row and one value per
    ///   candidate; `invalidArgument` for a column outside `0..<C`, a column listed twice in a row, or a
    ///   non-finite value (naming the row).
    public func candidateExpectation(logits: Tensor, candidates: [[Int]], values: [[Float]]) throws -> Tensor {
        let c = logits.shape.last, rows = logits.shape.rows
        guard logits.shape.rank >= 1, candidates.count == rows, values.count == rows else {
            throw TensorError.shapeMismatch(op: "candidateExpectation", shapes: [logits.shape, [candidates.count], [values.count]],
                                            detail: "need one candidate list and one value list per row (\(rows) rows)")
        }
        for r in 0..<rows {
            guard candidates[r].count == values[r].count else {
                throw TensorError.shapeMismatch(op: "candidateExpectation", shapes: [[candidates[r].count], [values[r].count]],
                                                detail: "row \(r) needs one value per candidate column")
            }
            if let bad = candidates[r].first(where: { $0 < 0 || $0 >= c }) {
                throw TensorError.invalidArgument(op: "candidateExpectation", detail: "column \(bad) of row \(r) is outside 0..<\(c)")
            }
            if Set(candidates[r]).count != candidates[r].count {
                throw TensorError.invalidArgument(op: "candidateExpectation", detail: "row \(r) lists a column twice")
            }
            if let bad = values[r].first(where: { !$0.isFinite }) {
                throw TensorError.invalidArgument(op: "candidateExpectation", detail: "value \(bad) of row \(r) is not finite")
            }
        }
        // Restricted probabilities, saved for backward (one flat array in row order).
        var start = [Int](repeating: 0, count: rows + 1)
        for r in 0..<rows { start[r + 1] = start[r] + candidates[r].count }
        var probabilities = [Float](repeating: 0, count: start[rows])
        let expectation = Tensor.zeros([rows])
        let zp = logits.unsafePointer, ep = expectation.unsafePointer
        for r in 0..<rows where !candidates[r].isEmpty {
            let row = zp + r * c
            let m = candidates[r].map { Double(row[$0]) }.max() ?? 0
            let weights = candidates[r].map { exp(Double(row[$0]) - m) }
            let total = weights.reduce(0, +)
            var e = 0.0
            for k in weights.indices {
                let p = weights[k] / total
                probabilities[start[r] + k] = Float(p)
                e += p * Double(values[r][k])
            }
            ep[r] = Float(e)
        }
        return record("candidateExpectation", inputs: [logits], output: expectation) { g in
            guard let de = g.outputGradient(), let dz = g.inputGradient(0) else { return }
            let dep = de.unsafePointer, dzp = dz.unsafePointer, ep = expectation.unsafePointer
            for r in 0..<rows where !candidates[r].isEmpty {
                let upstream = dep[r], e = ep[r]
                let drow = dzp + r * c
                for (k, column) in candidates[r].enumerated() {
                    drow[column] += upstream * probabilities[start[r] + k] * (values[r][k] - e)
                }
            }
        }
    }
}
