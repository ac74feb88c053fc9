import Foundation
import XCTest
@testable import RegressionTransformer

final class TokenSearchTests: XCTestCase {
    func testLogSoftmaxWithTemperature() {
        let d = TokenDistribution(logits: [1, 2, 3] as [Float])
        let z = log(exp(1.0) + exp(2.0) + exp(3.0))
        XCTAssertEqual(d.logProbabilities[0], 1 - z, accuracy: 1e-12)
        XCTAssertEqual(d.logProbabilities[2], 3 - z, accuracy: 1e-12)
        // T = 2 halves the logits: p ∝ e^0.5, e^1, e^1.5.
        let t = TokenDistribution(logits: [1, 2, 3] as [Float], temperature: 2)
        let z2 = log(exp(0.5) + exp(1.0) + exp(1.5))
        XCTAssertEqual(t.logProbabilities[1], 1 - z2, accuracy: 1e-12)
        XCTAssertEqual(t.logMass(of: [0, 2]), log(exp(0.5) + exp(1.5)) - z2, accuracy: 1e-12)
        XCTAssertEqual(t.restricted(to: [0, 2]).reduce(0, +), 1, accuracy: 1e-12)
    }

    func testLogitRowsSplitTheMatrix() throws {
        let rows = try LogitRows(values: [0, 0, 5, 1, 1, 1], vocabularySize: 3)
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows.distribution(1).probability(of: 2), 1.0 / 3, accuracy: 1e-12)
        XCTAssertThrowsError(try LogitRows(values: [0, 0, 0, 0], vocabularySize: 3))
    }

    /// NaN or infinite logits (a corrupt or overflowing model) are an error naming the row, never a ranking.
    func testLogitRowsRefuseNonFiniteLogits() {
        XCTAssertThrowsError(try LogitRows(values: [0, 0, 5, 1, .nan, 1], vocabularySize: 3)) { error in
            XCTAssertEqual("\(error)", "the model produced a non-finite logit (NaN) in row 1 (its weights are corrupt "
                           + "or its activations overflowed)")
        }
        XCTAssertThrowsError(try LogitRows(values: [.infinity, 0, 5], vocabularySize: 3)) { error in
            XCTAssertTrue("\(error)".hasPrefix("the model produced a non-finite logit (an infinity) in row 0"), "\(error)")
        }
    }

    func testGreedyIsRestrictedAndBreaksTiesTowardsTheFirstAllowedID() {
        let d = TokenDistribution(logProbabilities: [log(0.5), log(0.2), log(0.2), log(0.1)])
        XCTAssertEqual(TokenSearch.greedy(d, allowed: [0, 1, 2, 3]), 0)
        XCTAssertEqual(TokenSearch.greedy(d, allowed: [1, 2, 3]), 1)
        XCTAssertEqual(TokenSearch.greedy(d, allowed: [2, 1]), 2)
        XCTAssertNil(TokenSearch.greedy(d, allowed: []))
    }

    func testSamplingInvertsTheRestrictedCDF() {
        // Allowed 1, 2, 3 with p = 0.1, 0.15, 0.25 → q = 0.2, 0.3, 0.5 (cumulative 0.2, 0.5, 1).
        let d = TokenDistribution(logProbabilities: [log(0.5), log(0.1), log(0.15), log(0.25)])
        var random = ScriptedRandom(integers: [], units: [0.1, 0.21, 0.45, 0.51, 0.99])
        let draws = (0..<5).map { _ in TokenSearch.sample(d, allowed: [1, 2, 3], random: &random) }
        XCTAssertEqual(draws, [1, 2, 2, 3, 3])
    }

    func testBestAssignmentsOfIndependentPositions() {
        // p1 = (A 0.6, B 0.3, C 0.1), p2 = (X 0.5, Y 0.4, Z 0.1): the three best joint assignments are
        // AX 0.30, AY 0.24, BX 0.15.
        let p1 = TokenDistribution(logProbabilities: [log(0.6), log(0.3), log(0.1)])
        let p2 = TokenDistribution(logProbabilities: [log(0.5), log(0.4), log(0.1)])
        let best = TokenSearch.best([p1, p2], allowed: [[0, 1, 2], [0, 1, 2]], count: 3)
        XCTAssertEqual(best.map(\.ids), [[0, 0], [0, 1], [1, 0]])
        XCTAssertEqual(best.map { exp($0.logProbability) }[0], 0.30, accuracy: 1e-12)
        XCTAssertEqual(best.map { exp($0.logProbability) }[1], 0.24, accuracy: 1e-12)
        XCTAssertEqual(best.map { exp($0.logProbability) }[2], 0.15, accuracy: 1e-12)
        // Beam 0 is greedy at every position.
        XCTAssertEqual(best[0].ids, [TokenSearch.greedy(p1, allowed: [0, 1, 2])!, TokenSearch.greedy(p2, allowed: [0, 1, 2])!])
        // Ties keep the order of `allowed`; more beams than assignments returns them all.
        let flat = TokenDistribution(logProbabilities: [log(0.5), log(0.5)])
        XCTAssertEqual(TokenSearch.best([flat], allowed: [[1, 0]], count: 5).map(\.ids), [[1], [0]])
        XCTAssertEqual(TokenSearch.best([p1], allowed: [[]], count: 2), [])
    }

    func testBestSkipsImpossibleTokens() {
        let d = TokenDistribution(logProbabilities: [0, -.infinity])
        XCTAssertEqual(TokenSearch.best([d], allowed: [[0, 1]], count: 2).map(\.ids), [[0]])
    }

    func testSequenceAlphabetOfTheShippedSELFIESVocabulary() {
        let alphabet = SequenceAlphabet(vocabulary: TextFixtures.smallMolecules, language: .selfies)
        // [Agexpl] (7), the SELFIES block 155–496 and 501–506 (with `.` = 503); not <PAD> … <STOP> (497–500).
        XCTAssertEqual(alphabet.ids, [7] + Array(155...496) + Array(501...506))
        let tiny = SequenceAlphabet(vocabulary: InferenceFixtures.vocabulary, language: .smiles)
        XCTAssertEqual(tiny.ids.map { InferenceFixtures.tokens[Int($0)] }, ["[C]", "[O]", "."])
        let aas = SequenceAlphabet(vocabulary: TextFixtures.proteins, language: .aminoAcids)
        XCTAssertEqual(aas.ids.count, 26)
        XCTAssertTrue(aas.ids.allSatisfy { TextFixtures.proteins.tokens[Int($0)].count == 1 })
    }
}
