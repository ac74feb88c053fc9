/// Maximum matching in a general graph (Edmonds' blossom algorithm, BFS form), used to find Kekulé structures:
/// atoms that need a double bond are matched along aromatic bonds. Starts from a greedy matching, so a typical
/// aromatic system needs no augmentation at all.
struct MaximumMatching {
    /// `adjacency[v]` lists the neighbours of vertex v.
    let adjacency: [[Int32]]
    /// `mate[v]` = matched partner or −1.
    private(set) var mate: [Int32]
    private var parent: [Int32], base: [Int32]
    private var used: [Bool], blossom: [Bool], lcaMark: [Bool]
    private var queue: [Int32] = []

    init(adjacency: [[Int32]]) {
        let n = adjacency.count
        self.adjacency = adjacency
        mate = [Int32](repeating: -1, count: n)
        parent = mate; base = mate
        used = [Bool](repeating: false, count: n); blossom = used; lcaMark = used
    }

    /// Computes a maximum matching; returns the number of matched vertices. With `required`, only required
    /// vertices start augmenting paths and the greedy start pairs required vertices only, so optional vertices
    /// are used just to cover required ones (augmenting never unmatches a vertex).
    mutating func solve(required: [Bool]? = nil) -> Int {
        let n = adjacency.count
        let isRequired: (Int) -> Bool = { required?[$0] ?? true }
        // Greedy start: vertices with fewest options first.
        let order = (0 ..< n).sorted { (adjacency[$0].count, $0) < (adjacency[$1].count, $1) }
        for v in order where mate[v] < 0 && isRequired(v) {
            for w in adjacency[v] where mate[Int(w)] < 0 && isRequired(Int(w)) {
                mate[v] = w; mate[Int(w)] = Int32(v); break
            }
        }
        for v in 0 ..< n where mate[v] < 0 && !adjacency[v].isEmpty && isRequired(v) {
            var u = findAugmentingPath(from: v)
            while u >= 0 {
                let pv = parent[Int(u)], ppv = mate[Int(pv)]
                mate[Int(u)] = pv; mate[Int(pv)] = u
                u = ppv
            }
        }
        return mate.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
    }

    private mutating func lca(_ a0: Int32, _ b0: Int32) -> Int32 {
        for i in lcaMark.indices { lcaMark[i] = false }
        var a = a0
        while true {
            a = base[Int(a)]
            lcaMark[Int(a)] = true
            if mate[Int(a)] < 0 { break }
            a = parent[Int(mate[Int(a)])]
        }
        var b = b0
        while true {
            b = base[Int(b)]
            if lcaMark[Int(b)] { return b }
            b = parent[Int(mate[Int(b)])]
        }
    }

    private mutating func markPath(_ v0: Int32, _ b: Int32, _ child0: Int32) {
        var v = v0, child = child0
        while base[Int(v)] != b {
            blossom[Int(base[Int(v)])] = true
            blossom[Int(base[Int(mate[Int(v)])])] = true
            parent[Int(v)] = child
            child = mate[Int(v)]
            v = parent[Int(mate[Int(v)])]
        }
    }

    private mutating func findAugmentingPath(from root: Int) -> Int32 {
        let n = adjacency.count
        for i in 0 ..< n { used[i] = false; parent[i] = -1; base[i] = Int32(i) }
        used[root] = true
        queue.removeAll(keepingCapacity: true)
        queue.append(Int32(root))
        var qi = 0
        while qi < queue.count {
            let v = queue[qi]; qi += 1
            for to in adjacency[Int(v)] {
                if base[Int(v)] == base[Int(to)] || mate[Int(v)] == to { continue }
                if Int(to) == root || (mate[Int(to)] >= 0 && parent[Int(mate[Int(to)])] >= 0) {
                    let cur = lca(v, to)
                    for i in 0 ..< n { blossom[i] = false }
                    markPath(v, cur, to)
                    markPath(to, cur, v)
                    for i in 0 ..< n where blossom[Int(base[i])] {
                        base[i] = cur
                        if !used[i] { used[i] = true; queue.append(Int32(i)) }
                    }
                } else if parent[Int(to)] < 0 {
                    parent[Int(to)] = v
                    if mate[Int(to)] < 0 { return to }
                    let to2 = mate[Int(to)]
                    used[Int(to2)] = true
                    queue.append(to2)
                }
            }
        }
        return -1
    }
}
