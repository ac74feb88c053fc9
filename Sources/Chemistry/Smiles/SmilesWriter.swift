/// Writes SMILES from a sanitized molecule: aromatic atoms in lower case, brackets only where the reader would
/// not recover the atom (charge, isotope, radicals, atom class, elements outside the organic subset, or a total H
/// count different from the implicit one), `-` only between aromatic atoms, ring-closure digits reused after
/// closing. Non-isomeric: chirality and `/` `\` are not written.
///
/// The traversal is fixed by `ranks`: each fragment starts at its lowest-ranked atom and neighbours are visited
/// in rank order (the last child continues the chain, the others become branches). With canonical ranks this is
/// the canonical SMILES; with any other permutation it is one of the many SMILES of the molecule.
public enum SmilesWriter {
    public static func smiles(_ mol: Molecule, ranks: [Int32]) -> String {
        let n = mol.atomCount
        guard n > 0 else { return "" }
        // Pass 1: DFS tree and ring closures.
        var visited = [Bool](repeating: false, count: n)
        var children = [[Int32]](repeating: [], count: n)       // tree children in visiting order
        var closesHere = [[Int32]](repeating: [], count: n)     // ring bonds closed at this atom
        var opensHere = [[Int32]](repeating: [], count: n)      // ring bonds opened at this atom
        var usedBond = [Bool](repeating: false, count: mol.bondCount)
        var roots: [Int32] = []
        let atomOrder = (0 ..< Int32(n)).sorted { ranks[Int($0)] < ranks[Int($1)] }
        var sortedNeighbors = [[Molecule.Neighbor]](repeating: [], count: n)
        for i in 0 ..< n {
            sortedNeighbors[i] = mol.neighbors(of: i).sorted { ranks[Int($0.atom)] < ranks[Int($1.atom)] }
        }
        var stack: [(atom: Int32, next: Int)] = []
        for root in atomOrder where !visited[Int(root)] {
            roots.append(root)
            visited[Int(root)] = true
            stack.append((root, 0))
            while !stack.isEmpty {
                let top = stack.count - 1
                let v = Int(stack[top].atom)
                if stack[top].next >= sortedNeighbors[v].count { stack.removeLast(); continue }
                let nb = sortedNeighbors[v][stack[top].next]
                stack[top].next += 1
                let b = Int(nb.bond)
                if usedBond[b] { continue }
                usedBond[b] = true
                let w = Int(nb.atom)
                if visited[w] {
                    opensHere[w].append(nb.bond)
                    closesHere[v].append(nb.bond)
                } else {
                    visited[w] = true
                    children[v].append(nb.atom)
                    stack.append((nb.atom, 0))
                }
            }
        }
        // Pass 2: write.
        var out = ""
        out.reserveCapacity(n * 3)
        var digitOfBond = [Int: Int]()
        var inUse = [Bool](repeating: false, count: 100)
        enum Action { case atom(Int32), text(String) }
        var actions: [Action] = []
        for (r, root) in roots.enumerated() {
            if r > 0 { out += "." }
            actions.append(.atom(root))
            while let action = actions.popLast() {
                switch action {
                case .text(let t):
                    out += t
                case .atom(let a):
                    let v = Int(a)
                    out += atomText(mol, v)
                    var toFree: [Int] = []
                    for b in closesHere[v] {
                        let bond = mol.bonds[Int(b)]
                        let d = digitOfBond[Int(b)] ?? 1
                        out += bondText(mol, bond, from: v, to: Int(bond.other(a))) + digitText(d)
                        toFree.append(d)
                    }
                    for b in opensHere[v] {
                        var d = 1
                        while d < 100 && inUse[d] { d += 1 }
                        if d >= 100 { d = 99 }  // > 99 simultaneous ring bonds: not representable
                        inUse[d] = true
                        digitOfBond[Int(b)] = d
                        let bond = mol.bonds[Int(b)]
                        out += bondText(mol, bond, from: v, to: Int(bond.other(a))) + digitText(d)
                    }
                    for d in toFree { inUse[d] = false }
                    let kids = children[v]
                    // Pushed in reverse: branches "(" bond child ")" for all but the last child.
                    for (k, w) in kids.enumerated().reversed() {
                        let bond = mol.bond(between: v, Int(w)).map { bondText(mol, mol.bonds[$0], from: v, to: Int(w)) } ?? ""
                        if k < kids.count - 1 { actions.append(.text(")")) }
                        actions.append(.atom(w))
                        if !bond.isEmpty { actions.append(.text(bond)) }
                        if k < kids.count - 1 { actions.append(.text("(")) }
                    }
                }
            }
        }
        return out
    }

    static func digitText(_ d: Int) -> String { d < 10 ? String(d) : "%" + String(d) }

    static func bondText(_ mol: Molecule, _ b: Bond, from: Int, to: Int) -> String {
        let aromaticEnds = mol.atoms[from].isAromatic && mol.atoms[to].isAromatic
        switch b.order {
        case .single: return aromaticEnds ? "-" : ""
        case .aromatic: return aromaticEnds ? "" : ":"
        case .double: return "="
        case .triple: return "#"
        case .quadruple: return "$"
        case .dative:
            return Int(b.begin) == from ? "->" : "<-"
        case .zero: return "~"
        }
    }

    static let organic: Set<UInt8> = [5, 6, 7, 8, 9, 15, 16, 17, 35, 53]
    static let aromaticOrganic: Set<UInt8> = [5, 6, 7, 8, 15, 16]

    /// H count the reader would give the atom if written without brackets.
    static func unbracketedHydrogens(_ mol: Molecule, _ i: Int) -> Int {
        var atom = mol.atoms[i]
        atom.explicitHydrogens = 0
        atom.noImplicit = false
        atom.radicalElectrons = 0
        guard let ev = try? Valence.explicitValence(mol, i, strict: false, as: atom),
              let ih = try? Valence.implicitHydrogens(mol, i, explicitValence: ev, strict: false, as: atom) else { return -1 }
        return ih
    }

    static func atomText(_ mol: Molecule, _ i: Int) -> String {
        let a = mol.atoms[i]
        let z = a.atomicNumber
        if z == 0 && a.isotope == 0 && a.formalCharge == 0 && a.totalHydrogens == 0 && a.atomClass == 0 { return "*" }
        let plain = a.formalCharge == 0 && a.isotope == 0 && a.atomClass == 0 && a.radicalElectrons == 0
            && (a.isAromatic ? aromaticOrganic.contains(z) : organic.contains(z))
        if plain && unbracketedHydrogens(mol, i) == a.totalHydrogens {
            let s = PeriodicTable.symbol(Int(z))
            return a.isAromatic ? s.lowercased() : s
        }
        var t = "["
        if a.isotope > 0 { t += String(a.isotope) }
        t += z == 0 ? "*" : (a.isAromatic ? PeriodicTable.symbol(Int(z)).lowercased() : PeriodicTable.symbol(Int(z)))
        let h = a.totalHydrogens
        if h == 1 { t += "H" } else if h > 1 { t += "H" + String(h) }
        let c = Int(a.formalCharge)
        if c == 1 { t += "+" } else if c == -1 { t += "-" } else if c > 1 { t += "+" + String(c) } else if c < -1 { t += String(c) }
        if a.atomClass > 0 { t += ":" + String(a.atomClass) }
        return t + "]"
    }
}

extension Molecule {
    /// Canonical SMILES (our own canonical form, non-isomeric): equal for every way of writing the molecule.
    ///
    /// An H atom kept in the graph only because it carried `/` or `\` (double-bond geometry) is folded into its
    /// neighbour first, since the non-isomeric form does not write bond directions.
    public var canonicalSmiles: String {
        let molecule = withoutDirectionalHydrogens
        return SmilesWriter.smiles(molecule, ranks: CanonicalRanking.ranks(molecule))
    }

    /// `canonicalSmiles`, or an error when ranking the atoms would take more than `workLimit` atom visits
    /// (`CanonicalRanking.defaultWorkLimit` keeps a pathological input to a second or two).
    /// - Throws: `MoleculeError` (`.limit`).
    public func canonicalSmiles(workLimit: Int) throws(MoleculeError) -> String {
        let molecule = withoutDirectionalHydrogens
        return SmilesWriter.smiles(molecule, ranks: try CanonicalRanking.ranks(molecule, workLimit: workLimit))
    }

    /// The molecule with H atoms that are graph atoms only because they carry `/` or `\` folded into their
    /// neighbours (the non-isomeric canonical form does not write bond directions).
    private var withoutDirectionalHydrogens: Molecule {
        if atoms.contains(where: { $0.atomicNumber == 1 }) && bonds.contains(where: { $0.direction != .none }) {
            let plain = SmilesWriter.smiles(self, ranks: (0 ..< Int32(atomCount)).map { $0 })
            if let reread = try? Molecule(smiles: plain), reread.atomCount < atomCount { return reread }
        }
        return self
    }
}
