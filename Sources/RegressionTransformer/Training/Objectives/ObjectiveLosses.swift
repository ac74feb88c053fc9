import Tensors

/// The RT's three loss normalisations (docs/training.md §6), computed from the logits of a batch's
/// target rows (`[N, V]`, rows in `CollatedBatch.targetRows` order) — kept exactly as the original defines them,
/// since they decide what a model trained here is comparable to:
///
/// * property prediction / PLM (HF's loss): `L = (1/N) Σ_r CE_r`, the mean over all masked tokens of the batch;
/// * conditional generation: `L_CG = (1/B) Σ_b w_b · (1/L) Σ_{t∈b} CE_bt` — per sample the masked tokens' CE
///   summed and divided by the *padded* length `L`, weighted by the sample weight, averaged over the batch;
/// * self-consistency: `L_SC = (1/(B·L)) Σ_r CE_r`, the mean over all `B·L` positions with unmasked ones counting 0
///   (not weighted).
///
/// `CE_r = log Σ_c exp z_rc − z_r,label` (the engine's `crossEntropy`).
public enum ObjectiveLosses {
    /// HF's loss: mean cross-entropy over the target rows (0 with zero gradient when there are none).
    public static func meanCrossEntropy(logits: Tensor, batch: CollatedBatch, tape: Tape) throws -> Tensor {
        try tape.crossEntropy(logits: logits, targets: batch.targetRows.map(\.label), reduction: .mean)
    }

    /// `L_CG`. Sample weights may be negative (sampled primers far from the truth): rows of samples with negative
    /// weights are summed separately with `|w|` and subtracted.
    public static func generationLoss(logits: Tensor, batch: CollatedBatch, tape: Tape) throws -> Tensor {
        let rows = batch.targetRows
        let scale = 1 / (Float(batch.batchSize) * Float(batch.length))
        let weights = rows.map { batch.sampleWeights[$0.sample] * scale }
        let labels = rows.map(\.label)
        let ignore = Int(CollatedBatch.ignoreIndex)
        let positive = try tape.crossEntropy(
            logits: logits, targets: zip(labels, weights).map { $1 >= 0 ? $0 : ignore },
            weights: weights.map { max($0, 0) }, reduction: .sum)
        guard weights.contains(where: { $0 < 0 }) else { return positive }
        let negative = try tape.crossEntropy(
            logits: logits, targets: zip(labels, weights).map { $1 < 0 ? $0 : ignore },
            weights: weights.map { max(-$0, 0) }, reduction: .sum)
        return try tape.sub(positive, negative)
    }

    /// `L_SC` on the property-prediction batch built from the model's own generation.
    public static func selfConsistencyLoss(logits: Tensor, batch: CollatedBatch, tape: Tape) throws -> Tensor {
        let scale = 1 / (Float(batch.batchSize) * Float(batch.length))
        let rows = batch.targetRows
        return try tape.crossEntropy(logits: logits, targets: rows.map(\.label),
                                     weights: [Float](repeating: scale, count: rows.count), reduction: .sum)
    }

    /// The id with the largest logit in each row of `logits` (`[N, V]`); ties go to the smallest id (as
    /// `torch.argmax`).
    public static func argmax(_ logits: Tensor) -> [Int32] {
        let v = logits.shape.last, n = logits.shape.rows
        return logits.withUnsafeBufferPointer { z in
            (0..<n).map { r in
                var best = 0
                var bestValue = z[r * v]
                for c in 1..<max(v, 1) where z[r * v + c] > bestValue {
                    best = c
                    bestValue = z[r * v + c]
                }
                return Int32(best)
            }
        }
    }
}
