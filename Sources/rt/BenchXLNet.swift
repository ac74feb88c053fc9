import ArgumentParser
import Foundation
import RegressionTransformer
import Tensors

/// Options shared by `rt bench train` and `rt bench infer` (the peer script's names and defaults).
struct XLNetBenchArguments: ParsableArguments {
    @Option(help: "Layers.") var layers = 6
    @Option(help: "d_model.") var dModel = 256
    @Option(help: "Attention heads.") var heads = 16
    @Option(help: "Feed-forward width.") var dInner = 1024
    @Option(help: "Vocabulary size.") var vocab = 507
    @Option(help: "Dropout rate (the peer's default 0.1; RT's rt_small uses 0.2).") var dropout = 0.1
    @Option(help: "Threads (ours and the peer's).") var threads = 2
    @Option(help: "Fraction of positions that are targets.") var targetFrac = 0.15
    @Option(help: "Seed of the model and the batches.") var seed: UInt64 = 0
    @Option(help: "Query stream over the targets only (the exact speed-up) or all positions (HF's full form).")
    var queryStream: XLNetBenchmark.QueryStream = .targets
    @Option(help: "Output format: text or json (one rt-bench/1 line per engine).") var format: OutputFormat = .text
    @Option(help: ArgumentHelp("Also run the PyTorch peer with this Python (e.g. /work/venvs/torch/bin/python).",
                               valueName: "python"))
    var peer: String?
    @Option(help: "The peer script.") var peerScript = "scripts/peers/xlnet_torch_bench.py"
    @Option(help: "target_mapping style of the peer: full (RT's collators) or compact.") var peerTargets = "full"
    @Option(help: "Precisions the peer runs in: both (float32 and torch.autocast bf16; ratios against the better), float32 or bf16.")
    var peerPrecision = "both"
    @Flag(help: "Wait (up to 15 minutes) until the machine is idle before measuring.") var waitIdle = false
    @Option(help: "Clock: wall, or cpu (the thread's CPU time; needs --threads 1; robust on a busy machine).")
    var clock: BenchClockChoice = .wall
    @OptionGroup var precision: PrecisionOptions

    func validate() throws {
        guard layers > 0, dModel > 0, heads > 0, dModel % heads == 0, dInner > 0, vocab > 15, threads > 0 else {
            throw ValidationError("sizes must be positive, --heads must divide --d-model and --vocab must exceed 15")
        }
        guard dropout >= 0 && dropout < 1, targetFrac > 0 && targetFrac <= 1 else {
            throw ValidationError("--dropout must be in [0, 1) and --target-frac in (0, 1]")
        }
        guard ["full", "compact"].contains(peerTargets) else { throw ValidationError("--peer-targets: full or compact") }
        guard ["both", "float32", "bf16"].contains(peerPrecision) else {
            throw ValidationError("--peer-precision: both, float32 or bf16")
        }
        guard clock == .wall || threads == 1 else { throw ValidationError("--clock cpu needs --threads 1") }
    }

    func options() -> XLNetBenchmark.Options {
        var o = XLNetBenchmark.Options()
        o.layers = layers; o.modelDimension = dModel; o.heads = heads; o.innerDimension = dInner
        o.vocabularySize = vocab; o.dropout = dropout; o.targetFraction = targetFrac; o.seed = seed
        o.queryStream = queryStream
        if clock == .cpu { o.clock = { BenchClock.threadCPUTime() } }
        return o
    }

    /// The keys every rt-bench/1 line starts with.
    func commonJSON(mode: String, benchmark: XLNetBenchmark) -> [(String, String)] {
        [("schema", "\"rt-bench/1\""), ("engine", "\"swift\""),
         ("engine_version", jsonString("rt \(RegressionTransformerInfo.version), GEMM \(Gemm.pathDescription)")),
         ("precision", jsonString(Gemm.precision.rawValue)), ("cpu", jsonString(CPU.summary)),
         ("mode", jsonString(mode)), ("threads", "\(threads)"), ("layers", "\(layers)"), ("d_model", "\(dModel)"),
         ("heads", "\(heads)"), ("d_inner", "\(dInner)"), ("vocab", "\(vocab)"), ("dropout", "\(dropout)"),
         ("params", "\(benchmark.parameterCount)"), ("seed", "\(seed)"), ("query_stream", jsonString(queryStream.rawValue)),
         ("clock", jsonString(clock.rawValue))]
    }

    /// Runs the peer in every precision of `--peer-precision`; returns their JSON objects (empty without --peer).
    func runPeers(mode: String, extra: [String]) throws -> [[String: Any]] {
        let precisions = peerPrecision == "both" ? ["float32", "bf16"] : [peerPrecision]
        return try precisions.compactMap { try runPeer(mode: mode, extra: extra + ["--precision", $0]) }
    }

    /// Runs the peer script in `mode` with the same configuration; returns its JSON object (nil without --peer).
    func runPeer(mode: String, extra: [String]) throws -> [String: Any]? {
        guard let peer else { return nil }
        guard FileManager.default.fileExists(atPath: peerScript) else {
            throw CommandFailure("\(peerScript): no such file (run from the repository root or pass --peer-script)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: peer)
        process.arguments = [peerScript, "--mode", mode, "--layers", "\(layers)", "--d-model", "\(dModel)",
                             "--heads", "\(heads)", "--d-inner", "\(dInner)", "--vocab", "\(vocab)",
                             "--dropout", "\(dropout)", "--threads", "\(threads)", "--target-frac", "\(targetFrac)",
                             "--seed", "\(seed)", "--targets", peerTargets, "--format", "json"] + extra
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        do { try process.run() } catch { throw CommandFailure("\(peer): cannot run the peer (\(error.localizedDescription))") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw CommandFailure("the peer failed (status \(process.terminationStatus)); its messages are above")
        }
        return object
    }

    /// Threads, precision (`--precision`, else the default of the verb the benchmark stands for: auto for
    /// training, as `rt train`; float32 for inference) and the idle wait.
    func prepare(defaultPrecision: PrecisionOptions.Choice) throws {
        Engine.setThreads(threads)
        printError(try precision.apply(default: defaultPrecision))
        printError("cpu: \(CPU.summary); kernels \(CPU.level.rawValue); GEMM \(Gemm.pathDescription)")
        if waitIdle && !LoadMonitor.waitUntilIdle() { StandardError().write("warning: machine did not become idle\n") }
    }
}

func renderJSON(_ pairs: [(String, String)]) -> String {
    "{" + pairs.map { "\(jsonString($0.0)):\($0.1)" }.joined(separator: ",") + "}"
}

func number(_ object: [String: Any], _ key: String) -> Double? { (object[key] as? NSNumber)?.doubleValue }

/// `rt bench train` — training throughput of the XLNet, next to HF XLNet in PyTorch.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training tokens/s of the XLNet (forward, backward, AdamW), optionally next to the PyTorch peer.",
        discussion: """
            A step is forward (both streams, dropout, permutation mask, ~15 % targets), cross-entropy, backward \
            and an AdamW update, on synthetic batches built like the peer's (scripts/peers/xlnet_torch_bench.py). \
            tokens/s = batch × seq / median step time. With --peer PYTHON the peer runs right after with the same \
            configuration and the ratios are printed (run on an idle machine: --wait-idle).

            Examples:
              rt bench train
              rt bench train --layers 32 --steps 3 --warmup 1
              rt bench train --peer /work/venvs/torch/bin/python --format json
            """)

    @OptionGroup var common: XLNetBenchArguments
    @Option(help: "Sequences per batch.") var batch = 16
    @Option(help: "Sequence length (even).") var seq = 128
    @Option(help: "Timed steps.") var steps = 5
    @Option(help: "Untimed steps first.") var warmup = 2

    func validate() throws {
        guard batch > 0, seq > 0, seq % 2 == 0, steps > 0, warmup >= 0 else {
            throw ValidationError("--batch and --steps must be positive, --seq positive and even, --warmup ≥ 0")
        }
    }

    func run() throws {
        _ = try Gemm.backendFromEnvironment()
        try common.prepare(defaultPrecision: .auto)
        var options = common.options()
        options.batchSize = batch; options.length = seq; options.steps = steps; options.warmup = warmup
        let benchmark = try XLNetBenchmark(options: options)
        let log = StandardError()
        let monitor = LoadMonitor()
        let t0 = BenchClock.now()
        let result = try benchmark.train { step, seconds in
            log.write(String(format: "  step %d: %.0f ms%@\n", step + 1, seconds * 1e3, step < warmup ? " (warm-up)" : ""))
        }
        let foreign = monitor.foreignSeconds()
        let wall = BenchClock.now() - t0
        let median = result.medianMilliseconds
        let tokensPerSecond = Double(batch * seq) / (median / 1e3)
        let gflop = XLNetBenchmark.huggingFaceStepGFLOP(layers: common.layers, batch: batch, length: seq, predicted: seq,
                                                        d: common.dModel, inner: common.dInner, vocabulary: common.vocab)
        let rss = XLNetBenchmark.peakResidentBytes()
        var pairs = common.commonJSON(mode: "train", benchmark: benchmark)
        pairs += [("batch", "\(batch)"), ("seq", "\(seq)"), ("n_targets", "\(options.targetsPerSequence)"),
                  ("optimizer", "\"AdamW (torch variant) lr 1e-4 weight_decay 0.01\""), ("train_warmup", "\(warmup)"),
                  ("train_steps", "\(steps)"), ("train_step_ms_median", "\(median)"),
                  ("train_step_ms_min", "\(result.minimumMilliseconds)"), ("train_tokens_per_s", "\(tokensPerSecond)"),
                  ("train_loss_last", "\(result.lastLoss)"), ("hf_gflop_per_step_full", "\(gflop)"),
                  ("peak_rss_bytes", "\(rss)"), ("foreign_cpu_seconds", foreign.map { "\($0)" } ?? "null")]
        let swiftLine = renderJSON(pairs)
        if common.format == .json { print(swiftLine); fflush(stdout) }
        else {
            print(String(format: "swift    train  layers=%d B=%d L=%d targets=%d/seq (query stream: %@): step median %.0f ms (min %.0f) -> %.0f tokens/s, peak RSS %.2f GiB",
                         common.layers, batch, seq, options.targetsPerSequence, common.queryStream.rawValue, median,
                         result.minimumMilliseconds, tokensPerSecond, Double(rss) / 1_073_741_824))
            fflush(stdout)
        }
        if let foreign { log.write(String(format: "foreign CPU during the Swift run: %.1f s over %.0f s\n", foreign, wall)) }
        let peers = try common.runPeers(mode: "train", extra: ["--batch", "\(batch)", "--seq", "\(seq)",
                                                               "--steps", "\(steps)", "--warmup", "\(warmup)"])
        if common.format == .json {
            for peer in peers {
                if let data = try? JSONSerialization.data(withJSONObject: peer, options: [.sortedKeys]) {
                    print(String(decoding: data, as: UTF8.self))
                }
            }
            return
        }
        guard !peers.isEmpty else { return }
        for peer in peers {
            print(String(format: "pytorch  train  layers=%d B=%d L=%d (target_mapping %@, %@): step median %.0f ms -> %.0f tokens/s, peak RSS %.2f GiB",
                         common.layers, batch, seq, common.peerTargets, (peer["precision"] as? String) ?? "float32",
                         number(peer, "train_step_ms_median") ?? .nan, number(peer, "train_tokens_per_s") ?? .nan,
                         (number(peer, "peak_rss_bytes") ?? .nan) / 1_073_741_824))
        }
        let best = peers.max { (number($0, "train_tokens_per_s") ?? 0) < (number($1, "train_tokens_per_s") ?? 0) }!
        print(String(format: "ratio    swift (%@)/pytorch's best (%@) tokens/s %.2fx; peak RSS swift/pytorch %.2f",
                     Gemm.precision.rawValue, (best["precision"] as? String) ?? "float32",
                     tokensPerSecond / (number(best, "train_tokens_per_s") ?? .nan),
                     Double(rss) / (number(best, "peak_rss_bytes") ?? .nan)))
    }
}

/// `rt bench infer` — single-sequence inference latency, next to HF XLNet in PyTorch.
struct BenchInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Latency of one sequence through the XLNet (plain and PLM forward), optionally next to the PyTorch peer.",
        discussion: """
            Plain forward: content stream and LM head over every position (HF's forward without perm_mask). PLM \
            forward: permutation mask and the query stream for ~15 % targets (filling masked tokens). Median of \
            --reps after 3 warm-ups, no dropout, nothing recorded for backward.

            Examples:
              rt bench infer
              rt bench infer --layers 32 --peer /work/venvs/torch/bin/python
            """)

    @OptionGroup var common: XLNetBenchArguments
    @Option(help: "Sequence length (even).") var seq = 128
    @Option(help: "Timed repetitions.") var reps = 20

    func validate() throws {
        guard seq > 0, seq % 2 == 0, reps > 0 else { throw ValidationError("--seq positive and even, --reps positive") }
    }

    func run() throws {
        _ = try Gemm.backendFromEnvironment()
        try common.prepare(defaultPrecision: .float32)
        var options = common.options()
        options.length = seq; options.inferenceRepetitions = reps
        let benchmark = try XLNetBenchmark(options: options)
        let monitor = LoadMonitor()
        let result = try benchmark.infer()
        let foreign = monitor.foreignSeconds()
        let plain = BenchClock.median(result.plainMilliseconds), plm = BenchClock.median(result.plmMilliseconds)
        let rss = XLNetBenchmark.peakResidentBytes()
        var pairs = common.commonJSON(mode: "infer", benchmark: benchmark)
        pairs += [("infer_seq", "\(seq)"), ("infer_reps", "\(reps)"), ("infer_plm_targets", "\(result.plmTargets)"),
                  ("infer_plain_ms_median", "\(plain)"), ("infer_plain_ms_min", "\(result.plainMilliseconds.min()!)"),
                  ("infer_plm_ms_median", "\(plm)"), ("infer_plm_ms_min", "\(result.plmMilliseconds.min()!)"),
                  ("peak_rss_bytes", "\(rss)"), ("foreign_cpu_seconds", foreign.map { "\($0)" } ?? "null")]
        if common.format == .json { print(renderJSON(pairs)); fflush(stdout) }
        else {
            print(String(format: "swift    infer  layers=%d 1x%d: plain forward %.2f ms, PLM forward (%d targets) %.2f ms, peak RSS %.2f GiB",
                         common.layers, seq, plain, result.plmTargets, plm, Double(rss) / 1_073_741_824))
            fflush(stdout)
        }
        if let foreign { StandardError().write(String(format: "foreign CPU during the Swift run: %.1f s\n", foreign)) }
        let peers = try common.runPeers(mode: "infer", extra: ["--seq", "\(seq)", "--infer-reps", "\(reps)"])
        if common.format == .json {
            for peer in peers {
                if let data = try? JSONSerialization.data(withJSONObject: peer, options: [.sortedKeys]) {
                    print(String(decoding: data, as: UTF8.self))
                }
            }
            return
        }
        guard !peers.isEmpty else { return }
        for peer in peers {
            print(String(format: "pytorch  infer  layers=%d 1x%d (%@): plain forward %.2f ms, PLM forward %.2f ms, peak RSS %.2f GiB",
                         common.layers, seq, (peer["precision"] as? String) ?? "float32",
                         number(peer, "infer_plain_ms_median") ?? .nan, number(peer, "infer_plm_ms_median") ?? .nan,
                         (number(peer, "peak_rss_bytes") ?? .nan) / 1_073_741_824))
        }
        let bestPlain = peers.compactMap { number($0, "infer_plain_ms_median") }.min() ?? .nan
        let bestPLM = peers.compactMap { number($0, "infer_plm_ms_median") }.min() ?? .nan
        print(String(format: "ratio    pytorch's best/swift (%@) latency: plain %.2fx, PLM %.2fx", Gemm.precision.rawValue,
                     bestPlain / plain, bestPLM / plm))
    }
}

extension XLNetBenchmark.QueryStream: ExpressibleByArgument {}
