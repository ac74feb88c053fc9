/// Builds a vocabulary from data, or extends one without changing existing ids.
///
/// A new vocabulary is laid out as
///
///     [PAD] [UNK] [CLS] [SEP] [MASK] | _-_ _+_ _._      specials, separator, sign and point
///     <prop> …                                         property tags, in order of first appearance
///     _d_k_ for k = maximumOrder … minimumOrder, d = 0 … 9 (k ≠ -0)   every digit token of the range
///     other number tokens the data needs                (digits outside the range)
///     sequence tokens, most frequent first (ties: first seen)
///
/// so `[PAD]` is id 0 (what the original's collators assumed) and every value with up to
/// `maximumOrder + 1` integer digits and `-minimumOrder` decimals has its tokens. Unlike the original's
/// `create_vocabulary.py` there are no `[unusedN]` tokens and no never-produced `_d_-0_` tokens, `_0_-6_` is
/// not missing, and properties come from the data rather than a fixed list (add more with
/// `addProperty`). Extending an existing vocabulary appends the missing tokens in the same order.
public struct VocabularyBuilder: Sendable {
    /// The smallest digit order (−6 = sixth decimal place).
    public var minimumOrder: Int
    /// The largest digit order (5 = hundred thousands).
    public var maximumOrder: Int
    private var tags: [String] = []
    private var tagSet: Set<String> = []
    private var extraNumbers: [NumberToken] = []
    private var sequenceCounts: [String: (count: Int, first: Int)] = [:]
    /// One-byte sequence tokens (most SMILES tokens) are counted here, without building strings.
    private var byteCounts = [Int](repeating: 0, count: 256)
    private var byteFirstSeen = [Int](repeating: 0, count: 256)
    private var distinctSequenceTokens = 0
    /// Number of lines added.
    public private(set) var lines = 0

    public init(minimumOrder: Int = -6, maximumOrder: Int = 5) {
        self.minimumOrder = minimumOrder
        self.maximumOrder = maximumOrder
    }

    /// Adds the property tag `<name>`.
    public mutating func addProperty(_ name: String) {
        let tag = "<\(name)>"
        if tagSet.insert(tag).inserted { tags.append(tag) }
    }

    /// Counts the tokens of one tokenized line.
    public mutating func add(_ text: TokenizedText) {
        lines += 1
        for property in text.properties {
            addProperty(property.name)
            for token in text.tokens[property.value] {
                if let number = NumberToken(token) { addNumber(number) }
            }
        }
        for token in text.tokens[text.sequence] where SpecialToken(rawValue: token) == nil {
            addSequenceToken(token)
        }
    }

    /// Tokenizes one line of RT text with `tokenizer` and counts its tokens.
    public mutating func add(_ line: String, tokenizer: RTTokenizer) throws(TokenizationError) {
        add(try tokenizer.parse(line))
    }

    /// Tokenizes the bytes of one line and counts its tokens (the streaming path).
    mutating func add(_ line: UnsafeBufferPointer<UInt8>, tokenizer: RTTokenizer, scratch: inout [RawToken])
        throws(TokenizationError)
    {
        scratch.removeAll(keepingCapacity: true)
        try tokenizer.scan(line, into: &scratch)
        lines += 1
        for token in scratch {
            switch token {
            case .property(let s, let e):
                addProperty(String(decoding: UnsafeBufferPointer(rebasing: line[Int(s) + 1..<Int(e) - 1]), as: UTF8.self))
            case .number(let number):
                addNumber(number)
            case .symbol(let s, let e):
                if e - s == 1 {
                    let byte = Int(line[Int(s)])
                    if byteCounts[byte] == 0 {
                        byteFirstSeen[byte] = distinctSequenceTokens
                        distinctSequenceTokens += 1
                    }
                    byteCounts[byte] += 1
                } else {
                    addSequenceToken(String(decoding: UnsafeBufferPointer(rebasing: line[Int(s)..<Int(e)]), as: UTF8.self))
                }
            case .separator, .special:
                break
            }
        }
    }

    private mutating func addNumber(_ number: NumberToken) {
        guard case .digit(_, let order) = number else { return }
        if order < minimumOrder || order > maximumOrder, !extraNumbers.contains(number) {
            extraNumbers.append(number)
        }
    }

    private mutating func addSequenceToken(_ token: String) {
        let bytes = Array(token.utf8)
        if bytes.count == 1 {
            let byte = Int(bytes[0])
            if byteCounts[byte] == 0 {
                byteFirstSeen[byte] = distinctSequenceTokens
                distinctSequenceTokens += 1
            }
            byteCounts[byte] += 1
        } else if let entry = sequenceCounts[token] {
            sequenceCounts[token] = (entry.count + 1, entry.first)
        } else {
            sequenceCounts[token] = (1, distinctSequenceTokens)
            distinctSequenceTokens += 1
        }
    }

    /// The vocabulary: a new one, or `base` with the missing tokens appended (existing ids unchanged).
    /// - Throws: never in practice (every token is added once and the specials are present); the error is the
    ///   vocabulary's own check.
    public func build(extending base: Vocabulary? = nil) throws(VocabularyError) -> Vocabulary {
        var tokens = SpecialToken.allCases.map(\.text) + [expressionSeparator]
        tokens += [NumberToken.sign(negative: true), .sign(negative: false), .point].map(\.text)
        tokens += tags
        if maximumOrder >= minimumOrder {
            for order in stride(from: maximumOrder, through: minimumOrder, by: -1) {
                for digit in 0...9 { tokens.append(NumberToken.digit(UInt8(digit), order: order).text) }
            }
        }
        tokens += extraNumbers.sorted { $0.text < $1.text }.map(\.text)
        var counted = sequenceCounts.map { (token: $0.key, count: $0.value.count, first: $0.value.first) }
        for byte in 0..<256 where byteCounts[byte] > 0 {
            counted.append((String(decoding: [UInt8(byte)], as: UTF8.self), byteCounts[byte], byteFirstSeen[byte]))
        }
        tokens += counted.sorted { a, b in a.count != b.count ? a.count > b.count : a.first < b.first }.map(\.token)
        if let base { return base.appending(tokens) }
        return try Vocabulary(tokens: uniqued(tokens))
    }

    private func uniqued(_ tokens: [String]) -> [String] {
        var seen = Set<String>()
        return tokens.filter { seen.insert($0).inserted }
    }
}
