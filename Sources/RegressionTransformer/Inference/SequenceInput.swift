import Chemistry

/// How an input sequence is written.
public enum SequenceFormat: String, Sendable, CaseIterable {
    /// SMILES for a molecule model whose language is SELFIES when the text is not SELFIES the vocabulary knows,
    /// otherwise the model's own language.
    case auto
    /// A SMILES string (converted to SELFIES with selfies 1.0.4's encoder for a SELFIES model).
    case smiles
    /// Already in the model's language.
    case native
}

extension InferenceModel {
    /// The sequence in the model's language for a user's input: the text after the last `|` (so RT lines such as
    /// `<qed>0.41|CCO` work too), trimmed, and for a SELFIES model converted from SMILES when it is SMILES.
    ///
    /// `auto` reads text as SELFIES when it consists of bracketed symbols (and `.`) that are all in the vocabulary,
    /// otherwise as SMILES. A SMILES must be a valid molecule (RDKit rules) — GT4SD validates inputs the same way.
    /// - Throws: `InferenceError` for an empty sequence, an invalid SMILES or one the SELFIES encoder rejects.
    public func modelSequence(_ input: String, format: SequenceFormat = .auto) throws(InferenceError) -> String {
        let afterBar = input.lastIndex(of: "|").map { input[input.index(after: $0)...] } ?? input[...]
        let text = String(afterBar).trimmingASCIIWhitespace()
        guard !text.isEmpty else { throw InferenceError("empty sequence") }
        try lengthLimit.check(text: text)
        let isMoleculeModel = language == .selfies || language == .smiles
        switch format {
        case .native:
            return text
        case .smiles:
            guard isMoleculeModel else { throw InferenceError("a \(language) model does not take SMILES input") }
        case .auto:
            let symbols = language == .selfies ? selfiesSymbols(of: text) : nil
            if language != .selfies || symbols?.allSatisfy({ vocabulary.id(of: $0) != nil }) == true {
                if language == .smiles { try validateSMILES(text) }
                return text
            }
            // SELFIES symbols the vocabulary lacks (e.g. [\C@Hexpl]) make a text that is not SMILES either: name
            // the symbol rather than report a SMILES parse error, or map it to [UNK] when asked.
            if let unknown = symbols?.first(where: { vocabulary.id(of: $0) == nil }), (try? Molecule(smiles: text)) == nil {
                if mapsUnknownTokensToUNK { return text }
                throw unknownTokenError("the SELFIES symbol '\(unknown)' is not in the vocabulary")
            }
        }
        try validateSMILES(text)
        guard language == .selfies else { return text }
        do { return try SelfiesEncoder.encode(text) } catch {
            throw InferenceError("'\(text)' cannot be written as SELFIES: \(error)")
        }
    }

    func validateSMILES(_ text: String) throws(InferenceError) {
        do { _ = try Molecule(smiles: text) } catch {
            throw InferenceError("'\(text)' is not a valid molecule: \(error)")
        }
    }

    /// The SELFIES symbols of a text made of bracketed symbols (and `.`) only; nil for any other text.
    func selfiesSymbols(of text: String) -> [String]? {
        guard text.first == "[" else { return nil }
        guard let symbols = try? RTTokenizer(language: .selfies).tokenize(text), !symbols.isEmpty,
              symbols.joined() == text else { return nil }
        return symbols
    }
}
