/// Splits SMILES exactly like the original's regular expression (docs/rt-text-format.md §3.1), verbatim:
///
///     (\%\([0-9]{3}\)|\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\||\(|\)|\.|=|#|-|\+|\\|\/|:|~|@|\?|>>?|\*|\$|\%[0-9]{2}|[0-9])
///
/// applied with `re.findall`: at each position the alternatives are tried left to right; a character that
/// starts no match is skipped. This is a hand-written scanner over UTF-8 bytes with the same result (the
/// pattern only matches ASCII outside brackets, and `]` never occurs inside a multi-byte character).
///
/// - Faithful mode skips unmatched characters silently, as the original does.
/// - Strict mode reports them (`H` or `K` outside brackets, spaces, an unclosed `[`, `[]`, a lone `%`).
/// - With `tags` (the reaction languages), `<\w+>` is one token, e.g. the entity separator `<energy>`.
enum SMILESSplitter {
    private enum Kind: UInt8 {
        case none = 0, single, bromine, chlorine, arrow, percent, bracket, tag
    }

    private static let kinds: [Kind] = {
        var table = [Kind](repeating: .none, count: 256)
        for byte in "NOSPFIbcnosp|().=#-+\\/:~@?*$0123456789".utf8 { table[Int(byte)] = .single }
        table[Int(UInt8(ascii: "B"))] = .bromine
        table[Int(UInt8(ascii: "C"))] = .chlorine
        table[Int(UInt8(ascii: ">"))] = .arrow
        table[Int(UInt8(ascii: "%"))] = .percent
        table[Int(UInt8(ascii: "["))] = .bracket
        table[Int(UInt8(ascii: "<"))] = .tag
        return table
    }()

    static func split(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, tags: Bool, strict: Bool,
                      into tokens: inout [RawToken]) throws(TokenizationError)
    {
        let end = range.upperBound
        var i = range.lowerBound
        try kinds.withUnsafeBufferPointer { (kinds) throws(TokenizationError) in
            while i < end {
                let byte = line[i]
                var length = 0
                switch kinds[Int(byte)] {
                case .single:
                    length = 1
                case .bromine:
                    length = i + 1 < end && line[i + 1] == UInt8(ascii: "r") ? 2 : 1
                case .chlorine:
                    length = i + 1 < end && line[i + 1] == UInt8(ascii: "l") ? 2 : 1
                case .arrow:
                    length = i + 1 < end && line[i + 1] == UInt8(ascii: ">") ? 2 : 1
                case .percent:
                    // `%(ddd)` is tried before `%dd`.
                    if i + 5 < end, line[i + 1] == UInt8(ascii: "("), isDigit(line[i + 2]),
                       isDigit(line[i + 3]), isDigit(line[i + 4]), line[i + 5] == UInt8(ascii: ")")
                    {
                        length = 6
                    } else if i + 2 < end, isDigit(line[i + 1]), isDigit(line[i + 2]) {
                        length = 3
                    } else if strict {
                        throw TokenizationError(
                            .invalidCharacter,
                            "'%' must be followed by a two-digit ring-bond number (%12) or %(123)", column: i + 1)
                    }
                case .bracket:
                    // `\[[^\]]+]`: at least one character, then the first `]`.
                    var j = i + 1
                    while j < end, line[j] != UInt8(ascii: "]") { j += 1 }
                    if j < end, j > i + 1 {
                        length = j + 1 - i
                    } else if strict {
                        if j == end {
                            throw TokenizationError(.unclosedBracket, "'[' is never closed by ']'", column: i + 1)
                        }
                        throw TokenizationError(.invalidCharacter, "empty bracket atom '[]'", column: i + 1)
                    }
                case .tag:
                    if tags {
                        var j = i + 1
                        while j < end, isWordByte(line[j]) { j += 1 }
                        if j < end, j > i + 1, line[j] == UInt8(ascii: ">") {
                            length = j + 1 - i
                        }
                    }
                    if length == 0 && strict {
                        throw TokenizationError(
                            .invalidCharacter,
                            tags ? "'<' does not start a <tag>" : "'<' is not part of the SMILES alphabet",
                            column: i + 1)
                    }
                case .none:
                    if strict {
                        let what = characterDescription(line, at: i)
                        let hint: String
                        switch byte {
                        case UInt8(ascii: "H"):
                            hint = " (hydrogens and charges belong inside brackets, e.g. [NH4+])"
                        case UInt8(ascii: " "), UInt8(ascii: "\t"):
                            hint = " (whitespace inside the sequence)"
                        default:
                            hint = ""
                        }
                        throw TokenizationError(
                            .invalidCharacter, "\(what) is not part of the SMILES alphabet\(hint)", column: i + 1)
                    }
                }
                if length == 0 {
                    // Faithful: `re.findall` skips a character that starts no match.
                    i += 1
                    continue
                }
                tokens.append(.symbol(Int32(i), Int32(i + length)))
                i += length
            }
        }
    }
}
