import Tensors
import Foundation

/// A `.safetensors` file (the format of HuggingFace's `safetensors` package), read and validated.
///
/// Layout: an 8-byte little-endian header length N, N bytes of JSON —
/// `{"__metadata__": {str: str}, "<name>": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, …}` —
/// then the raw little-endian tensor data, offsets relative to the byte after the header. Validation follows the
/// reference implementation: every tensor's byte range must match its shape and dtype, ranges must not overlap
/// and must cover the data exactly. Every error names the file and, where it applies, the tensor and byte offset.
///
/// Reading converts to Float32: F32 as is; F16 and BF16 exactly; F64 rounded; integer and BOOL dtypes to their
/// values (rounded beyond 2²⁴). Integer tensors (token ids, …) are also available exactly via `integers(_:)`.
public struct SafeTensorsFile {
    /// Element types of the format.
    public enum DType: String, Sendable, CaseIterable {
        case F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .F64, .I64, .U64: return 8
            case .F32, .I32, .U32: return 4
            case .F16, .BF16, .I16, .U16: return 2
            case .I8, .U8, .BOOL: return 1
            }
        }

        var isInteger: Bool { ![.F64, .F32, .F16, .BF16].contains(self) }
    }

    /// One tensor's header entry.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var dtype: DType
        public var shape: Shape
        /// Byte range within the data section.
        public var dataOffsets: Range<Int>
    }

    /// The path (for messages).
    public let path: String
    /// `__metadata__` (empty when absent).
    public let metadata: [String: String]
    /// Entries in data order.
    public let entries: [Entry]
    /// Byte offset of the data section in the file (8 + header length).
    public let dataStart: Int
    private let data: Data
    private let byName: [String: Int]

    /// Reads and validates the file at `url` (memory-mapped).
    /// - Throws: `TensorError.file` naming the file (and offset) for unreadable, truncated or malformed files.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw TensorError.file(path: url.path, detail: "cannot read: \(error.localizedDescription)", offset: nil)
        }
        try self.init(data: data, path: url.path)
    }

    /// Parses and validates safetensors bytes; `path` is used in messages.
    public init(data: Data, path: String) throws {
        func fail(_ detail: String, _ offset: Int? = nil) -> TensorError {
            TensorError.file(path: path, detail: detail, offset: offset)
        }
        guard data.count >= 8 else {
            throw fail("truncated: \(data.count) bytes, but the 8-byte header length alone needs 8", 0)
        }
        let headerLength = data.withUnsafeBytes { raw in UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)) }
        guard headerLength <= 100_000_000 else { throw fail("header length \(headerLength) exceeds the 100 MB limit", 0) }
        let n = Int(headerLength)
        guard 8 + n <= data.count else {
            throw fail("truncated: header of \(n) bytes ends at byte \(8 + n) but the file has \(data.count) bytes", 8)
        }
        /// The file offset of a data-section offset the header gives (which may be any Int: saturates).
        func fileOffset(_ dataOffset: Int) -> Int {
            let (offset, overflow) = (8 + n).addingReportingOverflow(dataOffset)
            return overflow ? Int.max : offset
        }
        let headerData = data.subdata(in: (data.startIndex + 8)..<(data.startIndex + 8 + n))
        let object: [String: HeaderValue]
        do { object = try JSONDecoder().decode([String: HeaderValue].self, from: headerData) } catch {
            throw fail("header is not a valid JSON object (\(SafeTensorsFile.describe(error)))", 8)
        }
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (key, value) in object {
            if key == "__metadata__" {
                guard case let .metadata(m) = value else { throw fail("__metadata__ is not an object of strings", 8) }
                metadata = m
                continue
            }
            guard case let .tensor(info) = value else {
                throw fail("tensor '\(key)': entry needs dtype (string), shape and data_offsets (integer lists)", 8)
            }
            guard let dtype = DType(rawValue: info.dtype) else {
                throw fail("tensor '\(key)': unsupported dtype \(info.dtype)", 8)
            }
            let offs = info.data_offsets
            guard info.shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("tensor '\(key)': shape \(info.shape) has a negative dimension", 8)
            }
            guard offs.count == 2, offs[0] >= 0, offs[0] <= offs[1] else {
                throw fail("tensor '\(key)': data_offsets \(offs) must be [begin, end] with 0 ≤ begin ≤ end", 8)
            }
            let shape = Shape(info.shape)
            var bytes = dtype.size, overflow = false
            for d in info.shape where !overflow { (bytes, overflow) = bytes.multipliedReportingOverflow(by: d) }
            guard !overflow, offs[1] - offs[0] == bytes else {
                throw fail("tensor '\(key)': \(dtype) \(shape) needs \(overflow ? "too many" : String(bytes)) bytes but "
                           + "data_offsets [\(offs[0]), \(offs[1])] hold \(offs[1] - offs[0])", fileOffset(offs[0]))
            }
            entries.append(Entry(name: key, dtype: dtype, shape: shape, dataOffsets: offs[0]..<offs[1]))
        }
        entries.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name) }
        let dataSize = data.count - 8 - n
        var end = 0
        for e in entries {
            guard e.dataOffsets.lowerBound == end else {
                let what = e.dataOffsets.lowerBound < end ? "overlaps the previous tensor" : "leaves a gap after byte \(end)"
                throw fail("tensor '\(e.name)': data_offsets start at \(e.dataOffsets.lowerBound) and \(what)",
                           fileOffset(e.dataOffsets.lowerBound))
            }
            guard e.dataOffsets.upperBound <= dataSize else {
                throw fail("truncated: tensor '\(e.name)' needs data bytes [\(e.dataOffsets.lowerBound), "
                           + "\(e.dataOffsets.upperBound)) but the file holds only \(dataSize) data bytes",
                           fileOffset(dataSize))
            }
            end = e.dataOffsets.upperBound
        }
        guard end == dataSize else {
            throw fail("\(dataSize - end) bytes after the last tensor are not described by the header", fileOffset(end))
        }
        self.path = path
        self.metadata = metadata
        self.entries = entries
        self.dataStart = 8 + n
        self.data = data
        var index: [String: Int] = [:]
        for (i, e) in entries.enumerated() { index[e.name] = i }
        self.byName = index
    }

    /// One value of the header object: `__metadata__` or a tensor entry.
    enum HeaderValue: Decodable {
        struct TensorInfo: Decodable {
            let dtype: String
            let shape: [Int]
            let data_offsets: [Int]
        }
        case tensor(TensorInfo)
        case metadata([String: String])
        case other

        init(from decoder: Decoder) throws {
            if let t = try? TensorInfo(from: decoder) { self = .tensor(t) }
            else if let m = try? [String: String](from: decoder) { self = .metadata(m) }
            else { self = .other }
        }
    }

    static func describe(_ error: Error) -> String {
        if case let DecodingError.dataCorrupted(context) = error {
            return context.underlyingError.map { "\($0)" } ?? context.debugDescription
        }
        return "\(error)"
    }

    /// Tensor names in data order.
    public var names: [String] { entries.map(\.name) }

    /// The header entry of `name`.
    /// - Throws: `TensorError.file` when there is no such tensor.
    public func entry(_ name: String) throws -> Entry {
        guard let i = byName[name] else {
            throw TensorError.file(path: path, detail: "no tensor named '\(name)'", offset: nil)
        }
        return entries[i]
    }

    /// The tensor converted to Float32 (see the type's notes on conversions).
    public func tensor(_ name: String) throws -> Tensor {
        let e = try entry(name)
        let t = Tensor(uninitialized: e.shape)
        let out = t.unsafePointer
        let n = e.shape.count
        data.withUnsafeBytes { raw in
            let base = raw.baseAddress! + dataStart + e.dataOffsets.lowerBound
            func each<T>(_ type: T.Type, _ convert: (T) -> Float) {
                for i in 0..<n { out[i] = convert(base.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)) }
            }
            switch e.dtype {
            case .F32:
                #if _endian(little)
                UnsafeMutableRawPointer(out).copyMemory(from: base, byteCount: n * 4)
                #else
                each(UInt32.self) { Float(bitPattern: UInt32(littleEndian: $0)) }
                #endif
            case .F64: each(UInt64.self) { Float(Double(bitPattern: UInt64(littleEndian: $0))) }
            case .F16: each(UInt16.self) { HalfPrecision.float(fromF16: UInt16(littleEndian: $0)) }
            case .BF16: each(UInt16.self) { HalfPrecision.float(fromBF16: UInt16(littleEndian: $0)) }
            case .I64: each(Int64.self) { Float(Int64(littleEndian: $0)) }
            case .I32: each(Int32.self) { Float(Int32(littleEndian: $0)) }
            case .I16: each(Int16.self) { Float(Int16(littleEndian: $0)) }
            case .I8: each(Int8.self) { Float($0) }
            case .U64: each(UInt64.self) { Float(UInt64(littleEndian: $0)) }
            case .U32: each(UInt32.self) { Float(UInt32(littleEndian: $0)) }
            case .U16: each(UInt16.self) { Float(UInt16(littleEndian: $0)) }
            case .U8, .BOOL: each(UInt8.self) { Float($0) }
            }
        }
        return t
    }

    /// The values of an integer or BOOL tensor, exactly (row-major).
    /// - Throws: `TensorError.file` for floating-point tensors or U64 values beyond `Int64.max`.
    public func integers(_ name: String) throws -> [Int64] {
        let e = try entry(name)
        guard e.dtype.isInteger else {
            throw TensorError.file(path: path, detail: "tensor '\(name)' has dtype \(e.dtype), not an integer type", offset: nil)
        }
        let n = e.shape.count
        var tooLarge = false
        let values: [Int64] = data.withUnsafeBytes { raw in
            let base = raw.baseAddress! + dataStart + e.dataOffsets.lowerBound
            func each<T>(_ type: T.Type, _ convert: (T) -> Int64) -> [Int64] {
                (0..<n).map { convert(base.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
            }
            switch e.dtype {
            case .I64: return each(Int64.self) { Int64(littleEndian: $0) }
            case .I32: return each(Int32.self) { Int64(Int32(littleEndian: $0)) }
            case .I16: return each(Int16.self) { Int64(Int16(littleEndian: $0)) }
            case .I8: return each(Int8.self) { Int64($0) }
            case .U64: return each(UInt64.self) { v in
                let u = UInt64(littleEndian: v)
                if u > UInt64(Int64.max) { tooLarge = true }
                return Int64(truncatingIfNeeded: u)
            }
            case .U32: return each(UInt32.self) { Int64(UInt32(littleEndian: $0)) }
            case .U16: return each(UInt16.self) { Int64(UInt16(littleEndian: $0)) }
            default: return each(UInt8.self) { Int64($0) }
            }
        }
        if tooLarge {
            throw TensorError.file(path: path, detail: "tensor '\(name)' holds U64 values beyond Int64.max", offset: nil)
        }
        return values
    }
}
