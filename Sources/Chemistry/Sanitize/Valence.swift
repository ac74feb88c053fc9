/// RDKit's valence model (`Code/GraphMol/Atom.cpp`: `calculateExplicitValence`, `calculateImplicitValence`,
/// `getEffectiveAtomicNum`, `canBeHypervalent`, `isEarlyAtom`), reproduced rule by rule.
///
/// - explicit valence = Σ bond valence contributions (aromatic 1.5) + explicit H. Charged atoms use the valence
///   list of the isoelectronic element Z − charge. An aromatic atom whose sum exceeds its default valence is
///   snapped down to the largest allowed valence ≤ sum when within 1.5; then `round(sum + 0.1)`.
/// - implicit H (non-bracket atoms): aromatic → default valence − explicit (0 if above, when it must equal an
///   allowed valence); otherwise the smallest allowed valence ≥ explicit + radicals, minus that.
enum Valence {
    /// Flat tables indexed by atomic number for the hot path.
    static let defaultValence: [Int] = PeriodicTable.elements.map { $0.defaultValence }
    static let valenceLists: [[Int]] = PeriodicTable.elements.map { $0.valences }
    static let outerElectrons: [Int] = PeriodicTable.elements.map { $0.outerElectrons }
    static let maxZ = PeriodicTable.maxAtomicNumber

    static let earlyAtoms: Set<Int> = [3, 4, 5, 11, 12, 13, 19, 20, 21, 22, 30, 31, 32, 37, 38, 39, 40, 41, 48, 49,
                                       50, 51, 55, 56, 57, 58, 59, 60, 61, 72, 73, 80, 81, 82, 83, 87, 88, 89, 90, 91,
                                       92, 93, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118]
    /// Elements to the left of carbon (RDKit `isEarlyAtom`).
    static let isEarly: [Bool] = (0 ... PeriodicTable.maxAtomicNumber).map { earlyAtoms.contains($0) }

    /// Z − charge, clamped to the table (RDKit `getEffectiveAtomicNum` without the range check).
    @inline(__always) static func effectiveAtomicNumber(_ atom: Atom) -> Int {
        min(max(Int(atom.atomicNumber) - Int(atom.formalCharge), 0), maxZ)
    }

    @inline(__always) static func canBeHypervalent(_ z: Int, effective: Int) -> Bool {
        (effective > 16 && (z == 15 || z == 16)) || (effective > 34 && (z == 33 || z == 34))
    }

    /// Σ valence contributions of atom `i`'s bonds plus its explicit H count.
    @inline(__always) static func bondValenceSum(_ mol: Molecule, _ i: Int) -> Double {
        var accum = 0.0
        for nb in mol.neighbors(of: i) {
            let b = mol.bonds[Int(nb.bond)]
            accum += b.order.valenceContribution(isEndAtom: Int(b.end) == i)
        }
        return accum + Double(mol.atoms[i].explicitHydrogens)
    }

    /// Explicit valence of atom `i`; with `strict`, throws a valence error when above every allowed valence.
    static func explicitValence(_ mol: Molecule, _ i: Int, strict: Bool, as override: Atom? = nil) throws -> Int {
        let atom = override ?? mol.atoms[i]
        let z = Int(atom.atomicNumber)
        var accum = bondValenceSum(mol, i) - Double(mol.atoms[i].explicitHydrogens) + Double(atom.explicitHydrogens)
        let ovalens = valenceLists[z]
        var effective = z
        if ovalens.count > 1 || ovalens[0] != -1 { effective = effectiveAtomicNumber(atom) }
        let dv = defaultValence[effective]
        let valens = valenceLists[effective]
        if accum > Double(dv) && mol.isAromaticLike(i) {
            var pval = dv
            for val in valens {
                if val == -1 { break }
                if Double(val) > accum { break } else { pval = val }
            }
            if accum - Double(pval) <= 1.5 { accum = Double(pval) }
        }
        accum += 0.1
        let res = Int((accum).rounded(.toNearestOrAwayFromZero))
        if strict {
            var maxValence = valens.last ?? -1
            var offset = 0
            if canBeHypervalent(z, effective: effective) {
                maxValence = ovalens.last ?? -1
                offset -= Int(atom.formalCharge)
            }
            if z == 1 && atom.formalCharge == -1 { maxValence = 2 }
            if maxValence >= 0 && (ovalens.last ?? -1) >= 0 && res + offset > maxValence {
                throw MoleculeError(.valence,
                    "explicit valence for atom #\(i) \(PeriodicTable.symbol(z)), \(res), is greater than permitted")
            }
        }
        return res
    }

    /// Implicit H count of atom `i` given its explicit valence (RDKit `calculateImplicitValence`).
    static func implicitHydrogens(_ mol: Molecule, _ i: Int, explicitValence: Int, strict: Bool, as override: Atom? = nil) throws -> Int {
        let atom = override ?? mol.atoms[i]
        if atom.noImplicit { return 0 }
        let z = Int(atom.atomicNumber)
        if z == 0 { return 0 }
        let charge = Int(atom.formalCharge)
        if explicitValence == 0 && atom.radicalElectrons == 0 && z == 1 {
            if charge == 1 || charge == -1 { return 0 }
            if charge == 0 { return 1 }
            if strict { throw MoleculeError(.valence, "unreasonable formal charge on atom #\(i)") }
            return 0
        }
        var explicitPlusRad = explicitValence + Int(atom.radicalElectrons)
        let ovalens = valenceLists[z]
        var effective = z
        if ovalens.count > 1 || ovalens[0] != -1 { effective = effectiveAtomicNumber(atom) }
        if effective == 0 { return 0 }
        let dv = defaultValence[effective]
        if dv == -1 { return 0 }
        if canBeHypervalent(z, effective: effective) {
            effective = z
            explicitPlusRad -= charge
        }
        let valens = valenceLists[effective]
        if mol.isAromaticLike(i) {
            if explicitPlusRad <= dv { return dv - explicitPlusRad }
            var satisfied = false
            for v in valens {
                if v <= 0 { break }
                if explicitPlusRad == v { satisfied = true; break }
            }
            if !satisfied && strict {
                throw MoleculeError(.valence,
                    "explicit valence for aromatic atom #\(i) \(PeriodicTable.symbol(z)) not equal to any accepted valence")
            }
            return 0
        }
        for v in valens {
            if v < 0 { break }
            if explicitPlusRad <= v { return v - explicitPlusRad }
        }
        if strict && (valens.last ?? -1) != -1 && (ovalens.last ?? -1) > 0 {
            throw MoleculeError(.valence,
                "explicit valence for atom #\(i) \(PeriodicTable.symbol(z)) greater than permitted")
        }
        return 0
    }

    /// RDKit `updatePropertyCache(strict)` for one atom: caches explicit valence and implicit H count.
    static func updateCache(_ mol: inout Molecule, _ i: Int, strict: Bool) throws {
        let ev = try explicitValence(mol, i, strict: strict)
        let ih = try implicitHydrogens(mol, i, explicitValence: ev, strict: strict)
        mol.atoms[i].explicitValence = Int16(ev)
        mol.atoms[i].implicitHydrogens = UInt8(clamping: ih)
    }

    /// Total valence = explicit + implicit H (from the cache).
    @inline(__always) static func totalValence(_ atom: Atom) -> Int {
        Int(atom.explicitValence) + Int(atom.implicitHydrogens)
    }
}
