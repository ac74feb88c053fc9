/// Reads a byte stream as a sequence of bits, least-significant bit first (the order DEFLATE packs them in).
///
/// Up to 64 bits are kept in `buffer`; `refill()` tops it up from the current chunk, pulling the next chunk
/// from the source when one runs out. Bytes are loaded eight at a time where the chunk allows.
struct BitReader {
    let source: ByteSource
    private var chunk: [UInt8] = []
    private var position = 0  // next byte of `chunk` not yet loaded into `buffer`
    private var chunkStart = 0  // stream offset of chunk[0]
    private(set) var buffer: UInt64 = 0
    private(set) var count = 0  // number of valid bits in `buffer`
    private var sourceExhausted = false

    init(source: ByteSource) {
        self.source = source
    }

    /// Offset in the stream of the first byte not yet fully consumed (for error messages).
    var byteOffset: Int { chunkStart + position - count / 8 }

    /// A `corrupt` error at the current position.
    func corrupt(_ reason: String) -> CompressionError {
        .corrupt(source: source.name, offset: byteOffset, reason: reason)
    }

    /// True when every bit of the stream has been consumed.
    mutating func isAtEnd() throws -> Bool {
        if count == 0 { try refill() }
        return count == 0
    }

    /// Loads bytes until at least 56 bits are buffered or the stream ends.
    mutating func refill() throws {
        while count < 56 {
            if position + 8 <= chunk.count {
                let word = chunk.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: UInt64.self) }
                buffer |= UInt64(littleEndian: word) << UInt64(count)
                let taken = (63 - count) >> 3
                position += taken
                count += taken << 3
            } else if position < chunk.count {
                buffer |= UInt64(chunk[position]) << UInt64(count)
                position += 1
                count += 8
            } else if !sourceExhausted {
                if let next = try source.nextChunk() {
                    chunkStart += chunk.count
                    chunk = next
                    position = 0
                } else {
                    sourceExhausted = true
                }
            } else {
                return
            }
        }
    }

    /// Ensures at least `n` bits are buffered, or throws `truncated`.
    @inline(__always)
    mutating func need(_ n: Int) throws {
        if count < n {
            try refill()
            if count < n { throw CompressionError.truncated(source: source.name, offset: byteOffset) }
        }
    }

    /// Removes `n` (≤ 32) buffered bits; the caller has ensured they are there.
    @inline(__always)
    mutating func drop(_ n: Int) {
        buffer >>= UInt64(n)
        count -= n
    }

    /// Reads an `n`-bit number (n ≤ 32), least-significant bit first.
    @inline(__always)
    mutating func bits(_ n: Int) throws -> Int {
        try need(n)
        let value = Int(truncatingIfNeeded: buffer & ((1 << UInt64(n)) - 1))
        drop(n)
        return value
    }

    /// Discards the bits up to the next byte boundary.
    mutating func alignToByte() {
        drop(count & 7)
    }

    /// Reads one whole byte; the reader must be byte-aligned.
    mutating func byte() throws -> UInt8 {
        UInt8(try bits(8))
    }

    /// Reads a little-endian 16- or 32-bit integer; the reader must be byte-aligned.
    mutating func littleEndian(bytes: Int) throws -> Int {
        var value = 0
        for k in 0..<bytes { value |= Int(try byte()) << (8 * k) }
        return value
    }
}
