/// The per-line conversions behind `rt chem validate | canonical | to-selfies | to-smiles`: one input line in,
/// one result out (the result text, or the reason the line is not a valid molecule).
///
/// The first whitespace-separated token of a line is the molecule (RDKit treats the rest as a name). An empty
/// line is reported as an error (RDKit would accept "" as an empty molecule; for a line-oriented tool an empty
/// line is almost always a mistake).
public enum LineConversion: Sendable {
    /// SMILES → `valid`.
    case validate
    /// SMILES → our canonical SMILES.
    case canonical
    /// SMILES → SELFIES (selfies 1.0.4, encoding the SMILES as written, as the RT does); the SMILES must be a
    /// valid molecule.
    case toSelfies
    /// SELFIES → SMILES (selfies 1.0.4 decoder); the decoded SMILES must be a valid molecule. With `canonical`,
    /// our canonical SMILES of it.
    case toSmiles(canonical: Bool)

    /// The error class for a line that is not text of the input language at all (e.g. not UTF-8): `parse` for
    /// SMILES input, `selfies` for SELFIES input.
    public var inputKind: MoleculeError.Kind {
        if case .toSmiles = self { return .selfies }
        return .parse
    }

    static func firstToken(_ line: Substring) -> Substring {
        let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
        return trimmed.prefix(while: { $0 != " " && $0 != "\t" && $0 != "\r" && $0 != "\n" })
    }

    public func apply(_ line: Substring) -> Result<String, MoleculeError> {
        let token = Self.firstToken(line)
        if token.isEmpty { return .failure(MoleculeError(.parse, "empty input")) }
        do {
            switch self {
            case .validate:
                _ = try Molecule(smiles: token)
                return .success("valid")
            case .canonical:
                return .success(try Molecule(smiles: token).canonicalSmiles(workLimit: CanonicalRanking.defaultWorkLimit))
            case .toSelfies:
                _ = try Molecule(smiles: token)
                return .success(try SelfiesEncoder.encode(String(token)))
            case .toSmiles(let canonical):
                let smiles = try SelfiesDecoder.decode(String(token))
                if smiles.isEmpty { return .failure(MoleculeError(.selfies, "decodes to an empty molecule")) }
                let mol = try Molecule(smiles: smiles)
                return .success(canonical ? try mol.canonicalSmiles(workLimit: CanonicalRanking.defaultWorkLimit) : smiles)
            }
        } catch let e as MoleculeError {
            return .failure(e)
        } catch {
            return .failure(MoleculeError(.parse, "\(error)"))
        }
    }
}
