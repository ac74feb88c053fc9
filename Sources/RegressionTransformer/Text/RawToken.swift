/// A token of one line before it becomes a string or an id: either a slice of the line's bytes or a token the
/// tokenizer synthesizes. Hot loops (datasets, `rt bench tokenize`) work on these and never build strings.
enum RawToken: Equatable, Sendable {
    /// A sequence symbol: bytes `[start, end)` of the line.
    case symbol(Int32, Int32)
    /// A property tag such as `<qed>`: bytes `[start, end)` of the line (including `<` and `>`).
    case property(Int32, Int32)
    /// A sign, digit or point of a property value.
    case number(NumberToken)
    /// The expression separator `|`.
    case separator
    /// A special token written in the text (`[MASK]` …) or added by the tokenizer (`[PAD]` for even length).
    case special(SpecialToken)

    /// The token text.
    func text(in line: UnsafeBufferPointer<UInt8>) -> String {
        switch self {
        case .symbol(let s, let e), .property(let s, let e):
            return String(decoding: UnsafeBufferPointer(rebasing: line[Int(s)..<Int(e)]), as: UTF8.self)
        case .number(let number): return number.text
        case .separator: return expressionSeparator
        case .special(let special): return special.text
        }
    }
}

// MARK: - Byte helpers shared by the splitters

@inline(__always) func isASCIIWhitespace(_ byte: UInt8) -> Bool {
    // Python's `\s` on ASCII: space, \t \n \v \f \r, and the separators \x1c–\x1f.
    byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) || (byte >= 0x1C && byte <= 0x1F)
}

/// Python's `\w` on ASCII letters, digits and `_`; bytes of non-ASCII characters count as word characters.
@inline(__always) func isWordByte(_ byte: UInt8) -> Bool {
    (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 || byte == 0x5F || byte >= 0x80
}

/// The character starting at byte `index`, for error messages.
func characterDescription(_ line: UnsafeBufferPointer<UInt8>, at index: Int) -> String {
    var end = index + 1
    while end < line.count, line[end] & 0xC0 == 0x80 { end += 1 }
    guard let text = String(validating: UnsafeBufferPointer(rebasing: line[index..<end]), as: UTF8.self) else {
        return "byte 0x" + String(line[index], radix: 16, uppercase: true) + " (not UTF-8 text)"
    }
    switch text {
    case " ": return "a space"
    case "\t": return "a tab"
    default: return "'\(text)'"
    }
}

/// Bytes `range` of `line` as a string, for error messages: at most `messageTextLimit` bytes (cut at a
/// character boundary and ended with `…`), so that a garbage line of a megabyte gives a short message.
func text(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    guard range.count > messageTextLimit else {
        return String(decoding: UnsafeBufferPointer(rebasing: line[range]), as: UTF8.self)
    }
    var end = range.lowerBound + messageTextLimit
    while end > range.lowerBound, line[end] & 0xC0 == 0x80 { end -= 1 }
    return String(decoding: UnsafeBufferPointer(rebasing: line[range.lowerBound..<end]), as: UTF8.self) + "…"
}

/// The most bytes of input text quoted in one error message.
let messageTextLimit = 64

extension String {
    /// `withUTF8` that keeps the body's typed error.
    mutating func withUTF8Bytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUTF8 { bytes in
            do throws(E) { return .success(try body(bytes)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
