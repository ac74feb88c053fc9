import ArgumentParser
import Foundation
import RegressionTransformer
import Tensors

/// `rt train` — trains an RT (thin: see `TrainingSetup`, `TrainingRun`).
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a Regression Transformer: from scratch from a model config, or fine-tune a model folder.",
        discussion: """
            Data are RT lines (<qed>0.4068|[C][C][O]) or GT4SD CSV tables (a 'text' column and numeric property \
            columns), plain or gzip. Every line is checked before training starts; errors name file and line.

            The training config takes the original's keys (alternate_tasks, task, property_tokens, alternate_steps, \
            cc_loss, cc_loss_weight, cg_collator, cg_collator_params, checkpoint-str, …) and HuggingFace trainer \
            arguments (learning_rate, per_device_train_batch_size, num_train_epochs, max_steps, warmup_steps, …); \
            options given here override it. Without one: the QED recipe of the original (alternating property \
            prediction / conditional generation every 50 steps with the self-consistency loss) on every property \
            of the data, or permutation language modelling if the data have none.

            With --config, the vocabulary is built from the data unless --vocab is given, and the config's \
            'language' key (smiles, selfies, aas, reaction_smiles, reaction_selfies) picks the tokenizer. With \
            --model, new property tags and number tokens of the data are added to the model's vocabulary.

            OUTPUT receives the final model folder (config.json, vocab.txt, inference.json, model.safetensors), \
            training_config.json, metrics.jsonl (one JSON object per line: train, eval, checkpoint events), \
            checkpoint-last/ (every --save-steps and on Ctrl-C; continue with --resume, bit-identically) and \
            checkpoint-best/. Progress goes to standard error.

            Examples:
              rt train --train train.txt --valid valid.txt --config small.json -o qed
              rt train --train moses_train_qed_200k.csv.gz --text-column smiles \\
                --property-column qed --convert-smiles --config small.json \\
                --validation-fraction 0.01 --max-steps 20000 -o qed
              rt train --train esol.csv --text-column smiles --convert-smiles \\
                --property-column logSolubility=esol --model qed -o esol
              rt train ... -o qed --resume           continue after Ctrl-C
            """)

    @Option(name: .customLong("train"), help: "Training data file (repeatable).")
    var trainingFiles: [String] = []

    @Option(name: .customLong("valid"), help: "Validation data file (repeatable).")
    var validationFiles: [String] = []

    @Option(help: "Without --valid: fraction of the training data held out for validation (seeded).")
    var validationFraction: Double = 0

    @Option(help: "Fine-tune this model folder.")
    var model: String?

    @Option(name: .customLong("config"), help: "Train from scratch with this model config (config.json keys).")
    var modelConfig: String?

    @Option(help: "With --config: start from this vocabulary (missing tokens of the data are appended).")
    var vocab: String?

    @Option(help: "Sequence language (default: the model's 'language').")
    var language: SequenceLanguage?

    @Option(help: "Training config JSON (the original's keys and HF trainer arguments).")
    var trainingConfig: String?

    @Option(name: .shortAndLong, help: "Output directory.")
    var output: String

    @Option(help: "Optimizer steps to train for (overrides epochs).")
    var maxSteps: Int?

    @Option(help: "Epochs to train for (num_train_epochs).")
    var epochs: Double?

    @Option(help: "Samples per micro-batch.")
    var batchSize: Int?

    @Option(help: "Peak learning rate.")
    var learningRate: Double?

    @Option(help: "Linear warmup steps.")
    var warmupSteps: Int?

    @Option(help: "Micro-batches per optimizer step.")
    var gradientAccumulation: Int?

    @Option(help: "Seed of the run (initialisation, data order, masking, dropout).")
    var seed: UInt64?

    @Option(help: "Optimizer steps per metrics line.")
    var logSteps: Int?

    @Option(help: "Optimizer steps between validations.")
    var evalSteps: Int?

    @Option(help: "Optimizer steps between checkpoints.")
    var saveSteps: Int?

    @Flag(help: "Continue the run in --output from its last checkpoint.")
    var resume = false

    @Flag(help: "No progress bar.")
    var quiet = false

    @OptionGroup var dataOptions: DataFileOptions
    @OptionGroup var precision: PrecisionOptions

    func validate() throws {
        if trainingFiles.isEmpty { throw ValidationError("give the training data with --train FILE") }
        if !resume {
            if (model == nil) == (modelConfig == nil) {
                throw ValidationError("give either --model FOLDER (fine-tune) or --config MODEL_CONFIG.json (from scratch)")
            }
        }
        if vocab != nil && model != nil { throw ValidationError("--vocab goes with --config; a model folder has its own vocabulary") }
        if !(0..<1).contains(validationFraction) { throw ValidationError("--validation-fraction must be in [0, 1)") }
        if validationFraction > 0 && !validationFiles.isEmpty {
            throw ValidationError("give either --valid or --validation-fraction, not both")
        }
    }

    func run() throws {
        _ = try Gemm.backendFromEnvironment()
        printError(try applyPrecision())
        var c: TrainingConfiguration
        var propertiesFromData = false
        do {
            if let path = trainingConfig {
                c = try TrainingConfiguration(contentsOf: URL(fileURLWithPath: path))
            } else {
                c = .alternatingRecipe(properties: [])
                propertiesFromData = true
            }
        } catch { throw CommandFailure("\(error)") }
        if let maxSteps { c.maxSteps = maxSteps }
        if let epochs { c.epochs = epochs; if maxSteps == nil { c.maxSteps = nil } }
        if let batchSize { c.batchSize = batchSize }
        if let learningRate { c.learningRate = learningRate }
        if let warmupSteps { c.warmupSteps = warmupSteps }
        if let gradientAccumulation { c.gradientAccumulationSteps = gradientAccumulation }
        if let seed { c.seed = seed }
        if let logSteps { c.loggingSteps = logSteps }
        if let evalSteps { c.evaluationSteps = evalSteps }
        if let saveSteps { c.saveSteps = saveSteps }

        let source: ModelSource = model.map(ModelSource.folder) ?? .configuration(modelConfig ?? "")
        var setup = TrainingSetup(trainingFiles: trainingFiles, model: source, configuration: c,
                                  output: URL(fileURLWithPath: output))
        setup.validationFiles = validationFiles
        setup.validationFraction = validationFraction
        setup.vocabularyFile = vocab
        setup.language = language
        setup.propertiesFromData = propertiesFromData
        setup.resume = resume
        // The language is known once the model is read; the SMILES conversion is resolved then.
        var options = try dataOptions.datasetOptions(language: dataOptions.convertSmiles ? .selfies : .smiles)
        options.conversion = nil
        setup.dataOptions = options
        setup.convertsSMILES = dataOptions.convertSmiles
        setup.log = { printError($0) }

        let prepared: TrainingSetup.Prepared
        do { prepared = try setup.prepare() } catch { throw CommandFailure("\(error)") }
        let run = prepared.run
        let progress = ProgressBar(enabled: !quiet)
        run.observer = { event in
            switch event {
            case .progress(let p): progress.update(p)
            case .metrics(let line): progress.note(line)
            case .message(let text): progress.message(text)
            }
        }
        Interrupt.install()
        run.shouldStop = { Interrupt.requested }
        let outcome: TrainingRun.Outcome
        do { outcome = try run.run(resumed: prepared.resumed) } catch {
            progress.finish()
            throw CommandFailure("\(error)")
        }
        progress.finish()
        switch outcome {
        case .finished:
            print("model: \(run.output.path)")
            if let best = run.trainer.state.best {
                let metric = best.metric == TrainingConfiguration.BestMetric.trainingLoss.rawValue ? "training loss" : best.metric
                print("best: \(run.bestCheckpoint.path) (\(metric) \(String(format: "%.4f", best.value)) at step \(best.step))")
            }
            print("metrics: \(run.output.appendingPathComponent(TrainingRun.metricsFile).path)")
        case .interrupted(let step):
            printError("interrupted at step \(step); checkpoint written to \(run.lastCheckpoint.path); continue with --resume")
            throw ExitCode(130)
        }
    }
}

extension Train {
    /// Sets the precision of the run: `--precision`; else, resuming, the one its checkpoint recorded (float32 for
    /// checkpoints from before the record, the default then), so a resumed run continues bit-identically; else
    /// auto — bf16 products where this machine measured them faster (docs/engine.md). Returns the stderr line.
    func applyPrecision() throws -> String {
        guard resume else { return try precision.apply(default: .auto) }
        let recorded = TrainingCheckpoint.recordedPrecision(at: TrainingRun.lastCheckpoint(in: URL(fileURLWithPath: output)))
        let fallback: PrecisionOptions.Choice = recorded == .bf16 ? .bf16 : .float32
        let line = try precision.apply(default: fallback,
                                       reason: recorded == nil ? "no precision recorded in the checkpoint:" : "as recorded in the checkpoint:")
        let was = recorded ?? .float32
        if Gemm.precision != was {
            return line + "\nnote: the checkpoint was trained with \(was.rawValue) products; continuing with "
                + "\(Gemm.precision.rawValue) is not bit-identical to an uninterrupted run"
        }
        return line
    }
}

/// Ctrl-C: the first SIGINT asks the run to stop after the current step (it then writes a checkpoint); a second
/// one kills the process.
enum Interrupt {
    nonisolated(unsafe) static var flag: sig_atomic_t = 0

    static var requested: Bool { flag != 0 }

    static func install() {
        signal(SIGINT) { _ in
            Interrupt.flag = 1
            signal(SIGINT, SIG_DFL)
        }
    }
}

/// The progress line on standard error: step, losses per objective, tokens/s, elapsed time and ETA. Redrawn in
/// place on a terminal (at most 4 times a second); one line per metrics line otherwise.
final class ProgressBar {
    let enabled: Bool
    let terminal = isatty(STDERR_FILENO) != 0
    var lastDraw = Date.distantPast
    var drawn = false
    var last: TrainingProgress?

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ p: TrainingProgress) {
        last = p
        guard enabled, terminal, Date().timeIntervalSince(lastDraw) >= 0.25 || p.step == p.totalSteps else { return }
        lastDraw = Date()
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line(p)).utf8))
        drawn = true
    }

    func note(_ metrics: [String: JSONValue]) {
        guard enabled else { return }
        if case .string("eval")? = metrics["event"] {
            var parts: [String] = []
            for (k, v) in metrics.sorted(by: { $0.key < $1.key }) {
                guard case .object(let m) = v else { continue }
                let fmt = { (key: String) in m[key]?.doubleValue.map { String(format: "%.4f", $0) } ?? "–" }
                parts.append("\(k): RMSE \(fmt("rmse")) Pearson \(fmt("pearson")) Spearman \(fmt("spearman"))")
            }
            for (k, v) in metrics.sorted(by: { $0.key < $1.key }) where k.hasSuffix("_loss") {
                parts.append("\(k) \(v.doubleValue.map { String(format: "%.4f", $0) } ?? "–")")
            }
            message("eval at step \(metrics["step"]?.intValue ?? 0): " + parts.joined(separator: ", "))
        } else if case .string("train")? = metrics["event"], !terminal, let p = last {
            message(line(p))
        }
    }

    func message(_ text: String) {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        printError(text)
        if drawn, let p = last { FileHandle.standardError.write(Data(line(p).utf8)) }
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
    }

    func line(_ p: TrainingProgress) -> String {
        let percent = 100 * Double(p.step) / Double(max(p.totalSteps, 1))
        var text = "step \(p.step)/\(p.totalSteps) \(String(format: "%3.0f%%", percent)) epoch \(String(format: "%.2f", p.epoch))"
        let keys = ["loss", "pp", "cg", "sc", "plm"].filter { p.losses[$0] != nil }
        if !keys.isEmpty {
            text += " | " + keys.map { "\($0) \(String(format: "%.3f", p.losses[$0]!))" }.joined(separator: " ")
        }
        text += " | \(Int(p.tokensPerSecond.rounded())) tok/s | \(duration(p.elapsedSeconds))"
        if let eta = p.remainingSeconds { text += " ETA \(duration(eta))" }
        return text
    }

    func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, s % 3600 / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
