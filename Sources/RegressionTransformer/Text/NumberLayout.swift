import Foundation

/// What one position of a number slot holds: the sign, a digit of a given order (power of ten), or the point.
public enum NumberPosition: Hashable, Sendable, CustomStringConvertible {
    case sign
    case digit(order: Int)
    case point

    /// The number tokens allowed at this position: `_-_`/`_+_`, the ten digits of this order, or `_._`.
    public var allowedTokens: [NumberToken] {
        switch self {
        case .sign: return [.sign(negative: true), .sign(negative: false)]
        case .digit(let order): return (0...9).map { .digit(UInt8($0), order: order) }
        case .point: return [.point]
        }
    }

    public var description: String {
        switch self {
        case .sign: return "sign"
        case .digit(let order): return "digit(10^\(order))"
        case .point: return "point"
        }
    }
}

/// Why a value cannot be written in a number layout.
public struct NumberFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The digit layout of a property value: an optional sign, `integerDigits` digits with orders
/// `integerDigits−1 … 0`, and optionally the point followed by `fractionDigits` digits with orders `−1 … −f`.
///
/// `0.3936` has layout `d.dddd` (6 tokens), `-3.53` has `±d.dd` (5 tokens). The layout is the grammar of a
/// number slot: which token may stand at each position. The original writes primers with `str(x)[:n]` and pastes
/// their ids over the data value's, which breaks when the two differ in length (docs/rt-text-format.md §6.3); writing the primer
/// in the slot's layout (`tokens(for:)`) always fits. Constrained decoding restricts each masked position of a
/// slot to `positions[k].allowedTokens`.
public struct NumberLayout: Hashable, Sendable, CustomStringConvertible {
    public let hasSign: Bool
    public let integerDigits: Int
    public let hasPoint: Bool
    public let fractionDigits: Int

    /// A layout; nil unless `integerDigits ≥ 1`, `fractionDigits ≥ 0`, and fraction digits come with a point.
    /// `hasPoint` defaults to `fractionDigits > 0`.
    public init?(hasSign: Bool = false, integerDigits: Int, fractionDigits: Int = 0, hasPoint: Bool? = nil) {
        let point = hasPoint ?? (fractionDigits > 0)
        guard integerDigits >= 1, fractionDigits >= 0, point || fractionDigits == 0 else { return nil }
        self.hasSign = hasSign
        self.integerDigits = integerDigits
        self.hasPoint = point
        self.fractionDigits = fractionDigits
    }

    /// Reads a pattern such as `d.ddd`, `±d.dd` or `-dd` (`±`, `-` or `+` mark the sign position).
    public init?(pattern: String) {
        var scalars = Substring(pattern)
        var sign = false
        if let first = scalars.first, first == "±" || first == "-" || first == "+" {
            sign = true
            scalars = scalars.dropFirst()
        }
        let parts = scalars.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let integer = parts.first, integer.allSatisfy({ $0 == "d" }) else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy({ $0 == "d" }) else { return nil }
        self.init(hasSign: sign, integerDigits: integer.count, fractionDigits: fraction.count,
                  hasPoint: parts.count == 2)
    }

    /// The layout of `tokens` if they form a number: optional sign, digits of orders `n−1 … 0`, optional point,
    /// digits of orders `−1 … −f`. Nil otherwise (e.g. `_3_-2_ _._`, or a digit at the wrong order).
    public init?(tokens: some Collection<NumberToken>) {
        var iterator = tokens.makeIterator()
        var next = iterator.next()
        var sign = false
        if case .sign = next {
            sign = true
            next = iterator.next()
        }
        var digits: [Int] = []  // orders before the point
        while case .digit(_, let order) = next {
            digits.append(order)
            next = iterator.next()
        }
        guard !digits.isEmpty, digits == Array((0..<digits.count).reversed()) else { return nil }
        var point = false
        var fraction = 0
        if case .point = next {
            point = true
            next = iterator.next()
            while case .digit(_, let order) = next {
                fraction += 1
                guard order == -fraction else { return nil }
                next = iterator.next()
            }
        }
        guard next == nil else { return nil }
        self.init(hasSign: sign, integerDigits: digits.count, fractionDigits: fraction, hasPoint: point)
    }

    /// Number of tokens in the slot.
    public var tokenCount: Int { (hasSign ? 1 : 0) + integerDigits + (hasPoint ? 1 : 0) + fractionDigits }

    /// What each position of the slot holds, in order.
    public var positions: [NumberPosition] {
        var positions: [NumberPosition] = hasSign ? [.sign] : []
        for order in stride(from: integerDigits - 1, through: 0, by: -1) { positions.append(.digit(order: order)) }
        if hasPoint { positions.append(.point) }
        for k in stride(from: 1, through: fractionDigits, by: 1) { positions.append(.digit(order: -k)) }
        return positions
    }

    /// The pattern, e.g. `±d.dd`.
    public var description: String {
        (hasSign ? "±" : "") + String(repeating: "d", count: integerDigits) + (hasPoint ? "." : "")
            + String(repeating: "d", count: fractionDigits)
    }

    /// `value` written in this layout: rounded to `fractionDigits` decimals (correctly rounded, ties to even on
    /// the binary value), integer part left-padded with zeros, sign `_-_` for negative and `_+_` for zero or
    /// positive values when the layout has a sign position.
    /// - Throws: if the value is not finite, is negative without a sign position, or has too many integer digits.
    public func tokens(for value: Double) throws(NumberFormatError) -> [NumberToken] {
        guard value.isFinite else { throw NumberFormatError("\(value) is not a finite number") }
        let written = String(format: "%.\(fractionDigits)f", abs(value))
        let parts = written.split(separator: ".", omittingEmptySubsequences: false)
        let integer = Array(parts[0].utf8)
        let fraction = parts.count > 1 ? Array(parts[1].utf8) : []
        let isZero = (integer + fraction).allSatisfy { $0 == UInt8(ascii: "0") }
        let negative = value < 0 && !isZero
        if negative && !hasSign {
            throw NumberFormatError("\(value) is negative, but the layout \(self) has no sign")
        }
        // Leading zeros of the integer part may go; beyond that it must fit.
        var significant = integer[...]
        while significant.count > 1, significant.first == UInt8(ascii: "0") { significant = significant.dropFirst() }
        guard significant.count <= integerDigits else {
            throw NumberFormatError("\(value) needs \(significant.count) integer digits; the layout \(self) has \(integerDigits)")
        }
        var tokens: [NumberToken] = hasSign ? [.sign(negative: negative)] : []
        let padded = Array(repeating: UInt8(ascii: "0"), count: integerDigits - significant.count) + significant
        for (k, byte) in padded.enumerated() {
            tokens.append(.digit(byte - 0x30, order: integerDigits - 1 - k))
        }
        if hasPoint { tokens.append(.point) }
        for (k, byte) in fraction.enumerated() { tokens.append(.digit(byte - 0x30, order: -(k + 1))) }
        return tokens
    }

    /// The value of `tokens` if they are written in exactly this layout, else nil.
    public func value(of tokens: some Collection<NumberToken>) -> Double? {
        guard NumberLayout(tokens: tokens) == self else { return nil }
        return NumberDecoding.value(of: tokens)
    }

    /// Whether layouts with a sign position are included by `candidates`.
    public enum SignRule: Sendable {
        case unsigned, signed, either
    }

    /// Every layout of exactly `tokenCount` tokens (without a trailing point), fewest integer digits first,
    /// unsigned before signed. These are the readings a constrained decoder must choose between for a masked
    /// slot whose layout is unknown (`<qed>[MASK]×5` may be `d.ddd`, `dd.dd`, …, `ddddd`).
    public static func candidates(tokenCount: Int, sign: SignRule = .either) -> [NumberLayout] {
        var result: [NumberLayout] = []
        let signs: [Bool] = sign == .unsigned ? [false] : sign == .signed ? [true] : [false, true]
        for hasSign in signs {
            let digitsAndPoint = tokenCount - (hasSign ? 1 : 0)
            guard digitsAndPoint >= 1 else { continue }
            for integer in 1...digitsAndPoint {
                if integer == digitsAndPoint {
                    result.append(NumberLayout(hasSign: hasSign, integerDigits: integer)!)
                } else if digitsAndPoint - integer >= 2 {
                    result.append(NumberLayout(hasSign: hasSign, integerDigits: integer,
                                               fractionDigits: digitsAndPoint - integer - 1)!)
                }
            }
        }
        return result
    }
}

/// Reading numbers back from number tokens.
public enum NumberDecoding {
    /// The value of tokens that form a number (see `NumberLayout(tokens:)`), or nil.
    public static func value(of tokens: some Collection<NumberToken>) -> Double? {
        guard NumberLayout(tokens: tokens) != nil else { return nil }
        return Double(String(tokens.map(\.character)))
    }

    /// The value of number-token strings that form a number (`_0_0_ _._ _9_-1_` → 0.9), or nil if they do not
    /// (unknown tokens, digits at the wrong order, two points …).
    public static func value(of tokens: some Sequence<String>) -> Double? {
        var numberTokens: [NumberToken] = []
        for text in tokens {
            guard let token = NumberToken(text) else { return nil }
            numberTokens.append(token)
        }
        return value(of: numberTokens)
    }

    /// The original's `floating_tokens_to_float` (docs/rt-text-format.md §6.2): for each token the text between its first and
    /// second `_` (the digit, `.`, `-` or `+`), concatenated and parsed as a Python float — digit orders are
    /// ignored, so `_3_-2_ _._` reads 3.0. Where the original returns the sentinel −1 (a legitimate value of
    /// signed properties, docs/inference.md §3.2) this returns nil.
    public static func lenientValue(of tokens: some Sequence<String>) -> Double? {
        var text = ""
        for token in tokens {
            let fields = token.split(separator: "_", maxSplits: 2, omittingEmptySubsequences: false)
            // Python `token.split("_")[1]`: a token without `_` raises, i.e. no value.
            guard fields.count >= 2 else { return nil }
            text += fields[1]
        }
        return parsePythonFloat(text)
    }

    /// Python `float(str)` for decimal text: optional surrounding whitespace, optional sign, digits with at
    /// most one point (`3.` and `.5` are fine), optional exponent; `inf`/`nan` words.
    static func parsePythonFloat(_ text: String) -> Double? {
        let trimmed = text.trimmingASCIIWhitespace()
        var bytes = Array(trimmed.utf8)[...]
        var sign = ""
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            sign = first == UInt8(ascii: "-") ? "-" : ""
            bytes = bytes.dropFirst()
        }
        let word = String(decoding: bytes, as: UTF8.self).lowercased()
        if word == "inf" || word == "infinity" { return sign == "-" ? -.infinity : .infinity }
        if word == "nan" { return .nan }
        var integer = "", fraction = "", exponent = ""
        var k = bytes.startIndex
        while k < bytes.endIndex, isDigit(bytes[k]) { integer.append(Character(Unicode.Scalar(bytes[k]))); k += 1 }
        if k < bytes.endIndex, bytes[k] == UInt8(ascii: ".") {
            k += 1
            while k < bytes.endIndex, isDigit(bytes[k]) { fraction.append(Character(Unicode.Scalar(bytes[k]))); k += 1 }
        }
        guard !(integer.isEmpty && fraction.isEmpty) else { return nil }
        if k < bytes.endIndex, bytes[k] | 0x20 == UInt8(ascii: "e") {
            k += 1
            if k < bytes.endIndex, bytes[k] == UInt8(ascii: "+") || bytes[k] == UInt8(ascii: "-") {
                exponent.append(Character(Unicode.Scalar(bytes[k])))
                k += 1
            }
            let digitsStart = k
            while k < bytes.endIndex, isDigit(bytes[k]) { exponent.append(Character(Unicode.Scalar(bytes[k]))); k += 1 }
            guard k > digitsStart else { return nil }
        }
        guard k == bytes.endIndex else { return nil }
        let normalized = sign + (integer.isEmpty ? "0" : integer) + "." + (fraction.isEmpty ? "0" : fraction)
            + (exponent.isEmpty ? "" : "e" + exponent)
        return Double(normalized)
    }
}
