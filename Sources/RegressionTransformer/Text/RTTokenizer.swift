/// How closely the tokenizer follows the original where the original silently loses information.
public enum TokenizationMode: String, Sendable, CaseIterable {
    /// Bad input is an error: a property value that does not parse (`<qed>.5`, `<qed>1e-05`), a property block
    /// without a `<name>`, characters the sequence language does not know, an empty sequence, an unclosed `[`,
    /// lower-case amino acids, `[CLS]`/`[SEP]`/`[PAD]` inside the text. The tokens of good input are identical to
    /// the original's.
    case strict
    /// Exactly the original's tokens for every input, including its silent drops (docs/rt-text-format.md §2.2,
    /// §3): for reproducing data the original produced. An unclosed SELFIES `[` is still an error (the
    /// original never returns there).
    case faithful
}

/// Turns one line of RT text, `<prop1>NUMBER|<prop2>NUMBER|…|SEQUENCE`, into tokens
/// (docs/rt-text-format.md §1–§3). This is the original's `ExpressionBertTokenizer._tokenize` without a
/// vocabulary; `RTEncoder` adds ids, even-length padding and `[CLS]`/`[SEP]`.
///
/// - Each block before a `|` is a property: `<name>` then an optionally signed decimal number, tokenized
///   digit by digit with its power of ten: `<esol>-3.53` → `<esol> _-_ _3_0_ _._ _5_-1_ _3_-2_`.
///   A property value may instead be a run of `[MASK]` tokens (`<qed>[MASK][MASK][MASK]|…`), the GT4SD way of
///   asking for a prediction.
/// - The text after the last `|` is split by the sequence language; `[MASK]` (and `[UNK]`) inside it stay
///   single tokens, with whitespace next to them ignored.
///
/// Special tokens inside text follow GT4SD's `InferenceBertTokenizer` (docs/rt-text-format.md §3.5): the text is tokenized as one
/// whole, so even-length padding is applied once to the line, not once per piece between special tokens as
/// `main`'s `ExpressionBertTokenizer` does (which turns `<qed>[MASK]…` into `> [PAD] [MASK] …` and cannot have
/// been relied upon). For text without special tokens both agree with `main`.
public struct RTTokenizer: Sendable {
    public var language: SequenceLanguage
    public var mode: TokenizationMode

    public init(language: SequenceLanguage = .smiles, mode: TokenizationMode = .strict) {
        self.language = language
        self.mode = mode
    }

    /// The tokens of `text`, without `[CLS]`/`[SEP]` and without even-length padding.
    public func tokenize(_ text: String) throws(TokenizationError) -> [String] {
        try parse(text).tokens
    }

    /// The tokens of `text` together with where its property blocks and its sequence are.
    public func parse(_ text: String) throws(TokenizationError) -> TokenizedText {
        var text = text
        return try text.withUTF8Bytes { (bytes) throws(TokenizationError) -> TokenizedText in
            var raw: [RawToken] = []
            try scan(bytes, into: &raw)
            return TokenizedText(raw: raw, line: bytes)
        }
    }

    // MARK: - Scanning

    /// Appends the tokens of one line to `tokens` (no padding, no `[CLS]`/`[SEP]`).
    func scan(_ line: UnsafeBufferPointer<UInt8>, into tokens: inout [RawToken]) throws(TokenizationError) {
        let strict = mode == .strict
        var start = 0
        var end = line.count
        while start < end, isASCIIWhitespace(line[start]) { start += 1 }
        if start == end {
            // The original returns no tokens for a blank text.
            if strict { throw TokenizationError(.emptyLine, "empty line") }
            return
        }
        if strict {
            while isASCIIWhitespace(line[end - 1]) { end -= 1 }
        } else {
            start = 0
        }
        var blockStart = start
        var i = start
        while i < end {
            if line[i] == UInt8(ascii: "|") {
                try scanProperty(line, blockStart..<i, into: &tokens)
                tokens.append(.separator)
                blockStart = i + 1
            }
            i += 1
        }
        try scanSequence(line, blockStart..<end, into: &tokens)
    }

    private func scanProperty(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                              into tokens: inout [RawToken]) throws(TokenizationError)
    {
        let strict = mode == .strict
        let end = range.upperBound
        var i = range.lowerBound
        while i < end, isASCIIWhitespace(line[i]) { i += 1 }
        // `<\w+>`
        let tagStart = i
        var tagEnd = -1
        if i < end, line[i] == UInt8(ascii: "<") {
            var j = i + 1
            while j < end, isWordByte(line[j]) { j += 1 }
            if j > i + 1, j < end, line[j] == UInt8(ascii: ">") { tagEnd = j + 1 }
        }
        guard tagEnd > 0 else {
            if let special = firstSpecial(line, range) {
                throw TokenizationError(
                    .misplacedSpecialToken, "\(special.token.text) in a property block without a <name> tag",
                    column: special.index + 1)
            }
            if strict {
                if i == end {
                    throw TokenizationError(.missingPropertyName, "empty property block before '|'", column: i + 1)
                }
                throw TokenizationError(
                    .missingPropertyName,
                    "property block '\(text(line, i..<end))' does not start with a <name> tag", column: i + 1)
            }
            return  // The original's regex does not match: no tokens for this block.
        }
        let tag = text(line, tagStart..<tagEnd)
        var k = tagEnd
        while k < end, isASCIIWhitespace(line[k]) { k += 1 }

        // A masked value: `<qed>[MASK][MASK]…`.
        if k < end, SpecialToken.matching(line, at: k) != nil {
            tokens.append(.property(Int32(tagStart), Int32(tagEnd)))
            while k < end {
                guard SpecialToken.matching(line, at: k) == .mask else {
                    throw TokenizationError(
                        .misplacedSpecialToken,
                        "a masked value of \(tag) must consist of [MASK] tokens only", column: k + 1)
                }
                tokens.append(.special(.mask))
                k += SpecialToken.mask.byteCount
                while k < end, isASCIIWhitespace(line[k]) { k += 1 }
            }
            return
        }
        if let special = firstSpecial(line, range) {
            throw TokenizationError(
                .misplacedSpecialToken, "\(special.token.text) inside the value of \(tag)", column: special.index + 1)
        }

        // `\s*?(\+|-)?(\d+)(\.)?(\d+)?\s*` with the original's match-at-start semantics.
        i = k
        var sign: NumberToken? = nil
        if i < end, line[i] == UInt8(ascii: "-") || line[i] == UInt8(ascii: "+") {
            sign = .sign(negative: line[i] == UInt8(ascii: "-"))
            i += 1
        }
        let integerStart = i
        while i < end, isDigit(line[i]) { i += 1 }
        let integerEnd = i
        guard integerEnd > integerStart else {
            if strict {
                if k == end {
                    throw TokenizationError(.missingValue, "\(tag) has no value", column: k + 1)
                }
                if i < end, line[i] == UInt8(ascii: ".") {
                    throw TokenizationError(
                        .malformedNumber,
                        "the value of \(tag) needs a digit before the decimal point (write 0.5, not .5)",
                        column: k + 1)
                }
                throw TokenizationError(
                    .malformedNumber, "the value of \(tag) is not a number: '\(text(line, k..<end))'",
                    column: k + 1)
            }
            return
        }
        var fractionStart = i
        var fractionEnd = i
        var point = false
        if i < end, line[i] == UInt8(ascii: ".") {
            point = true
            i += 1
            fractionStart = i
            while i < end, isDigit(line[i]) { i += 1 }
            fractionEnd = i
        }
        if strict {
            var rest = i
            while rest < end, isASCIIWhitespace(line[rest]) { rest += 1 }
            if rest < end {
                let value = text(line, k..<end).trimmingASCIIWhitespace()
                if rest == i, line[rest] | 0x20 == UInt8(ascii: "e") {
                    throw TokenizationError(
                        .malformedNumber,
                        "the value of \(tag) is in scientific notation ('\(value)'); RT number tokens need plain decimals",
                        column: k + 1)
                }
                throw TokenizationError(
                    .malformedNumber, "the value of \(tag) is not a plain decimal number: '\(value)'", column: k + 1)
            }
        }
        tokens.append(.property(Int32(tagStart), Int32(tagEnd)))
        if let sign { tokens.append(.number(sign)) }
        for p in integerStart..<integerEnd {
            tokens.append(.number(.digit(line[p] - 0x30, order: integerEnd - 1 - p)))
        }
        if point { tokens.append(.number(.point)) }
        for p in fractionStart..<fractionEnd {
            tokens.append(.number(.digit(line[p] - 0x30, order: fractionStart - 1 - p)))
        }
    }

    private func scanSequence(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                              into tokens: inout [RawToken]) throws(TokenizationError)
    {
        let strict = mode == .strict
        let first = tokens.count
        var pieceStart = range.lowerBound
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            guard line[i] == UInt8(ascii: "["), let special = SpecialToken.matching(line, at: i) else {
                i += 1
                continue
            }
            // Whitespace on both sides of a special token is dropped, as in HF's special-token split.
            var pieceEnd = i
            while pieceEnd > pieceStart, isASCIIWhitespace(line[pieceEnd - 1]) { pieceEnd -= 1 }
            try language.split(line, pieceStart..<pieceEnd, strict: strict, into: &tokens)
            if strict, special != .mask, special != .unknown {
                throw TokenizationError(
                    .misplacedSpecialToken, "\(special.text) cannot stand inside the sequence", column: i + 1)
            }
            tokens.append(.special(special))
            i += special.byteCount
            while i < end, isASCIIWhitespace(line[i]) { i += 1 }
            pieceStart = i
        }
        try language.split(line, pieceStart..<end, strict: strict, into: &tokens)
        if strict {
            if tokens.count == first {
                throw TokenizationError(.emptySequence, "no sequence after the last '|'", column: end + 1)
            }
            if language.isReaction { try checkReaction(line, tokens[first...], column: range.lowerBound + 1) }
        }
    }

    /// A reaction has exactly one `>>` with tokens on both sides.
    private func checkReaction(_ line: UnsafeBufferPointer<UInt8>, _ tokens: ArraySlice<RawToken>, column: Int)
        throws(TokenizationError)
    {
        var arrows: [Int] = []
        for k in tokens.indices {
            if case .symbol(let s, let e) = tokens[k], e - s == 2, line[Int(s)] == UInt8(ascii: ">"),
               line[Int(s) + 1] == UInt8(ascii: ">")
            {
                arrows.append(k)
            }
        }
        guard arrows.count == 1, let arrow = arrows.first, arrow > tokens.startIndex,
              arrow < tokens.endIndex - 1
        else {
            let problem = arrows.isEmpty ? "has no '>>'" : arrows.count > 1 ? "has more than one '>>'"
                : "needs molecules on both sides of '>>'"
            throw TokenizationError(
                .malformedReaction, "the reaction \(problem); write precursors>>products", column: column)
        }
    }

    private func firstSpecial(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>)
        -> (token: SpecialToken, index: Int)?
    {
        for k in range where line[k] == UInt8(ascii: "[") {
            if let special = SpecialToken.matching(line, at: k) { return (special, k) }
        }
        return nil
    }
}

extension String {
    func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, isASCIIWhitespace(bytes[start]) { start += 1 }
        while end > start, isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
