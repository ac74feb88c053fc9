import Tensors

extension XLNetModel {
    /// The same model for a larger vocabulary (HF's `resize_token_embeddings`, which the original always
    /// calls): e.g. to fine-tune with new property tokens. `newVocabulary` must start with every token of
    /// `oldVocabulary` in the same order (`Vocabulary.appending` builds such a vocabulary), so existing ids keep
    /// their meaning. Rows of new tokens are drawn from N(0, initializer_range²) with `SeededGenerator(seed:)`,
    /// the LM bias is zero-padded, every other parameter is copied, and the numerical encodings are rebuilt
    /// for the new vocabulary (new digit tokens get their encodings).
    /// - Throws: `XLNetError.invalidModel` when `oldVocabulary` is not this model's (size) or not a prefix of
    ///   `newVocabulary`.
    public func resizingVocabulary(from oldVocabulary: Vocabulary, to newVocabulary: Vocabulary, seed: UInt64) throws
        -> XLNetModel
    {
        let v = configuration.vocabularySize, d = configuration.modelDimension
        guard oldVocabulary.count == v else {
            throw XLNetError.invalidModel("the old vocabulary has \(oldVocabulary.count) tokens but the model has \(v)")
        }
        guard newVocabulary.count >= v, Array(newVocabulary.tokens.prefix(v)) == oldVocabulary.tokens else {
            let firstDifference = zip(oldVocabulary.tokens, newVocabulary.tokens).enumerated().first { $0.element.0 != $0.element.1 }
            let detail = firstDifference.map { "id \($0.offset) is '\($0.element.0)' but '\($0.element.1)' in the new one" }
                ?? "the new vocabulary is smaller (\(newVocabulary.count) < \(v))"
            throw XLNetError.invalidModel("the new vocabulary must extend the old one token by token: \(detail)")
        }
        var config = configuration
        config.vocabularySize = newVocabulary.count
        let store = try ParameterStore(config.parameterSpecs)
        for name in parameters.names where name != XLNetParameterName.wordEmbedding && name != XLNetParameterName.lmBias {
            try store.assign(name, try parameters.tensor(name))
        }
        let added = newVocabulary.count - v
        var generator = SeededGenerator(seed: seed)
        let fresh = Tensor.randomNormal([max(added, 0), d], mean: 0, std: Float(config.initializerRange), using: &generator)
        let embedding = try store.tensor(XLNetParameterName.wordEmbedding).unsafePointer
        embedding.update(from: wordEmbedding.unsafePointer, count: v * d)
        (embedding + v * d).update(from: fresh.unsafePointer, count: added * d)
        let bias = try store.tensor(XLNetParameterName.lmBias).unsafePointer
        bias.update(from: lmBias.unsafePointer, count: v)
        (bias + v).update(repeating: 0, count: added)
        return try XLNetModel(configuration: config, vocabulary: newVocabulary, parameters: store)
    }
}
