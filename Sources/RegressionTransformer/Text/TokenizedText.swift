/// Where one property block sits in a token list: `<name>`, its value tokens, and the `|` that ends it.
///
/// Indices refer to the token list the span was found in (content tokens for `TokenizedText`, ids with
/// `[CLS]` at 0 for `SampleLayout`).
public struct PropertySpan: Equatable, Hashable, Sendable {
    /// The property name without brackets, e.g. `qed` for `<qed>`.
    public var name: String
    /// Index of the `<name>` token.
    public var tag: Int
    /// Indices of the value tokens (sign, digits, point — or `[MASK]`s), between the tag and the separator.
    public var value: Range<Int>
    /// Index of the `|` that ends the block.
    public var separator: Int

    public init(name: String, tag: Int, value: Range<Int>, separator: Int) {
        self.name = name
        self.tag = tag
        self.value = value
        self.separator = separator
    }

    /// The `<name>` token text.
    public var token: String { "<\(name)>" }
}

/// The tokens of one line of RT text and its structure (property blocks, sequence).
public struct TokenizedText: Equatable, Sendable {
    /// Content tokens in order: no `[CLS]`/`[SEP]`, no even-length padding.
    public var tokens: [String]
    /// The property blocks that have a `<name>` tag, in order.
    public var properties: [PropertySpan]
    /// Indices of the sequence tokens (after the last `|`).
    public var sequence: Range<Int>

    public init(tokens: [String], properties: [PropertySpan], sequence: Range<Int>) {
        self.tokens = tokens
        self.properties = properties
        self.sequence = sequence
    }

    init(raw: [RawToken], line: UnsafeBufferPointer<UInt8>) {
        tokens = raw.map { $0.text(in: line) }
        properties = []
        var lastSeparator = -1
        var openTag: Int? = nil
        for (k, token) in raw.enumerated() {
            switch token {
            case .property:
                openTag = k
            case .separator:
                if let tag = openTag {
                    let text = tokens[tag]
                    properties.append(PropertySpan(
                        name: String(text.dropFirst().dropLast()), tag: tag, value: tag + 1..<k, separator: k))
                }
                openTag = nil
                lastSeparator = k
            default:
                break
            }
        }
        sequence = lastSeparator + 1..<raw.count
    }

    /// The tokens of a property's value.
    public func valueTokens(of property: PropertySpan) -> ArraySlice<String> { tokens[property.value] }

    /// The sequence tokens.
    public var sequenceTokens: ArraySlice<String> { tokens[sequence] }
}
