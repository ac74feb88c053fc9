/// Allocation-free entry points for hot loops (`rt tokenize` on millions of lines, `rt bench tokenize`).
extension RTTokenizer {
    /// The number of tokens of one line (bytes without the line end), without `[CLS]`/`[SEP]` or padding.
    public func tokenCount(of line: UnsafeBufferPointer<UInt8>, scratch: inout RawTokens) throws(TokenizationError)
        -> Int
    {
        scratch.tokens.removeAll(keepingCapacity: true)
        try scan(line, into: &scratch.tokens)
        return scratch.tokens.count
    }

    /// Appends the tokens of one line to `output`, separated by single spaces. With `specialTokens`, the list
    /// is wrapped in `[CLS] … [SEP]` and an odd count gets the even-length `[PAD]` before `[SEP]`, as
    /// `RTEncoder.encode` does.
    public func appendTokens(of line: UnsafeBufferPointer<UInt8>, to output: inout [UInt8], scratch: inout RawTokens,
                             specialTokens: Bool = false) throws(TokenizationError)
    {
        scratch.tokens.removeAll(keepingCapacity: true)
        try scan(line, into: &scratch.tokens)
        var first = true
        func separate() {
            if !first { output.append(0x20) }
            first = false
        }
        if specialTokens {
            separate()
            output.append(contentsOf: SpecialToken.classifier.text.utf8)
        }
        for token in scratch.tokens {
            separate()
            switch token {
            case .symbol(let s, let e), .property(let s, let e):
                output.append(contentsOf: UnsafeBufferPointer(rebasing: line[Int(s)..<Int(e)]))
            case .number(let number):
                output.append(contentsOf: number.text.utf8)
            case .separator:
                output.append(UInt8(ascii: "|"))
            case .special(let special):
                output.append(contentsOf: special.text.utf8)
            }
        }
        if specialTokens {
            if scratch.tokens.count % 2 == 1 {
                separate()
                output.append(contentsOf: SpecialToken.pad.text.utf8)
            }
            separate()
            output.append(contentsOf: SpecialToken.separator.text.utf8)
        }
    }
}
