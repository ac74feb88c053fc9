import Tensors
import Foundation

/// Writing `.safetensors` files (F32, or BF16 to halve a model's size), readable by HuggingFace's `safetensors`
/// package.
///
/// Tensors are stored in the order given (sorted by name by `ParameterStore.save`), the header JSON is padded
/// with spaces to a multiple of 8 bytes (as the reference writer does, so data stays aligned), and the file is
/// written to a temporary file next to the destination and renamed, so a crash never leaves half a file.
public enum SafeTensorsWriter {
    /// How the float values are stored (the safetensors dtype names).
    public enum Storage: String, Sendable, CaseIterable {
        /// float32, exact.
        case F32
        /// bfloat16, each value rounded to nearest even (`HalfPrecision.bf16(from:)`); readers widen it exactly.
        case BF16

        var bytesPerValue: Int { self == .F32 ? 4 : 2 }
    }

    /// The file's bytes for `tensors` (name, tensor) with optional `__metadata__`, every tensor stored as `storage`.
    /// - Throws: `TensorError.invalidArgument` for duplicate or empty names, or the reserved `__metadata__`.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String]? = nil,
                              storage: Storage = .F32) throws -> Data {
        var seen = Set<String>()
        for (name, _) in tensors {
            guard !name.isEmpty, name != "__metadata__", seen.insert(name).inserted else {
                throw TensorError.invalidArgument(op: "safetensors write", detail: "invalid or duplicate tensor name '\(name)'")
            }
        }
        var header = "{"
        var parts: [String] = []
        if let metadata, !metadata.isEmpty {
            let items = metadata.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\(JSONText.quoted($0.value))" }
            parts.append("\"__metadata__\":{" + items.joined(separator: ",") + "}")
        }
        var offset = 0
        for (name, t) in tensors {
            let bytes = t.count * storage.bytesPerValue
            parts.append("\(JSONText.quoted(name)):{\"dtype\":\"\(storage.rawValue)\",\"shape\":[\(t.shape.dims.map(String.init).joined(separator: ","))],"
                         + "\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while (8 + headerBytes.count) % 8 != 0 { headerBytes.append(0x20) }
        var out = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: headerBytes)
        for (_, t) in tensors {
            t.withUnsafeBufferPointer { b in
                switch storage {
                case .BF16:
                    for v in b { withUnsafeBytes(of: HalfPrecision.bf16(from: v).littleEndian) { out.append(contentsOf: $0) } }
                case .F32:
                    #if _endian(big)
                    for v in b { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
                    #else
                    out.append(UnsafeBufferPointer(start: UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: UInt8.self),
                                                   count: b.count * 4))
                    #endif
                }
            }
        }
        return out
    }

    /// Writes `tensors` to `url` atomically (temporary file + rename).
    /// - Throws: `TensorError.file` when the file cannot be written.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String]? = nil,
                             storage: Storage = .F32, to url: URL) throws {
        let data = try encode(tensors, metadata: metadata, storage: storage)
        do { try DurableFile.write(data, to: url) } catch {
            throw TensorError.file(path: url.path, detail: "cannot write: \(error.localizedDescription)", offset: nil)
        }
    }
}
