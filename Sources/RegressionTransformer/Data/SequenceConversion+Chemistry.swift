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
