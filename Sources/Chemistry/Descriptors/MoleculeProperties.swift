/// Every property `rt chem props` reports, computed together so shared work (the substructure targets, Crippen
/// typing, the Morgan fingerprint) is done once per molecule.
public struct MoleculeProperties: Sendable {
    /// Average molecular weight (g/mol).
    public var molecularWeight: Double
    /// Wildman–Crippen logP.
    public var logP: Double
    /// Wildman–Crippen molar refractivity.
    public var molarRefractivity: Double
    /// Topological polar surface area (N, O), Å².
    public var tpsa: Double
    /// QED's eight inputs (HBA, HBD, strict rotatable bonds, AROM and ALERTS are the counts reported).
    public var qedProperties: QED.Properties
    /// QED with RDKit's default (mean) weights.
    public var qed: Double
    /// Synthetic accessibility, 1–10.
    public var sa: Double
    /// Penalised logP, unnormalised with the JT-VAE ring penalty (`PenalizedLogP.unnormalized`).
    public var penalizedLogP: Double
    /// Radius-2 Morgan fingerprint (unfolded ids and counts).
    public var morgan: MorganFingerprint

    /// Every property, however long the stereocentre search of the SA score takes.
    public init(_ molecule: Molecule) {
        let morgan = MorganFingerprint(molecule, radius: 2)
        self.init(molecule, morgan: morgan, sa: SAScore.components(molecule, fingerprint: morgan))
    }

    /// The most atoms `init(_:workLimit:)` accepts. The Morgan fingerprint keeps one bond set per atom (memory
    /// grows with atoms × bonds: ~50 MB at 20,000 atoms, ~500 GB at 2,000,000) and the SA score's stereocentre
    /// search takes rounds × atoms steps, so a limit keeps untrusted input bounded; 10,000 heavy atoms is far
    /// beyond any molecule the descriptors were designed for (QED's and SA's reference sets are drug-like).
    public static let maximumAtoms = 10_000

    /// Every property, or an error for a molecule of more than `maximumAtoms` atoms or when the SA score's
    /// stereocentre search would take more than `workLimit` refinement steps (what `rt chem props` uses:
    /// untrusted input must not run for hours or exhaust memory).
    /// - Throws: `MoleculeError` (`.limit`).
    public init(_ molecule: Molecule, workLimit: Int) throws(MoleculeError) {
        guard molecule.atomCount <= Self.maximumAtoms else {
            throw MoleculeError(.limit, "the molecule has \(molecule.atomCount) atoms, more than the limit of "
                                + "\(Self.maximumAtoms) for descriptors and fingerprints")
        }
        let morgan = MorganFingerprint(molecule, radius: 2)
        self.init(molecule, morgan: morgan, sa: try SAScore.components(molecule, fingerprint: morgan, workLimit: workLimit))
    }

    /// The other properties, given the radius-2 fingerprint and the SA score's components computed from it.
    private init(_ molecule: Molecule, morgan: MorganFingerprint, sa components: SAScore.Components?) {
        let target = SubstructureTarget(molecule)
        let crippen = Crippen.descriptors(SubstructureTarget(molecule, explicitHydrogens: true))
        qedProperties = QED.properties(molecule, target: target, logP: crippen.logP)
        molecularWeight = qedProperties.mw
        logP = crippen.logP
        molarRefractivity = crippen.mr
        tpsa = qedProperties.psa
        qed = QED.score(qedProperties)
        self.morgan = morgan
        sa = components?.score ?? .nan
        penalizedLogP = PenalizedLogP.unnormalized(logP: logP, sa: sa, ringPenalty: PenalizedLogP.ringPenalty(molecule))
    }
}
