import Foundation

/// The two figures of `rt evaluate`.
public enum EvaluationPlots {
    /// Parity plot of property prediction: one point per sample at (true, predicted), the identity line `y = x`
    /// dashed, both axes over the same range (so distance from the diagonal reads as error), and the metrics noted.
    public static func parity(property: String, labels: [Double], predictions: [Double],
                              summary: RegressionSummary) -> String {
        let range = SVGPlot.paddedRange(labels + predictions) ?? 0...1
        var plot = SVGPlot(title: "Property prediction: \(property)", xLabel: "true \(property)",
                           yLabel: "predicted \(property)", xRange: range, yRange: range)
        plot.line([(range.lowerBound, range.lowerBound), (range.upperBound, range.upperBound)], color: "#888", dashed: true)
        plot.points(zip(labels, predictions).map { (x: $0.0, y: $0.1) })
        plot.note(metricLines(summary))
        return plot.document
    }

    static func metricLines(_ s: RegressionSummary) -> [String] {
        func number(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "n/a" }
        return ["n = \(s.count)", "RMSE = \(number(s.rmse))", "Pearson r = \(number(s.pearson.value))",
                "Spearman ρ = \(number(s.spearman.value))"]
    }

    /// Conditional generation: every valid generation at (primer, obtained property) as a faint point, the mean and
    /// standard deviation of the obtained property per primer as bars, and the ideal `y = x` dashed.
    public static func primerResponse(property: String, records: [GenerationRecord], summary: GenerationSummary) -> String {
        let pairs = records.compactMap { r in r.canonical == nil ? nil : r.property.map { (x: r.primer, y: $0) } }
        let xRange = SVGPlot.paddedRange(records.map(\.primer)) ?? 0...1
        let yRange = SVGPlot.paddedRange(pairs.map(\.y) + records.map(\.primer)) ?? 0...1
        var plot = SVGPlot(title: "Conditional generation: \(property)", xLabel: "primer \(property)",
                           yLabel: "\(property) of generated molecule", xRange: xRange, yRange: yRange)
        let lo = max(xRange.lowerBound, yRange.lowerBound), hi = min(xRange.upperBound, yRange.upperBound)
        if hi > lo { plot.line([(lo, lo), (hi, hi)], color: "#888", dashed: true) }
        plot.points(pairs, opacity: 0.25)
        var byPrimer: [Double: [Double]] = [:]
        for p in pairs { byPrimer[p.x, default: []].append(p.y) }
        let bars = byPrimer.keys.sorted().map { x -> (x: Double, center: Double, low: Double, high: Double) in
            let values = byPrimer[x] ?? []
            let m = Statistics.mean(values) ?? 0, sd = Statistics.standardDeviation(values) ?? 0
            return (x, m, m - sd, m + sd)
        }
        plot.errorBars(bars)
        plot.line(bars.map { (x: $0.x, y: $0.center) }, color: "#d62728")
        func number(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "n/a" }
        plot.note(["generations = \(summary.generations)", "valid = \(number(summary.validity))",
                   "mean Spearman ρ per seed = \(number(summary.meanSpearman))",
                   "0-Var = \(number(summary.zeroVarianceFraction))"])
        return plot.document
    }
}
