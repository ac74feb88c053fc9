import Tensors
import Foundation

/// Checkpoints: parameters to and from `.safetensors` by name.
extension ParameterStore {
    /// Writes every parameter (F32, names sorted) to `url`, atomically.
    public func save(to url: URL, metadata: [String: String]? = nil) throws {
        let items = specs.indices.sorted { specs[$0].name < specs[$1].name }.map { (name: specs[$0].name, tensor: tensors(at: $0)) }
        try SafeTensorsWriter.write(items, metadata: metadata, to: url)
    }

    private func tensors(at i: Int) -> Tensor { tensor(at: i) }

    /// Copies tensors of `file` into the parameters of the same name (converting F16/BF16/F64 to F32).
    /// With `strict`, every parameter must be present and every tensor in the file must be a parameter;
    /// otherwise absent parameters keep their values and extra tensors are ignored. Returns the names loaded.
    /// - Throws: `TensorError.file` naming the file and tensor for missing or unknown names and shape mismatches
    ///   (nothing is modified when an error is thrown).
    @discardableResult
    public func load(from file: SafeTensorsFile, strict: Bool = true) throws -> [String] {
        let known = Set(names)
        if strict {
            if let missing = names.first(where: { (try? file.entry($0)) == nil }) {
                throw TensorError.file(path: file.path, detail: "parameter '\(missing)' is missing", offset: nil)
            }
            if let extra = file.names.first(where: { !known.contains($0) }) {
                throw TensorError.file(path: file.path, detail: "tensor '\(extra)' is not a parameter of this model", offset: nil)
            }
        }
        var plan: [(Int, SafeTensorsFile.Entry)] = []
        for (i, s) in specs.enumerated() {
            guard let e = try? file.entry(s.name) else { continue }
            guard e.shape == s.shape else {
                throw TensorError.file(path: file.path,
                                       detail: "tensor '\(s.name)' has shape \(e.shape) but the parameter is \(s.shape)", offset: nil)
            }
            plan.append((i, e))
        }
        for (i, e) in plan { try assign(specs[i].name, file.tensor(e.name)) }
        return plan.map { specs[$0.0].name }
    }

    /// Reads `url` and loads it (see `load(from:strict:)`).
    @discardableResult
    public func load(contentsOf url: URL, strict: Bool = true) throws -> [String] {
        try load(from: SafeTensorsFile(contentsOf: url), strict: strict)
    }
}
