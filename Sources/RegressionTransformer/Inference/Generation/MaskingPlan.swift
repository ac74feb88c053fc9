import Chemistry

/// Which tokens of a seed may be masked, must be masked or must stay, as GT4SD's `sampling_wrapper` decides it
/// (docs/inference.md §5.3), on the molecular graph.
public struct MaskingRequest: Equatable, Sendable {
    /// Share of the maskable tokens replaced by `[MASK]` in each generated sample (GT4SD default 0.2).
    public var fraction: Double
    /// Element symbols (any case: `C`, `n`, `Cl`); when given only atoms of these elements are maskable. GT4SD's
    /// `tokens_to_mask`, which also adds the `=X` variants; here every atom of the element counts, whatever its bonds.
    public var atomTypes: [String]
    /// Substructures (SMILES or SMARTS) whose atoms and inner bonds are always masked.
    public var substructuresToMask: [String]
    /// Substructures whose atoms and inner bonds are never masked; generated molecules lacking one are dropped.
    public var substructuresToKeep: [String]

    public init(fraction: Double = 0.2, atomTypes: [String] = [], substructuresToMask: [String] = [],
                substructuresToKeep: [String] = []) {
        self.fraction = fraction
        self.atomTypes = atomTypes
        self.substructuresToMask = substructuresToMask
        self.substructuresToKeep = substructuresToKeep
    }
}

/// The masking rules applied to one seed:
///
/// * `protected` = tokens of the atoms matched by a substructure to keep (atom tokens, and branch/ring/bond tokens of
///   bonds between two kept atoms);
/// * `forced` = the same for substructures to mask (an overlap with `protected` is an error);
/// * `candidates` = every sequence token (GT4SD's default), or only the atom tokens of the requested elements —
///   minus `protected` and `forced`;
/// * each sample masks `forced` plus `count` candidates drawn uniformly without replacement, where
///   `count = round(fraction · |candidates|)` (Python's round-half-to-even, as GT4SD), but at least 1 when the
///   fraction is positive, candidates exist and nothing is forced — otherwise the "generation" would be the seed.
public struct MaskingPlan: Equatable, Sendable {
    public let tokenCount: Int
    public let forced: [Int]
    public let protected: [Int]
    public let candidates: [Int]
    public let count: Int
    /// Requested atom types absent from the seed (reported, not fatal while another type occurs).
    public let missingAtomTypes: [String]

    /// - Throws: `InferenceError` for a fraction outside [0, 1], unknown or absent element symbols, a substructure
    ///   that is not SMILES/SMARTS or does not occur in the seed, keep and mask overlapping, or nothing to mask.
    public init(seed: SeedMolecule, request: MaskingRequest) throws(InferenceError) {
        guard request.fraction >= 0, request.fraction <= 1 else {
            throw InferenceError("the fraction of tokens to mask must lie in [0, 1], not \(request.fraction)")
        }
        func atoms(_ texts: [String], _ purpose: String) throws(InferenceError) -> Set<Int> {
            var all = Set<Int>()
            for text in texts {
                let query = try SubstructureQuery(text)
                let matched = seed.atoms(matching: query)
                guard !matched.isEmpty else {
                    throw InferenceError("the substructure to \(purpose) '\(text)' does not occur in the seed \(seed.smiles)")
                }
                all.formUnion(matched)
            }
            return all
        }
        let protectedPositions = seed.positions(within: try atoms(request.substructuresToKeep, "keep"))
        let forcedPositions = seed.positions(within: try atoms(request.substructuresToMask, "mask"))
        let overlap = Set(protectedPositions).intersection(forcedPositions)
        guard overlap.isEmpty else {
            throw InferenceError("the substructures to keep and to mask overlap (sequence tokens "
                                  + overlap.sorted().map { "\($0 + 1):\(seed.tokens[$0])" }.joined(separator: ", ") + ")")
        }
        var base = Array(seed.tokens.indices)
        var missing: [String] = []
        if !request.atomTypes.isEmpty {
            var wanted = Set<String>()
            for type in request.atomTypes {
                let symbol = try Self.elementSymbol(type)
                if seed.atomSymbols.contains(symbol) { wanted.insert(symbol) } else { missing.append(type) }
            }
            guard !wanted.isEmpty else {
                throw InferenceError("none of the atom types to mask (\(request.atomTypes.joined(separator: ", "))) "
                                      + "occurs in the seed \(seed.smiles)")
            }
            base = seed.roles.indices.filter { k in
                if case .atom(let a) = seed.roles[k] { return wanted.contains(seed.atomSymbols[a]) }
                return false
            }
        }
        let excluded = Set(protectedPositions).union(forcedPositions)
        candidates = base.filter { !excluded.contains($0) }
        var count = Int((request.fraction * Double(candidates.count)).rounded(.toNearestOrEven))
        if count == 0 && request.fraction > 0 && !candidates.isEmpty && forcedPositions.isEmpty { count = 1 }
        guard count > 0 || !forcedPositions.isEmpty else {
            throw InferenceError("nothing to mask in the seed \(seed.smiles) (fraction \(request.fraction), "
                                  + "\(candidates.count) maskable tokens)")
        }
        tokenCount = seed.tokens.count
        forced = forcedPositions
        protected = protectedPositions
        self.count = count
        missingAtomTypes = missing
    }

    /// The element symbol named by `type` (`c` → `C`, `cl` → `Cl`, `Br` → `Br`).
    static func elementSymbol(_ type: String) throws(InferenceError) -> String {
        let t = type.trimmingASCIIWhitespace()
        let normalised = t.prefix(1).uppercased() + t.dropFirst().lowercased()
        guard !t.isEmpty, let z = PeriodicTable.atomicNumber(of: normalised), z > 0 else {
            throw InferenceError("'\(type)' is not an element symbol (atom types to mask are elements such as C, N, Cl)")
        }
        return normalised
    }

    /// The masked positions of one sample, ascending: `forced` plus `count` candidates chosen by a partial
    /// Fisher–Yates shuffle (`for i in 0..<count: swap(i, i + random.integer(below: n − i))`; `count` draws).
    public func draw<R: CollatorRandomSource>(random: inout R) -> [Int] {
        var pool = candidates
        for i in 0..<count {
            pool.swapAt(i, i + random.integer(below: pool.count - i))
        }
        return (forced + pool.prefix(count)).sorted()
    }
}
