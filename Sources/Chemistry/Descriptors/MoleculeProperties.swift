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

    public init(_ molecule: Molecule) {
        let target = SubstructureTarget(molecule)
        let crippen = Crippen.descriptors(SubstructureTarget(molecule, explicitHydrogens: true))
        qedProperties = QED.properties(molecule, target: target, logP: crippen.logP)
        molecularWeight = qedProperties.mw
        logP = crippen.logP
        molarRefractivity = crippen.mr
        tpsa = qedProperties.psa
        qed = QED.score(qedProperties)
        morgan = MorganFingerprint(molecule, radius: 2)
        sa = SAScore.components(molecule, fingerprint: morgan)?.score ?? .nan
        penalizedLogP = PenalizedLogP.unnormalized(logP: logP, sa: sa, ringPenalty: PenalizedLogP.ringPenalty(molecule))
    }
}
