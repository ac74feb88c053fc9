import Foundation
import Chemistry

extension SequenceConversion {
    /// SMILES → SELFIES in the selfies 1.0.4 dialect of the RT vocabularies, the SMILES encoded as written (as
    /// GT4SD's trainer converts its CSV `text` column). Unlike selfies' encoder, the SMILES must be a valid
    /// molecule (RDKit rules), so broken molecules are reported instead of being encoded into training data.
    public static let smilesToSELFIES = SequenceConversion(name: "SMILES → SELFIES") { smiles in
        _ = try Molecule(smiles: smiles)
        return try SelfiesEncoder.encode(smiles)
    }

    /// Reaction SMILES → reaction SELFIES: each side of `>>` converted as above (its molecules stay separated
    /// by `.`).
    public static let reactionSMILESToSELFIES = SequenceConversion(name: "reaction SMILES → SELFIES") { reaction in
        let sides = reaction.components(separatedBy: ">>")
        guard sides.count == 2 else {
            throw MoleculeError(.parse, "a reaction needs exactly one '>>' (precursors>>products)")
        }
        return try sides.map { try smilesToSELFIES.convert($0) }.joined(separator: ">>")
    }

    /// SELFIES → SMILES with selfies 1.0.4's decoder (the original's `to_readable`), e.g. for generated
    /// sequences. The SMILES is not checked for validity: that is the evaluation's question.
    public static let selfiesToSMILES = SequenceConversion(name: "SELFIES → SMILES") { selfies in
        try SelfiesDecoder.decode(selfies)
    }

    /// Reaction SELFIES → reaction SMILES, side by side of `>>`; `<tag>` entity separators (GT4SD's `<energy>`)
    /// are read as `.`, and empty molecules are dropped, as GT4SD's `to_readable` does.
    public static let reactionSELFIESToSMILES = SequenceConversion(name: "reaction SELFIES → SMILES") { reaction in
        let sides = reaction.components(separatedBy: ">>")
        guard sides.count == 2 else {
            throw MoleculeError(.selfies, "a reaction needs exactly one '>>' (precursors>>products)")
        }
        return try sides.map { side -> String in
            let plain = side.replacingOccurrences(of: #"<\w+>"#, with: ".", options: .regularExpression)
            return try plain.split(separator: ".").map { try SelfiesDecoder.decode(String($0)) }
                .filter { !$0.isEmpty }.joined(separator: ".")
        }.joined(separator: ">>")
    }

    /// The conversion from `language` to SMILES (the original's `to_readable`): nil where the sequence is
    /// already SMILES or is not a molecule (`aas`).
    public static func toSMILES(from language: SequenceLanguage) -> SequenceConversion? {
        switch language {
        case .selfies: return selfiesToSMILES
        case .reactionSELFIES: return reactionSELFIESToSMILES
        case .smiles, .reactionSMILES, .aminoAcids: return nil
        }
    }

    /// The conversion from SMILES to `language`: nil when SMILES is used as it is (`smiles`,
    /// `reaction_smiles`) or cannot be converted (`aas`).
    public static func fromSMILES(to language: SequenceLanguage) -> SequenceConversion? {
        switch language {
        case .selfies: return smilesToSELFIES
        case .reactionSELFIES: return reactionSMILESToSELFIES
        case .smiles, .reactionSMILES, .aminoAcids: return nil
        }
    }
}
