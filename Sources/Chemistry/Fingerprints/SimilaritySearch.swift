import Dispatch

/// Ranks molecules by Tanimoto similarity to a query molecule (`rt chem similar`).
///
/// Two similarities: on the folded bit fingerprint (RDKit `TanimotoSimilarity` of
/// `GetMorganFingerprintAsBitVect(m, radius, nBits)`, the JT-VAE/GCPN "similarity to seed") or on the unfolded
/// count fingerprint (GuacaMol's ECFP4 count Tanimoto).
public struct SimilaritySearch: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case bits, counts
    }

    /// One scored input.
    public struct Hit: Sendable, Equatable {
        /// 0-based index of the input.
        public var index: Int
        public var similarity: Double
    }

    public let kind: Kind
    public let radius: Int
    public let size: Int
    let queryCounts: MorganFingerprint
    let queryBits: BitFingerprint

    /// A search around `query` with Morgan fingerprints of `radius` (folded to `size` bits for `.bits`).
    public init(query: Molecule, kind: Kind = .bits, radius: Int = 2, size: Int = 2048) {
        self.kind = kind
        self.radius = radius
        self.size = size
        queryCounts = MorganFingerprint(query, radius: radius)
        queryBits = queryCounts.bits(size: size)
    }

    /// Similarity of one molecule to the query.
    public func similarity(_ molecule: Molecule) -> Double {
        let fp = MorganFingerprint(molecule, radius: radius)
        switch kind {
        case .bits: return Tanimoto.similarity(queryBits, fp.bits(size: size))
        case .counts: return Tanimoto.similarity(queryCounts, fp)
        }
    }

    /// Similarity of each SMILES to the query (nil where the SMILES is not a valid molecule, or one of more than
    /// `MoleculeProperties.maximumAtoms` atoms), on `threads` threads.
    public func similarities(_ smiles: [Substring], threads: Int) -> [Double?] {
        var out = [Double?](repeating: nil, count: smiles.count)
        let workers = max(1, min(threads, smiles.count))
        out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var k = w
                while k < smiles.count {
                    (base + k).pointee = (try? Molecule(smiles: smiles[k]))
                        .flatMap { $0.atomCount <= MoleculeProperties.maximumAtoms ? similarity($0) : nil }
                    k += workers
                }
            }
        }
        return out
    }

    /// Hits sorted by decreasing similarity (ties: input order), at most `top`.
    public static func rank(_ similarities: [Double?], top: Int? = nil) -> [Hit] {
        var hits = similarities.enumerated().compactMap { k, s in s.map { Hit(index: k, similarity: $0) } }
        hits.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.index < $1.index }
        if let top, top < hits.count { hits.removeLast(hits.count - top) }
        return hits
    }
}
