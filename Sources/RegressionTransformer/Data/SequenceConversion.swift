/// Converts the sequence of a sample into the model's language before tokenization — e.g. SMILES → SELFIES
/// for a SELFIES model (the conversion GT4SD's trainer applies to its CSV `text` column). The Chemistry module
/// provides the SELFIES encoder; this type is the seam where it plugs in, so the text layer does not depend on
/// how molecules are converted.
public struct SequenceConversion: Sendable {
    /// A short description for messages, e.g. `SMILES → SELFIES`.
    public var name: String
    /// Returns the converted sequence, or throws an error whose description says why it cannot be converted.
    public var convert: @Sendable (String) throws -> String

    public init(name: String, convert: @escaping @Sendable (String) throws -> String) {
        self.name = name
        self.convert = convert
    }
}

extension SequenceConversion {
    /// An RT line with its sequence (the text after the last `|`) converted: `<qed>0.5|CBr` → `<qed>0.5|[C][Br]`.
    public func convertSequence(ofLine line: String) throws -> String {
        guard let bar = line.lastIndex(of: "|") else { return try convert(line.trimmingASCIIWhitespace()) }
        let sequence = String(line[line.index(after: bar)...]).trimmingASCIIWhitespace()
        return String(line[...bar]) + (try convert(sequence))
    }
}
