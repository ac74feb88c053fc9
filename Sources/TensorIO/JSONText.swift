import Foundation

/// Writing JSON text by hand (safetensors headers, the tool's JSON output): one place that knows how a string
/// becomes a JSON string literal.
public enum JSONText {
    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped (RFC 8259), every
    /// other scalar written as is (UTF-8).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
