import Foundation
import TensorIO
import Tensors

/// Where a run stands, reported after every optimizer step (for a progress bar).
public struct TrainingProgress: Sendable {
    public var step: Int
    public var totalSteps: Int
    /// Epochs done (fractional).
    public var epoch: Double
    /// Average losses of the current logging window, by key (`loss`, `pp`, `cg`, `sc`, `plm`).
    public var losses: [String: Double]
    /// Padded positions (`B·L`) per second of training since the run (or resume) started (time spent in
    /// validation and checkpoints excluded).
    public var tokensPerSecond: Double
    public var elapsedSeconds: Double
    /// Estimated seconds to the end.
    public var remainingSeconds: Double?
}

/// Something a run reports besides progress.
public enum TrainingEvent: Sendable {
    case progress(TrainingProgress)
    /// A metrics line was appended (`train`, `eval` or `checkpoint`).
    case metrics([String: JSONValue])
    case message(String)
}

/// A training run with its output directory:
///
/// ```
/// OUTPUT/
///   config.json vocab.txt inference.json model.safetensors   the final model (a model folder)
///   training_config.json                                    the resolved training configuration
///   metrics.jsonl                                           one JSON object per line (`MetricsLog`)
///   checkpoint-last/                                        every save_steps, at the end, on interruption
///   checkpoint-best/                                        the best model by `checkpoint-str` (no optimizer)
/// ```
///
/// Every `logging_steps` a `train` line (window averages of each loss, learning rate, gradient norm, padded
/// positions per second of the window's training steps — validation and checkpoint time excluded);
/// every `eval_steps` (and at the end) a validation and an `eval` line; the `best` checkpoint is replaced when
/// its metric improves (lowest RMSE / training loss, highest Pearson / Spearman); `checkpoint-last` every
/// `save_steps`, at the end, and when `shouldStop` turns true (Ctrl-C), after which `run` returns
/// `.interrupted`. `resume` continues from `checkpoint-last` exactly.
public final class TrainingRun {
    public let trainer: Trainer
    public let output: URL
    public let inference: InferenceConfiguration?
    /// The metric of `checkpoint-best`.
    public let bestMetric: TrainingConfiguration.BestMetric
    /// Asked between optimizer steps; true stops the run after writing `checkpoint-last`.
    public var shouldStop: () -> Bool = { false }
    /// Receives progress and metrics lines.
    public var observer: (TrainingEvent) -> Void = { _ in }

    public enum Outcome: Equatable, Sendable {
        case finished
        case interrupted(step: Int)
    }

    public static let metricsFile = "metrics.jsonl"
    public var lastCheckpoint: URL { Self.lastCheckpoint(in: output) }
    /// `checkpoint-last` of the run in `output`.
    public static func lastCheckpoint(in output: URL) -> URL { output.appendingPathComponent("checkpoint-last") }
    public var bestCheckpoint: URL { output.appendingPathComponent("checkpoint-best") }

    public init(trainer: Trainer, output: URL, inference: InferenceConfiguration?) {
        self.trainer = trainer
        self.output = output
        self.inference = inference
        bestMetric = trainer.configuration.bestMetric ?? (trainer.validation == nil ? .trainingLoss : .rmse)
    }

    /// Trains to the end (or until `shouldStop`). With `resumed`, the trainer holds a restored checkpoint and the
    /// metrics file is cut back to its step.
    public func run(resumed: Bool = false) throws -> Outcome {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let metrics = try MetricsLog(url: output.appendingPathComponent(Self.metricsFile),
                                     truncatingAfter: resumed ? trainer.state.optimizerStep : nil)
        defer { metrics.close() }
        func emit(_ line: [String: JSONValue]) {
            metrics.append(line)
            observer(.metrics(line))
        }
        let c = trainer.configuration
        let start = Date()
        var positions = 0
        var trainingSeconds = 0.0, windowSeconds = 0.0
        let startStep = trainer.state.optimizerStep
        while !trainer.isFinished {
            if shouldStop() {
                try saveLast(emit)
                return .interrupted(step: trainer.state.optimizerStep)
            }
            let stepStart = Date()
            let report = try trainer.step()
            let seconds = Date().timeIntervalSince(stepStart)
            trainingSeconds += seconds
            windowSeconds += seconds
            positions += report.positions
            let step = report.step
            let elapsed = Date().timeIntervalSince(start)
            let rate = Double(positions) / max(trainingSeconds, 1e-9)
            let done = step - startStep
            observer(.progress(TrainingProgress(
                step: step, totalSteps: trainer.state.totalSteps,
                epoch: Double(trainer.state.epoch) + Double(trainer.state.batchInEpoch) / Double(trainer.microBatchesPerEpoch),
                losses: trainer.state.window.averages, tokensPerSecond: rate, elapsedSeconds: elapsed,
                remainingSeconds: done > 0 ? elapsed / Double(done) * Double(trainer.state.totalSteps - step) : nil)))
            if step % c.loggingSteps == 0 || trainer.isFinished {
                let w = trainer.state.window
                var line: [String: JSONValue] = [
                    "event": .string("train"), "step": .integer(step),
                    "epoch": .number(Double(trainer.state.epoch) + Double(trainer.state.batchInEpoch) / Double(trainer.microBatchesPerEpoch)),
                    "learning_rate": .number(report.learningRate), "grad_norm": .number(report.gradientNorm),
                    "tokens": .integer(w.tokens), "positions": .integer(w.positions),
                    "tokens_per_second": .number(Double(w.positions) / max(windowSeconds, 1e-9)),
                ]
                for (k, v) in w.averages { line[k] = .number(v) }
                emit(line)
                if bestMetric == .trainingLoss, let loss = w.averages["loss"] {
                    try considerBest(loss, step: step, emit)
                }
                trainer.state.window = LossWindow()
                windowSeconds = 0
            }
            if trainer.validation != nil && (step % c.evaluationSteps == 0 || trainer.isFinished) {
                try validate(step: step, emit)
            }
            if step % c.saveSteps == 0 && !trainer.isFinished { try saveLast(emit) }
        }
        try saveLast(emit)
        try writeFinalModel()
        return .finished
    }

    func validate(step: Int, _ emit: ([String: JSONValue]) -> Void) throws {
        let report = try trainer.validate()
        var line: [String: JSONValue] = ["event": .string("eval"), "step": .integer(step)]
        for (k, v) in report.losses { line[k + "_loss"] = .number(v) }
        if !report.properties.isEmpty { line["decoding"] = .string(report.decoding) }
        for (name, m) in report.properties {
            line[name] = .object([
                "rmse": .number(m.rmse), "mae": .number(m.mae), "count": .integer(m.count),
                "pearson": m.pearson.map(JSONValue.number) ?? .null,
                "spearman": m.spearman.map(JSONValue.number) ?? .null,
            ])
        }
        emit(line)
        guard bestMetric != .trainingLoss, let first = trainer.configuration.properties.first,
              let m = report.properties[first] else { return }
        let value: Double?
        switch bestMetric {
        case .rmse: value = m.rmse
        case .pearson: value = m.pearson
        case .spearman: value = m.spearman
        case .trainingLoss: value = nil
        }
        if let value { try considerBest(value, step: step, emit) }
    }

    /// Replaces `checkpoint-best` when `value` beats the best so far.
    func considerBest(_ value: Double, step: Int, _ emit: ([String: JSONValue]) -> Void) throws {
        guard value.isFinite else { return }
        if let best = trainer.state.best {
            let better = bestMetric.maximises ? value > best.value : value < best.value
            guard better else { return }
        }
        trainer.state.best = .init(metric: bestMetric.rawValue, value: value, step: step)
        try TrainingCheckpoint.write(trainer, inference: inference, to: bestCheckpoint, includingOptimizer: false)
        emit(["event": .string("checkpoint"), "step": .integer(step), "kind": .string("best"),
              "metric": .string(bestMetric.rawValue), "value": .number(value)])
    }

    func saveLast(_ emit: ([String: JSONValue]) -> Void) throws {
        try TrainingCheckpoint.write(trainer, inference: inference, to: lastCheckpoint)
        emit(["event": .string("checkpoint"), "step": .integer(trainer.state.optimizerStep), "kind": .string("last")])
    }

    /// The final weights as a model folder at the output root, with the resolved training configuration.
    func writeFinalModel() throws {
        try ModelFolder.write(trainer.model, vocabulary: trainer.vocabulary, inference: inference, to: output)
        try DurableFile.write(Data(trainer.configuration.fileContents.utf8),
                              to: output.appendingPathComponent(TrainingCheckpoint.configurationFile))
    }
}
