/// The cycle basis networkx's `cycle_basis` (3.x, Paton's algorithm) finds on a molecule's graph, built as JT-VAE
/// and MOSES build it: `nx.Graph(Chem.GetAdjacencyMatrix(mol))` (nodes in atom order, neighbours ascending).
///
/// It is a fundamental cycle basis of a DFS-like spanning tree, not a minimum one: for fused systems it can
/// return a cycle around two rings. The penalised-logP ring penalty of JT-VAE uses its largest cycle, so it is
/// reproduced step by step: roots are taken from the highest unvisited atom index; a stack walk pushes
/// neighbours in ascending order; a non-tree edge closes the cycle through the predecessor chain.
public enum CycleBasis {
    /// Cycles (atom indices) in the order networkx returns them.
    public static func cycles(_ molecule: Molecule) -> [[Int]] {
        let n = molecule.atomCount
        var neighbors = [[Int]](repeating: [], count: n)
        for i in 0 ..< n {
            neighbors[i] = molecule.neighbors(of: i).map { Int($0.atom) }.sorted()
        }
        var visited = [Bool](repeating: false, count: n)
        var cycles: [[Int]] = []
        var pred = [Int](repeating: -1, count: n)
        // networkx's `used[v]`: the neighbours through which v was reached or closed a cycle (small lists).
        var reached = [Bool](repeating: false, count: n)
        var used = [[Int]](repeating: [], count: n)
        var remaining = n - 1
        while remaining >= 0 {
            while remaining >= 0 && visited[remaining] { remaining -= 1 }
            guard remaining >= 0 else { break }
            let root = remaining
            var stack = [root]
            pred[root] = root
            reached[root] = true
            var component = [root]
            while let z = stack.popLast() {
                for nbr in neighbors[z] {
                    if !reached[nbr] {
                        pred[nbr] = z
                        stack.append(nbr)
                        reached[nbr] = true
                        used[nbr] = [z]
                        component.append(nbr)
                    } else if nbr == z {
                        cycles.append([z])
                    } else if !used[z].contains(nbr) {
                        var cycle = [nbr, z]
                        var p = pred[z]
                        while !used[nbr].contains(p) {
                            cycle.append(p)
                            p = pred[p]
                        }
                        cycle.append(p)
                        cycles.append(cycle)
                        used[nbr].append(z)
                    }
                }
            }
            for a in component { visited[a] = true }
        }
        return cycles
    }

    /// Size of the largest cycle of the basis (0 for an acyclic molecule).
    /// Every bond counts (dative and zero-order ones too: `GetAdjacencyMatrix` lists them).
    public static func largestCycle(_ molecule: Molecule) -> Int {
        guard molecule.bondCount >= molecule.atomCount || molecule.bondCount > 2 else { return 0 }
        return cycles(molecule).reduce(0) { max($0, $1.count) }
    }
}
