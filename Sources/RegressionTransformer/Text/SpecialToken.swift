/// The five BERT-style special tokens of an RT vocabulary, and the expression separator `|`.
///
/// They are identified by their *string* in the vocabulary file, never by position: the shipped
/// `proteins.txt` starts with an empty line, so there `[PAD]` has id 1, not 0 (docs/rt-text-format.md §4.2).
public enum SpecialToken: String, CaseIterable, Sendable {
    case pad = "[PAD]"
    case unknown = "[UNK]"
    case classifier = "[CLS]"
    case separator = "[SEP]"
    case mask = "[MASK]"

    /// The token text, e.g. `[MASK]`.
    public var text: String { rawValue }

    /// The special token whose text is exactly `bytes`, if any (e.g. the bytes of `[MASK]`).
    static func matching(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> SpecialToken? {
        // Every special token is `[` + 3 or 4 upper-case letters + `]`.
        guard start < bytes.count, bytes[start] == UInt8(ascii: "[") else { return nil }
        @inline(__always) func byte(_ k: Int) -> UInt8 { start + k < bytes.count ? bytes[start + k] : 0 }
        switch (byte(1), byte(2), byte(3), byte(4), byte(5)) {
        case (0x50, 0x41, 0x44, 0x5D, _): return .pad  // PAD]
        case (0x55, 0x4E, 0x4B, 0x5D, _): return .unknown  // UNK]
        case (0x43, 0x4C, 0x53, 0x5D, _): return .classifier  // CLS]
        case (0x53, 0x45, 0x50, 0x5D, _): return .separator  // SEP]
        case (0x4D, 0x41, 0x53, 0x4B, 0x5D): return .mask  // MASK]
        default: return nil
        }
    }

    /// Length of the token text in bytes.
    var byteCount: Int { self == .mask ? 6 : 5 }
}

/// The expression separator: it ends every property block of an RT line (`<qed>0.39|CCO`).
public let expressionSeparator = "|"
