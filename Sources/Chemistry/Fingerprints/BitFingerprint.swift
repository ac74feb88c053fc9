/// A fixed-size bit vector fingerprint (e.g. 2048-bit Morgan), stored as 64-bit words.
public struct BitFingerprint: Sendable, Hashable {
    public let size: Int
    var words: [UInt64]

    /// An all-zero fingerprint of `size` bits.
    public init(size: Int) {
        self.size = size
        words = [UInt64](repeating: 0, count: (size + 63) / 64)
    }

    /// A fingerprint with the given bits set (bits outside `0 ..< size` are ignored).
    public init(size: Int, onBits: [Int]) {
        self.init(size: size)
        for b in onBits where b >= 0 && b < size { set(b) }
    }

    public mutating func set(_ bit: Int) { words[bit >> 6] |= 1 << UInt64(bit & 63) }

    public subscript(bit: Int) -> Bool { words[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }

    /// Indices of the set bits, ascending (RDKit `GetOnBits`).
    public var onBits: [Int] {
        var out: [Int] = []
        for (w, word) in words.enumerated() {
            var x = word
            while x != 0 {
                out.append(w * 64 + x.trailingZeroBitCount)
                x &= x - 1
            }
        }
        return out
    }

    /// Number of set bits.
    public var bitCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }
}

/// Tanimoto (Jaccard) similarity, as RDKit's `DataStructs.TanimotoSimilarity`.
public enum Tanimoto {
    /// Bit vectors: |A ∩ B| / |A ∪ B|; 0 when both are empty. Sizes must match.
    public static func similarity(_ a: BitFingerprint, _ b: BitFingerprint) -> Double {
        precondition(a.size == b.size, "fingerprints of different sizes")
        var common = 0, total = 0
        for k in 0 ..< a.words.count {
            common += (a.words[k] & b.words[k]).nonzeroBitCount
            total += a.words[k].nonzeroBitCount + b.words[k].nonzeroBitCount
        }
        let union = total - common
        return union == 0 ? 0 : Double(common) / Double(union)
    }

    /// Count vectors (unfolded Morgan with counts, GuacaMol's "ECFP4" similarity):
    /// Σ min(aᵢ, bᵢ) / (Σ aᵢ + Σ bᵢ − Σ min(aᵢ, bᵢ)); 0 when both are empty.
    public static func similarity(_ a: MorganFingerprint, _ b: MorganFingerprint) -> Double {
        var i = 0, j = 0
        var both = 0, sumA = 0, sumB = 0
        for c in a.counts { sumA += Int(c) }
        for c in b.counts { sumB += Int(c) }
        while i < a.ids.count && j < b.ids.count {
            if a.ids[i] == b.ids[j] {
                both += Int(min(a.counts[i], b.counts[j]))
                i += 1; j += 1
            } else if a.ids[i] < b.ids[j] { i += 1 } else { j += 1 }
        }
        let denominator = sumA + sumB - both
        return denominator == 0 ? 0 : Double(both) / Double(denominator)
    }
}
