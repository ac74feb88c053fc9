/// The fragment contributions of the SA score: 705,292 unfolded Morgan (radius 2) environment ids → score, from
/// RDKit Contrib `SA_Score/fpscores.pkl.gz` (Ertl & Schuffenhauer 2009; BSD, Novartis), shipped as
/// `Resources/sa_fragments.bin` (format and generator: `scripts/chem/export_sa_fragments.py`).
///
/// Decoded once, on first use, into an open-addressing hash table (keys and score-group indices in flat arrays,
/// ~12 MB); a lookup is a multiplicative hash and a short linear probe.
struct SAFragmentTable: Sendable {
    private var keys: [UInt32]
    private var groups: [UInt16]       // score index + 1; 0 = empty slot
    private var scores: [Double]
    private let mask: Int

    static let shared = SAFragmentTable(DescriptorTables.resource("sa_fragments", "bin"))

    init<Bytes: Collection>(_ data: Bytes) where Bytes.Element == UInt8, Bytes.Index == Int {
        var bytes = Array(data)
        // Header: "sa_fragments 1", then "<score>\t<count>" per group, then "end".
        var pos = 0
        func line() -> Substring? {
            guard pos < bytes.count, let nl = bytes[pos...].firstIndex(of: 10) else { return nil }
            defer { pos = nl + 1 }
            return Substring(String(decoding: bytes[pos ..< nl], as: UTF8.self))
        }
        guard line() == "sa_fragments 1" else { fatalError("sa_fragments.bin: unknown format") }
        var scores: [Double] = [], sizes: [Int] = []
        while let l = line(), l != "end" {
            let f = l.split(separator: "\t")
            guard f.count == 2, let s = Double(f[0]), let c = Int(f[1]) else { fatalError("sa_fragments.bin: bad header") }
            scores.append(s)
            sizes.append(c)
        }
        let total = sizes.reduce(0, +)
        var capacity = 1
        while capacity < total * 2 { capacity <<= 1 }
        var keys = [UInt32](repeating: 0, count: capacity)
        var groups = [UInt16](repeating: 0, count: capacity)
        let mask = capacity - 1
        bytes.withUnsafeBufferPointer { buf in
            for (g, size) in sizes.enumerated() {
                var id: UInt32 = 0
                for _ in 0 ..< size {
                    var delta: UInt32 = 0, shift: UInt32 = 0
                    while true {
                        let b = buf[pos]
                        pos += 1
                        delta |= UInt32(b & 0x7F) << shift
                        if b < 0x80 { break }
                        shift += 7
                    }
                    id &+= delta
                    var slot = Self.slot(id, mask)
                    while groups[slot] != 0 && keys[slot] != id { slot = (slot + 1) & mask }
                    keys[slot] = id
                    groups[slot] = UInt16(g + 1)
                }
            }
        }
        bytes = []
        self.keys = keys
        self.groups = groups
        self.scores = scores
        self.mask = mask
    }

    @inline(__always) static func slot(_ id: UInt32, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(id) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// Number of ids in the table.
    var count: Int { groups.reduce(0) { $0 + ($1 == 0 ? 0 : 1) } }

    /// Score of fragment `id`, or nil if the table does not list it (SA score then uses −4).
    func score(_ id: UInt32) -> Double? {
        var slot = Self.slot(id, mask)
        while true {
            let g = groups[slot]
            if g == 0 { return nil }
            if keys[slot] == id { return scores[Int(g) - 1] }
            slot = (slot + 1) & mask
        }
    }
}
