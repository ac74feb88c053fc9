import Tensors

extension XLNetModel {
    /// The logits `[N, V]` of a collated batch's labelled positions, rows in `CollatedBatch.targetRows` order
    /// (nil when nothing is labelled). The RT's identity target mapping restricted to the predicted positions:
    /// the same logits there, at a fraction of the query-stream cost (docs/xlnet.md §6.2).
    ///
    /// - Parameter dropoutKey: this pass's dropout key; nil runs without dropout (evaluation).
    public func targetLogits(_ batch: CollatedBatch, tape: Tape, dropoutKey: RandomKey?) throws -> Tensor? {
        let input = try XLNetBatch(batchSize: batch.batchSize, length: batch.length, ids: batch.inputIDs,
                                   attentionMask: batch.attentionMask, permutationMask: batch.permutationMask,
                                   targets: batch.targetPositions)
        return try forward(input, tape: tape, dropoutKey: dropoutKey).logits
    }

    /// This model, under `configuration` (same shapes; e.g. with the sequence language recorded), over a new
    /// parameter store whose specs decay only what HuggingFace's `Trainer` decays: every parameter whose name does
    /// not contain `bias` (its no-decay list `["bias", "LayerNorm.weight"]` does not match XLNet's `layer_norm`
    /// names, so layer norms decay, docs/training.md §9). Values are copied; frozen parameters stay frozen. The decay flags
    /// only matter with `weight_decay > 0`.
    public func rebuiltForTraining(configuration: XLNetConfiguration, vocabulary: Vocabulary?) throws -> XLNetModel {
        let specs = parameters.specs.map { spec -> ParameterSpec in
            var s = spec
            s.weightDecay = !spec.name.contains("bias")
            return s
        }
        let store = try ParameterStore(specs)
        for spec in specs { try store.assign(spec.name, try parameters.tensor(spec.name)) }
        return try XLNetModel(configuration: configuration, vocabulary: vocabulary, parameters: store)
    }
}
