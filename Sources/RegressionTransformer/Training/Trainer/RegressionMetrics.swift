import Foundation

/// How well predicted property values match the truth: RMSE, mean absolute error, Pearson's r and Spearman's ρ
/// (docs/training.md §11), in Double.
///
/// * `RMSE = √(Σ (y − ŷ)² / n)`, `MAE = Σ |y − ŷ| / n`;
/// * `r = Σ (y − ȳ)(ŷ − ŷ̄) / √(Σ (y − ȳ)² · Σ (ŷ − ŷ̄)²)`;
/// * `ρ` = Pearson's r of the ranks, ties sharing their average rank (scipy's `spearmanr`).
///
/// A correlation is nil when either side is constant (scipy returns NaN; the original's checkpoint logic then
/// silently never fires) or fewer than two pairs exist.
public struct RegressionMetrics: Equatable, Sendable, Codable {
    public var count: Int
    public var rmse: Double
    public var mae: Double
    public var pearson: Double?
    public var spearman: Double?

    /// The metrics of `predictions` against `labels` (same length, at least one pair), computed by `Statistics`.
    public init(labels: [Double], predictions: [Double]) {
        precondition(labels.count == predictions.count && !labels.isEmpty, "metrics need equally many labels and predictions")
        count = labels.count
        rmse = Statistics.rmse(labels, predictions) ?? .nan
        mae = Statistics.meanAbsoluteError(labels, predictions) ?? .nan
        pearson = Statistics.pearson(labels, predictions).value
        spearman = Statistics.spearman(labels, predictions).value
    }
}
