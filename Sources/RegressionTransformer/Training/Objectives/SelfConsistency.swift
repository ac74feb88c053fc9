/// The input of the self-consistency pass (`get_cc_loss`, docs/training.md §7).
///
/// After the generation forward pass: take the greedy prediction at every masked position of the generation
/// batch (`argmax`, not differentiable), write it into the batch's inputs — which still carry the *primer* value
/// of each property — and mask all value tokens of the collator's properties again (`PropertyCollator`, fresh
/// permutation masks, attention mask `id != [PAD]` of the generated ids). The labels of this batch are the
/// primer's digits: the loss asks the model to read, from its own generation, the property it was primed with.
/// The gradient flows through this second forward pass only.
///
/// A generated token may be anything (a `|`, a digit, a special token); property blocks are read as everywhere
/// (`SampleLayout`, first block of each name), so the primer block — which comes before the sequence — is the one
/// masked.
public enum SelfConsistency {
    /// The generation batch's inputs with each `[MASK]` replaced by the prediction of its target row
    /// (`predictions` in `targetRows` order).
    public static func generatedIDs(_ batch: CollatedBatch, predictions: [Int32], maskID: Int32) -> [Int32] {
        var ids = batch.inputIDs
        for (row, target) in batch.targetRows.enumerated() {
            let k = target.sample * batch.length + target.position
            if ids[k] == maskID { ids[k] = predictions[row] }
        }
        return ids
    }

    /// The property-prediction batch on the generated ids.
    public static func batch<R: CollatorRandomSource>(generated ids: [Int32], like batch: CollatedBatch,
                                                      collator: PropertyCollator, random: inout R) -> CollatedBatch {
        collator.mask(ids: ids, batchSize: batch.batchSize, length: batch.length, random: &random)
    }
}
