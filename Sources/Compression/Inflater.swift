/// Decodes a raw DEFLATE stream (RFC 1951) incrementally: each `read()` returns the next piece of output, so a
/// stream of any size is decoded with a fixed amount of memory (a 32 KiB history window plus one output chunk).
///
/// Not thread-safe; one instance decodes one stream.
public final class Inflater {
    static let windowSize = 1 << 15
    static let maxMatch = 258

    /// The bit reader over the compressed input. `GzipReader` and `ZipArchive` read their headers and trailers
    /// through it, so no input byte is read twice or skipped.
    var reader: BitReader

    private enum State {
        case blockHeader
        case stored(remaining: Int)
        case compressed
        case finished
    }
    private var state = State.blockHeader
    private var isFinalBlock = false
    private var literals: HuffmanTable
    private var distances: HuffmanTable

    private let output: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var outputEnd = 0

    /// Decodes the DEFLATE data of `source`; `chunkSize` is the largest piece `read()` returns.
    public convenience init(source: ByteSource, chunkSize: Int = 1 << 20) {
        self.init(reader: BitReader(source: source), chunkSize: chunkSize)
    }

    init(reader: BitReader, chunkSize: Int = 1 << 20) {
        self.reader = reader
        capacity = Inflater.windowSize + max(chunkSize, 2 * Inflater.maxMatch)
        output = .allocate(capacity: capacity)
        literals = FixedCodes.literals
        distances = FixedCodes.distances
    }

    deinit {
        output.deallocate()
    }

    /// True once the final block has been decoded completely.
    public var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }

    /// Starts decoding a new DEFLATE stream that follows in the same input (used for multi-member gzip files).
    func restart() {
        state = .blockHeader
        isFinalBlock = false
        outputEnd = 0
    }

    /// The next piece of decompressed data, or `nil` when the stream's final block has been decoded.
    public func read() throws -> [UInt8]? {
        // Keep the last 32 KiB as history for back-references; everything before it was delivered already.
        if outputEnd > Inflater.windowSize {
            let keep = Inflater.windowSize
            output.update(from: output + (outputEnd - keep), count: keep)
            outputEnd = keep
        }
        let start = outputEnd
        let highWater = capacity - Inflater.maxMatch
        decoding: while outputEnd < highWater {
            switch state {
            case .finished:
                break decoding
            case .blockHeader:
                if isFinalBlock {
                    state = .finished
                    break decoding
                }
                try readBlockHeader()
            case .stored(let remaining):
                let n = min(remaining, highWater - outputEnd)
                for k in 0..<n { output[outputEnd + k] = try reader.byte() }
                outputEnd += n
                state = remaining == n ? .blockHeader : .stored(remaining: remaining - n)
            case .compressed:
                try decodeCompressed(until: highWater)
            }
        }
        if outputEnd == start { return nil }
        return Array(UnsafeBufferPointer(start: output + start, count: outputEnd - start))
    }

    private func readBlockHeader() throws {
        isFinalBlock = try reader.bits(1) == 1
        switch try reader.bits(2) {
        case 0:
            reader.alignToByte()
            let length = try reader.littleEndian(bytes: 2)
            let complement = try reader.littleEndian(bytes: 2)
            guard length == (~complement & 0xFFFF) else { throw reader.corrupt("stored block length check failed") }
            state = length == 0 ? .blockHeader : .stored(remaining: length)
        case 1:
            literals = FixedCodes.literals
            distances = FixedCodes.distances
            state = .compressed
        case 2:
            try readDynamicCodes()
            state = .compressed
        default:
            throw reader.corrupt("invalid block type 3")
        }
    }

    /// Reads the code-length code and then the literal/length and distance code lengths (RFC 1951 §3.2.7).
    private func readDynamicCodes() throws {
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw reader.corrupt("too many length or distance codes") }
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengthLengths = [UInt8](repeating: 0, count: 19)
        for k in 0..<codeLengthCount { codeLengthLengths[order[k]] = UInt8(try reader.bits(3)) }
        let codeLengthCode = try HuffmanTable(
            lengths: codeLengthLengths, source: reader.source.name, offset: reader.byteOffset)
        var lengths = [UInt8]()
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try codeLengthCode.decode(&reader)
            switch symbol {
            case 0...15:
                lengths.append(UInt8(symbol))
            case 16:
                guard let previous = lengths.last else { throw reader.corrupt("repeat code with no previous length") }
                lengths.append(contentsOf: repeatElement(previous, count: 3 + (try reader.bits(2))))
            case 17:
                lengths.append(contentsOf: repeatElement(0, count: 3 + (try reader.bits(3))))
            default:
                lengths.append(contentsOf: repeatElement(0, count: 11 + (try reader.bits(7))))
            }
        }
        guard lengths.count == literalCount + distanceCount else { throw reader.corrupt("code lengths overrun") }
        guard lengths[256] != 0 else { throw reader.corrupt("no end-of-block code") }
        literals = try HuffmanTable(
            lengths: Array(lengths[..<literalCount]), source: reader.source.name, offset: reader.byteOffset)
        distances = try HuffmanTable(
            lengths: Array(lengths[literalCount...]), source: reader.source.name, offset: reader.byteOffset)
    }

    /// Decodes literal/length and distance symbols until the block ends or the output reaches `highWater`.
    private func decodeCompressed(until highWater: Int) throws {
        var r = reader
        defer { reader = r }
        let out = output
        var end = outputEnd
        defer { outputEnd = end }
        let literals = self.literals, distances = self.distances
        while end < highWater {
            if r.count < 48 { try r.refill() }
            let symbol = try literals.decode(&r)
            if symbol < 256 {
                out[end] = UInt8(truncatingIfNeeded: symbol)
                end += 1
                continue
            }
            if symbol == 256 {
                state = .blockHeader
                return
            }
            let lengthCode = symbol - 257
            guard lengthCode < 29 else { throw r.corrupt("invalid length symbol \(symbol)") }
            let length = FixedCodes.lengthBase[lengthCode] + (try r.bits(FixedCodes.lengthExtra[lengthCode]))
            let distanceCode = try distances.decode(&r)
            guard distanceCode < 30 else { throw r.corrupt("invalid distance symbol \(distanceCode)") }
            let distance = FixedCodes.distanceBase[distanceCode] + (try r.bits(FixedCodes.distanceExtra[distanceCode]))
            guard distance <= end else { throw r.corrupt("distance \(distance) reaches before the start of the data") }
            var from = end - distance
            if distance >= length {
                (out + end).update(from: out + from, count: length)
                end += length
            } else {
                for _ in 0..<length {
                    out[end] = out[from]
                    end += 1
                    from += 1
                }
            }
        }
    }
}

/// The fixed Huffman codes and the length/distance tables of RFC 1951 §3.2.5–3.2.6.
enum FixedCodes {
    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
                             115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
                               1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12,
                                12, 13, 13]

    static let literals: HuffmanTable = {
        var lengths = [UInt8](repeating: 8, count: 288)
        for k in 144..<256 { lengths[k] = 9 }
        for k in 256..<280 { lengths[k] = 7 }
        // The fixed code is complete by construction: building it cannot fail.
        return try! HuffmanTable(lengths: lengths, source: "fixed code", offset: 0)
    }()

    static let distances: HuffmanTable = {
        try! HuffmanTable(lengths: [UInt8](repeating: 5, count: 32), source: "fixed code", offset: 0)
    }()
}
