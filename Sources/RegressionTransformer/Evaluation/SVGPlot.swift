import Foundation

/// A small SVG scatter-plot writer: linear axes with "nice" ticks, points, reference lines, error bars, a title and
/// axis labels. No dependencies; the output is a standalone SVG 1.1 document that browsers and vector editors open.
///
/// Coordinates: data `x ∈ [xMin, xMax]` maps to `left … left + width` pixels, data `y ∈ [yMin, yMax]` to
/// `top + height … top` (y grows upwards), i.e. `px = left + (x − xMin)/(xMax − xMin)·width`.
public struct SVGPlot {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    /// Plot area in pixels.
    public var left = 70.0, top = 40.0, width = 480.0, height = 480.0
    private var body: [String] = []

    /// A plot of the given data ranges (a range of zero width is widened by ±0.5 so it can be drawn).
    public init(title: String, xLabel: String, yLabel: String, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xRange = Self.widened(xRange)
        self.yRange = Self.widened(yRange)
    }

    static func widened(_ r: ClosedRange<Double>) -> ClosedRange<Double> {
        r.upperBound > r.lowerBound ? r : (r.lowerBound - 0.5)...(r.upperBound + 0.5)
    }

    /// The range covering `values` with a 5 % margin on each side (nil for no finite values).
    public static func paddedRange(_ values: [Double]) -> ClosedRange<Double>? {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return nil }
        let margin = hi > lo ? (hi - lo) * 0.05 : 0.5
        return (lo - margin)...(hi + margin)
    }

    public func px(_ x: Double) -> Double {
        left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * width
    }

    public func py(_ y: Double) -> Double {
        top + height - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * height
    }

    /// Tick values for `range`: multiples of a step of 1, 2 or 5 × 10^k chosen to give about `count` ticks.
    public static func ticks(_ range: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / Double(max(count, 1))
        let magnitude = Foundation.pow(10, (Foundation.log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var k = (range.lowerBound / step).rounded(.up)
        while k * step <= range.upperBound + step * 1e-9 {
            ticks.append(k * step)
            k += 1
        }
        return ticks
    }

    /// Circles at `(x, y)`; points outside the ranges are clipped by the plot area.
    public mutating func points(_ points: [(x: Double, y: Double)], color: String = "#1f77b4", radius: Double = 2.5,
                                opacity: Double = 0.6) {
        body.append("<g fill=\"\(color)\" fill-opacity=\"\(fmt(opacity))\" clip-path=\"url(#area)\">")
        for p in points where p.x.isFinite && p.y.isFinite {
            body.append("<circle cx=\"\(fmt(px(p.x)))\" cy=\"\(fmt(py(p.y)))\" r=\"\(fmt(radius))\"/>")
        }
        body.append("</g>")
    }

    /// A polyline through `points` in data coordinates.
    public mutating func line(_ points: [(x: Double, y: Double)], color: String = "#444", dashed: Bool = false,
                              width: Double = 1.5) {
        let coordinates = points.map { "\(fmt(px($0.x))),\(fmt(py($0.y)))" }.joined(separator: " ")
        body.append("<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(fmt(width))\""
                    + (dashed ? " stroke-dasharray=\"5,4\"" : "") + " clip-path=\"url(#area)\"/>")
    }

    /// Vertical bars from `low` to `high` at `x` with a marker at `center`.
    public mutating func errorBars(_ bars: [(x: Double, center: Double, low: Double, high: Double)],
                                   color: String = "#d62728") {
        body.append("<g stroke=\"\(color)\" fill=\"\(color)\" stroke-width=\"2\" clip-path=\"url(#area)\">")
        for b in bars {
            body.append("<line x1=\"\(fmt(px(b.x)))\" y1=\"\(fmt(py(b.low)))\" x2=\"\(fmt(px(b.x)))\" y2=\"\(fmt(py(b.high)))\"/>")
            body.append("<rect x=\"\(fmt(px(b.x) - 4))\" y=\"\(fmt(py(b.center) - 4))\" width=\"8\" height=\"8\"/>")
        }
        body.append("</g>")
    }

    /// A line of text in the upper-left corner of the plot area (e.g. the metrics).
    public mutating func note(_ lines: [String]) {
        for (k, text) in lines.enumerated() {
            body.append("<text x=\"\(fmt(left + 8))\" y=\"\(fmt(top + 18 + 16 * Double(k)))\" font-size=\"13\">\(escape(text))</text>")
        }
    }

    /// The SVG document.
    public var document: String {
        let totalWidth = left + width + 30, totalHeight = top + height + 60
        var out = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(fmt(totalWidth))\" height=\"\(fmt(totalHeight))\" "
                + "viewBox=\"0 0 \(fmt(totalWidth)) \(fmt(totalHeight))\" font-family=\"sans-serif\">",
            "<defs><clipPath id=\"area\"><rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(width))\" height=\"\(fmt(height))\"/></clipPath></defs>",
            "<rect x=\"0\" y=\"0\" width=\"\(fmt(totalWidth))\" height=\"\(fmt(totalHeight))\" fill=\"white\"/>",
            "<text x=\"\(fmt(left + width / 2))\" y=\"24\" font-size=\"16\" text-anchor=\"middle\">\(escape(title))</text>",
            "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" fill=\"none\" stroke=\"black\"/>",
        ]
        for t in Self.ticks(xRange) {
            let x = fmt(px(t))
            out.append("<line x1=\"\(x)\" y1=\"\(fmt(top + height))\" x2=\"\(x)\" y2=\"\(fmt(top + height + 5))\" stroke=\"black\"/>")
            out.append("<text x=\"\(x)\" y=\"\(fmt(top + height + 20))\" font-size=\"12\" text-anchor=\"middle\">\(tickLabel(t))</text>")
        }
        for t in Self.ticks(yRange) {
            let y = fmt(py(t))
            out.append("<line x1=\"\(fmt(left - 5))\" y1=\"\(y)\" x2=\"\(fmt(left))\" y2=\"\(y)\" stroke=\"black\"/>")
            out.append("<text x=\"\(fmt(left - 8))\" y=\"\(fmt(py(t) + 4))\" font-size=\"12\" text-anchor=\"end\">\(tickLabel(t))</text>")
        }
        out.append("<text x=\"\(fmt(left + width / 2))\" y=\"\(fmt(top + height + 45))\" font-size=\"14\" text-anchor=\"middle\">\(escape(xLabel))</text>")
        out.append("<text x=\"18\" y=\"\(fmt(top + height / 2))\" font-size=\"14\" text-anchor=\"middle\" "
                   + "transform=\"rotate(-90 18 \(fmt(top + height / 2)))\">\(escape(yLabel))</text>")
        out += body
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// Pixel coordinates with two decimals.
    func fmt(_ x: Double) -> String { String(format: "%.2f", x) }

    /// Tick labels without trailing zeros (`0.5`, `10`, `-2.25`).
    func tickLabel(_ t: Double) -> String {
        var s = String(format: "%.6f", abs(t) < 1e-12 ? 0 : t)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
