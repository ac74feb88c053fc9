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
