import Foundation
@testable import RegressionTransformer

/// A tiny vocabulary for decoding tests: specials, `|`, `<qed>`, number tokens of orders 0 and −1 (all digits) and
/// order 1 (digits 0 and 1 only), two SELFIES symbols, and tokens a sequence must never receive.
enum InferenceFixtures {
    static let tokens: [String] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "|", "<qed>", "_._", "_-_", "_+_"]
        + (0...9).map { "_\($0)_0_" } + (0...9).map { "_\($0)_-1_" } + ["_0_1_", "_1_1_", "[C]", "[O]", ".",
                                                                          "_5_-0_", "[unused1]", "<PAD>", ""]
    static let vocabulary = try! Vocabulary(tokens: tokens)

    static func id(_ token: String) -> Int32 { vocabulary.id(of: token)! }

    /// A distribution with the given probabilities (tokens not listed get probability 0).
    static func distribution(_ probabilities: [String: Double]) -> TokenDistribution {
        var lp = [Double](repeating: -.infinity, count: vocabulary.count)
        for (token, p) in probabilities { lp[Int(id(token))] = log(p) }
        return TokenDistribution(logProbabilities: lp)
    }
}

/// A `MaskFiller` with hand-made distributions: value-slot masks (before the first `|`) get `values(rowTokens)[k]` for
/// the k-th value mask of the row; sequence masks get `sequence(rowTokens)`. Records the rows it was asked about.
final class StubFiller: MaskFiller {
    let vocabulary: Vocabulary
    var values: ([String]) -> [[String: Double]]
    var sequence: ([String]) -> [String: Double]
    var calls: [[[String]]] = []

    init(vocabulary: Vocabulary, values: @escaping ([String]) -> [[String: Double]],
         sequence: @escaping ([String]) -> [String: Double] = { _ in ["[C]": 1] }) {
        self.vocabulary = vocabulary
        self.values = values
        self.sequence = sequence
    }

    func distributions(for rows: [[Int32]], temperature: Double) throws -> [[TokenDistribution]] {
        let rowTokens = rows.map { $0.map { vocabulary.tokens[Int($0)] } }
        calls.append(rowTokens)
        return rowTokens.map { tokens in
            let bar = tokens.firstIndex(of: "|") ?? tokens.count
            var k = 0
            return tokens.indices.filter { tokens[$0] == "[MASK]" }.map { i in
                if i < bar {
                    defer { k += 1 }
                    return distribution(values(tokens)[k])
                }
                return distribution(sequence(tokens))
            }
        }
    }

    func distribution(_ probabilities: [String: Double]) -> TokenDistribution {
        var lp = [Double](repeating: -.infinity, count: vocabulary.count)
        for (token, p) in probabilities { lp[Int(vocabulary.id(of: token)!)] = log(p) }
        return TokenDistribution(logProbabilities: lp)
    }
}

extension InferenceFixtures {
    /// A QED model over the shipped SELFIES vocabulary (mask length 5, range [0, 1] unless given).
    static func qedModel(_ filler: StubFiller, range: ClosedRange<Double> = 0...1, normalize: Bool = false) throws
        -> InferenceModel
    {
        try InferenceModel(vocabulary: TextFixtures.smallMolecules, language: .selfies,
                           inference: InferenceConfiguration(properties: [
                               .init(token: "<qed>", range: range, normalize: normalize, maskLength: 5)]),
                           filler: filler)
    }
}
