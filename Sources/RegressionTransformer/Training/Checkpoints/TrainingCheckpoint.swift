import Foundation
import Tensors

/// A training checkpoint: a complete model folder (`config.json`, `vocab.txt`, `inference.json`,
/// `model.safetensors` — loadable by prediction and generation as it is) plus what resuming needs:
/// `optimizer.safetensors` (AdamW's moments and step count), `trainer_state.json` (counters, best metric, loss
/// window, data fingerprint) and `training_config.json` (the resolved training configuration).
///
/// Written with `AtomicDirectory.replace`, so a checkpoint directory is never half-written.
public enum TrainingCheckpoint {
    public static let configurationFile = "training_config.json"

    /// Writes the trainer's current state to `url`.
    public static func write(_ trainer: Trainer, inference: InferenceConfiguration?, to url: URL,
                             includingOptimizer: Bool = true) throws {
        do {
            try AtomicDirectory.replace(at: url) { dir in
                try ModelFolder.write(trainer.model, vocabulary: trainer.vocabulary, inference: inference, to: dir)
                try Data(trainer.configuration.fileContents.utf8).write(to: dir.appendingPathComponent(configurationFile))
                trainer.state.precision = Gemm.precision.rawValue
                try trainer.state.write(to: dir.appendingPathComponent(TrainerState.fileName))
                if includingOptimizer {
                    try OptimizerState.write(trainer.optimizer, to: dir.appendingPathComponent(OptimizerState.fileName))
                }
            }
        } catch let error as TrainingCheckpointError {
            throw error
        } catch {
            throw TrainingCheckpointError(path: url.path, "cannot write the checkpoint (\(error))")
        }
    }

    /// A checkpoint read back for resuming: its model folder (with the model), training configuration and
    /// trainer state; `restore(into:)` puts the optimizer state into a trainer built from them.
    public struct Saved {
        public let url: URL
        public let folder: ModelFolder
        public let model: XLNetModel
        public let configuration: TrainingConfiguration
        public let state: TrainerState

        /// Restores the optimizer's moments and the trainer's counters.
        public func restore(into trainer: Trainer) throws {
            try trainer.restore(state)
            try OptimizerState.read(trainer.optimizer, from: url.appendingPathComponent(OptimizerState.fileName))
        }
    }

    /// The operand precision recorded in the checkpoint at `url` (`TrainerState.precision`): nil when there is no
    /// readable checkpoint or it predates the record.
    public static func recordedPrecision(at url: URL) -> Gemm.Precision? {
        guard let dir = AtomicDirectory.existing(at: url),
              let state = try? TrainerState(contentsOf: dir.appendingPathComponent(TrainerState.fileName)),
              let raw = state.precision else { return nil }
        return Gemm.Precision(rawValue: raw)
    }

    /// Reads the checkpoint at `url` (or the `.old` copy an interrupted swap left).
    /// - Throws: `TrainingCheckpointError` naming the file that is missing or broken.
    public static func read(_ url: URL) throws -> Saved {
        guard let dir = AtomicDirectory.existing(at: url) else {
            throw TrainingCheckpointError(path: url.path, "no checkpoint here (nothing to resume from)")
        }
        for file in [OptimizerState.fileName, TrainerState.fileName, configurationFile] {
            guard FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path) else {
                throw TrainingCheckpointError(path: dir.appendingPathComponent(file).path, "missing: not a resumable checkpoint")
            }
        }
        let folder = try ModelFolder(url: dir)
        let model = try folder.loadModel()
        let configuration = try TrainingConfiguration(contentsOf: dir.appendingPathComponent(configurationFile))
        let state = try TrainerState(contentsOf: dir.appendingPathComponent(TrainerState.fileName))
        return Saved(url: dir, folder: folder, model: model, configuration: configuration, state: state)
    }
}
