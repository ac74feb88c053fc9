import Foundation
import XCTest
@testable import RegressionTransformer

/// `InferenceModel.predict` on hand-made distributions over the shipped SELFIES vocabulary. Slot `<qed>` of 5 tokens,
/// range [0, 1] → one layout `d.ddd`. Per value position:
///
///     0: _0_0_ 0.6, _1_0_ 0.1, [C] 0.3      1: _._ 0.9, [C] 0.1      2: _8_-1_ 0.5, _7_-1_ 0.3, [O] 0.2
///     3: _1_-2_ 1                            4: _2_-3_ 0.5, _9_-3_ 0.5
///
/// Greedy: 0.812 (ties go to the lower id, `_2_-3_`). Beam 3: 0.812, 0.819 (0.135 each), 0.712 (0.081).
/// Within the grammar: units 0 w.p. 6/7, 1 w.p. 1/7; tenths 8 w.p. 5/8, 7 w.p. 3/8; hundredths 1; thousandths 2 or 9.
/// E[V] = 1/7 + 0.1·(8·5/8 + 7·3/8) + 0.01 + 0.001·5.5; grammar mass 0.6·... = 0.7·0.9·0.8 = 0.504.
/// CDF: F(0.712) = 6/7·3/8·1/2 ≈ 0.161 → Q(0.05) = 0.712; F(0.999) = 6/7, F(1.712) ≈ 0.884, F(1.719) ≈ 0.911,
/// F(1.812) ≈ 0.955 → Q(0.95) = 1.812.
final class PredictionTests: XCTestCase {
    static let slot: [[String: Double]] = [
        ["_0_0_": 0.6, "_1_0_": 0.1, "[C]": 0.3], ["_._": 0.9, "[C]": 0.1], ["_8_-1_": 0.5, "_7_-1_": 0.3, "[O]": 0.2],
        ["_1_-2_": 1], ["_2_-3_": 0.5, "_9_-3_": 0.5],
    ]

    func model(range: ClosedRange<Double> = 0...1, normalize: Bool = false) throws -> (InferenceModel, StubFiller) {
        let filler = StubFiller(vocabulary: TextFixtures.smallMolecules, values: { _ in Self.slot })
        return (try InferenceFixtures.qedModel(filler, range: range, normalize: normalize), filler)
    }

    func testGreedyPredictionWithUncertainty() throws {
        let (model, filler) = try model()
        var random = ScriptedRandom(integers: [])
        let results = try model.predict(["CBr", "[C][O]", "C1CC"], random: &random)
        XCTAssertEqual(results.count, 3)
        let first = try results[0].get()
        XCTAssertEqual(first.sequence, "[C][Br]")  // SMILES converted to SELFIES
        XCTAssertEqual(first.value(of: "qed"), 0.812)
        XCTAssertEqual(first.properties[0].tokens, ["_0_0_", "_._", "_8_-1_", "_1_-2_", "_2_-3_"])
        let u = try XCTUnwrap(first.properties[0].uncertainty)
        XCTAssertEqual(u.mean, 1.0 / 7 + 0.1 * (5 + 2.625) + 0.01 + 0.0055, accuracy: 1e-12)
        XCTAssertEqual(u.lower, 0.712)
        XCTAssertEqual(u.upper, 1.0)  // Q(0.95) = 1.812, clamped into the property's range [0, 1]
        XCTAssertTrue(first.properties[0].clamped)
        XCTAssertEqual(u.grammarMass, 0.504, accuracy: 1e-12)
        XCTAssertEqual(try results[1].get().sequence, "[C][O]")  // SELFIES kept
        guard case .failure(let error) = results[2] else { return XCTFail("an invalid SMILES must fail") }
        XCTAssertTrue(error.message.contains("not a valid molecule"), error.message)
        // The model saw `<qed>[MASK]×5|SEQUENCE`: 9 tokens, made even with [PAD], inside [CLS] … [SEP].
        XCTAssertEqual(filler.calls[0][0], ["[CLS]", "<qed>"] + Array(repeating: "[MASK]", count: 5)
                       + ["|", "[C]", "[Br]", "[PAD]", "[SEP]"])
        XCTAssertEqual(filler.calls[0].count, 2)
    }

    func testMeanEstimateReportsTheDistributionsMeanInRawUnits() throws {
        let (model, _) = try model()
        var random = ScriptedRandom(integers: [])
        let mean = 1.0 / 7 + 0.1 * (5 + 2.625) + 0.01 + 0.0055
        let p = try model.predict(["[C]"], options: PredictionOptions(uncertaintyLevel: nil, estimate: .mean),
                                  random: &random)[0].get().properties[0]
        XCTAssertEqual(p.value, mean, accuracy: 1e-12)
        XCTAssertEqual(p.modelValue, mean, accuracy: 1e-12)
        XCTAssertNil(p.uncertainty)
        XCTAssertEqual(p.tokens, ["_0_0_", "_._", "_8_-1_", "_1_-2_", "_2_-3_"])  // the search still spells 0.812
        // Normalised to [−2, 8]: raw = 10·x − 2, also for the mean.
        let (normalised, _) = try self.model(range: -2...8, normalize: true)
        let q = try normalised.predict(["[C]"], options: PredictionOptions(estimate: .mean), random: &random)[0].get()
        XCTAssertEqual(q.properties[0].value, 10 * mean - 2, accuracy: 1e-12)
        XCTAssertEqual(q.properties[0].uncertainty!.mean, 10 * mean - 2, accuracy: 1e-12)
    }

    func testBeamListsCandidatesAndRawUnitsFollowTheScale() throws {
        let (model, _) = try model()
        var random = ScriptedRandom(integers: [])
        let beam = try model.predict(["[C]"], options: PredictionOptions(strategy: .beam(width: 3)), random: &random)
        XCTAssertEqual(try beam[0].get().properties[0].candidates, [0.812, 0.819, 0.712])
        // Normalised to [−2, 8]: raw = 10·x − 2.
        let (normalised, _) = try self.model(range: -2...8, normalize: true)
        let p = try normalised.predict(["[C]"], random: &random)[0].get().properties[0]
        XCTAssertEqual(p.modelValue, 0.812)
        XCTAssertEqual(p.value, 6.12, accuracy: 1e-12)
        XCTAssertEqual(p.uncertainty!.upper, 8)  // 16.12, clamped into the range [−2, 8]
    }

    func testSamplingDrawsWithinTheGrammar() throws {
        let (model, _) = try model()
        // Layout draw, then positions: units u = 0.9 → 1 (q = 6/7, 1/7), point, tenths u = 0.1 → 7 (ids ascending:
        // _7_-1_ before _8_-1_), hundredths, thousandths u = 0.9 → 9.
        var random = ScriptedRandom(integers: [], units: [0.5, 0.9, 0.5, 0.1, 0.5, 0.9])
        let p = try model.predict(["[C]"], options: PredictionOptions(strategy: .sample(temperature: 1),
                                                                       uncertaintyLevel: nil, allowsExtrapolation: true),
                                  random: &random)
        XCTAssertEqual(try p[0].get().value(of: "qed"), 1.719)
        XCTAssertNil(try p[0].get().properties[0].uncertainty)
    }

    /// By default values and interval bounds are clamped into the property's range; `allowsExtrapolation` reports
    /// what the model spells (the grammar allows any units digit for a [0, 1] property).
    func testPredictionsAreClampedToThePropertyRangeUnlessExtrapolationIsAllowed() throws {
        var random = ScriptedRandom(integers: [])
        let (free, _) = try model()
        let raw = try free.predict(["[C]"], options: PredictionOptions(allowsExtrapolation: true), random: &random)[0].get()
        XCTAssertEqual(raw.properties[0].uncertainty?.upper, 1.812)
        XCTAssertFalse(raw.properties[0].clamped)
        // A range of [0.2, 0.8]: greedy 0.812 → 0.8; the interval [0.712, 1.812] → [0.712, 0.8]; the mean 0.921 → 0.8.
        let (narrow, _) = try model(range: 0.2...0.8)
        let p = try narrow.predict(["[C]"], options: PredictionOptions(), random: &random)[0].get().properties[0]
        XCTAssertEqual(p.value, 0.8)
        XCTAssertEqual(p.modelValue, 0.812)  // what the tokens spell is kept
        XCTAssertEqual(p.tokens, ["_0_0_", "_._", "_8_-1_", "_1_-2_", "_2_-3_"])
        XCTAssertEqual(p.uncertainty?.lower, 0.712)
        XCTAssertEqual(p.uncertainty?.upper, 0.8)
        XCTAssertEqual(p.uncertainty?.mean, 0.8)
        XCTAssertTrue(p.clamped)
        let beam = try narrow.predict(["[C]"], options: PredictionOptions(strategy: .beam(width: 3), uncertaintyLevel: nil),
                                      random: &random)[0].get().properties[0]
        XCTAssertEqual(beam.candidates, [0.8, 0.8, 0.712])  // 0.812, 0.819, 0.712
    }

    /// Rows longer than `maximumLength` ids are refused one by one (the others are predicted); a text that no
    /// `maximumLength` tokens could spell is refused before it is parsed (a 2-million-character line costs nothing).
    func testInputsLongerThanTheLimitAreRefused() throws {
        let (model, filler) = try model()
        XCTAssertEqual(model.maximumLength, 512)
        model.maximumLength = 11
        var random = ScriptedRandom(integers: [])
        // [CLS] <qed> [MASK]×5 | [C] [SEP] = 10 ids; with [Br] 11, made even with [PAD]: 12.
        let long = String(repeating: "C", count: 11 * 16 + 1)
        let results = try model.predict(["[C]", "[C][Br]", long, "[O]"], random: &random)
        XCTAssertNoThrow(try results[0].get())
        XCTAssertNoThrow(try results[3].get())
        XCTAssertEqual(results[1].failureMessage, "sequence of 12 tokens exceeds the limit of 11")
        XCTAssertEqual(results[2].failureMessage,
                       "sequence of 177 characters exceeds the limit of 11 tokens (no 11 tokens of this vocabulary are that long)")
        XCTAssertEqual(filler.calls[0].count, 2)  // only the two rows that fit reached the model
    }

    func testInputsThatCannotBeUsed() throws {
        let (model, _) = try model()
        var random = ScriptedRandom(integers: [])
        let results = try model.predict(["", "[C][MASK]", "[Xx]", "<qed>0.5|CCO"], random: &random)
        XCTAssertEqual(results.map { (try? $0.get()) == nil }, [true, true, true, false])
        XCTAssertEqual(try results[3].get().sequence, "[C][C][O]")
    }

    func testModelNeedsMaskLengths() {
        let filler = StubFiller(vocabulary: TextFixtures.smallMolecules, values: { _ in [] })
        XCTAssertThrowsError(try InferenceModel(
            vocabulary: TextFixtures.smallMolecules, language: .selfies,
            inference: InferenceConfiguration(properties: [.init(token: "<qed>", range: 0...1)]), filler: filler))
        XCTAssertThrowsError(try InferenceModel(
            vocabulary: TextFixtures.smallMolecules, language: .selfies,
            inference: InferenceConfiguration(properties: [.init(token: "<nope>", maskLength: 5)]), filler: filler))
    }
}

extension Result where Failure == InferenceError {
    /// The error message of a failure (nil for a success).
    var failureMessage: String? {
        if case .failure(let error) = self { return error.message }
        return nil
    }
}
