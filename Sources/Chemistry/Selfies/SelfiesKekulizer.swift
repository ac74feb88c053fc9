/// The Kekulé step of the selfies 1.0.4 encoder (`selfies/kekulize.py`), reproduced exactly because its choice of
/// double bonds decides the SELFIES string (it is not RDKit's Kekulé structure).
///
/// The SMILES tokens are turned into a graph; aromatic atoms (lower-case, or joined by `:`) that have an odd
/// number of free valence electrons form the π subgraph (a bare `c` with two bonds gets an implied H), keeping
/// only unmarked bonds between them. A depth-first matching visits nodes with at most one edge first, then the
/// rest in SMILES order, edges in insertion order; the first perfect matching found becomes the double bonds.
/// Aromatic symbols are capitalised. A maximum-matching pre-check and a step cap keep hostile inputs from
/// running exponentially long (both only ever reject inputs that selfies also rejects or would not finish).
enum SelfiesKekulizer {
    static let aromaticValence: [String: Int] = ["b": 3, "al": 3, "c": 4, "si": 4, "n": 5, "p": 5, "as": 5, "o": 6,
                                                 "s": 6, "se": 6, "te": 6]
    static let stepLimit = 200_000
    /// Recursion limit of the search and of branch nesting (selfies, being Python, stops near 1,000 frames too).
    static let depthLimit = 1_000

    struct Edge {
        var a: Int, b: Int
        var symbol: String
        var bondIndex: Int
        func other(_ i: Int) -> Int { i == a ? b : a }
    }

    struct Graph {
        var order: [Int] = []          // node insertion order
        var edgesOf: [Int: [Int]] = [:]
        var edges: [Edge] = []
        var aromatic = Set<Int>()
        var aromaticOrder: [Int] = []
    }

    static func fail(_ m: String) -> MoleculeError { MoleculeError(.selfies, m) }

    static func isAromatic(_ symbol: String) throws -> Bool {
        let chars = Array(symbol)
        let range = try elementRange(chars)
        let element = String(chars[range])
        guard let f = element.first, !f.isUppercase else { return false }
        guard aromaticValence[element] != nil else { throw fail("unrecognized aromatic symbol '\(symbol)'") }
        return true
    }

    static func elementRange(_ chars: [Character]) throws -> Range<Int> {
        do { return try SelfiesGrammar.elementRange(chars) } catch { throw fail("malformed atom '\(String(chars))'") }
    }

    static func kekulize(_ toks: inout [SelfiesEncoder.Token]) throws {
        var g = Graph()
        var rings: [String: (atom: Int, token: Int)] = [:]
        _ = try build(&g, &toks, &rings, previous: -1, current: -1)
        guard !g.aromatic.isEmpty else { return }
        try prune(&g, toks)
        try assign(&g)
        for i in g.aromaticOrder {
            var chars = Array(toks[i].symbol)
            let r = try elementRange(chars)
            chars[r.lowerBound] = Character(chars[r.lowerBound].uppercased())
            toks[i].symbol = String(chars)
        }
        for node in g.order {
            for e in g.edgesOf[node] ?? [] {
                let edge = g.edges[e]
                toks[edge.bondIndex].bond = edge.symbol
                if edge.bondIndex > 0 && toks[edge.bondIndex - 1].type == .branch {
                    toks[edge.bondIndex - 1].bond = edge.symbol
                }
            }
        }
    }

    /// `_build_molecular_graph`.
    static func build(_ g: inout Graph, _ toks: inout [SelfiesEncoder.Token], _ rings: inout [String: (atom: Int, token: Int)],
                      previous prev0: Int, current cur0: Int, depth: Int = 0) throws -> Int {
        if depth > depthLimit { throw fail("branches nested too deeply") }
        var previous = prev0, current = cur0
        while current + 1 < toks.count {
            current += 1
            let t = toks[current]
            switch t.type {
            case .atom:
                if previous >= 0 { try addBond(&g, &toks, previous, current, current) }
                previous = current
            case .branch:
                if t.symbol == "(" {
                    current = try build(&g, &toks, &rings, previous: previous, current: current, depth: depth + 1)
                } else {
                    return current
                }
            case .ring:
                if let open = rings.removeValue(forKey: t.symbol) {
                    guard open.atom >= 0, previous >= 0 else { throw fail("ring closure without an atom") }
                    let bondIndex: Int
                    if !toks[open.token].bond.isEmpty {
                        bondIndex = open.token
                        toks[current].bond = ""
                    } else {
                        bondIndex = current
                        toks[open.token].bond = ""
                    }
                    try addBond(&g, &toks, open.atom, previous, bondIndex)
                } else {
                    rings[t.symbol] = (previous, current)
                }
            }
        }
        return current
    }

    static func addBond(_ g: inout Graph, _ toks: inout [SelfiesEncoder.Token], _ a: Int, _ b: Int, _ bondIndex: Int) throws {
        let aAromatic = g.aromatic.contains(a) ? true : try isAromatic(toks[a].symbol)
        let bAromatic = g.aromatic.contains(b) ? true : try isAromatic(toks[b].symbol)
        func markAromatic(_ i: Int) { if g.aromatic.insert(i).inserted { g.aromaticOrder.append(i) } }
        if aAromatic { markAromatic(a) }
        if bAromatic { markAromatic(b) }
        var symbol = toks[bondIndex].bond
        if symbol == ":" {
            markAromatic(a); markAromatic(b)
            toks[bondIndex].bond = ""
            symbol = ""
        }
        let e = g.edges.count
        g.edges.append(Edge(a: a, b: b, symbol: symbol, bondIndex: bondIndex))
        for node in [a, b] {
            if g.edgesOf[node] == nil { g.edgesOf[node] = []; g.order.append(node) }
            g.edgesOf[node]!.append(e)
        }
    }

    /// `_in_pi_subgraph`: an odd number of free valence electrons.
    static func inPiSubgraph(_ symbol: String, bonds: [String]) throws -> Bool {
        let parsed: (element: String, hydrogens: Int, charge: Int)
        do { parsed = try SelfiesGrammar.parseAtom(Array(symbol)) } catch { throw fail("malformed atom '\(symbol)'") }
        var used = 0
        for b in bonds { used += SelfiesGrammar.bondOrder(b) }
        var h = parsed.hydrogens
        if parsed.element == "c" && h == 0 && parsed.charge == 0 && bonds.count == 2 && !bonds.contains("#") { h += 1 }
        if h > 1 { throw fail("unrecognized aromatic symbol '\(symbol)'") }
        if h == 1 { used += 1 }
        guard let valence = aromaticValence[parsed.element] else { throw fail("unrecognized aromatic symbol '\(symbol)'") }
        let free = valence - parsed.charge - used
        return free % 2 != 0
    }

    static func prune(_ g: inout Graph, _ toks: [SelfiesEncoder.Token]) throws {
        var keep = Set<Int>()
        for node in g.order where g.aromatic.contains(node) { keep.insert(node) }
        for i in g.aromaticOrder where keep.contains(i) {
            let bonds = (g.edgesOf[i] ?? []).map { g.edges[$0].symbol }
            if try !inPiSubgraph(toks[i].symbol, bonds: bonds) { keep.remove(i) }
        }
        g.order = g.order.filter { keep.contains($0) }
        var pruned: [Int: [Int]] = [:]
        for node in g.order {
            pruned[node] = (g.edgesOf[node] ?? []).filter {
                let e = g.edges[$0]
                return keep.contains(e.a) && keep.contains(e.b) && e.symbol.isEmpty
            }
        }
        g.edgesOf = pruned
    }

    struct Search {
        var g: Graph
        var visited = Set<Int>()
        var matchedNodes = Set<Int>()
        var matchedEdges = Set<Int>()
        var steps = 0
        var depth = 0

        /// `dfs_assign_bonds`, literally.
        mutating func dfs(_ idx: Int) throws -> Bool {
            steps += 1
            depth += 1
            defer { depth -= 1 }
            if depth > SelfiesKekulizer.depthLimit { throw SelfiesKekulizer.fail("kekulization search too deep") }
            if steps > SelfiesKekulizer.stepLimit { throw SelfiesKekulizer.fail("kekulization search too long") }
            if visited.contains(idx) { return true }
            let edges = g.edgesOf[idx] ?? []
            if matchedNodes.contains(idx) {
                let saved = visited
                visited.insert(idx)
                for e in edges {
                    if try !dfs(g.edges[e].other(idx)) {
                        visited.formIntersection(saved)
                        return false
                    }
                }
                return true
            }
            let candidates = edges.filter { !matchedNodes.contains(g.edges[$0].other(idx)) }
            if candidates.isEmpty { return false }
            let savedEdges = matchedEdges
            for e in candidates {
                matchedNodes.insert(g.edges[e].a)
                matchedNodes.insert(g.edges[e].b)
                matchedEdges.insert(e)
                if try dfs(idx) {
                    g.edges[e].symbol = "="
                    return true
                }
                for f in matchedEdges.subtracting(savedEdges) {
                    g.edges[f].symbol = ""
                    matchedNodes.remove(g.edges[f].a)
                    matchedNodes.remove(g.edges[f].b)
                }
                matchedEdges.formIntersection(savedEdges)
            }
            return false
        }
    }

    static func assign(_ g: inout Graph) throws {
        // Fast rejection: no perfect matching means the search below must fail.
        var local: [Int: Int32] = [:]
        for (k, node) in g.order.enumerated() { local[node] = Int32(k) }
        var adjacency = [[Int32]](repeating: [], count: g.order.count)
        for (k, node) in g.order.enumerated() {
            for e in g.edgesOf[node] ?? [] { adjacency[k].append(local[g.edges[e].other(node)]!) }
        }
        var mm = MaximumMatching(adjacency: adjacency)
        if mm.solve() != g.order.count { throw fail("kekulization algorithm failed") }

        let ends = g.order.filter { (g.edgesOf[$0]?.count ?? 0) <= 1 }
        let middles = g.order.filter { (g.edgesOf[$0]?.count ?? 0) > 1 }
        var search = Search(g: g)
        for i in ends + middles {
            search.matchedNodes = []
            search.matchedEdges = []
            if try !search.dfs(i) { throw fail("kekulization algorithm failed") }
        }
        g = search.g
    }
}
