import Foundation
import Tensors

/// `rt bench train` and `rt bench infer`: the XLNet's training throughput and inference latency on synthetic
/// PLM batches, measured exactly as the PyTorch peer (`scripts/peers/xlnet_torch_bench.py`) measures HF's
/// `XLNetLMHeadModel`, so the two can be compared key by key (schema `rt-bench/1`).
///
/// - Batch (as the peer's `plm_batch`): ids uniform in 15 ..< V, `round(targetFraction · L)` target positions per
///   sequence replaced by `[MASK]` (id 14), a random factorisation order over the targets giving the
///   permutation mask (non-targets visible to all), labels at the targets; no attention mask. Two batches are
///   built and used alternately.
/// - Train step: forward with dropout, mean cross-entropy over the targets, backward, AdamW (torch variant,
///   lr 1e-4, weight decay 0.01), zero gradients. Tokens/s = B·L / median step time.
/// - Inference: one sequence, no dropout, nothing recorded: a plain forward (content stream and LM head over all
///   positions, HF's forward without perm_mask/target_mapping) and a PLM forward (permutation mask, query
///   stream for the targets).
///
/// The query stream covers only the targets (`QueryStream.targets`, which gives the same loss as RT's full
/// identity mapping); `QueryStream.all` runs it over every position, as HF does with RT's collators.
public struct XLNetBenchmark {
    public enum QueryStream: String, Sendable, CaseIterable {
        /// Only the target positions (the exact speed-up).
        case targets
        /// Every position (HF's identity target_mapping: the full form).
        case all
    }

    public struct Options: Sendable {
        public var layers = 6, modelDimension = 256, heads = 16, innerDimension = 1024, vocabularySize = 507
        public var dropout = 0.1
        public var batchSize = 16, length = 128
        public var inferenceLength: Int?
        public var targetFraction = 0.15
        public var steps = 5, warmup = 2, inferenceRepetitions = 20
        public var seed: UInt64 = 0
        public var queryStream = QueryStream.targets
        /// The clock: wall time (default) or the calling thread's CPU time (meaningful with one thread only,
        /// and nearly unaffected by other processes).
        public var clock: @Sendable () -> Double = { BenchClock.now() }
        public init() {}

        public var targetsPerSequence: Int { max(1, Int((targetFraction * Double(length)).rounded())) }
    }

    public struct TrainResult: Sendable {
        public var stepMilliseconds: [Double]
        public var lastLoss: Double
        public var medianMilliseconds: Double { BenchClock.median(stepMilliseconds) }
        public var minimumMilliseconds: Double { stepMilliseconds.min() ?? .nan }
    }

    public struct InferenceResult: Sendable {
        public var plainMilliseconds: [Double]
        public var plmMilliseconds: [Double]
        public var plmTargets: Int
    }

    public let options: Options
    public let model: XLNetModel

    /// Builds a freshly initialised model of the benchmark's shape (no numerical encodings: the peer has none).
    public init(options: Options) throws {
        self.options = options
        let config = XLNetConfiguration(vocabularySize: options.vocabularySize, modelDimension: options.modelDimension,
                                        layerCount: options.layers, headCount: options.heads,
                                        innerDimension: options.innerDimension, dropout: options.dropout)
        model = try XLNetModel(configuration: config, vocabulary: nil, seed: options.seed)
    }

    /// Number of parameters (tied embedding once).
    public var parameterCount: Int { model.configuration.parameterCount }

    /// A PLM batch of `batch` sequences of `length` (see the type's notes) and its target labels.
    public func plmBatch(batch: Int, length: Int, generator g: inout SeededGenerator) throws -> (XLNetBatch, [Int]) {
        let v = options.vocabularySize, t = max(1, Int((options.targetFraction * Double(length)).rounded()))
        var ids: [Int32] = []
        var perm = [Bool](repeating: false, count: batch * length * length)
        var targets: [[Int]] = []
        var labels: [Int] = []
        for b in 0..<batch {
            var row = (0..<length).map { _ in Int32(15 + Int(g.next() % UInt64(max(1, v - 15)))) }
            let positions = Array((0..<length).shuffled(using: &g).prefix(t)).sorted()
            var rank = [Int](repeating: -1, count: length)
            for (k, r) in (0..<t).shuffled(using: &g).enumerated() { rank[positions[k]] = r }
            for i in 0..<length {
                for j in positions where rank[i] <= rank[j] { perm[(b * length + i) * length + j] = true }
            }
            for p in positions { labels.append(Int(row[p])); row[p] = 14 }
            ids += row
            targets.append(options.queryStream == .all ? Array(0..<length) : positions)
        }
        if options.queryStream == .all {  // labels for every position, −100 off-target
            var full = [Int](repeating: -100, count: batch * length)
            var k = 0
            for b in 0..<batch {
                for p in 0..<length where ids[b * length + p] == 14 && k < labels.count { full[b * length + p] = labels[k]; k += 1 }
            }
            labels = full
        }
        let xb = try XLNetBatch(batchSize: batch, length: length, ids: ids, permutationMask: perm, targets: targets)
        return (xb, labels)
    }

    /// Times `warmup + steps` training steps; `progress` is called after each.
    public func train(progress: (Int, Double) -> Void = { _, _ in }) throws -> TrainResult {
        var g = SeededGenerator(seed: options.seed &+ 1)
        let batches = try (0..<2).map { _ in try plmBatch(batch: options.batchSize, length: options.length, generator: &g) }
        let optimizer = AdamW(parameters: model.parameters,
                              configuration: .init(learningRate: 1e-4, weightDecay: 0.01, variant: .torch))
        var times: [Double] = []
        var loss = Double.nan
        for step in 0..<(options.warmup + options.steps) {
            let (batch, labels) = batches[step % 2]
            let start = options.clock()
            let tape = Tape()
            let out = try model.forward(batch, tape: tape, dropoutKey: RandomKey(seed: options.seed, stream: UInt64(step)))
            let l = try model.loss(logits: out.logits!, labels: labels, tape: tape)
            loss = Double(l.scalarValue)
            try tape.backward(l)
            optimizer.step()
            model.parameters.zeroGradients()
            let seconds = options.clock() - start
            if step >= options.warmup { times.append(seconds * 1e3) }
            progress(step, seconds)
        }
        return TrainResult(stepMilliseconds: times, lastLoss: loss)
    }

    /// Times single-sequence inference (see the type's notes).
    public func infer() throws -> InferenceResult {
        let length = options.inferenceLength ?? options.length
        var g = SeededGenerator(seed: options.seed &+ 2)
        let (plm, _) = try plmBatch(batch: 1, length: length, generator: &g)
        let plain = try XLNetBatch(batchSize: 1, length: length, ids: plm.ids)
        func time(_ body: () throws -> Void) rethrows -> [Double] {
            for _ in 0..<3 { try body() }
            return try (0..<max(1, options.inferenceRepetitions)).map { _ in
                let start = options.clock()
                try body()
                return (options.clock() - start) * 1e3
            }
        }
        let plainTimes = try time {
            let tape = Tape(recording: false)
            let out = try model.forward(plain, tape: tape)
            _ = try model.lmHead(out.content, tape: tape)
        }
        let plmTimes = try time { _ = try model.forward(plm, tape: Tape(recording: false)) }
        return InferenceResult(plainMilliseconds: plainTimes, plmMilliseconds: plmTimes, plmTargets: plm.targetCount)
    }

    /// The analytic GFLOP of one training step as the peer counts HF's einsums (forward × 3), for `predicted`
    /// query rows per sequence — the same formula as `xlnet_torch_bench.py`'s `step_gflop`.
    public static func huggingFaceStepGFLOP(layers: Int, batch: Int, length: Int, predicted: Int, d: Int, inner: Int,
                                            vocabulary: Int) -> Double {
        let t = Double(batch * length), bp = Double(batch * predicted), dd = Double(d), l = Double(length)
        let h = 12 * t * dd * dd + 8 * t * l * dd + 4 * t * dd * Double(inner)
        let g = 4 * bp * dd * dd + 4 * bp * l * dd + 8 * t * l * dd + 4 * bp * dd * Double(inner)
        return 3 * (Double(layers) * (h + g) + 2 * bp * dd * Double(vocabulary)) / 1e9
    }

    /// Peak resident set size of this process in bytes (`getrusage`).
    public static func peakResidentBytes() -> Int {
        var u = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Int(u.ru_maxrss) * 1024
        #else
        getrusage(RUSAGE_SELF, &u)
        return Int(u.ru_maxrss)
        #endif
    }
}
