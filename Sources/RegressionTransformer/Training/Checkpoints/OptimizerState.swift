import Foundation
import TensorIO
import Tensors

/// AdamW's state in a checkpoint: `optimizer.safetensors` with the first and second moments of every trainable
/// parameter under `exp_avg.NAME` / `exp_avg_sq.NAME` (PyTorch's names for them), F32, and the step count in the
/// metadata (`step`). Bit-exact: resuming continues with exactly the moments and bias corrections it stopped with.
public enum OptimizerState {
    public static let fileName = "optimizer.safetensors"

    /// Writes the state of `optimizer` to `url` (atomically).
    public static func write(_ optimizer: AdamW, to url: URL) throws {
        let store = optimizer.parameters
        var items: [(name: String, tensor: Tensor)] = []
        for (i, spec) in store.specs.enumerated() where spec.trainable {
            let offset = store.offsets[i]
            items.append(("exp_avg.\(spec.name)", Tensor(shape: spec.shape, storage: optimizer.firstMoment.storage,
                                                         offset: offset)))
            items.append(("exp_avg_sq.\(spec.name)", Tensor(shape: spec.shape, storage: optimizer.secondMoment.storage,
                                                            offset: offset)))
        }
        items.sort { $0.name < $1.name }
        try SafeTensorsWriter.write(items, metadata: ["step": String(optimizer.stepCount), "format": "rt-adamw"], to: url)
    }

    /// Restores `optimizer` from `url`.
    /// - Throws: `TrainingCheckpointError` when the file is unreadable or does not hold exactly the moments of
    ///   this model's trainable parameters with their shapes (nothing is modified then).
    public static func read(_ optimizer: AdamW, from url: URL) throws {
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(contentsOf: url) } catch {
            throw TrainingCheckpointError(path: url.path, "\(error)")
        }
        guard let stepText = file.metadata["step"], let step = Int(stepText), step >= 0 else {
            throw TrainingCheckpointError(path: url.path, "no optimizer step count in the metadata")
        }
        let store = optimizer.parameters
        var plan: [(offset: Int, first: Tensor, second: Tensor)] = []
        for (i, spec) in store.specs.enumerated() where spec.trainable {
            let m: Tensor, v: Tensor
            do {
                m = try file.tensor("exp_avg.\(spec.name)")
                v = try file.tensor("exp_avg_sq.\(spec.name)")
            } catch {
                throw TrainingCheckpointError(path: url.path, "the optimizer state of '\(spec.name)' is missing")
            }
            guard m.shape == spec.shape, v.shape == spec.shape else {
                throw TrainingCheckpointError(path: url.path, "the optimizer state of '\(spec.name)' has shape \(m.shape), the parameter \(spec.shape)")
            }
            plan.append((store.offsets[i], m, v))
        }
        let expected = plan.count * 2
        guard file.names.count == expected else {
            throw TrainingCheckpointError(path: url.path, "\(file.names.count) tensors, expected \(expected) (two per trainable parameter)")
        }
        for item in plan {
            (optimizer.firstMoment.unsafePointer + item.offset).update(from: item.first.unsafePointer, count: item.first.count)
            (optimizer.secondMoment.unsafePointer + item.offset).update(from: item.second.unsafePointer, count: item.second.count)
        }
        optimizer.restore(stepCount: step)
    }
}

/// A checkpoint that cannot be written or resumed from: the file and why.
public typealias TrainingCheckpointError = FileError
