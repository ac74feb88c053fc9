import Foundation

/// Losses: cross-entropy over selected rows (ignore index, per-row weights) and mean squared error.

/// How per-row losses are combined.
public enum LossReduction: Sendable {
    /// `Σ w_i ℓ_i / Σ w_i` over the rows that are not ignored (PyTorch's weighted mean; with all weights 1, the
    /// mean over non-ignored rows). When no row counts (or Σ w = 0) the loss is 0 with zero gradient — PyTorch
    /// returns NaN there, which would abort a training run on a batch without targets.
    case mean
    /// `Σ w_i ℓ_i` over the rows that are not ignored (divide by any fixed count with `scale`, e.g. the RT's
    /// generation loss Σ CE / (B·L)).
    case sum
}

extension Tape {
    /// Cross-entropy of `logits` (`[..., C]`, rows = all leading axes) against integer `targets` (one per row):
    /// `ℓ_i = log Σ_c e^(z_ic) − z_i,t_i`, skipping rows whose target equals `ignoreIndex`, weighted by
    /// `weights[i]` (default 1) and combined by `reduction`. Ignored rows cost nothing (no exp over their
    /// logits). Each row's log-sum-exp is saved for backward: `dz_ic = (softmax(z_i)_c − [c = t_i]) · w_i · s`
    /// with s = `dL` (sum) or `dL / Σ w` (mean). The loss is accumulated in Double.
    /// - Throws: `TensorError.shapeMismatch` when targets or weights do not have one entry per row;
    ///   `invalidArgument` for a target outside `0..<C` (naming the row) or a negative/non-finite weight.
    public func crossEntropy(logits: Tensor, targets: [Int], ignoreIndex: Int = -100, weights: [Float]? = nil,
                             reduction: LossReduction = .mean) throws -> Tensor {
        let c = logits.shape.last, rows = logits.shape.rows
        guard logits.shape.rank >= 1, targets.count == rows else {
            throw TensorError.shapeMismatch(op: "crossEntropy", shapes: [logits.shape, [targets.count]],
                                            detail: "need one target per row (\(rows) rows)")
        }
        if let weights {
            guard weights.count == rows else {
                throw TensorError.shapeMismatch(op: "crossEntropy", shapes: [logits.shape, [weights.count]],
                                                detail: "need one weight per row (\(rows) rows)")
            }
            if let bad = weights.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
                throw TensorError.invalidArgument(op: "crossEntropy", detail: "weight \(weights[bad]) of row \(bad) must be finite and ≥ 0")
            }
        }
        if let bad = targets.firstIndex(where: { $0 != ignoreIndex && ($0 < 0 || $0 >= c) }) {
            throw TensorError.invalidArgument(
                op: "crossEntropy", detail: "target \(targets[bad]) of row \(bad) is outside 0..<\(c) (ignore index \(ignoreIndex))")
        }
        let active = targets.indices.filter { targets[$0] != ignoreIndex }
        let lse = Tensor(uninitialized: [max(active.count, 1)])
        let perRow = Tensor(uninitialized: [max(active.count, 1)])
        let zp = logits.unsafePointer, lp = lse.unsafePointer, rp = perRow.unsafePointer
        active.withUnsafeBufferPointer { act in
            let act = act
            Parallel.forRanges(act.count, grain: max(1, 4096 / max(c, 1))) { r in
                for a in r {
                    let i = act[a]
                    let row = zp + i * c
                    let m = Kernels.rowMax(row, count: c)
                    var acc = Vec16()
                    let vm = Vec16(repeating: m)
                    var j = 0
                    while j + 16 <= c { acc += SIMDMath.exp(SIMDMath.load(row + j) - vm); j += 16 }
                    if j < c { acc += SIMDMath.exp(SIMDMath.load(row + j, count: c - j, fill: -.infinity) - vm) }
                    let l = m + log(SIMDMath.sum(acc))
                    lp[a] = l
                    rp[a] = l - row[targets[i]]
                }
            }
        }
        var total = 0.0, weightSum = 0.0
        for (a, i) in active.enumerated() {
            let w = Double(weights?[i] ?? 1)
            total += w * Double(rp[a])
            weightSum += w
        }
        let value: Double
        switch reduction {
        case .sum: value = total
        case .mean: value = weightSum > 0 ? total / weightSum : 0
        }
        let loss = Tensor(scalar: Float(value))
        return record("crossEntropy", inputs: [logits], output: loss) { g in
            guard let dl = g.outputGradient(), let dz = g.inputGradient(0) else { return }
            let zp = logits.unsafePointer, lp = lse.unsafePointer
            let upstream = dl.scalarValue
            let s: Float
            switch reduction {
            case .sum: s = upstream
            case .mean: s = weightSum > 0 ? Float(Double(upstream) / weightSum) : 0
            }
            let dzp = dz.unsafePointer
            active.withUnsafeBufferPointer { act in
                let act = act
                Parallel.forRanges(act.count, grain: max(1, 4096 / max(c, 1))) { r in
                    for a in r {
                        let i = act[a]
                        let f = s * (weights?[i] ?? 1)
                        let row = zp + i * c, drow = dzp + i * c
                        let shift = Vec16(repeating: lp[a]), vf = Vec16(repeating: f)
                        var j = 0
                        while j + 16 <= c {
                            let p = SIMDMath.exp(SIMDMath.load(row + j) - shift)
                            SIMDMath.store(SIMDMath.load(drow + j).addingProduct(p, vf), drow + j)
                            j += 16
                        }
                        while j < c { drow[j] += exp(row[j] - lp[a]) * f; j += 1 }
                        drow[targets[i]] -= f
                    }
                }
            }
        }
    }

    /// Mean squared error `mean((prediction − target)²)` over all elements (Double accumulation).
    /// Backward: `dp += 2(p − t)/n · dL`, `dt −= 2(p − t)/n · dL`.
    /// - Throws: `TensorError.shapeMismatch` when the shapes differ.
    public func mse(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        guard prediction.shape == target.shape else {
            throw TensorError.shapeMismatch(op: "mse", shapes: [prediction.shape, target.shape], detail: "shapes must be equal")
        }
        let n = prediction.count
        let pp = prediction.unsafePointer, tp = target.unsafePointer
        let s = Parallel.sum(n, chunk: 65536) { r in
            var acc = 0.0
            for i in r { let d = Double(pp[i]) - Double(tp[i]); acc += d * d }
            return acc
        }
        let loss = Tensor(scalar: n > 0 ? Float(s / Double(n)) : 0)
        return record("mse", inputs: [prediction, target], output: loss) { g in
            guard let dl = g.outputGradient(), n > 0 else { return }
            let pp = prediction.unsafePointer, tp = target.unsafePointer
            let f = 2 * dl.scalarValue / Float(n)
            for (k, sign) in [(0, Float(1)), (1, Float(-1))] {
                guard let d = g.inputGradient(k) else { continue }
                let dp = d.unsafePointer
                Parallel.forRanges(n, grain: 16384) { r in
                    for i in r { dp[i] += sign * f * (pp[i] - tp[i]) }
                }
            }
        }
    }
}
