/// Decompresses a gzip stream (RFC 1952) from a `ByteSource`, as a `ByteSource` itself.
///
/// Multi-member files (concatenated gzip streams, as `cat a.gz b.gz` makes) decode as one stream. Each member's
/// CRC-32 and length are checked; a damaged or truncated file is an error, never silently short output.
public final class GzipReader: ByteSource {
    public var name: String { inflater.reader.source.name }
    private let inflater: Inflater
    private var crc = CRC32()
    private var memberSize = 0
    private var inMember = false
    private var finished = false

    public init(source: ByteSource, chunkSize: Int = 1 << 20) {
        inflater = Inflater(source: source, chunkSize: chunkSize)
    }

    /// True when `bytes` start with the gzip magic number.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    public func nextChunk() throws -> [UInt8]? {
        while !finished {
            if !inMember {
                if try inflater.reader.isAtEnd() {
                    finished = true
                    return nil
                }
                try readHeader()
                inflater.restart()
                crc = CRC32()
                memberSize = 0
                inMember = true
            }
            if let chunk = try inflater.read() {
                chunk.withUnsafeBufferPointer { crc.update($0) }
                memberSize &+= chunk.count
                return chunk
            }
            try readTrailer()
            inMember = false
        }
        return nil
    }

    private func readHeader() throws {
        guard try inflater.reader.byte() == 0x1F, try inflater.reader.byte() == 0x8B else {
            throw inflater.reader.corrupt("not gzip data (bad magic number)")
        }
        guard try inflater.reader.byte() == 8 else {
            throw inflater.reader.corrupt("unknown compression method (only deflate is defined)")
        }
        let flags = try inflater.reader.byte()
        guard flags & 0xE0 == 0 else { throw inflater.reader.corrupt("reserved header flags set") }
        for _ in 0..<6 { _ = try inflater.reader.byte() }  // modification time, extra flags, operating system
        if flags & 0x04 != 0 {  // FEXTRA
            let length = try inflater.reader.littleEndian(bytes: 2)
            for _ in 0..<length { _ = try inflater.reader.byte() }
        }
        if flags & 0x08 != 0 { while try inflater.reader.byte() != 0 {} }  // FNAME
        if flags & 0x10 != 0 { while try inflater.reader.byte() != 0 {} }  // FCOMMENT
        if flags & 0x02 != 0 { _ = try inflater.reader.littleEndian(bytes: 2) }  // FHCRC
    }

    private func readTrailer() throws {
        inflater.reader.alignToByte()
        let storedCRC = UInt32(try inflater.reader.littleEndian(bytes: 4))
        let storedSize = try inflater.reader.littleEndian(bytes: 4)
        guard storedCRC == crc.value else { throw CompressionError.checksumMismatch(source: name, what: "gzip CRC-32") }
        guard storedSize == memberSize & 0xFFFF_FFFF else {
            throw CompressionError.checksumMismatch(source: name, what: "gzip length field")
        }
    }
}
