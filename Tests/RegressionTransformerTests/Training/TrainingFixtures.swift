import Foundation
@testable import RegressionTransformer

/// A scripted stream of random draws: `integer(below:)` returns the next scripted integer (and records the bound
/// it was asked for), `unit()` the next scripted real. Running out is a test failure.
struct ScriptedRandom: CollatorRandomSource {
    var integers: [Int]
    var units: [Double] = []
    var bounds: [Int] = []

    init(integers: [Int], units: [Double] = []) {
        self.integers = integers
        self.units = units
    }

    mutating func integer(below n: Int) -> Int {
        bounds.append(n)
        precondition(!integers.isEmpty, "scripted random stream exhausted (asked for integer(below: \(n)))")
        let v = integers.removeFirst()
        precondition(v >= 0 && v < n, "scripted draw \(v) is not below \(n)")
        return v
    }

    mutating func unit() -> Double {
        precondition(!units.isEmpty, "scripted random stream exhausted (asked for unit())")
        return units.removeFirst()
    }
}

enum TrainingFixtures {
    /// Encodes RT lines with a vocabulary (SELFIES tokens through the SMILES regex, as the original).
    static func encode(_ lines: [String], vocabulary: Vocabulary, language: SequenceLanguage = .smiles) throws -> [ArraySlice<Int32>] {
        let encoder = RTEncoder(vocabulary: vocabulary, tokenizer: RTTokenizer(language: language))
        return try lines.map { ArraySlice(try encoder.encode($0)) }
    }

    /// The rows of a `[B, L]` array.
    static func rows<T>(_ values: [T], length: Int) -> [[T]] {
        stride(from: 0, to: values.count, by: length).map { Array(values[$0..<($0 + length)]) }
    }
}
