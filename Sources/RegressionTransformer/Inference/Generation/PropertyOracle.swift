import Chemistry

/// Properties the Chemistry module computes exactly (RDKit 2026.9.1 agreement, docs/chemistry.md), by the property
/// names the RT's vocabularies use — the "oracle" that checks what a generated molecule really has:
///
/// | name | value |
/// |---|---|
/// | `qed` | QED with RDKit's default (mean) weights |
/// | `logp` | Wildman–Crippen logP |
/// | `molwt` | average molecular weight |
/// | `sas` | synthetic accessibility score (1–10) |
/// | `plogp` | penalised logP, unnormalised: logP − SA − max(0, largest ring − 6) (the data's convention) |
/// | `tpsa` | topological polar surface area |
public enum PropertyOracle {
    public static let names = ["qed", "logp", "molwt", "sas", "plogp", "tpsa"]

    /// Whether an oracle exists for `name` (case-insensitive).
    public static func exists(for name: String) -> Bool { names.contains(name.lowercased()) }

    /// The property `name` of `molecule` (sanitised), nil when no oracle exists or it is undefined for the molecule.
    public static func value(_ name: String, of molecule: Molecule) -> Double? {
        let value: Double
        switch name.lowercased() {
        case "qed": value = QED.qed(molecule)
        case "logp": value = Crippen.logP(molecule)
        case "molwt": value = MolecularWeight.average(molecule)
        case "sas": guard let sa = SAScore.score(molecule) else { return nil }; value = sa
        case "plogp": guard let p = PenalizedLogP.unnormalized(molecule) else { return nil }; value = p
        case "tpsa": value = TPSA.value(molecule)
        default: return nil
        }
        return value.isFinite ? value : nil
    }
}
