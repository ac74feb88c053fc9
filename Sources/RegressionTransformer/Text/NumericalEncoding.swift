import Foundation

/// The RT's numerical-encoding settings, as stored in a model's `config.json` (docs/rt-text-format.md §7):
/// `numerical_encodings_type`, `numerical_encodings_format`, `numerical_encodings_dim`, `vmax`.
public struct NumericalEncodingConfiguration: Equatable, Hashable, Sendable {
    /// `numerical_encodings_type`.
    public enum Kind: String, Sendable, CaseIterable {
        /// The encoding every published model uses (docs/rt-text-format.md §7.2).
        case float
        /// Sinusoidal encoding of non-negative integers (docs/rt-text-format.md §7.3); unused by the published configs.
        case int
    }

    /// `numerical_encodings_format`: how the encoding meets the word embedding (docs/rt-text-format.md §7.5).
    public enum Format: String, Sendable, CaseIterable {
        /// `embedding[ids] + NE[ids]`, with the encoding as wide as the model (`d_model`).
        case sum
        /// The last `numerical_encodings_dim` channels of the word embedding are overwritten with the encoding.
        case concat
    }

    public var kind: Kind
    public var format: Format
    /// `numerical_encodings_dim` (default 16); only used by `concat` — `sum` always uses `d_model`.
    public var dimension: Int
    /// `vmax`; nil means "infer from the vocabulary" (the largest digit-token value, 900 000 for the shipped
    /// vocabularies, which makes the encodings tiny; `rt_small` sets 1.0).
    public var vmax: Double?

    public init(kind: Kind = .float, format: Format = .sum, dimension: Int = 16, vmax: Double? = nil) {
        self.kind = kind
        self.format = format
        self.dimension = dimension
        self.vmax = vmax
    }

    /// The width `D` of the table: `modelDimension` for `sum`, `dimension` for `concat`.
    public func tableDimension(modelDimension: Int) -> Int { format == .sum ? modelDimension : dimension }

    /// The frozen `V × D` table for `vocabulary` (D from `tableDimension(modelDimension:)`).
    public func table(for vocabulary: Vocabulary, modelDimension: Int) throws(NumericalEncodingError)
        -> NumericalEncodingTable
    {
        try NumericalEncodingTable(
            tokens: vocabulary.tokens, dimension: tableDimension(modelDimension: modelDimension), kind: kind,
            vmax: vmax)
    }
}

/// Why a numerical-encoding table cannot be built.
public struct NumericalEncodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The frozen numerical-encoding table: row `id` is the encoding of token `id` (docs/rt-text-format.md §7).
///
/// `values` is row-major `V × D` Float32 (`values[id * dimension + j]`). It is not a model parameter: it is
/// rebuilt from the vocabulary whenever a model is loaded.
///
/// A token gets a non-zero row iff it is a digit token: longer than one character, starts and ends with `_`,
/// and has exactly three `_` (`_5_-1_`; not `_._`, `_-_`, `_+_`). For digit `c` (the character after the first
/// `_`) and order `k` (the integer between the second and third `_`; `-0` is 0), `v = c·10^k`, and
///
///     float:  NE[j] = (−1)^j · v / (2⌊j/2⌋ + 1) · 10 / vmax        → [v, −v, v/3, −v/3, v/5, …]·10/vmax
///     int:    NE[j] = sin(v / 10000^(j/D)) for even j,  NE[j+1] = cos(v / 10000^(j/D))
///
/// (in `int` the even index `j` itself appears in the exponent, as in the original; `int` rejects negative
/// orders). Numerics follow the original: `v/(2⌊j/2⌋+1)` in double, rounded to Float32, then divided in Float32
/// by `Float(vmax/10)`.
public struct NumericalEncodingTable: Equatable, Sendable {
    /// `V`, the vocabulary size.
    public let rows: Int
    /// `D`, the encoding width.
    public let dimension: Int
    /// Row-major `V × D`.
    public let values: [Float]
    /// The `vmax` used (given or inferred); 1 for `int`, which does not scale.
    public let vmax: Double

    /// - Throws: if `dimension` is odd or not positive, `vmax` is not positive, a digit token is malformed,
    ///   or (for `int`) a digit token has a negative order.
    public init(tokens: [String], dimension: Int, kind: NumericalEncodingConfiguration.Kind = .float,
                vmax: Double? = nil) throws(NumericalEncodingError)
    {
        guard dimension > 0, dimension % 2 == 0 else {
            throw NumericalEncodingError("the numerical-encoding dimension must be even and positive, not \(dimension)")
        }
        var digitValues: [Double?] = []
        digitValues.reserveCapacity(tokens.count)
        for token in tokens { digitValues.append(try Self.digitValue(of: token)) }
        var scale = 1.0
        if kind == .float {
            if let vmax {
                scale = vmax
            } else {
                guard let inferred = digitValues.compactMap({ $0 }).max() else {
                    throw NumericalEncodingError("cannot infer vmax: the vocabulary has no digit tokens")
                }
                scale = inferred
            }
            guard scale > 0, scale.isFinite else {
                throw NumericalEncodingError("vmax must be a positive number, not \(scale)")
            }
        }
        if kind == .int {
            for token in tokens where Self.isDigitToken(token) {
                if let order = Self.order(of: token), order < 0 {
                    throw NumericalEncodingError(
                        "the int encoding handles non-negative orders only, but the vocabulary has \(token)")
                }
            }
        }
        var values = [Float](repeating: 0, count: tokens.count * dimension)
        let divisor = Float(scale / 10)
        for (id, value) in digitValues.enumerated() {
            guard let value, kind == .int || value != 0 else { continue }
            let row = id * dimension
            switch kind {
            case .float:
                for j in stride(from: 0, to: dimension, by: 2) {
                    let entry = Float(value / Double(j + 1))
                    values[row + j] = entry / divisor
                    values[row + j + 1] = -entry / divisor
                }
            case .int:
                // Zero-valued digits encode as [0, 1, 0, 1, …] here, not as zeros.
                for j in stride(from: 0, to: dimension, by: 2) {
                    let angle = value / pow(10000.0, Double(2 * j) / Double(dimension))
                    values[row + j] = Float(sin(angle))
                    values[row + j + 1] = Float(cos(angle))
                }
            }
        }
        rows = tokens.count
        self.dimension = dimension
        self.values = values
        self.vmax = kind == .float ? scale : 1
    }

    /// Row `id`.
    public func row(_ id: Int) -> ArraySlice<Float> { values[(id * dimension)..<((id + 1) * dimension)] }

    /// The original's test for an encoded token: length > 1, starts and ends with `_`, exactly three `_`.
    static func isDigitToken(_ token: String) -> Bool {
        token.count > 1 && token.hasPrefix("_") && token.hasSuffix("_") && token.utf8.filter { $0 == 0x5F }.count == 3
    }

    /// `c·10^k` for a digit token (as Python computes `int(token[1]) * 10**int(order)`), nil for other tokens.
    static func digitValue(of token: String) throws(NumericalEncodingError) -> Double? {
        guard isDigitToken(token) else { return nil }
        let bytes = Array(token.utf8)
        guard isDigit(bytes[1]), let order = order(of: token) else {
            throw NumericalEncodingError("the token \(token) looks like a digit token but is not `_digit_order_`")
        }
        let digit = Double(bytes[1] - 0x30)
        // Python: 10**k is an exact int for k ≥ 0 and the double pow(10, k) for k < 0.
        return order >= 0 ? digit * pow(10, Double(order)) : digit * pow(10.0, Double(order))
    }

    /// The order field of a three-underscore token, parsed like Python's `int()` (`-0` is 0, `+1` is 1).
    static func order(of token: String) -> Int? {
        let fields = token.split(separator: "_", omittingEmptySubsequences: false)
        guard fields.count == 4 else { return nil }
        let field = fields[2].trimmingCharacters(in: .whitespaces)
        guard let order = Int(field.hasPrefix("+") ? String(field.dropFirst()) : field), abs(order) < 300 else {
            return nil
        }
        return order
    }
}
