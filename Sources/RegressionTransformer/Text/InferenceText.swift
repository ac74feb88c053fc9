/// Writing RT lines for inference, in GT4SD's input conventions (docs/rt-text-format.md §3.5, §6.3).
public enum InferenceText {
    /// `<p1>[MASK]×n1|<p2>[MASK]×n2|…|SEQUENCE` — asks the model for the properties of `sequence`; `maskLength`
    /// is the number of value tokens to predict (GT4SD's `property_mask_length`, e.g. 5 for `<qed>`).
    public static func predictionLine(sequence: String, properties: [(name: String, maskLength: Int)]) -> String {
        properties.map { "<\($0.name)>" + String(repeating: SpecialToken.mask.text, count: max(0, $0.maskLength)) + "|" }
            .joined() + sequence
    }

    /// `<p1>VALUE|…|SEQUENCE` with every value written in its layout (e.g. primers for generation, where
    /// `sequence` carries `[MASK]`s).
    public static func primedLine(sequence: String, properties: [(name: String, value: Double, layout: NumberLayout)])
        throws(NumberFormatError) -> String
    {
        var line = ""
        for property in properties {
            let tokens = try property.layout.tokens(for: property.value)
            line += "<\(property.name)>" + String(tokens.map(\.character)) + "|"
        }
        return line + sequence
    }
}
