import Foundation
import XCTest
@testable import RegressionTransformer

/// Constrained decoding of a value slot on a hand-made distribution (expectations computed by hand in the comments).
///
/// Slot of 3 tokens, no range: candidate layouts `d.d`, `ddd`, `±dd`; the tiny vocabulary has no order-2 digits,
/// so `ddd` is dropped. Per position:
///
///     pos 0: _0_0_ 0.5, _-_ 0.3, [C] 0.2
///     pos 1: _._ 0.4, _1_1_ 0.35, _0_1_ 0.05, _3_0_ 0.2
///     pos 2: [O] 0.5, _7_0_ 0.3, _5_-1_ 0.2
///
/// The unconstrained argmax `_0_0_ _._ [O]` is not a number. Within the grammar: `d.d` → only `0.5` (0.5·0.4·0.2 =
/// 0.04); `±dd` → `-17` (0.3·0.35·0.3 = 0.0315) and `-07` (0.3·0.05·0.3 = 0.0045).
final class NumberSlotTests: XCTestCase {
    typealias F = InferenceFixtures

    let distributions = [
        F.distribution(["_0_0_": 0.5, "_-_": 0.3, "[C]": 0.2]),
        F.distribution(["_._": 0.4, "_1_1_": 0.35, "_0_1_": 0.05, "_3_0_": 0.2]),
        F.distribution(["[O]": 0.5, "_7_0_": 0.3, "_5_-1_": 0.2]),
    ]

    func slot() throws -> NumberSlot {
        try NumberSlot(tokenCount: 3, valueRange: nil, vocabulary: F.vocabulary)
    }

    func testCandidateLayoutsFollowTheValueRange() {
        XCTAssertEqual(NumberSlot.layouts(tokenCount: 5, valueRange: 0...1).map(\.description), ["d.ddd"])
        XCTAssertEqual(NumberSlot.layouts(tokenCount: 6, valueRange: 0.28...0.95).map(\.description), ["d.dddd"])
        XCTAssertEqual(NumberSlot.layouts(tokenCount: 5, valueRange: -11.6...1.58).map(\.description),
                       ["d.ddd", "dd.dd", "±d.dd", "±dd.d"])
        XCTAssertEqual(NumberSlot.layouts(tokenCount: 3, valueRange: nil).map(\.description), ["d.d", "ddd", "±dd"])
    }

    func testLayoutsWithoutVocabularyTokensAreDropped() throws {
        XCTAssertEqual(try slot().layouts.map(\.description), ["d.d", "±dd"])
        XCTAssertThrowsError(try NumberSlot(layouts: [NumberLayout(pattern: "ddd")!], vocabulary: F.vocabulary))
    }

    func testGreedyPicksTheMostProbableWellFormedNumber() throws {
        let reading = try slot().greedy(distributions)
        XCTAssertEqual(reading.tokens.map(\.text), ["_0_0_", "_._", "_5_-1_"])
        XCTAssertEqual(reading.ids, [F.id("_0_0_"), F.id("_._"), F.id("_5_-1_")])
        XCTAssertEqual(reading.value, 0.5)
        XCTAssertEqual(reading.layout.description, "d.d")
        XCTAssertEqual(reading.logProbability, log(0.04), accuracy: 1e-12)
    }

    func testBeamListsTheBestNumbersAcrossLayouts() throws {
        let readings = try slot().best(distributions, count: 3)
        XCTAssertEqual(readings.map(\.value), [0.5, -17, -7])
        XCTAssertEqual(readings.map { exp($0.logProbability) }[1], 0.0315, accuracy: 1e-12)
        XCTAssertEqual(readings.map { exp($0.logProbability) }[2], 0.0045, accuracy: 1e-12)
        XCTAssertEqual(readings[0], try slot().greedy(distributions))
        XCTAssertEqual(try slot().best(distributions, count: 10).count, 3)
    }

    func testSamplingDrawsALayoutByItsMassThenEachPosition() throws {
        // Layout masses: d.d 0.04, ±dd 0.3·0.4·0.3 = 0.036 → P(d.d) = 10/19 ≈ 0.526.
        // u = 0.6 → ±dd; sign: only _-_; tens: q(0) = 1/8, q(1) = 7/8, u = 0.1 → 0; units: only 7.
        var random = ScriptedRandom(integers: [], units: [0.6, 0.5, 0.1, 0.5])
        let reading = try slot().sample(distributions, random: &random)
        XCTAssertEqual(reading.tokens.map(\.text), ["_-_", "_0_1_", "_7_0_"])
        XCTAssertEqual(reading.value, -7)
        XCTAssertEqual(reading.logProbability, log(0.0045), accuracy: 1e-12)
        var first = ScriptedRandom(integers: [], units: [0.5, 0.5, 0.5, 0.5])
        XCTAssertEqual(try slot().sample(distributions, random: &first).value, 0.5)
    }

    /// V = 0.5 w.p. 10/19 = 80/152, −17 w.p. 9/19 · 7/8 = 63/152, −7 w.p. 9/152.
    /// E[V] = (40 − 1071 − 63)/152 = −1094/152; E[V²] = (20 + 18207 + 441)/152 = 18668/152.
    /// CDF: F(−17) = 63/152 ≈ 0.414, F(−7) = 72/152 ≈ 0.474, F(0.5) = 1.
    func testUncertaintyIsTheExactPredictiveDistribution() throws {
        let distribution = NumberDistribution(slot: try slot(), distributions: distributions)
        let mean = -1094.0 / 152
        XCTAssertEqual(distribution.mean, mean, accuracy: 1e-12)
        XCTAssertEqual(distribution.standardDeviation, (18668.0 / 152 - mean * mean).squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(distribution.grammarMass, 0.076, accuracy: 1e-12)
        XCTAssertEqual(distribution.cdf(-17), 63.0 / 152, accuracy: 1e-12)
        XCTAssertEqual(distribution.cdf(-7.5), 63.0 / 152, accuracy: 1e-12)
        XCTAssertEqual(distribution.cdf(0.4), 72.0 / 152, accuracy: 1e-12)
        XCTAssertEqual(distribution.cdf(-18), 0)
        XCTAssertEqual(distribution.cdf(100), 1, accuracy: 1e-12)
        XCTAssertEqual(distribution.quantile(0.05), -17)
        XCTAssertEqual(distribution.quantile(0.45), -7)
        XCTAssertEqual(distribution.quantile(0.95), 0.5)
        let u = distribution.uncertainty()
        XCTAssertEqual(u.lower, -17)
        XCTAssertEqual(u.upper, 0.5)
        XCTAssertEqual(u.level, 0.9)
        // Raw units of a normalised property with range [2, 4]: x ↦ 2x + 2.
        let raw = u.mapped(scale: 2, offset: 2)
        XCTAssertEqual(raw.mean, 2 * mean + 2, accuracy: 1e-12)
        XCTAssertEqual(raw.lower, -32)
        XCTAssertEqual(raw.standardDeviation, 2 * u.standardDeviation, accuracy: 1e-12)
    }

    /// One layout `d.d` with the units digit 0 or 1 (0.5 each) and the tenths 2 (0.25) or 8 (0.75):
    /// values 0.2, 0.8, 1.2, 1.8 w.p. 1/8, 3/8, 1/8, 3/8 → mean E[units] + E[tenths]/10 = 0.5 + 0.65 = 1.15,
    /// Var = Var(units) + Var(tenths)/100 = 0.25 + 0.0675 = 0.3175; Q(0.05) = 0.2, Q(0.5) = 0.8, Q(0.95) = 1.8.
    func testMomentsAndQuantilesOfIndependentDigits() throws {
        let slot = try NumberSlot(layouts: [NumberLayout(pattern: "d.d")!], vocabulary: F.vocabulary)
        let d = NumberDistribution(slot: slot, distributions: [
            F.distribution(["_0_0_": 0.5, "_1_0_": 0.5]),
            F.distribution(["_._": 1]),
            F.distribution(["_2_-1_": 0.25, "_8_-1_": 0.75]),
        ])
        XCTAssertEqual(d.mean, 1.15, accuracy: 1e-12)
        XCTAssertEqual(d.standardDeviation, (0.25 + 0.0675).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(d.quantile(0.05), 0.2)
        XCTAssertEqual(d.quantile(0.125), 0.2)
        XCTAssertEqual(d.quantile(0.13), 0.8)
        XCTAssertEqual(d.quantile(0.5), 0.8)
        XCTAssertEqual(d.quantile(0.95), 1.8)
        XCTAssertEqual(d.grammarMass, 1, accuracy: 1e-12)
    }
}
