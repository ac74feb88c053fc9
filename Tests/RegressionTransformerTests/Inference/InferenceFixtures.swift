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
