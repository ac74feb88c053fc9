/// Reads the entries of a zip archive held in memory (PKWARE APPNOTE 6.3): stored and deflated entries, with
/// ZIP64 sizes and offsets. This is what `torch.save` writes (`pytorch_model.bin` = `archive/data.pkl` plus one
/// `archive/data/<n>` entry per storage, usually stored uncompressed).
public struct ZipArchive {
    /// One file in the archive, as the central directory describes it.
    public struct Entry: Equatable {
        public var name: String
        public var method: Int
        public var crc32: UInt32
        public var compressedSize: Int
        public var size: Int
        public var localHeaderOffset: Int
    }

    public let name: String
    public let entries: [Entry]
    private let bytes: [UInt8]

    /// Parses the central directory of `bytes`; `name` (the file path) is used in error messages.
    public init(bytes: [UInt8], name: String) throws {
        self.bytes = bytes
        self.name = name
        let reader = ZipByteReader(bytes: bytes, name: name)
        let endRecord = try reader.findEndOfCentralDirectory()
        var entryCount = try reader.uint(at: endRecord + 10, bytes: 2)
        var directorySize = try reader.uint(at: endRecord + 12, bytes: 4)
        var directoryOffset = try reader.uint(at: endRecord + 16, bytes: 4)
        // ZIP64: a locator 20 bytes before the end record points at the ZIP64 end record.
        if endRecord >= 20, try reader.uint(at: endRecord - 20, bytes: 4) == 0x0706_4B50 {
            let zip64End = try reader.uint(at: endRecord - 20 + 8, bytes: 8)
            guard try reader.uint(at: zip64End, bytes: 4) == 0x0606_4B50 else {
                throw reader.corrupt(at: zip64End, "ZIP64 end record signature missing")
            }
            entryCount = try reader.uint(at: zip64End + 32, bytes: 8)
            directorySize = try reader.uint(at: zip64End + 40, bytes: 8)
            directoryOffset = try reader.uint(at: zip64End + 48, bytes: 8)
        }
        guard directoryOffset + directorySize <= bytes.count else {
            throw CompressionError.truncated(source: name, offset: bytes.count)
        }
        var entries = [Entry]()
        var offset = directoryOffset
        for _ in 0..<entryCount {
            guard try reader.uint(at: offset, bytes: 4) == 0x0201_4B50 else {
                throw reader.corrupt(at: offset, "central directory entry signature missing")
            }
            let method = try reader.uint(at: offset + 10, bytes: 2)
            let crc = UInt32(try reader.uint(at: offset + 16, bytes: 4))
            var compressedSize = try reader.uint(at: offset + 20, bytes: 4)
            var size = try reader.uint(at: offset + 24, bytes: 4)
            let nameLength = try reader.uint(at: offset + 28, bytes: 2)
            let extraLength = try reader.uint(at: offset + 30, bytes: 2)
            let commentLength = try reader.uint(at: offset + 32, bytes: 2)
            var localOffset = try reader.uint(at: offset + 42, bytes: 4)
            let entryName = try reader.text(at: offset + 46, count: nameLength)
            // ZIP64 extended information: the 64-bit values of the fields that were 0xFFFFFFFF, in this order.
            var extra = offset + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let tag = try reader.uint(at: extra, bytes: 2)
                let length = try reader.uint(at: extra + 2, bytes: 2)
                if tag == 0x0001 {
                    var field = extra + 4
                    if size == 0xFFFF_FFFF { size = try reader.uint(at: field, bytes: 8); field += 8 }
                    if compressedSize == 0xFFFF_FFFF { compressedSize = try reader.uint(at: field, bytes: 8); field += 8 }
                    if localOffset == 0xFFFF_FFFF { localOffset = try reader.uint(at: field, bytes: 8) }
                }
                extra += 4 + length
            }
            entries.append(Entry(name: entryName, method: method, crc32: crc, compressedSize: compressedSize,
                                 size: size, localHeaderOffset: localOffset))
            offset = extraEnd + commentLength
        }
        self.entries = entries
    }

    /// The entry called `name`, if any.
    public func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    /// The uncompressed contents of `entry`, checked against its CRC-32.
    public func contents(of entry: Entry) throws -> [UInt8] {
        let reader = ZipByteReader(bytes: bytes, name: name)
        let local = entry.localHeaderOffset
        guard try reader.uint(at: local, bytes: 4) == 0x0403_4B50 else {
            throw reader.corrupt(at: local, "local header signature missing for '\(entry.name)'")
        }
        let start = local + 30 + (try reader.uint(at: local + 26, bytes: 2)) + (try reader.uint(at: local + 28, bytes: 2))
        guard start + entry.compressedSize <= bytes.count else {
            throw CompressionError.truncated(source: name, offset: bytes.count)
        }
        let raw = Array(bytes[start..<(start + entry.compressedSize)])
        let data: [UInt8]
        switch entry.method {
        case 0:
            data = raw
        case 8:
            let inflater = Inflater(source: MemoryByteSource(raw, name: "\(name):\(entry.name)"))
            var out = [UInt8]()
            out.reserveCapacity(min(entry.size, 1 << 26))  // the header's word, not yet checked
            while let chunk = try inflater.read() {
                out += chunk
                // More than the header announced: stop now (a "zip bomb" must not fill the memory first).
                guard out.count <= entry.size else {
                    throw CompressionError.checksumMismatch(source: "\(name):\(entry.name)", what: "uncompressed size")
                }
            }
            data = out
        default:
            throw CompressionError.unsupported(
                source: name, reason: "entry '\(entry.name)' uses compression method \(entry.method)")
        }
        guard data.count == entry.size else {
            throw CompressionError.checksumMismatch(source: "\(name):\(entry.name)", what: "uncompressed size")
        }
        guard CRC32.checksum(data) == entry.crc32 else {
            throw CompressionError.checksumMismatch(source: "\(name):\(entry.name)", what: "CRC-32")
        }
        return data
    }

    /// The uncompressed contents of the entry called `name`.
    public func contents(ofEntryNamed entryName: String) throws -> [UInt8] {
        guard let entry = entry(named: entryName) else {
            throw CompressionError.missingEntry(source: name, name: entryName)
        }
        return try contents(of: entry)
    }
}

/// Bounds-checked little-endian field access for `ZipArchive`.
private struct ZipByteReader {
    let bytes: [UInt8]
    let name: String

    func corrupt(at offset: Int, _ reason: String) -> CompressionError {
        .corrupt(source: name, offset: offset, reason: reason)
    }

    func uint(at offset: Int, bytes count: Int) throws -> Int {
        guard offset >= 0, offset + count <= bytes.count else {
            throw CompressionError.truncated(source: name, offset: bytes.count)
        }
        var value: UInt64 = 0
        for k in 0..<count { value |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
        // No real archive comes near 2^48 bytes; with that bound, sums of a few fields cannot overflow.
        guard value <= 1 << 48 else { throw corrupt(at: offset, "field value out of range") }
        return Int(value)
    }

    func text(at offset: Int, count: Int) throws -> String {
        guard offset + count <= bytes.count else { throw CompressionError.truncated(source: name, offset: bytes.count) }
        guard let text = String(validating: bytes[offset..<(offset + count)], as: UTF8.self) else {
            throw corrupt(at: offset, "entry name is not UTF-8")
        }
        return text
    }

    /// The offset of the end-of-central-directory record: searched backwards over the last 64 KiB + 22 bytes
    /// (the record may be followed by a comment of up to 65535 bytes).
    func findEndOfCentralDirectory() throws -> Int {
        guard bytes.count >= 22 else { throw CompressionError.corrupt(source: name, offset: 0, reason: "too short to be a zip archive") }
        var offset = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65535)
        while offset >= lowest {
            if bytes[offset] == 0x50, bytes[offset + 1] == 0x4B, bytes[offset + 2] == 0x05, bytes[offset + 3] == 0x06 {
                return offset
            }
            offset -= 1
        }
        throw CompressionError.corrupt(source: name, offset: bytes.count, reason: "not a zip archive (no end record)")
    }
}
