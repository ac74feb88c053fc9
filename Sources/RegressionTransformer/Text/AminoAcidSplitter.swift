/// Amino-acid sequences: one token per character (docs/rt-text-format.md §3.3, the original's
/// `CharacterTokenizer`).
///
/// Strict mode accepts only upper-case one-letter codes `A`–`Z` (the 20 standard residues plus the IUPAC
/// ambiguity and rare codes B, J, O, U, X, Z), as GT4SD requires of protein inputs; faithful mode takes every
/// character, as the original does.
enum AminoAcidSplitter {
    static func split(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, strict: Bool,
                      into tokens: inout [RawToken]) throws(TokenizationError)
    {
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let byte = line[i]
            if strict && byte &- UInt8(ascii: "A") >= 26 {
                if byte &- UInt8(ascii: "a") < 26 {
                    let upper = Character(Unicode.Scalar(byte - 32))
                    throw TokenizationError(
                        .invalidCharacter,
                        "lower-case amino acid '\(Character(Unicode.Scalar(byte)))'; write upper-case one-letter codes ('\(upper)')",
                        column: i + 1)
                }
                throw TokenizationError(
                    .invalidCharacter,
                    "\(characterDescription(line, at: i)) is not an amino-acid one-letter code (A–Z)", column: i + 1)
            }
            // One Unicode scalar: a lead byte and its continuation bytes.
            var next = i + 1
            while next < end, line[next] & 0xC0 == 0x80 { next += 1 }
            tokens.append(.symbol(Int32(i), Int32(next)))
            i = next
        }
    }
}
