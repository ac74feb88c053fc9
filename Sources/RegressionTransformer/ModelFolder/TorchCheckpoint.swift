import Compression
import Foundation
import TensorIO
import Tensors

/// Reads the weights of a PyTorch checkpoint (`pytorch_model.bin`, what `torch.save(model.state_dict())` writes
/// since torch 1.6, and what RT/GT4SD models ship), without Python.
///
/// Layout (see Tests/…/Fixtures/xlnet_parity/README.md): a zip archive (entries usually stored) whose
/// `<prefix>/data.pkl` is a pickle of an `OrderedDict` name → `_rebuild_tensor_v2(storage, offset, size, stride, …)`,
/// each storage a persistent id `('storage', torch.FloatStorage, key, location, numel)` whose bytes are the entry
/// `<prefix>/data/<key>`. Tied weights share one storage (listed twice). Offsets and strides are honoured.
/// Float32, Float16, BFloat16 and Float64 storages (and integer ones) are converted to Float32.
///
/// The pre-1.6 format (a bare pickle stream) and big-endian archives are reported as unsupported.
public enum TorchCheckpoint {
    /// The tensors of the state dict at `url`, in the file's order.
    /// - Throws: `ModelFolderError` naming the file (and the tensor or pickle offset) for anything malformed.
    public static func read(contentsOf url: URL) throws -> [(name: String, tensor: Tensor)] {
        let path = url.path
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw ModelFolderError(path: path, "cannot read the file (\(error.localizedDescription))")
        }
        return try read(bytes: [UInt8](data), path: path)
    }

    /// The same from bytes in memory; `path` names them in messages.
    public static func read(bytes: [UInt8], path: String) throws -> [(name: String, tensor: Tensor)] {
        guard bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B, bytes[2] == 0x03, bytes[3] == 0x04 else {
            if bytes.first == 0x80 {
                throw ModelFolderError(path: path, "a legacy (torch < 1.6) checkpoint; re-save it with torch ≥ 1.6 "
                                       + "(torch.save(torch.load(f), f)) or convert it to model.safetensors")
            }
            throw ModelFolderError(path: path, "not a PyTorch checkpoint (not a zip archive)")
        }
        let archive: ZipArchive
        do { archive = try ZipArchive(bytes: bytes, name: path) } catch {
            throw ModelFolderError(path: path, "\(error)")
        }
        let pickles = archive.entries.filter { $0.name == "data.pkl" || $0.name.hasSuffix("/data.pkl") }
        guard pickles.count == 1, let pickleEntry = pickles.first else {
            throw ModelFolderError(path: path, pickles.isEmpty ? "no data.pkl in the archive (not a torch.save file)"
                                   : "several data.pkl entries in the archive")
        }
        let prefix = String(pickleEntry.name.dropLast("data.pkl".count))
        if let order = archive.entry(named: prefix + "byteorder") {
            let text = String(decoding: try contents(archive, order, path), as: UTF8.self)
            guard text.trimmingCharacters(in: .whitespacesAndNewlines) == "little" else {
                throw ModelFolderError(path: path, "byte order '\(text)' is not supported (only little-endian)")
            }
        }
        var unpickler = Unpickler(bytes: try contents(archive, pickleEntry, path), path: path + ":" + pickleEntry.name)
        let root = try unpickler.load()
        guard case .dict(let items) = root else {
            throw ModelFolderError(path: path, "the pickle is not a state dict (a mapping of names to tensors)")
        }
        var storages: [String: [UInt8]] = [:]
        var result: [(name: String, tensor: Tensor)] = []
        for (key, value) in items {
            guard case .string(let name) = key else {
                throw ModelFolderError(path: path, "the state dict has a key that is not a string")
            }
            guard case .tensor(let ref) = value else {
                throw ModelFolderError(path: path, "state dict entry '\(name)' is not a tensor")
            }
            if storages[ref.storageKey] == nil {
                guard let entry = archive.entry(named: prefix + "data/" + ref.storageKey) else {
                    throw ModelFolderError(path: path, "tensor '\(name)': storage '\(prefix)data/\(ref.storageKey)' is missing")
                }
                storages[ref.storageKey] = try contents(archive, entry, path)
            }
            result.append((name, try materialize(ref, storages[ref.storageKey]!, name: name, path: path)))
        }
        return result
    }

    private static func contents(_ archive: ZipArchive, _ entry: ZipArchive.Entry, _ path: String) throws -> [UInt8] {
        do { return try archive.contents(of: entry) } catch { throw ModelFolderError(path: path, "\(error)") }
    }

    /// Element size and converter of a storage class.
    private static func decoder(for storageType: String) -> (size: Int, convert: (UnsafeRawPointer) -> Float)? {
        switch storageType {
        case "FloatStorage": return (4, { Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) })
        case "HalfStorage": return (2, { HalfPrecision.float(fromF16: UInt16(littleEndian: $0.loadUnaligned(as: UInt16.self))) })
        case "BFloat16Storage": return (2, { HalfPrecision.float(fromBF16: UInt16(littleEndian: $0.loadUnaligned(as: UInt16.self))) })
        case "DoubleStorage": return (8, { Float(Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)))) })
        case "LongStorage": return (8, { Float(Int64(littleEndian: $0.loadUnaligned(as: Int64.self))) })
        case "IntStorage": return (4, { Float(Int32(littleEndian: $0.loadUnaligned(as: Int32.self))) })
        case "ShortStorage": return (2, { Float(Int16(littleEndian: $0.loadUnaligned(as: Int16.self))) })
        case "CharStorage": return (1, { Float($0.load(as: Int8.self)) })
        case "ByteStorage", "BoolStorage": return (1, { Float($0.load(as: UInt8.self)) })
        default: return nil
        }
    }

    /// The tensor `ref` describes, read from its storage's bytes (honouring offset and strides).
    private static func materialize(_ ref: Unpickler.TensorReference, _ storage: [UInt8], name: String,
                                    path: String) throws -> Tensor {
        func fail(_ why: String) -> ModelFolderError { ModelFolderError(path: path, "tensor '\(name)': \(why)") }
        guard let (size, convert) = decoder(for: ref.storageType) else {
            throw fail("storage type \(ref.storageType) is not supported")
        }
        guard storage.count >= ref.storageCount * size else {
            throw fail("storage '\(ref.storageKey)' holds \(storage.count) bytes, fewer than \(ref.storageCount) × \(size)")
        }
        guard ref.shape.count == ref.strides.count else { throw fail("size \(ref.shape) and stride \(ref.strides) differ in rank") }
        let count = ref.shape.reduce(1, *)
        if count > 0 {
            let last = ref.offset + zip(ref.shape, ref.strides).reduce(0) { $0 + ($1.0 - 1) * $1.1 }
            guard ref.offset >= 0, last < ref.storageCount else {
                throw fail("offset \(ref.offset), size \(ref.shape), stride \(ref.strides) reach outside its storage of \(ref.storageCount) elements")
            }
        }
        let tensor = Tensor(uninitialized: Shape(ref.shape))
        let out = tensor.unsafePointer
        storage.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            let contiguous = Shape(ref.shape).strides == ref.strides
            if contiguous {
                for i in 0..<count { out[i] = convert(base + (ref.offset + i) * size) }
                return
            }
            var index = [Int](repeating: 0, count: ref.shape.count)
            for i in 0..<count {
                var s = ref.offset
                for k in index.indices { s += index[k] * ref.strides[k] }
                out[i] = convert(base + s * size)
                var k = index.count - 1
                while k >= 0 {
                    index[k] += 1
                    if index[k] < ref.shape[k] { break }
                    index[k] = 0
                    k -= 1
                }
            }
        }
        return tensor
    }
}
