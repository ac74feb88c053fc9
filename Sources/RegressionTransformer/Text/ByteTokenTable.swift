/// An immutable hash table from token bytes to token ids, so that hot loops look tokens up straight from the
/// bytes of a line without building `String`s. Open addressing with linear probing, FNV-1a hashing.
final class ByteTokenTable: Sendable {
    private let keys: [UInt8]  // all token bytes, concatenated
    private let offsets: [Int]  // token i is keys[offsets[i]..<offsets[i+1]]
    private let slots: [Int32]  // -1 = empty, else token id
    private let mask: Int
    /// Ids of one-byte tokens by byte value (-1 = none): most SMILES tokens.
    let singleByte: [Int32]

    /// `tokens[i]` gets id `i`; for a repeated token the first id wins.
    init(tokens: [String]) {
        var keys: [UInt8] = []
        var offsets: [Int] = [0]
        keys.reserveCapacity(tokens.count * 8)
        for token in tokens {
            keys.append(contentsOf: token.utf8)
            offsets.append(keys.count)
        }
        var capacity = 16
        while capacity < tokens.count * 2 { capacity *= 2 }
        var slots = [Int32](repeating: -1, count: capacity)
        var singleByte = [Int32](repeating: -1, count: 256)
        let mask = capacity - 1
        keys.withUnsafeBufferPointer { keyBytes in
            for id in tokens.indices {
                let start = offsets[id], end = offsets[id + 1]
                if end - start == 1, singleByte[Int(keyBytes[start])] < 0 { singleByte[Int(keyBytes[start])] = Int32(id) }
                var slot = Self.hash(keyBytes, start, end) & mask
                var duplicate = false
                while slots[slot] >= 0 {
                    let other = Int(slots[slot])
                    if Self.equal(keyBytes, offsets[other], offsets[other + 1], keyBytes, start, end) {
                        duplicate = true
                        break
                    }
                    slot = (slot + 1) & mask
                }
                if !duplicate { slots[slot] = Int32(id) }
            }
        }
        self.keys = keys
        self.offsets = offsets
        self.slots = slots
        self.mask = mask
        self.singleByte = singleByte
    }

    /// The id of the token spelled by `bytes[start..<end]`, or -1.
    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int32 {
        if end - start == 1 { return singleByte[Int(bytes[start])] }
        return keys.withUnsafeBufferPointer { keyBytes in
            offsets.withUnsafeBufferPointer { offsets in
                slots.withUnsafeBufferPointer { slots in
                    var slot = Self.hash(bytes, start, end) & mask
                    while true {
                        let id = slots[slot]
                        if id < 0 { return -1 }
                        if Self.equal(keyBytes, offsets[Int(id)], offsets[Int(id) + 1], bytes, start, end) { return id }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    func lookup(_ token: String) -> Int32 {
        var token = token
        return token.withUTF8 { lookup($0, 0, $0.count) }
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in start..<end {
            h = (h ^ UInt64(bytes[k])) &* 0x0000_0100_0000_01B3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always)
    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ aStart: Int, _ aEnd: Int,
                              _ b: UnsafeBufferPointer<UInt8>, _ bStart: Int, _ bEnd: Int) -> Bool
    {
        guard aEnd - aStart == bEnd - bStart else { return false }
        var i = aStart, j = bStart
        while i < aEnd {
            if a[i] != b[j] { return false }
            i += 1
            j += 1
        }
        return true
    }
}
