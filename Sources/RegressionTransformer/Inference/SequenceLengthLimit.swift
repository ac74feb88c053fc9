/// The most token ids one model row may have (`[CLS]`, `[SEP]`, property tokens and value masks included), for
/// every verb that runs the model on user input (`InferenceModel`, `rt embed`).
///
/// Attention costs grow with the square of the length (a 20,000-token row needs ~15 GB and a minute), so a longer
/// input is refused with an error naming its length — first by its size in bytes, before any molecule is parsed
/// or converted (no `tokens` tokens of the vocabulary can spell more than `tokens` × its longest token), then by
/// its exact encoded length.
public struct SequenceLengthLimit: Equatable, Sendable {
    /// 512 tokens: the original's `block_size` is 510, and no RT model was trained on longer rows.
    public static let defaultTokens = 512

    /// The most ids a row may have.
    public var tokens: Int
    /// The longest vocabulary token in UTF-8 bytes, at least 16.
    let longestTokenBytes: Int

    public init(tokens: Int = Self.defaultTokens, vocabulary: Vocabulary) {
        self.tokens = tokens
        longestTokenBytes = max(16, vocabulary.tokens.map(\.utf8.count).max() ?? 0)
    }

    /// The limit a folder's model was trained with: its `training_config.json` `block_size`, else `defaultTokens`.
    /// - Throws: `ModelFolderError` for a `training_config.json` that cannot be read.
    public init(folder: ModelFolder) throws {
        self.init(tokens: try folder.trainedBlockSize() ?? Self.defaultTokens, vocabulary: folder.vocabulary)
    }

    /// Refuses, without tokenizing it, a text too long to fit `tokens` tokens of the vocabulary.
    public func check(text: String) throws(InferenceError) {
        let bytes = text.utf8.count
        guard bytes > tokens * longestTokenBytes else { return }
        throw InferenceError("sequence of \(bytes) characters exceeds the limit of \(tokens) tokens "
                             + "(no \(tokens) tokens of this vocabulary are that long)")
    }

    /// Refuses a row of more than `tokens` ids.
    public func check(tokenCount: Int) throws(InferenceError) {
        guard tokenCount > tokens else { return }
        throw InferenceError("sequence of \(tokenCount) tokens exceeds the limit of \(tokens)")
    }
}
