/// A canonical Huffman code (RFC 1951 §3.2.2) as a single lookup table indexed by the next `bits` input bits.
///
/// Entry = `symbol << 4 | codeLength`; 0 marks a bit pattern that no code starts with (possible only for an
/// incomplete code). Codes are stored bit-reversed because DEFLATE sends them most-significant bit first into a
/// least-significant-bit-first stream.
struct HuffmanTable {
    private(set) var entries: [UInt16]
    private(set) var bits: Int

    /// Builds the table from the code length of every symbol (0 = symbol unused).
    /// - Throws: `corrupt` when the lengths over-subscribe the code space.
    init(lengths: [UInt8], source: String, offset: Int) throws {
        var lengthCount = [Int](repeating: 0, count: 16)
        for length in lengths { lengthCount[Int(length)] += 1 }
        lengthCount[0] = 0
        var left = 1
        for length in 1...15 {
            left = (left << 1) - lengthCount[length]
            if left < 0 {
                throw CompressionError.corrupt(source: source, offset: offset, reason: "over-subscribed Huffman code")
            }
        }
        let maxLength = (1...15).last { lengthCount[$0] > 0 } ?? 1
        var nextCode = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            code = (code + lengthCount[length - 1]) << 1
            nextCode[length] = code
        }
        bits = maxLength
        entries = [UInt16](repeating: 0, count: 1 << maxLength)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let length = Int(length)
            let codeValue = nextCode[length]
            nextCode[length] += 1
            var reversed = 0
            for k in 0..<length where codeValue & (1 << k) != 0 { reversed |= 1 << (length - 1 - k) }
            let entry = UInt16(symbol << 4 | length)
            var index = reversed
            while index < entries.count {
                entries[index] = entry
                index += 1 << length
            }
        }
    }

    /// Decodes one symbol from `reader`.
    @inline(__always)
    func decode(_ reader: inout BitReader) throws -> Int {
        if reader.count < bits { try reader.refill() }
        let entry = Int(entries[Int(truncatingIfNeeded: reader.buffer) & (entries.count - 1)])
        let length = entry & 15
        if length == 0 || length > reader.count {
            if length == 0 {
                throw reader.corrupt("invalid Huffman code")
            }
            throw CompressionError.truncated(source: reader.source.name, offset: reader.byteOffset)
        }
        reader.drop(length)
        return entry >> 4
    }
}
