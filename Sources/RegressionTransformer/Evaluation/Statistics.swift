/// Why a correlation coefficient does not exist for some data.
public enum UndefinedCorrelation: String, Equatable, Sendable {
    case fewerThanTwoPairs = "fewer than two pairs"
    /// The first variable takes one value only (its variance is zero).
    case firstConstant = "the first variable is constant"
    case secondConstant = "the second variable is constant"
    case bothConstant = "both variables are constant"
}

/// A correlation coefficient, or the reason it is undefined. scipy returns NaN for constant input and the original
/// silently drops or compares against those NaNs (docs/inference.md §6.3); here the reason is explicit.
public enum Correlation: Equatable, Sendable, CustomStringConvertible {
    case defined(Double)
    case undefined(UndefinedCorrelation)

    /// The coefficient, nil when undefined.
    public var value: Double? {
        if case .defined(let v) = self { return v }
        return nil
    }

    public var description: String {
        switch self {
        case .defined(let v): return "\(v)"
        case .undefined(let why): return "undefined (\(why.rawValue))"
        }
    }
}

/// Summary statistics of paired samples, in Double (ARCHITECTURE.md, design decisions).
///
/// * `mean(x) = Σ x / n`;
/// * `rmse(y, ŷ) = √(Σ (y − ŷ)² / n)`, `mae(y, ŷ) = Σ |y − ŷ| / n`;
/// * Pearson `r = Σ (x − x̄)(y − ȳ) / √(Σ (x − x̄)² · Σ (y − ȳ)²)` (clamped to [−1, 1] against rounding), undefined for
///   fewer than two pairs or a constant variable;
/// * Spearman `ρ` = Pearson `r` of the average ranks (ties share the mean of the ranks they span, as scipy's
///   `spearmanr`), undefined likewise.
///
/// Sums are taken in input order; the centred form avoids the cancellation of `Σxy − n x̄ ȳ`.
public enum Statistics {
    public static func mean(_ x: [Double]) -> Double? {
        x.isEmpty ? nil : x.reduce(0, +) / Double(x.count)
    }

    /// Population standard deviation `√(Σ (x − x̄)² / n)`.
    public static func standardDeviation(_ x: [Double]) -> Double? {
        guard let m = mean(x) else { return nil }
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)).squareRoot()
    }

    public static func rmse(_ y: [Double], _ prediction: [Double]) -> Double? {
        precondition(y.count == prediction.count, "rmse needs pairs")
        guard !y.isEmpty else { return nil }
        let squares = zip(y, prediction).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return (squares / Double(y.count)).squareRoot()
    }

    public static func meanAbsoluteError(_ y: [Double], _ prediction: [Double]) -> Double? {
        precondition(y.count == prediction.count, "mae needs pairs")
        guard !y.isEmpty else { return nil }
        return zip(y, prediction).reduce(0.0) { $0 + abs($1.0 - $1.1) } / Double(y.count)
    }

    public static func pearson(_ x: [Double], _ y: [Double]) -> Correlation {
        precondition(x.count == y.count, "a correlation needs pairs")
        guard x.count >= 2 else { return .undefined(.fewerThanTwoPairs) }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        // A variable is constant when all its values are equal (its centred sum of squares may still be a rounding
        // residue, so test the values, not the sum).
        let xConstant = x.allSatisfy { $0 == x[0] }, yConstant = y.allSatisfy { $0 == y[0] }
        switch (xConstant, yConstant) {
        case (true, true): return .undefined(.bothConstant)
        case (true, false): return .undefined(.firstConstant)
        case (false, true): return .undefined(.secondConstant)
        case (false, false): return .defined(max(-1, min(1, sxy / (sxx * syy).squareRoot())))
        }
    }

    public static func spearman(_ x: [Double], _ y: [Double]) -> Correlation {
        precondition(x.count == y.count, "a correlation needs pairs")
        guard x.count >= 2 else { return .undefined(.fewerThanTwoPairs) }
        return pearson(averageRanks(x), averageRanks(y))
    }

    /// 1-based ranks; tied values share the average of the ranks they span (`[10, 20, 20, 30]` → `[1, 2.5, 2.5, 4]`).
    public static func averageRanks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] != x[$1] ? x[$0] < x[$1] : $0 < $1 }
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

/// Property-prediction quality (the paper's regression metrics, docs/inference.md §6.1): RMSE, MAE, Pearson and Spearman over the
/// inputs that received a prediction. The original scores an unparseable prediction as −1 and includes it; here a
/// prediction is always a number (constrained decoding), and inputs that could not be used at all (`failed`) are
/// counted, not scored.
public struct RegressionSummary: Equatable, Sendable {
    /// Pairs scored.
    public var count: Int
    /// Inputs without a prediction (unreadable molecules, …).
    public var failed: Int
    public var rmse: Double?
    public var meanAbsoluteError: Double?
    public var pearson: Correlation
    public var spearman: Correlation

    public init(labels: [Double], predictions: [Double], failed: Int = 0) {
        count = labels.count
        self.failed = failed
        rmse = Statistics.rmse(labels, predictions)
        meanAbsoluteError = Statistics.meanAbsoluteError(labels, predictions)
        pearson = Statistics.pearson(labels, predictions)
        spearman = Statistics.spearman(labels, predictions)
    }
}
