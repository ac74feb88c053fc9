import Foundation

/// A number for output: rounded to 10 significant digits (so 10·0.812 − 2 prints 6.12, not 6.120000000000001),
/// shortest form.
func formatNumber(_ x: Double) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    let rounded = Double(String(format: "%.10g", x)) ?? x
    return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(format: "%.1f", rounded) : "\(rounded)"
}

/// A JSON number or null.
func jsonNumber(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "null" }
    return formatNumber(x)
}
