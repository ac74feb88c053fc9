/// What one token of a molecule's sequence writes: an atom, the bond between two atoms, or nothing of the graph.
///
/// This is how graph-level choices (atoms matched by a substructure, atoms of an element) become token positions.
public enum TokenRole: Equatable, Sendable {
    /// The token is atom `index` (atoms numbered in the order the sequence writes them, which is the SMILES order).
    /// An atom token also carries the bond to the atom before it (`[=C]`, or `=` being a separate SMILES token).
    case atom(Int)
    /// A structural token that writes the bond between two atoms: a SELFIES branch or ring symbol and its index
    /// symbols, or a SMILES bond symbol, ring-closure digit or parenthesis.
    case bond(Int, Int)
    /// Separators and anything else that belongs to no atom (`.`, `>>`).
    case other

    /// The atoms the token is about.
    public var atoms: [Int] {
        switch self {
        case .atom(let a): return [a]
        case .bond(let a, let b): return [a, b]
        case .other: return []
        }
    }
}

/// The role of every token of a SELFIES string as selfies 1.0.4's encoder writes it (docs/chemistry.md §6).
///
/// Grammar walked: an atom symbol adds the next atom, bonded to the previous atom of the current chain; a branch
/// symbol `[Branch<L>_<b>]` is followed by `L` index symbols spelling `N` (base 16, alphabet of selfies 1.0.4), and
/// the next `N + 1` symbols are the branch, whose first atom bonds to the current atom; a ring symbol `[Ring<L>]` /
/// `[Expl<bond>Ring<L>]` with `L` index symbols spelling `N` bonds the current atom to the atom `N + 1` places before
/// it (within the fragment); `.` starts a new fragment.
public enum SELFIESRoles {
    /// selfies 1.0.4's index alphabet (`grammar_rules.py`, Apache-2.0): the value of an index symbol is its position.
    static let indexAlphabet = ["[C]", "[Ring1]", "[Ring2]", "[Branch1_1]", "[Branch1_2]", "[Branch1_3]", "[Branch2_1]",
                                "[Branch2_2]", "[Branch2_3]", "[O]", "[N]", "[=N]", "[=C]", "[#C]", "[S]", "[P]"]
    static let indexValue: [String: Int] = Dictionary(uniqueKeysWithValues: indexAlphabet.enumerated().map { ($1, $0) })

    /// The roles of `symbols` (the tokens of one SELFIES string), and the number of atoms.
    /// - Throws: `InferenceError` when the symbols are not what the encoder writes (a branch or ring running past the
    ///   end, a ring reaching before its fragment).
    public static func roles(of symbols: [String]) throws(InferenceError) -> (roles: [TokenRole], atomCount: Int) {
        var roles = [TokenRole](repeating: .other, count: symbols.count)
        var atomCount = 0
        var fragmentStart = 0
        var i = 0
        while i < symbols.count {
            if symbols[i] == "." {
                i += 1
                fragmentStart = atomCount
                continue
            }
            var end = i
            while end < symbols.count && symbols[end] != "." { end += 1 }
            try walk(symbols, i..<end, anchor: nil, fragmentStart: fragmentStart, roles: &roles, atomCount: &atomCount)
            i = end
        }
        return (roles, atomCount)
    }

    /// Walks one chain (a fragment or a branch); `anchor` is the atom the chain's first atom bonds to.
    static func walk(_ s: [String], _ range: Range<Int>, anchor: Int?, fragmentStart: Int, roles: inout [TokenRole],
                     atomCount: inout Int) throws(InferenceError) {
        var previous = anchor
        var i = range.lowerBound
        while i < range.upperBound {
            let symbol = s[i]
            if let length = branchIndexLength(symbol) {
                let indices = i + 1..<(i + 1 + length)
                guard indices.upperBound <= range.upperBound, let current = previous else {
                    throw InferenceError("branch symbol \(symbol) at token \(i + 1) without an atom before it or its index")
                }
                let n = number(s[indices])
                let branch = indices.upperBound..<(indices.upperBound + n + 1)
                guard branch.upperBound <= range.upperBound else {
                    throw InferenceError("branch at token \(i + 1) runs past the end of its chain")
                }
                let first = atomCount
                try walk(s, branch, anchor: current, fragmentStart: fragmentStart, roles: &roles, atomCount: &atomCount)
                for k in i..<indices.upperBound { roles[k] = .bond(current, first) }
                i = branch.upperBound
            } else if let length = ringIndexLength(symbol) {
                let indices = i + 1..<(i + 1 + length)
                guard indices.upperBound <= range.upperBound, let current = previous else {
                    throw InferenceError("ring symbol \(symbol) at token \(i + 1) without an atom before it or its index")
                }
                let partner = current - (number(s[indices]) + 1)
                guard partner >= fragmentStart else {
                    throw InferenceError("ring symbol at token \(i + 1) reaches before the start of its molecule")
                }
                for k in i..<indices.upperBound { roles[k] = .bond(partner, current) }
                i = indices.upperBound
            } else {
                roles[i] = .atom(atomCount)
                previous = atomCount
                atomCount += 1
                i += 1
            }
        }
    }

    /// `L` of `[Branch<L>_<b>]`.
    static func branchIndexLength(_ symbol: String) -> Int? {
        let b = Array(symbol.utf8)
        guard b.count == 11, symbol.hasPrefix("[Branch"), b[8] == UInt8(ascii: "_"), b[10] == UInt8(ascii: "]"),
              (UInt8(ascii: "1")...UInt8(ascii: "3")).contains(b[7]) else { return nil }
        return Int(b[7] - UInt8(ascii: "0"))
    }

    /// `L` of `[Ring<L>]` or `[Expl<bond>Ring<L>]`.
    static func ringIndexLength(_ symbol: String) -> Int? {
        guard symbol.hasSuffix("]"), symbol.hasPrefix("[Ring") || symbol.hasPrefix("[Expl") else { return nil }
        let b = Array(symbol.utf8)
        guard b.count >= 7, (UInt8(ascii: "1")...UInt8(ascii: "3")).contains(b[b.count - 2]),
              symbol.dropLast(2).hasSuffix("Ring") else { return nil }
        return Int(b[b.count - 2] - UInt8(ascii: "0"))
    }

    static func number(_ symbols: ArraySlice<String>) -> Int {
        symbols.reduce(0) { $0 * 16 + (indexValue[$1] ?? 0) }
    }
}

/// The role of every token of a SMILES string split by the RT's SMILES regex (docs/rt-text-format.md §3.1).
///
/// Atom tokens (bracket atoms, organic-subset and aromatic symbols, `*`) are numbered in order. A bond symbol writes
/// the bond between the current atom and the next atom, or — directly before a ring digit — the ring bond; a ring
/// digit (`1`, `%12`, `%(123)`) writes the bond between the atoms that open and close it (both occurrences); a
/// parenthesis writes the bond between the atom before `(` and the first atom of the branch (both `(` and its `)`).
public enum SMILESRoles {
    static let atomTokens: Set<String> = ["B", "Br", "C", "Cl", "N", "O", "S", "P", "F", "I", "b", "c", "n", "o", "s",
                                          "p", "*"]
    static let bondTokens: Set<String> = ["-", "=", "#", "$", ":", "/", "\\", "~"]

    public static func roles(of tokens: [String]) throws(InferenceError) -> (roles: [TokenRole], atomCount: Int) {
        var roles = [TokenRole](repeating: .other, count: tokens.count)
        var atomCount = 0
        var previous: Int? = nil
        var branches: [(anchor: Int, open: Int)] = []
        var openRings: [String: (atom: Int, positions: [Int])] = [:]
        var pendingBonds: [Int] = []  // bond-symbol positions waiting for the next atom
        var openedBranch: (position: Int, anchor: Int)? = nil  // a `(` waiting for the branch's first atom
        for (i, token) in tokens.enumerated() {
            if atomTokens.contains(token) || (token.hasPrefix("[") && token.hasSuffix("]")) {
                if let p = previous { for k in pendingBonds { roles[k] = .bond(p, atomCount) } }
                pendingBonds = []
                if let open = openedBranch { roles[open.position] = .bond(open.anchor, atomCount) }
                openedBranch = nil
                roles[i] = .atom(atomCount)
                previous = atomCount
                atomCount += 1
            } else if bondTokens.contains(token) {
                pendingBonds.append(i)
            } else if token.first?.isNumber == true || token.hasPrefix("%") {
                guard let current = previous else {
                    throw InferenceError("ring-closure digit '\(token)' at token \(i + 1) without an atom before it")
                }
                if let open = openRings.removeValue(forKey: token) {
                    for k in open.positions + pendingBonds + [i] { roles[k] = .bond(open.atom, current) }
                } else {
                    openRings[token] = (current, pendingBonds + [i])
                }
                pendingBonds = []
            } else if token == "(" {
                guard let current = previous else {
                    throw InferenceError("'(' at token \(i + 1) without an atom before it")
                }
                branches.append((current, i))
                openedBranch = (i, current)
            } else if token == ")" {
                guard let branch = branches.popLast() else { throw InferenceError("unmatched ')' at token \(i + 1)") }
                roles[i] = roles[branch.open]
                previous = branch.anchor
            } else {
                // `.`, `>`, `>>`, `+`, `@`, `?`, `|`, tags: no atom, and the next atom starts a new chain.
                if token == "." || token.hasPrefix(">") { previous = nil }
                pendingBonds = []
            }
        }
        guard openRings.isEmpty else { throw InferenceError("ring-closure digit(s) \(openRings.keys.sorted()) never closed") }
        guard branches.isEmpty else { throw InferenceError("unclosed '('") }
        return (roles, atomCount)
    }
}
