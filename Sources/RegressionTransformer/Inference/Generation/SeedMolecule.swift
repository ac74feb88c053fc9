import Chemistry

/// A seed molecule for generation: the sanitised molecule, its sequence in the model's language, and which atom every
/// sequence token writes (`TokenRole`), so that choices made on the graph (substructure matches, atom types) become
/// token positions to mask or to keep.
///
/// Atoms are numbered in the order the SMILES writes them — the order of the SMILES parser, of SELFIES 1.0.4's encoder
/// and of the SMILES regex alike. The sanitised molecule may have fewer atoms (RDKit removes explicit `[H]` atoms);
/// `smilesOrder` maps its atoms back.
public struct SeedMolecule: Sendable {
    /// The SMILES as given.
    public let smiles: String
    /// Sanitised (RDKit rules).
    public let molecule: Molecule
    /// Canonical SMILES of `molecule` (for excluding the seed from the results and deduplication).
    public let canonical: String
    /// The sequence tokens in the model's language (SELFIES symbols or SMILES tokens).
    public let tokens: [String]
    /// What each token writes.
    public let roles: [TokenRole]
    /// The element symbol of every atom, in SMILES order.
    public let atomSymbols: [String]
    /// `smilesOrder[i]`: the SMILES-order number of atom `i` of `molecule`.
    public let smilesOrder: [Int]

    /// - Parameter language: `selfies` (the SMILES is converted with selfies 1.0.4's encoder) or `smiles`.
    /// - Throws: `InferenceError` for an invalid SMILES (RDKit rules), one the SELFIES encoder rejects, or a language
    ///   that is not a molecule language.
    public init(smiles: String, language: SequenceLanguage) throws(InferenceError) {
        let trimmed = smiles.trimmingASCIIWhitespace()
        self.smiles = trimmed
        let raw: Molecule
        do {
            raw = try SmilesParser.parse(trimmed)
            molecule = try Molecule(smiles: trimmed)
        } catch {
            throw InferenceError("the seed '\(smiles)' is not a valid molecule: \(error)")
        }
        guard molecule.atomCount > 0 else { throw InferenceError("the seed '\(smiles)' has no atoms") }
        canonical = molecule.canonicalSmiles
        let sequence: String
        let tokenizer: RTTokenizer
        switch language {
        case .selfies:
            do { sequence = try SelfiesEncoder.encode(trimmed) } catch {
                throw InferenceError("the seed '\(smiles)' cannot be written as SELFIES: \(error)")
            }
            tokenizer = RTTokenizer(language: .selfies)
        case .smiles:
            sequence = trimmed
            tokenizer = RTTokenizer(language: .smiles)
        case .aminoAcids, .reactionSMILES, .reactionSELFIES:
            throw InferenceError("a seed molecule needs a SMILES or SELFIES model, not \(language)")
        }
        do { tokens = try tokenizer.tokenize(sequence) } catch {
            throw InferenceError("the seed '\(smiles)' cannot be tokenized as \(language): \(error)")
        }
        let walked: (roles: [TokenRole], atomCount: Int)
        do {
            walked = language == .selfies ? try SELFIESRoles.roles(of: tokens) : try SMILESRoles.roles(of: tokens)
        } catch {
            throw InferenceError("the seed '\(smiles)': \(error)")
        }
        guard walked.atomCount == raw.atomCount else {
            throw InferenceError("the seed '\(smiles)' has \(raw.atomCount) atoms but its \(language) tokens write "
                                  + "\(walked.atomCount)")
        }
        roles = walked.roles
        atomSymbols = raw.atoms.map { $0.atomicNumber == 0 ? "*" : $0.symbol }
        smilesOrder = try Self.align(sanitized: molecule, raw: raw, seed: smiles)
    }

    /// Matches the sanitised atoms to the parsed ones in order: sanitisation only removes hydrogen atoms and keeps
    /// the order of the others.
    static func align(sanitized: Molecule, raw: Molecule, seed: String) throws(InferenceError) -> [Int] {
        var order: [Int] = []
        var j = 0
        for (i, atom) in raw.atoms.enumerated() {
            if j < sanitized.atomCount, sanitized.atoms[j].atomicNumber == atom.atomicNumber,
               sanitized.atoms[j].isotope == atom.isotope, sanitized.atoms[j].formalCharge == atom.formalCharge {
                order.append(i)
                j += 1
            } else if atom.atomicNumber != 1 {
                break
            }
        }
        guard order.count == sanitized.atomCount else {
            throw InferenceError("the atoms of the seed '\(seed)' cannot be matched to its sanitised molecule")
        }
        return order
    }

    /// The sequence in the model's language (the tokens joined).
    public var sequence: String { tokens.joined() }

    /// The SMILES-order atoms matched by `query`.
    public func atoms(matching query: SubstructureQuery) -> Set<Int> {
        Set(query.matchedAtoms(in: molecule).map { smilesOrder[$0] })
    }

    /// Token positions whose atoms all lie in `atoms` (atom tokens of those atoms, and structural tokens of bonds
    /// between two of them).
    public func positions(within atoms: Set<Int>) -> [Int] {
        roles.indices.filter { k in
            let a = roles[k].atoms
            return !a.isEmpty && a.allSatisfy(atoms.contains)
        }
    }
}
