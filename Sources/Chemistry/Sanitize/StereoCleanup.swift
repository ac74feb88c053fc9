/// The part of RDKit's stereo perception (`assignStereochemistry(cleanIt=true)`, legacy mode, run by
/// `MolFromSmiles`) that changes hydrogen bookkeeping: a chiral tag on an atom that cannot be a stereocentre is
/// removed, and if the atom had exactly one bracket H, no charge and is not aromatic, that H becomes implicit
/// (RDKit issue 194) — the total H count is unchanged, only the explicit/implicit split.
///
/// Stereocentre test (RDKit `isAtomPotentialChiralCenter`): 3–4 connections counting H, at least 3 graph
/// neighbours (phosphines/arsines: any), three-coordinate atoms only with one H, or N in a 3-ring, P/As, or S/Se
/// with valence 4 (3 if cationic); and no two neighbours in the same symmetry class. Ring stereo (cis/trans
/// across a ring, e.g. 1,4-disubstituted cyclohexanes) keeps the tags of ring atoms whose two ring branches are
/// equivalent when another such tagged atom is in the same ring system. Symmetry classes are ours (graph
/// refinement), standing in for RDKit's legacy CIP ranks.
enum StereoCleanup {
    static func run(_ mol: inout Molecule) throws {
        guard mol.atoms.contains(where: { $0.chirality == .anticlockwise || $0.chirality == .clockwise }) else { return }
        // RDKit `cleanupChirality` (sanitization): tags on atoms that are not sp3 are dropped, H untouched.
        let conjugated = Conjugation.conjugatedBonds(mol)
        for i in 0 ..< mol.atomCount where (mol.atoms[i].chirality == .anticlockwise || mol.atoms[i].chirality == .clockwise)
            && !isSP3(mol, i, conjugated) {
            mol.atoms[i].chirality = .none
        }
        // Each refinement is bounded (CanonicalRanking.defaultWorkLimit): a huge input is an error, not a stall.
        var classes = try CanonicalRanking.symmetryClasses(mol, workLimit: CanonicalRanking.defaultWorkLimit)
        var work = 0
        let conj = Conjugation.conjugatedBonds(mol)
        // Stereocentres are assigned in rounds: once a centre has a label (its handedness relative to its
        // neighbours' classes), the labels refine the classes, which can make further centres legal (e.g. the
        // pseudo-asymmetric C3 of tropanes, whose two ring branches differ only by the bridgeheads' labels).
        var assigned = [Bool](repeating: false, count: mol.atomCount)
        var label = [UInt64](repeating: 0, count: mol.atomCount)
        var legal = [Bool](repeating: false, count: mol.atomCount)
        var dupes = [Bool](repeating: false, count: mol.atomCount)
        while true {
            var changed = false
            for i in 0 ..< mol.atomCount where !assigned[i] && (mol.atoms[i].chirality == .anticlockwise || mol.atoms[i].chirality == .clockwise) {
                (legal[i], dupes[i]) = potentialCenter(mol, i, classes, conj)
                if legal[i] && !dupes[i] {
                    assigned[i] = true
                    label[i] = handedness(mol, i, classes) ? 2 : 1
                    changed = true
                }
            }
            guard changed else { break }
            for i in 0 ..< mol.atomCount where assigned[i] { classes[i] = CanonicalRanking.mix(classes[i], label[i]) }
            guard CanonicalRanking.refine(mol, &classes, classes: Set(classes).count, work: &work,
                                          workLimit: CanonicalRanking.defaultWorkLimit) != nil else {
                throw CanonicalRanking.limitError(mol, CanonicalRanking.defaultWorkLimit)
            }
        }
        // Ring-stereo candidates: tagged ring atoms that failed only because of equivalent neighbours.
        var ringCandidate = [Bool](repeating: false, count: mol.atomCount)
        for i in 0 ..< mol.atomCount where !assigned[i] && mol.rings.atomRingCount[i] > 0
            && (mol.atoms[i].chirality == .anticlockwise || mol.atoms[i].chirality == .clockwise) {
            ringCandidate[i] = isRingStereoCandidate(mol, i, classes)
        }
        var keep = [Bool](repeating: false, count: mol.atomCount)
        for i in 0 ..< mol.atomCount where assigned[i] { keep[i] = true }
        // A ring candidate is kept if another candidate is reachable through ring bonds.
        for i in 0 ..< mol.atomCount where ringCandidate[i] {
            var seen: Set<Int> = [i]
            var queue = [i]
            var found = false
            while let v = queue.popLast(), !found {
                for nb in mol.neighbors(of: v) where mol.rings.bondRingCount[Int(nb.bond)] > 0 {
                    let w = Int(nb.atom)
                    if seen.insert(w).inserted {
                        if ringCandidate[w] { found = true; break }
                        queue.append(w)
                    }
                }
            }
            if found { keep[i] = true }
        }
        for i in 0 ..< mol.atomCount where !keep[i] && (mol.atoms[i].chirality == .anticlockwise || mol.atoms[i].chirality == .clockwise) {
            mol.atoms[i].chirality = .none
            let a = mol.atoms[i]
            if a.explicitHydrogens == 1 && a.formalCharge == 0 && !a.isAromatic {
                mol.atoms[i].explicitHydrogens = 0
                mol.atoms[i].noImplicit = false
                try Valence.updateCache(&mol, i, strict: false)
            }
        }
    }

    /// Handedness of tagged atom `i` relative to its neighbours' classes: the tag, flipped by the parity of the
    /// permutation that sorts its SMILES-order neighbours (bracket H first) by class.
    static func handedness(_ mol: Molecule, _ i: Int, _ classes: [UInt64]) -> Bool {
        let order = mol.chiralNeighbors[Int32(i)] ?? mol.neighbors(of: i).map(\.atom)
        var keys = order.map { $0 < 0 ? UInt64(0) : classes[Int($0)] &+ 1 }
        var swaps = 0
        // Bubble sort counts the inversions (at most 4 elements).
        for a in 0 ..< keys.count {
            for b in 0 ..< keys.count - 1 - a where keys[b] > keys[b + 1] {
                keys.swapAt(b, b + 1)
                swaps += 1
            }
        }
        return (mol.atoms[i].chirality == .clockwise) != (swaps % 2 == 1)
    }

    /// RDKit `setHybridization` reduced to "is it SP3?" for a tetrahedral-tagged atom.
    static func isSP3(_ mol: Molecule, _ i: Int, _ conjugated: [Bool]) -> Bool {
        let a = mol.atoms[i]
        let totalDegree = mol.degree(of: i) + a.totalHydrogens
        if totalDegree == 4 { return true }
        let z = Int(a.atomicNumber)
        if z == 0 { return false }
        var norbs = totalDegree
        if z < 89 {
            var deg = totalDegree
            for nb in mol.neighbors(of: i) {
                let b = mol.bonds[Int(nb.bond)]
                if b.order == .zero || (b.order == .dative && Int(b.end) != i) { deg -= 1 }
            }
            if z <= 1 {
                norbs = deg
            } else {
                let nouter = Valence.outerElectrons[z]
                let totalValence = Valence.totalValence(a)
                let chg = Int(a.formalCharge)
                let free = nouter - (totalValence + chg)
                if totalValence + nouter - chg < 8 {
                    let rad = Int(a.radicalElectrons)
                    norbs = deg + (free - rad) / 2 + rad
                } else {
                    norbs = deg + free / 2
                }
            }
        }
        guard norbs == 4 else { return false }
        if totalDegree > 3 { return true }
        return !mol.neighbors(of: i).contains { conjugated[Int($0.bond)] }
    }

    static func potentialCenter(_ mol: Molecule, _ i: Int, _ classes: [UInt64], _ conjugated: [Bool]) -> (legal: Bool, dupes: Bool) {
        let a = mol.atoms[i]
        let z = a.atomicNumber
        var nz = 0
        for nb in mol.neighbors(of: i) where mol.bonds[Int(nb.bond)].order != .zero { nz += 1 }
        let tnz = nz + a.totalHydrogens
        var legal = true
        if tnz > 4 || tnz < 3 {
            legal = false
        } else if nz < 3 && z != 15 && z != 33 {
            legal = false
        } else if nz == 3 {
            if a.totalHydrogens == 1 {
                if mol.neighbors(of: i).contains(where: { mol.atoms[Int($0.atom)].atomicNumber == 1 && mol.atoms[Int($0.atom)].isotope == 0 }) {
                    legal = false
                }
            } else {
                legal = false
                if z == 7 {
                    let hasConjugated = mol.neighbors(of: i).contains { conjugated[Int($0.bond)] }
                    if isSP3(mol, i, conjugated) && !hasConjugated
                        && (mol.rings.isAtom(i, inRingOfSize: 3) || isBridgehead(mol, i)) { legal = true }
                } else if z == 15 || z == 33 {
                    legal = true
                } else if z == 16 || z == 34 {
                    if a.explicitValence == 4 || (a.explicitValence == 3 && a.formalCharge == 1) { legal = true }
                }
            }
        }
        guard legal else { return (false, false) }
        var seen = Set<UInt64>()
        for nb in mol.neighbors(of: i) where mol.bonds[Int(nb.bond)].order != .zero {
            if !seen.insert(classes[Int(nb.atom)]).inserted { return (true, true) }
        }
        return (true, false)
    }

    /// RDKit `atomIsCandidateForRingStereochem`: a ring atom whose ring neighbours include equivalent ones while
    /// its substituents off the ring differ (or a spiro/fused atom with exactly one pair of equivalent ring
    /// neighbours).
    static func isRingStereoCandidate(_ mol: Molecule, _ i: Int, _ classes: [UInt64]) -> Bool {
        let a = mol.atoms[i]
        if a.atomicNumber == 7 && mol.degree(of: i) + a.totalHydrogens == 3 && !mol.rings.isAtom(i, inRingOfSize: 3)
            && !isBridgehead(mol, i) {
            return false
        }
        var nonRing: [UInt64] = [], ring: [UInt64] = []
        for nb in mol.neighbors(of: i) {
            if mol.rings.bondRingCount[Int(nb.bond)] > 0 { ring.append(classes[Int(nb.atom)]) } else { nonRing.append(classes[Int(nb.atom)]) }
        }
        let distinctRing = Set(ring).count
        switch nonRing.count {
        case 2: return nonRing[0] != nonRing[1] && ring.count != distinctRing
        case 1: return ring.count > distinctRing
        case 0: return (ring.count == 4 && distinctRing == 3) || (ring.count == 3 && distinctRing == 2)
        default: return false
        }
    }

    /// RDKit `queryIsAtomBridgehead`: in two rings that share at least one bond besides this atom's (approximated as:
    /// in ≥ 2 rings and ≥ 3 ring bonds).
    static func isBridgehead(_ mol: Molecule, _ i: Int) -> Bool {
        guard mol.rings.atomRingCount[i] >= 2 else { return false }
        return mol.neighbors(of: i).filter { mol.rings.bondRingCount[Int($0.bond)] > 0 }.count >= 3
    }
}
