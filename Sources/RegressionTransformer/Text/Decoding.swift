/// One property read back from tokens.
public struct DecodedProperty: Equatable, Sendable {
    /// The name without brackets, e.g. `qed`.
    public var name: String
    /// The value tokens (between the tag and `|`).
    public var tokens: [String]
    /// The value if the tokens form a number in the RT grammar (sign, digits with consecutive orders ending at
    /// 0, point, decimals −1, −2, …); nil otherwise.
    public var value: Double?
    /// The original's reading (`floating_tokens_to_float`: digit orders ignored), nil where it returns −1.
    public var lenientValue: Double?
}

/// A sample read back from ids: its sequence and properties (the original's `aggregate_tokens`).
public struct DecodedSample: Equatable, Sendable {
    /// The sequence tokens (after the last `|`, without trailing `[PAD]`s).
    public var sequenceTokens: [String]
    /// The sequence tokens concatenated (a SMILES, SELFIES or amino-acid string).
    public var sequence: String { sequenceTokens.joined() }
    /// The property blocks in order.
    public var properties: [DecodedProperty]

    /// The grammar-checked value of the first property named `name`.
    public func value(of name: String) -> Double? { properties.first { $0.name == name }?.value }
}

/// Turning model inputs and outputs back into tokens, sequences and values (docs/rt-text-format.md §6).
extension Vocabulary {
    /// The tokens of `ids`.
    /// - Throws: for an id outside `0..<count` (the original silently decodes those as `[UNK]`).
    public func tokens(for ids: some Sequence<Int32>) throws(VocabularyError) -> [String] {
        var result: [String] = []
        for id in ids {
            guard let token = token(for: id) else {
                throw VocabularyError("token id \(id) is outside the vocabulary (0..<\(count))")
            }
            result.append(token)
        }
        return result
    }

    /// `input` with every `[MASK]` replaced by the prediction at the same position (the original's
    /// `get_sample_prediction`). `predictions` must be as long as `input`.
    public func fillingMasks(in input: [Int32], with predictions: [Int32]) -> [Int32] {
        precondition(input.count == predictions.count, "input and predictions differ in length")
        let mask = specialIDs.mask
        return zip(input, predictions).map { $0 == mask ? $1 : $0 }
    }

    /// The original sample behind a masked `input` and its `labels` (the original's `get_sample_label`): the
    /// label wherever it is not `ignoreIndex`, else the input id.
    public func restoringLabels(in input: [Int32], labels: [Int32], ignoreIndex: Int32 = -100) -> [Int32] {
        precondition(input.count == labels.count, "input and labels differ in length")
        return zip(input, labels).map { $1 == ignoreIndex ? $0 : $1 }
    }

    /// The sequence and properties of `ids` (with or without `[CLS]`/`[SEP]`).
    ///
    /// Fixes of the original's `aggregate_tokens` (docs/rt-text-format.md §6.2): only blocks that end with `|` are
    /// properties (not every `<…>` token, so `<PAD>` or `<energy>` in a sequence stay sequence tokens); the
    /// sequence is what follows the *last* `|`; nothing is dropped when `[SEP]` is missing; an unreadable value
    /// is nil, never −1. Ids outside the vocabulary read as `[UNK]`.
    public func decodeSample(_ ids: some RandomAccessCollection<Int32>) -> DecodedSample {
        let ids = Array(ids)
        let layout = SampleLayout(ids: ids, vocabulary: self)
        func text(_ id: Int32) -> String { token(for: id) ?? SpecialToken.unknown.text }
        let properties = layout.properties.map { span -> DecodedProperty in
            let valueIDs = ids[span.value]
            let tokens = valueIDs.map(text)
            let numbers = valueIDs.compactMap(numberToken(for:))
            return DecodedProperty(
                name: span.name, tokens: tokens,
                value: numbers.count == tokens.count ? NumberDecoding.value(of: numbers) : nil,
                lenientValue: NumberDecoding.lenientValue(of: tokens.prefix { $0.hasPrefix("_") }))
        }
        return DecodedSample(sequenceTokens: ids[layout.sequence].map(text), properties: properties)
    }

    /// The layout of the number in `ids` (e.g. a property's value positions), or nil if they are not number
    /// tokens forming a number.
    public func numberLayout(of ids: some Collection<Int32>) -> NumberLayout? {
        var tokens: [NumberToken] = []
        for id in ids {
            guard let token = numberToken(for: id) else { return nil }
            tokens.append(token)
        }
        return NumberLayout(tokens: tokens)
    }

    /// The ids of the tokens allowed at `position` that this vocabulary has (`_0_-6_`, for instance, is missing
    /// from the shipped files).
    public func ids(allowedAt position: NumberPosition) -> [Int32] {
        position.allowedTokens.compactMap { id(of: $0) }
    }

    /// The ids of `value` written in `layout` (a primer).
    /// - Throws: if the value does not fit the layout or a needed token is not in the vocabulary.
    public func ids(for value: Double, in layout: NumberLayout) throws(NumberFormatError) -> [Int32] {
        try layout.tokens(for: value).map { (token) throws(NumberFormatError) -> Int32 in
            guard let id = id(of: token) else {
                throw NumberFormatError("the number token \(token) (for \(value) as \(layout)) is not in the vocabulary")
            }
            return id
        }
    }

    /// `ids` with the value of `property` replaced by `value` written in the same layout, so the sample keeps
    /// its length (conditional-generation primers, docs/rt-text-format.md §6.3). A masked value needs `layout`.
    public func priming(_ ids: [Int32], property: PropertySpan, with value: Double, layout: NumberLayout? = nil)
        throws(NumberFormatError) -> [Int32]
    {
        guard let layout = layout ?? numberLayout(of: ids[property.value]) else {
            throw NumberFormatError("the value of <\(property.name)> is not a number; pass its layout")
        }
        guard layout.tokenCount == property.value.count else {
            throw NumberFormatError(
                "the layout \(layout) has \(layout.tokenCount) tokens, the slot of <\(property.name)> \(property.value.count)")
        }
        var primed = ids
        primed.replaceSubrange(property.value, with: try self.ids(for: value, in: layout))
        return primed
    }
}
