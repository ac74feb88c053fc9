import Foundation

/// How well predicted property values match the truth: RMSE, mean absolute error, Pearson's r and Spearman's ρ
/// (spec/rt-reference.md §6.1), in Double.
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

    /// The metrics of `predictions` against `labels` (same length, at least one pair).
    public init(labels: [Double], predictions: [Double]) {
        precondition(labels.count == predictions.count && !labels.isEmpty, "metrics need equally many labels and predictions")
        let n = Double(labels.count)
        var squares = 0.0, absolutes = 0.0
        for (y, p) in zip(labels, predictions) {
            squares += (y - p) * (y - p)
            absolutes += abs(y - p)
        }
        count = labels.count
        rmse = (squares / n).squareRoot()
        mae = absolutes / n
        pearson = Self.pearson(labels, predictions)
        spearman = Self.pearson(Self.ranks(labels), Self.ranks(predictions))
    }

    /// Pearson's r, nil for constant inputs or fewer than two pairs.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count >= 2 else { return nil }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return max(-1, min(1, sxy / (sxx * syy).squareRoot()))
    }

    /// 1-based ranks, ties sharing the average of the ranks they span.
    public static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var ranks = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            let average = Double(i + j + 2) / 2
            for k in i...j { ranks[order[k]] = average }
            i = j + 1
        }
        return ranks
    }
}
