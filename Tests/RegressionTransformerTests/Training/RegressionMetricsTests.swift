import XCTest
@testable import RegressionTransformer

final class RegressionMetricsTests: XCTestCase {
    func testHandComputedValues() {
        // y = [1, 2, 3, 4], ŷ = [1, 3, 2, 5]: errors 0, −1, 1, −1 → RMSE √(3/4), MAE 3/4;
        // Pearson: ȳ = 2.5, ŷ̄ = 2.75; Σ dy·dŷ = 2.625 − 0.125 − 0.375 + 3.375 = 5.5, Σ dy² = 5, Σ dŷ² = 8.75.
        let m = RegressionMetrics(labels: [1, 2, 3, 4], predictions: [1, 3, 2, 5])
        XCTAssertEqual(m.rmse, (0.75).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(m.mae, 0.75, accuracy: 1e-15)
        XCTAssertEqual(m.pearson!, 5.5 / (43.75).squareRoot(), accuracy: 1e-12)
        // Ranks of ŷ: 1, 3, 2, 4 → Spearman 1 − 6·Σd²/(n(n²−1)) = 1 − 6·2/60 = 0.8.
        XCTAssertEqual(m.spearman!, 0.8, accuracy: 1e-12)
    }

    func testTiesShareTheirAverageRank() {
        XCTAssertEqual(Statistics.averageRanks([3, 1, 3, 2, 3]), [4, 1, 4, 2, 4])
        // scipy.stats.spearmanr([1, 2, 3, 4], [1, 1, 2, 2]) = 0.894427190999916
        let m = RegressionMetrics(labels: [1, 2, 3, 4], predictions: [1, 1, 2, 2])
        XCTAssertEqual(m.spearman!, 0.894427190999916, accuracy: 1e-12)
    }

    func testConstantPredictionsHaveNoCorrelation() {
        let m = RegressionMetrics(labels: [0.1, 0.5, 0.9], predictions: [0.5, 0.5, 0.5])
        XCTAssertNil(m.pearson)
        XCTAssertNil(m.spearman)
        XCTAssertEqual(m.rmse, (0.32 / 3).squareRoot(), accuracy: 1e-12)
    }
}
