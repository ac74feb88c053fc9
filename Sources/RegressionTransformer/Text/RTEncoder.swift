/// Turns RT text into token ids and back, for one vocabulary and tokenizer (docs/rt-text-format.md §5).
///
/// `encode` is the original's full pipeline: tokens (`RTTokenizer`), a `[PAD]` appended when their count is odd
/// (so every encoded sample has even length), ids, then `[CLS] … [SEP]`. Unknown tokens map to `[UNK]` only
/// when `allowsUnknownTokens` is set (the default in faithful mode); otherwise they are an error naming the
/// token — the original silently encodes e.g. SMILES atoms with a SELFIES vocabulary as all-`[UNK]`
/// (docs/rt-text-format.md §5).
public struct RTEncoder: Sendable {
    public let vocabulary: Vocabulary
    public var tokenizer: RTTokenizer
    /// Map tokens missing from the vocabulary to `[UNK]` instead of failing.
    public var allowsUnknownTokens: Bool
    /// Append `[PAD]` to an odd number of content tokens (the original's `pad_even`, on by default; every
    /// published model was trained with it).
    public var padsToEvenLength: Bool = true

    public init(vocabulary: Vocabulary, tokenizer: RTTokenizer, allowsUnknownTokens: Bool? = nil) {
        self.vocabulary = vocabulary
        self.tokenizer = tokenizer
        self.allowsUnknownTokens = allowsUnknownTokens ?? (tokenizer.mode == .faithful)
    }

    /// The ids of `text`: `[CLS]`, content ids, `[PAD]` if their count is odd, `[SEP]` (or without `[CLS]`,
    /// `[SEP]` and the even-length `[PAD]` when `addSpecialTokens` is false).
    public func encode(_ text: String, addSpecialTokens: Bool = true) throws(TokenizationError) -> [Int32] {
        var ids: [Int32] = []
        var text = text
        try text.withUTF8Bytes { (bytes) throws(TokenizationError) in
            var scratch: [RawToken] = []
            try encode(bytes, into: &ids, scratch: &scratch, addSpecialTokens: addSpecialTokens)
        }
        return ids
    }

    /// `encode`, then cut content ids from the end so that the result has at most `blockSize` ids (the
    /// original's dataset truncation, which drops the even-length `[PAD]` first and keeps `[CLS]`/`[SEP]`).
    /// - Returns: the ids and whether anything was cut.
    public func encode(_ text: String, blockSize: Int) throws(TokenizationError) -> (ids: [Int32], truncated: Bool) {
        var ids = try encode(text)
        let truncated = Self.truncate(&ids, blockSize: blockSize, separator: vocabulary.specialIDs.separator)
        return (ids, truncated)
    }

    /// Cuts content ids before the final `[SEP]` so that `ids.count <= blockSize`; returns whether it cut.
    static func truncate(_ ids: inout [Int32], blockSize: Int, separator: Int32) -> Bool {
        guard blockSize >= 2, ids.count > blockSize else { return false }
        ids.removeSubrange((blockSize - 1)..<(ids.count - 1))
        ids[blockSize - 1] = separator
        return true
    }

    /// The allocation-free path: appends the ids of one line (bytes without its line end) to `ids`, using
    /// `scratch` as working space.
    public func encode(_ line: UnsafeBufferPointer<UInt8>, into ids: inout [Int32], scratch: inout RawTokens,
                       addSpecialTokens: Bool = true) throws(TokenizationError)
    {
        scratch.tokens.removeAll(keepingCapacity: true)
        try encode(line, into: &ids, scratch: &scratch.tokens, addSpecialTokens: addSpecialTokens)
    }

    func encode(_ line: UnsafeBufferPointer<UInt8>, into ids: inout [Int32], scratch: inout [RawToken],
                addSpecialTokens: Bool) throws(TokenizationError)
    {
        scratch.removeAll(keepingCapacity: true)
        try tokenizer.scan(line, into: &scratch)
        if addSpecialTokens { ids.append(vocabulary.specialIDs.classifier) }
        let table = vocabulary.table
        for token in scratch {
            var id: Int32
            switch token {
            case .symbol(let s, let e), .property(let s, let e):
                id = table.lookup(line, Int(s), Int(e))
            case .number(let number):
                id = vocabulary.id(of: number) ?? -1
            case .separator:
                id = vocabulary.specialIDs.expressionSeparator
            case .special(let special):
                id = vocabulary.specialIDs[special]
            }
            if id < 0 {
                guard allowsUnknownTokens else { throw unknownTokenError(token, line) }
                id = vocabulary.specialIDs.unknown
            }
            ids.append(id)
        }
        if addSpecialTokens {
            if padsToEvenLength && scratch.count % 2 == 1 { ids.append(vocabulary.specialIDs.pad) }
            ids.append(vocabulary.specialIDs.separator)
        }
    }

    private func unknownTokenError(_ token: RawToken, _ line: UnsafeBufferPointer<UInt8>) -> TokenizationError {
        let text = token.text(in: line)
        switch token {
        case .number(.digit(_, let order)):
            let place = order >= 0 ? "a digit at 10^\(order)" : "decimal place \(-order)"
            return TokenizationError(
                .unknownToken,
                "the number token \(text) (\(place)) is not in the vocabulary; round or rescale the value")
        case .number:
            return TokenizationError(.unknownToken, "the number token \(text) is not in the vocabulary")
        case .property(let s, _):
            return TokenizationError(
                .unknownToken, "the property \(text) is not in the vocabulary", column: Int(s) + 1)
        case .symbol(let s, _):
            var hint = ""
            if vocabulary.id(of: "[C]") != nil, !text.hasPrefix("["), text != "." {
                hint = " (the vocabulary holds SELFIES symbols: is the input SMILES?)"
            }
            return TokenizationError(
                .unknownToken, "the token '\(text)' is not in the vocabulary\(hint)", column: Int(s) + 1)
        default:
            return TokenizationError(.unknownToken, "the token '\(text)' is not in the vocabulary")
        }
    }
}

/// Reusable working space for `RTEncoder.encode(_:into:scratch:)`.
public struct RawTokens {
    var tokens: [RawToken] = []
    public init() {}
}
