/// One token of a property value, as the RT's property tokenizer writes it (docs/rt-text-format.md §2).
///
/// A value such as `-3.53` becomes `_-_ _3_0_ _._ _5_-1_ _3_-2_`: an optional sign, integer digits with their
/// power of ten (counting from 0 at the units digit), the decimal point, and decimal digits with negative
/// powers (`-1` for the first decimal). The order is part of the token, so the same digit is a different token
/// in a different place.
public enum NumberToken: Hashable, Sendable, CustomStringConvertible {
    /// `_-_` or `_+_`.
    case sign(negative: Bool)
    /// `_._`.
    case point
    /// `_{digit}_{order}_`, e.g. `.digit(5, order: -1)` is `_5_-1_` (the 5 of `0.5`).
    case digit(UInt8, order: Int)

    /// The token text, e.g. `_5_-1_`. Order 0 is written `0`, never `-0`.
    public var text: String {
        switch self {
        case .sign(let negative): return negative ? "_-_" : "_+_"
        case .point: return "_._"
        case .digit(let digit, let order): return "_\(digit)_\(order)_"
        }
    }

    public var description: String { text }

    /// The character this token stands for in the written number (`-`, `+`, `.` or the digit).
    public var character: Character {
        switch self {
        case .sign(let negative): return negative ? "-" : "+"
        case .point: return "."
        case .digit(let digit, _): return Character(Unicode.Scalar(UInt8(ascii: "0") + digit))
        }
    }

    /// Parses the canonical token text the tokenizer produces: `_-_`, `_+_`, `_._`, `_d_k_` with `k ≥ 0`, or
    /// `_d_-k_` with `k ≥ 1`. Returns `nil` for anything else, including `_d_-0_` (present in the shipped
    /// vocabularies as an artefact of `create_vocabulary.py`, but never produced by the tokenizer).
    public init?(_ text: String) {
        var text = text
        let parsed: NumberToken? = text.withUTF8 { NumberToken.parse(UnsafeBufferPointer(rebasing: $0[...])) }
        guard let parsed else { return nil }
        self = parsed
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> NumberToken? {
        let n = bytes.count
        guard n >= 3, bytes[0] == 0x5F, bytes[n - 1] == 0x5F else { return nil }
        if n == 3 {
            switch bytes[1] {
            case UInt8(ascii: "-"): return .sign(negative: true)
            case UInt8(ascii: "+"): return .sign(negative: false)
            case UInt8(ascii: "."): return .point
            default: return nil
            }
        }
        // `_d_` + order + `_`
        guard n >= 5, bytes[2] == 0x5F, isDigit(bytes[1]) else { return nil }
        var k = 3
        var negative = false
        if bytes[k] == UInt8(ascii: "-") {
            negative = true
            k += 1
        }
        guard k < n - 1 else { return nil }
        // No leading zeros, no "-0".
        if bytes[k] == UInt8(ascii: "0") && (k + 1 < n - 1 || negative) { return nil }
        var order = 0
        while k < n - 1 {
            guard isDigit(bytes[k]), order < 100_000 else { return nil }
            order = order * 10 + Int(bytes[k] - 0x30)
            k += 1
        }
        return .digit(bytes[1] - 0x30, order: negative ? -order : order)
    }
}

@inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
