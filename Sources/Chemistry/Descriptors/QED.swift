import Foundation

/// Quantitative estimate of drug-likeness (Bickerton et al., Nat. Chem. 2012, 4, 90) exactly as RDKit's
/// `rdkit.Chem.QED` (descriptor version 1.1.0), with its eight properties exposed.
///
/// Each property x is mapped by an asymmetric double sigmoid to a desirability
/// `d(x) = [A + B / (1 + exp(−(x − C + D/2)/E)) · (1 − 1/(1 + exp(−(x − C − D/2)/F)))] / DMAX`
/// and `QED = exp(Σ wᵢ ln dᵢ / Σ wᵢ)`, evaluated in Python's operation order so results agree with RDKit to the
/// last bits. Parameters and weights: `Resources/qed.json` (from `QED.py`).
public enum QED {
    /// The eight QED inputs (RDKit's `QEDproperties`), all computed on the hydrogen-suppressed molecule.
    public struct Properties: Sendable, Equatable {
        /// Average molecular weight.
        public var mw: Double
        /// Crippen logP.
        public var alogp: Double
        /// Σ over QED's 11 acceptor patterns of matching atoms.
        public var hba: Int
        /// RDKit `NumHBD`.
        public var hbd: Int
        /// TPSA (N, O).
        public var psa: Double
        /// Strict rotatable bonds.
        public var rotb: Int
        /// Rings left (cyclomatic number) after deleting aliphatic ring atoms that have a non-aromatic neighbour.
        public var arom: Int
        /// Number of the 116 structural alerts that match.
        public var alerts: Int

        public init(mw: Double, alogp: Double, hba: Int, hbd: Int, psa: Double, rotb: Int, arom: Int, alerts: Int) {
            self.mw = mw; self.alogp = alogp; self.hba = hba; self.hbd = hbd
            self.psa = psa; self.rotb = rotb; self.arom = arom; self.alerts = alerts
        }

        /// Values in QED's order (MW, ALOGP, HBA, HBD, PSA, ROTB, AROM, ALERTS).
        public var values: [Double] {
            [mw, alogp, Double(hba), Double(hbd), psa, Double(rotb), Double(arom), Double(alerts)]
        }
    }

    /// Property weights: RDKit's `WEIGHT_MEAN` (the default), `WEIGHT_MAX`, `WEIGHT_NONE` (unweighted), or eight
    /// custom values in QED's property order.
    public enum Weights: Sendable, Equatable {
        case mean, max, none
        case custom([Double])

        var values: [Double] {
            switch self {
            case .mean: return QED.weightTable["mean"] ?? []
            case .max: return QED.weightTable["max"] ?? []
            case .none: return QED.weightTable["none"] ?? []
            case .custom(let w): return w
            }
        }
    }

    struct Sigmoid: Sendable { var a, b, c, d, e, f, dmax: Double }

    static let order = ["MW", "ALOGP", "HBA", "HBD", "PSA", "ROTB", "AROM", "ALERTS"]
    static let sigmoids: [Sigmoid] = {
        let ads = DescriptorTables.qed["ads"] as? [String: [String: Double]] ?? [:]
        return order.map { name in
            let p = ads[name] ?? [:]
            return Sigmoid(a: p["A"] ?? .nan, b: p["B"] ?? .nan, c: p["C"] ?? .nan, d: p["D"] ?? .nan,
                           e: p["E"] ?? .nan, f: p["F"] ?? .nan, dmax: p["DMAX"] ?? .nan)
        }
    }()
    static let weightTable: [String: [Double]] = {
        let w = DescriptorTables.qed["weights"] as? [String: Any] ?? [:]
        var out: [String: [Double]] = [:]
        for key in ["mean", "max", "none"] { out[key] = w[key] as? [Double] ?? [] }
        return out
    }()
    static let alertPatterns = DescriptorTables.qedStrings("alert_smarts").map(DescriptorTables.pattern)
    static let alertPrograms = alertPatterns.map(\.program)
    static let aliphaticRingAtom = DescriptorTables.pattern(DescriptorTables.qedString("aliphatic_ring_smarts"))

    /// Desirability of value `x` of property `index` (QED order), in [0, 1].
    public static func desirability(_ x: Double, property index: Int) -> Double {
        let p = sigmoids[index]
        let exp1 = 1 + exp(-1 * (x - p.c + p.d / 2) / p.e)
        let exp2 = 1 + exp(-1 * (x - p.c - p.d / 2) / p.f)
        let dx = p.a + p.b / exp1 * (1 - 1 / exp2)
        return dx / p.dmax
    }

    /// QED of precomputed properties (NaN for custom weights that are not eight finite numbers).
    public static func score(_ properties: Properties, weights: Weights = .mean) -> Double {
        let w = weights.values
        guard w.count == 8, w.allSatisfy(\.isFinite) else { return .nan }
        var t = 0.0, wsum = 0.0
        for (k, x) in properties.values.enumerated() {
            t += w[k] * log(desirability(x, property: k))
            wsum += w[k]
        }
        return exp(t / wsum)
    }

    /// QED of a molecule (RDKit `QED.qed`, default mean weights).
    public static func qed(_ molecule: Molecule, weights: Weights = .mean) -> Double {
        score(properties(molecule), weights: weights)
    }

    /// The eight properties of a molecule.
    public static func properties(_ molecule: Molecule) -> Properties {
        let target = SubstructureTarget(molecule)
        let logP = Crippen.descriptors(SubstructureTarget(molecule, explicitHydrogens: true)).logP
        return properties(molecule, target: target, logP: logP)
    }

    /// Properties with a prepared target and Crippen logP (shared with other descriptors).
    static func properties(_ molecule: Molecule, target: SubstructureTarget, logP: Double) -> Properties {
        Properties(mw: MolecularWeight.average(molecule), alogp: logP, hba: Lipinski.qedAcceptors(target),
                   hbd: Lipinski.hydrogenBondDonors(target), psa: TPSA.value(molecule),
                   rotb: Lipinski.rotatableBonds(target, strict: true), arom: aromaticRings(molecule, target),
                   alerts: alertCount(target))
    }

    /// Number of structural alerts with at least one match.
    static func alertCount(_ target: SubstructureTarget) -> Int {
        target.withView { view in
            var count = 0
            for p in alertPrograms where p.hasMatch(view) { count += 1 }
            return count
        }
    }

    /// Indices (0-based, into `QED.StructuralAlertSmarts`) of the alerts that match.
    public static func matchedAlerts(_ molecule: Molecule) -> [Int] {
        let target = SubstructureTarget(molecule)
        return alertPatterns.indices.filter { alertPatterns[$0].hasMatch(in: target) }
    }

    /// QED's AROM: `len(GetSSSR(DeleteSubstructs(mol, '[$([A;R][!a])]')))`, i.e. the cyclomatic number
    /// (bonds − atoms + components) of the graph left after deleting every aliphatic ring atom with a
    /// non-aromatic neighbour. (Counts e.g. fluorene's five-membered ring, as RDKit does.) Dative and zero-order
    /// bonds are left out, as RDKit's ring finding leaves them out.
    static func aromaticRings(_ molecule: Molecule, _ target: SubstructureTarget) -> Int {
        let n = molecule.atomCount
        let deleted = aliphaticRingAtom.rootedMatches(in: target)
        var parent = Array(0 ..< n)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var atoms = 0, bonds = 0, components = 0
        for a in 0 ..< n where !deleted[a] { atoms += 1; components += 1 }
        for b in molecule.bonds where !deleted[Int(b.begin)] && !deleted[Int(b.end)] && RingFinder.countsForRings(b) {
            bonds += 1
            let x = find(Int(b.begin)), y = find(Int(b.end))
            if x != y { parent[x] = y; components -= 1 }
        }
        return bonds - atoms + components
    }
}
