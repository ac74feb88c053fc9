import Foundation
import TensorIO

/// Where a training run stands — everything besides the weights and the optimizer's moments that a resumed run
/// needs to continue exactly as an uninterrupted one (`trainer_state.json` in a checkpoint).
///
/// No random generator state is stored: every random choice is derived from the seed and the counters here
/// (`RunRandomness`).
public struct TrainerState: Codable, Equatable, Sendable {
    /// Optimizer steps taken (HF's `global_step`).
    public var optimizerStep: Int = 0
    /// Micro-batches trained (the index of the next one).
    public var microStep: Int = 0
    /// The current epoch and how many of its micro-batches are done.
    public var epoch: Int = 0
    public var batchInEpoch: Int = 0
    /// The optimizer steps the run trains for (`max_steps`, or epochs × steps per epoch).
    public var totalSteps: Int
    /// The run seed.
    public var seed: UInt64
    /// Non-padding tokens trained on so far.
    public var tokensSeen: Int = 0
    /// The best value of the checkpoint metric so far, and its step.
    public var best: BestRecord?
    /// Loss sums since the last metrics line.
    public var window = LossWindow()
    /// Identifies the training data and settings the state belongs to: a resumed run must see the same.
    public var fingerprint: String
    /// The operand precision of the large products when the checkpoint was written (`Gemm.Precision`'s raw
    /// value: `float32` or `bf16`), so `--resume` continues in it; nil in checkpoints from before it was recorded
    /// (those ran in float32, the default then). Not part of the fingerprint: a run may be continued in another.
    public var precision: String?

    public init(totalSteps: Int, seed: UInt64, fingerprint: String) {
        self.totalSteps = totalSteps
        self.seed = seed
        self.fingerprint = fingerprint
    }

    /// The best value of the `best` checkpoint's metric.
    public struct BestRecord: Codable, Equatable, Sendable {
        public var metric: String
        public var value: Double
        public var step: Int
    }

    public static let fileName = "trainer_state.json"

    /// Writes the state as JSON to `url` (atomically).
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try DurableFile.write(encoder.encode(self), to: url)
    }

    /// Reads a state written by `write(to:)`.
    public init(contentsOf url: URL) throws {
        do {
            self = try JSONDecoder().decode(TrainerState.self, from: Data(contentsOf: url))
        } catch {
            throw TrainingCheckpointError(path: url.path, "cannot read the trainer state (\(error.localizedDescription))")
        }
    }
}

/// Running sums of the losses per objective over the micro-batches since the last metrics line (the logged
/// training loss is their average, docs/training.md §13).
public struct LossWindow: Codable, Equatable, Sendable {
    /// Σ loss and count per objective key (`pp`, `cg`, `sc`, `plm`, and `loss` for every micro-batch's total).
    public var sums: [String: Double] = [:]
    public var counts: [String: Int] = [:]
    /// Non-padding tokens and padded positions (`B·L`) in the window.
    public var tokens = 0
    public var positions = 0
    /// Optimizer steps in the window.
    public var steps = 0

    public init() {}

    public mutating func add(_ key: String, _ value: Double) {
        sums[key, default: 0] += value
        counts[key, default: 0] += 1
    }

    /// The average of each key.
    public var averages: [String: Double] {
        Dictionary(uniqueKeysWithValues: sums.map { ($0.key, $0.value / Double(max(counts[$0.key] ?? 1, 1))) })
    }
}
