import Foundation
import XCTest
@testable import RegressionTransformer

final class StatisticsTests: XCTestCase {
    func testErrorsAndPearson() {
        XCTAssertEqual(Statistics.rmse([1, 2, 3], [1, 3, 5])!, (5.0 / 3).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(Statistics.meanAbsoluteError([1, 2, 3], [1, 3, 5]), 1)
        XCTAssertNil(Statistics.rmse([], []))
        // Σdxdy = 11, Σdx² = 5, Σdy² = 26.
        XCTAssertEqual(Statistics.pearson([1, 2, 3, 4], [2, 4, 5, 9]).value!, 11 / 130.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(Statistics.pearson([1, 2, 3], [3, 2, 1]), .defined(-1))
    }

    func testSpearmanUsesAverageRanksForTies() {
        XCTAssertEqual(Statistics.averageRanks([10, 20, 20, 30]), [1, 2.5, 2.5, 4])
        XCTAssertEqual(Statistics.averageRanks([3, 1, 3, 3]), [3, 1, 3, 3])
        // ranks x = [1, 2.5, 2.5, 4], y = [1, 3, 2, 4]: ρ = 4.5 / √(4.5 · 5).
        XCTAssertEqual(Statistics.spearman([1, 2, 2, 3], [1, 3, 2, 4]).value!, 4.5 / 22.5.squareRoot(), accuracy: 1e-15)
        // Monotone but not linear: ρ = 1, r < 1.
        XCTAssertEqual(Statistics.spearman([1, 2, 3, 4], [1, 8, 27, 64]), .defined(1))
    }

    func testConstantInputsAreExplicit() {
        XCTAssertEqual(Statistics.pearson([1, 1, 1], [1, 2, 3]), .undefined(.firstConstant))
        XCTAssertEqual(Statistics.spearman([1, 2, 3], [0.4, 0.4, 0.4]), .undefined(.secondConstant))
        XCTAssertEqual(Statistics.pearson([2, 2], [5, 5]), .undefined(.bothConstant))
        XCTAssertEqual(Statistics.spearman([1], [2]), .undefined(.fewerThanTwoPairs))
        XCTAssertNil(Statistics.pearson([1, 1], [1, 2]).value)
        // Values that are equal but whose centred sum is a rounding residue are still constant.
        XCTAssertEqual(Statistics.pearson([0.1, 0.1, 0.1], [1, 2, 3]), .undefined(.firstConstant))
    }

    func testRegressionSummary() {
        let s = RegressionSummary(labels: [1, 2, 3, 4], predictions: [2, 4, 5, 9], failed: 2)
        XCTAssertEqual(s.count, 4)
        XCTAssertEqual(s.failed, 2)
        XCTAssertEqual(s.rmse!, ((1.0 + 4 + 4 + 25) / 4).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(s.meanAbsoluteError!, 2.5, accuracy: 1e-15)  // (1 + 2 + 2 + 5) / 4
        XCTAssertEqual(s.spearman, .defined(1))
    }

    /// Seed A: 3 primers, two valid (0.1 → 0.2, 0.5 → 0.6), one invalid. Seed B: three valid generations, QED 0.4
    /// each (0-Var), two of them the same molecule. Seed C: one valid generation, one invalid. Training set {C1, C4}.
    func testGenerationSummary() {
        let records = [
            GenerationRecord(seed: "A", primer: 0.1, canonical: "C1", property: 0.2, similarity: 0.5),
            GenerationRecord(seed: "A", primer: 0.5, canonical: "C2", property: 0.6, similarity: 0.7),
            GenerationRecord(seed: "A", primer: 0.9, canonical: nil, property: nil, similarity: nil),
            GenerationRecord(seed: "B", primer: 0.1, canonical: "C3", property: 0.4, similarity: 1.0),
            GenerationRecord(seed: "B", primer: 0.5, canonical: "C3", property: 0.4, similarity: 1.0),
            GenerationRecord(seed: "B", primer: 0.9, canonical: "C4", property: 0.4, similarity: 0.4),
            GenerationRecord(seed: "C", primer: 0.1, canonical: "C5", property: 0.3, similarity: 0.2),
            GenerationRecord(seed: "C", primer: 0.5, canonical: nil, property: nil, similarity: nil),
        ]
        let s = GenerationSummary(records: records, trainingSet: ["C1", "C4"])
        XCTAssertEqual(s.generations, 8)
        XCTAssertEqual(s.valid, 6)
        XCTAssertEqual(s.validity, 0.75)
        XCTAssertEqual(s.uniqueness!, 5.0 / 6, accuracy: 1e-15)
        XCTAssertEqual(s.novelty!, 0.6, accuracy: 1e-15)
        XCTAssertEqual(s.meanSimilarity!, 3.8 / 6, accuracy: 1e-15)
        XCTAssertEqual(s.spearmanPerSeed.map(\.seed), ["A", "B", "C"])
        XCTAssertEqual(s.spearmanPerSeed.map(\.spearman),
                       [.defined(1), .undefined(.secondConstant), .undefined(.fewerThanTwoPairs)])
        XCTAssertEqual(s.meanSpearman, 1)
        XCTAssertEqual(s.seedsEvaluated, 2)
        XCTAssertEqual(s.zeroVarianceSeeds, 1)
        XCTAssertEqual(s.zeroVarianceFraction, 0.5)
        // Pooled over the six valid records (scipy: pearsonr 0.49143609346716105, spearmanr 0.6230345439947554).
        XCTAssertEqual(s.pearsonAll.value!, 0.49143609346716105, accuracy: 1e-12)
        XCTAssertEqual(s.spearmanAll.value!, 0.6230345439947554, accuracy: 1e-12)
        XCTAssertNil(GenerationSummary(records: records).novelty)
        XCTAssertNil(GenerationSummary(records: []).validity)
    }
}
