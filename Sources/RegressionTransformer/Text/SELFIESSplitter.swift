/// Splits SELFIES into symbols with the rules of `selfies` 1.0.4 `split_selfies` (docs/rt-text-format.md §3.2):
/// start at the first `[`; repeatedly emit everything up to and including the next `]`; a `.` right after a `]`
/// is a token of its own.
///
/// - Faithful mode keeps 1.0.4's quirks: text before the first `[` is dropped, and junk between `]` and the
///   next `[` is glued to the next symbol (`[C]x[O]` → `[C]`, `x[O]`).
/// - In both modes a `[` without `]` (or junk after the last symbol) is an error: 1.0.4 loops forever there.
/// - Strict mode accepts only `[…]` symbols and single `.` between them.
enum SELFIESSplitter {
    static func split(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, strict: Bool,
                      into tokens: inout [RawToken]) throws(TokenizationError)
    {
        let end = range.upperBound
        var left = range.lowerBound
        while left < end, line[left] != UInt8(ascii: "[") { left += 1 }
        if strict, left != range.lowerBound {
            let junk = text(line, range.lowerBound..<left)
            throw TokenizationError(
                .invalidCharacter, "'\(junk)' before the first SELFIES symbol is not SELFIES",
                column: range.lowerBound + 1)
        }
        while left < end {
            var right = left + 1
            while right < end, line[right] != UInt8(ascii: "]") { right += 1 }
            guard right < end else {
                if line[left] == UInt8(ascii: "[") {
                    throw TokenizationError(.unclosedBracket, "'[' is never closed by ']'", column: left + 1)
                }
                throw TokenizationError(
                    .invalidCharacter, "'\(text(line, left..<end))' after the last SELFIES symbol is not SELFIES",
                    column: left + 1)
            }
            if strict {
                if line[left] != UInt8(ascii: "[") {
                    var open = left
                    while line[open] != UInt8(ascii: "[") && open < right { open += 1 }
                    throw TokenizationError(
                        .invalidCharacter, "'\(text(line, left..<open))' between SELFIES symbols is not SELFIES",
                        column: left + 1)
                }
                if (left + 1..<right).contains(where: { line[$0] == UInt8(ascii: "[") }) {
                    throw TokenizationError(
                        .unclosedBracket, "'[' is never closed by ']' (another '[' follows first)", column: left + 1)
                }
                if right == left + 1 {
                    throw TokenizationError(.invalidCharacter, "empty SELFIES symbol '[]'", column: left + 1)
                }
            }
            tokens.append(.symbol(Int32(left), Int32(right + 1)))
            left = right + 1
            if left < end, line[left] == UInt8(ascii: ".") {
                if strict, left + 1 == end || line[left + 1] != UInt8(ascii: "[") {
                    throw TokenizationError(
                        .invalidCharacter, "'.' must separate two SELFIES symbols", column: left + 1)
                }
                tokens.append(.symbol(Int32(left), Int32(left + 1)))
                left += 1
            }
        }
    }

    /// Reaction SELFIES: `>>` and `<tag>` tokens cut the text into pieces that are split as SELFIES. Equals
    /// GT4SD's `ReactionSelfiesTokenizer` for both its `.` and its `<energy>` precursor separators.
    static func splitReaction(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, strict: Bool,
                              into tokens: inout [RawToken]) throws(TokenizationError)
    {
        let end = range.upperBound
        var pieceStart = range.lowerBound
        var i = range.lowerBound
        while i < end {
            let byte = line[i]
            if byte == UInt8(ascii: "[") {
                // Never cut inside a symbol.
                while i < end, line[i] != UInt8(ascii: "]") { i += 1 }
                i += 1
                continue
            }
            var cut = 0
            if byte == UInt8(ascii: ">"), i + 1 < end, line[i + 1] == UInt8(ascii: ">") {
                cut = 2
            } else if byte == UInt8(ascii: "<") {
                var j = i + 1
                while j < end, isWordByte(line[j]) { j += 1 }
                if j < end, j > i + 1, line[j] == UInt8(ascii: ">") { cut = j + 1 - i }
            }
            if cut == 0 {
                i += 1
                continue
            }
            try split(line, pieceStart..<i, strict: strict, into: &tokens)
            tokens.append(.symbol(Int32(i), Int32(i + cut)))
            i += cut
            pieceStart = i
        }
        try split(line, pieceStart..<end, strict: strict, into: &tokens)
    }
}
