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
        var a: Int32, b: Int32
        var double = false       // the bond symbol: "" or "="
        var bondIndex: Int32
        @inline(__always) func other(_ i: Int32) -> Int32 { i == a ? b : a }
    }

    /// The graph over token indices (atoms); node and edge lists in insertion order, as selfies' dicts keep them.
    struct Graph {
        var order: [Int32] = []
        var edgesOf: [[Int32]]
        var edges: [Edge] = []
        var edgeSymbol: [String] = []   // original bond symbol per edge (before matching)
        var aromatic: [Bool]
        var aromaticOrder: [Int32] = []
        var inGraph: [Bool]

        init(tokens n: Int) {
            edgesOf = [[Int32]](repeating: [], count: n)
            aromatic = [Bool](repeating: false, count: n)
            inGraph = aromatic
        }
    }

    static func fail(_ m: String) -> MoleculeError { MoleculeError(.selfies, m) }

    static func isAromatic(_ symbol: String) throws -> Bool {
        // Fast path: an unbracketed symbol starting with an upper-case letter ("C", "Cl", "N").
        if let f = symbol.utf8.first, f >= 65 && f <= 90 { return false }
        let bytes = Array(symbol.utf8)
        let range = try elementRange(bytes)
        let first = bytes[range.lowerBound]
        if first >= 65 && first <= 90 { return false }  // upper case
        guard aromaticValence[String(decoding: bytes[range], as: UTF8.self)] != nil else {
            throw fail("unrecognized aromatic symbol '\(symbol)'")
        }
        return true
    }

    static func elementRange(_ bytes: [UInt8]) throws -> Range<Int> {
        do { return try SelfiesGrammar.elementRange(bytes) } catch {
            throw fail("malformed atom '\(String(decoding: bytes, as: UTF8.self))'")
        }
    }

    static func kekulize(_ toks: inout [SelfiesEncoder.Token]) throws {
        var g = Graph(tokens: toks.count)
        var rings: [String: (atom: Int, token: Int)] = [:]
        _ = try build(&g, &toks, &rings, previous: -1, current: -1)
        guard !g.aromaticOrder.isEmpty else { return }
        try prune(&g, toks)
        try assign(&g)
        for i in g.aromaticOrder {
            var bytes = Array(toks[Int(i)].symbol.utf8)
            let r = try elementRange(bytes)
            let c = bytes[r.lowerBound]
            if c >= 97 && c <= 122 { bytes[r.lowerBound] = c - 32 }
            toks[Int(i)].symbol = String(decoding: bytes, as: UTF8.self)
        }
        for node in g.order {
            for e in g.edgesOf[Int(node)] {
                let edge = g.edges[Int(e)]
                let symbol = edge.double ? "=" : ""
                let k = Int(edge.bondIndex)
                toks[k].bond = symbol
                if k > 0 && toks[k - 1].type == .branch { toks[k - 1].bond = symbol }
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
        let aAromatic = g.aromatic[a] ? true : try isAromatic(toks[a].symbol)
        let bAromatic = g.aromatic[b] ? true : try isAromatic(toks[b].symbol)
        func markAromatic(_ i: Int) { if !g.aromatic[i] { g.aromatic[i] = true; g.aromaticOrder.append(Int32(i)) } }
        if aAromatic { markAromatic(a) }
        if bAromatic { markAromatic(b) }
        var symbol = toks[bondIndex].bond
        if symbol == ":" {
            markAromatic(a); markAromatic(b)
            toks[bondIndex].bond = ""
            symbol = ""
        }
        let e = Int32(g.edges.count)
        g.edges.append(Edge(a: Int32(a), b: Int32(b), bondIndex: Int32(bondIndex)))
        g.edgeSymbol.append(symbol)
        if !g.inGraph[a] { g.inGraph[a] = true; g.order.append(Int32(a)) }
        g.edgesOf[a].append(e)
        if !g.inGraph[b] { g.inGraph[b] = true; g.order.append(Int32(b)) }
        g.edgesOf[b].append(e)
    }

    /// `_in_pi_subgraph`: an odd number of free valence electrons.
    static func inPiSubgraph(_ symbol: String, bonds: [String]) throws -> Bool {
        var used = 0, triple = false
        for b in bonds { used += SelfiesGrammar.bondOrder(b); if b == "#" { triple = true } }
        return try inPiSubgraph(symbol, bondCount: bonds.count, usedElectrons: used, hasTriple: triple)
    }

    static func inPiSubgraph(_ symbol: String, bondCount: Int, usedElectrons: Int, hasTriple: Bool) throws -> Bool {
        let parsed: (element: String, hydrogens: Int, charge: Int)
        do { parsed = try SelfiesGrammar.parseAtom(Array(symbol.utf8)) } catch { throw fail("malformed atom '\(symbol)'") }
        var used = usedElectrons
        var h = parsed.hydrogens
        if parsed.element == "c" && h == 0 && parsed.charge == 0 && bondCount == 2 && !hasTriple { h += 1 }
        if h > 1 { throw fail("unrecognized aromatic symbol '\(symbol)'") }
        if h == 1 { used += 1 }
        guard let valence = aromaticValence[parsed.element] else { throw fail("unrecognized aromatic symbol '\(symbol)'") }
        let free = valence - parsed.charge - used
        return free % 2 != 0
    }

    static func prune(_ g: inout Graph, _ toks: [SelfiesEncoder.Token]) throws {
        var keep = [Bool](repeating: false, count: toks.count)
        for node in g.order where g.aromatic[Int(node)] { keep[Int(node)] = true }
        for i in g.aromaticOrder where keep[Int(i)] {
            var used = 0, triple = false
            for e in g.edgesOf[Int(i)] {
                let b = g.edgeSymbol[Int(e)]
                used += SelfiesGrammar.bondOrder(b)
                if b == "#" { triple = true }
            }
            if try !inPiSubgraph(toks[Int(i)].symbol, bondCount: g.edgesOf[Int(i)].count, usedElectrons: used,
                                 hasTriple: triple) {
                keep[Int(i)] = false
            }
        }
        for node in g.order where !keep[Int(node)] { g.edgesOf[Int(node)] = [] }
        g.order = g.order.filter { keep[Int($0)] }
        for node in g.order {
            g.edgesOf[Int(node)] = g.edgesOf[Int(node)].filter {
                let e = g.edges[Int($0)]
                return keep[Int(e.a)] && keep[Int(e.b)] && g.edgeSymbol[Int($0)].isEmpty
            }
        }
    }

    /// `dfs_assign_bonds` state; Python's sets become flags plus undo logs (restoring a saved set = popping the log).
    struct Search {
        var g: Graph
        var visited: [Bool]
        var visitedLog: [Int32] = []
        var matchedNode: [Bool]
        var matchedEdge: [Bool]
        var matchedLog: [Int32] = []
        var steps = 0
        var depth = 0

        init(g: Graph, tokens n: Int) {
            self.g = g
            visited = [Bool](repeating: false, count: n)
            matchedNode = visited
            matchedEdge = [Bool](repeating: false, count: g.edges.count)
        }

        mutating func dfs(_ idx: Int32) throws -> Bool {
            steps += 1
            depth += 1
            defer { depth -= 1 }
            if depth > SelfiesKekulizer.depthLimit { throw SelfiesKekulizer.fail("kekulization search too deep") }
            if steps > SelfiesKekulizer.stepLimit { throw SelfiesKekulizer.fail("kekulization search too long") }
            let i = Int(idx)
            if visited[i] { return true }
            let edges = g.edgesOf[i]
            if matchedNode[i] {
                let saved = visitedLog.count
                visited[i] = true; visitedLog.append(idx)
                for e in edges {
                    if try !dfs(g.edges[Int(e)].other(idx)) {
                        while visitedLog.count > saved { visited[Int(visitedLog.removeLast())] = false }
                        return false
                    }
                }
                return true
            }
            let candidates = edges.filter { !matchedNode[Int(g.edges[Int($0)].other(idx))] }
            if candidates.isEmpty { return false }
            let saved = matchedLog.count
            for e in candidates {
                let edge = g.edges[Int(e)]
                matchedNode[Int(edge.a)] = true
                matchedNode[Int(edge.b)] = true
                matchedEdge[Int(e)] = true; matchedLog.append(e)
                if try dfs(idx) {
                    g.edges[Int(e)].double = true
                    return true
                }
                while matchedLog.count > saved {
                    let f = Int(matchedLog.removeLast())
                    matchedEdge[f] = false
                    g.edges[f].double = false
                    matchedNode[Int(g.edges[f].a)] = false
                    matchedNode[Int(g.edges[f].b)] = false
                }
            }
            return false
        }
    }

    static func assign(_ g: inout Graph) throws {
        // Fast rejection: no perfect matching means the search below must fail.
        var local = [Int32](repeating: -1, count: g.inGraph.count)
        for (k, node) in g.order.enumerated() { local[Int(node)] = Int32(k) }
        var adjacency = [[Int32]](repeating: [], count: g.order.count)
        for (k, node) in g.order.enumerated() {
            for e in g.edgesOf[Int(node)] { adjacency[k].append(local[Int(g.edges[Int(e)].other(node))]) }
        }
        var mm = MaximumMatching(adjacency: adjacency)
        if mm.solve() != g.order.count { throw fail("kekulization algorithm failed") }

        let ends = g.order.filter { g.edgesOf[Int($0)].count <= 1 }
        let middles = g.order.filter { g.edgesOf[Int($0)].count > 1 }
        var search = Search(g: g, tokens: g.inGraph.count)
        // selfies passes fresh matched sets to each top-level call; a successful call visits its whole component,
        // so later calls start in other components and never see earlier matches: no reset is needed.
        for i in ends + middles {
            if try !search.dfs(i) { throw fail("kekulization algorithm failed") }
        }
        g = search.g
    }
}
