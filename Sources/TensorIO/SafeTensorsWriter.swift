import Tensors
import Foundation

/// Writing `.safetensors` files (F32), readable by HuggingFace's `safetensors` package.
///
/// Tensors are stored in the order given (sorted by name by `ParameterStore.save`), the header JSON is padded
/// with spaces to a multiple of 8 bytes (as the reference writer does, so data stays aligned), and the file is
/// written to a temporary file next to the destination and renamed, so a crash never leaves half a file.
public enum SafeTensorsWriter {
    /// The file's bytes for `tensors` (name, tensor) with optional `__metadata__`.
    /// - Throws: `TensorError.invalidArgument` for duplicate or empty names, or the reserved `__metadata__`.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String]? = nil) throws -> Data {
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
            let bytes = t.count * 4
            parts.append("\(JSONText.quoted(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.dims.map(String.init).joined(separator: ","))],"
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
                #if _endian(big)
                for v in b { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
                #else
                out.append(UnsafeBufferPointer(start: UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: UInt8.self),
                                               count: b.count * 4))
                #endif
            }
        }
        return out
    }

    /// Writes `tensors` to `url` atomically (temporary file + rename).
    /// - Throws: `TensorError.file` when the file cannot be written.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String]? = nil, to url: URL) throws {
        let data = try encode(tensors, metadata: metadata)
        do { try DurableFile.write(data, to: url) } catch {
            throw TensorError.file(path: url.path, detail: "cannot write: \(error.localizedDescription)", offset: nil)
        }
    }
}
