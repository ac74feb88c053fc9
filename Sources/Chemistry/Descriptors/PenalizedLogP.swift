/// Penalised logP: Crippen logP minus synthetic accessibility minus a penalty for rings larger than six atoms.
/// Three definitions circulate (see `docs/chemistry.md` §8.7); the two benchmark ones are here.
public enum PenalizedLogP {
    /// JT-VAE's normalisation constants (mean, standard deviation of logP, −SA and −ring penalty on ZINC-250k).
    static let logPMean = 2.4570953396190123, logPStd = 1.434324401111988
    static let saMean = -3.0525811293166134, saStd = 0.8335207024513095
    static let cycleMean = -0.0485696876403053, cycleStd = 0.2860212110245455

    /// Ring penalty: max(0, largest cycle of networkx's cycle basis − 6), as JT-VAE/GCPN compute it.
    public static func ringPenalty(_ molecule: Molecule) -> Int { max(CycleBasis.largestCycle(molecule) - 6, 0) }

    /// Unnormalised: `logP − SA − ringPenalty` — the `plogp` labels of the MOSES and ZINC benchmark data
    /// and the quantity of the constrained-optimisation benchmark's improvement tables.
    public static func unnormalized(logP: Double, sa: Double, ringPenalty: Int) -> Double {
        logP - sa - Double(ringPenalty)
    }

    /// JT-VAE normalised sum of standardised logP, −SA and −ringPenalty (`props.py`/GCPN reward).
    public static func jtvaeNormalized(logP: Double, sa: Double, ringPenalty: Int) -> Double {
        let cycle = Double(ringPenalty)
        return (logP - logPMean) / logPStd + (-sa - saMean) / saStd + (-cycle - cycleMean) / cycleStd
    }

    /// Unnormalised penalised logP of a molecule (nil if it has no atoms).
    public static func unnormalized(_ molecule: Molecule) -> Double? {
        guard let sa = SAScore.score(molecule) else { return nil }
        return unnormalized(logP: Crippen.logP(molecule), sa: sa, ringPenalty: ringPenalty(molecule))
    }

    /// JT-VAE-normalised penalised logP of a molecule (nil if it has no atoms).
    public static func jtvaeNormalized(_ molecule: Molecule) -> Double? {
        guard let sa = SAScore.score(molecule) else { return nil }
        return jtvaeNormalized(logP: Crippen.logP(molecule), sa: sa, ringPenalty: ringPenalty(molecule))
    }
}
