/// Turns a list of encoded samples (`[CLS] … [SEP]`, as `TokenizedDataset` holds them) into a masked batch.
public protocol Collator: Sendable {
    /// The batch for `samples`, drawing every random choice from `random`.
    func collate<R: CollatorRandomSource>(_ samples: [ArraySlice<Int32>], random: inout R) throws -> CollatedBatch
}

/// The steps shared by the collators: pad, mask the chosen candidates, build one permutation mask per sample.
enum Collation {
    /// Masks `candidates` (`[B, L]`) in `ids` (already padded) and builds the batch with one permutation mask per
    /// sample (each drawing its own shuffle from `random`, samples in order).
    static func finish<R: CollatorRandomSource>(ids: [Int32], candidates: [Bool], batchSize: Int, length: Int,
                                                rules: MaskingRules, random: inout R,
                                                sampleWeights: [Float]? = nil,
                                                realProperties: [[Double?]]? = nil) -> CollatedBatch {
        var inputs = ids
        var labels = [Int32](repeating: CollatedBatch.ignoreIndex, count: ids.count)
        let masked = rules.apply(candidates, inputs: &inputs, labels: &labels)
        var permutation: [Bool] = []
        permutation.reserveCapacity(batchSize * length * length)
        for b in 0..<batchSize {
            PermutationMask.append(masked: Array(masked[(b * length)..<((b + 1) * length)]), random: &random,
                                   into: &permutation)
        }
        return CollatedBatch(batchSize: batchSize, length: length, inputIDs: inputs, labels: labels,
                             attentionMask: BatchPadding.attentionMask(ids, padID: rules.padID),
                             permutationMask: permutation, sampleWeights: sampleWeights,
                             realProperties: realProperties)
    }
}
