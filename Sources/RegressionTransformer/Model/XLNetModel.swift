import Foundation
import Tensors

/// What one forward pass returns.
public struct XLNetOutput {
    /// LM-head logits of the query stream, `[N, V]`, one row per target in `targetRows` order
    /// (nil when the batch has no targets).
    public let logits: Tensor?
    /// The final content stream `h^N`, `[B·L, d]` (row `b·L + i` = position `i` of sample `b`).
    public let content: Tensor
    /// The final query stream `g^N`, `[N, d]` (nil without targets).
    public let query: Tensor?
    /// The (sample, position) of every query row and logit row.
    public let targetRows: [(sample: Int, position: Int)]
    /// With `recordingHiddenStates`: the stacked streams `[B·L + N, d]` entering layer 0, 1, …, and after the
    /// last layer (N + 1 tensors); otherwise empty.
    public let hiddenStates: [Tensor]
}

/// The RT's network: HuggingFace `XLNetLMHeadModel` with the RT's numerical encodings
/// (docs/xlnet.md), on the Tensors engine.
///
/// ```swift
/// let model = try XLNetModel(configuration: config, vocabulary: vocabulary, seed: 42)   // HF initialisation
/// let batch = try XLNetBatch(batchSize: 2, length: 8, ids: ids, attentionMask: real,
///                            permutationMask: perm, targets: [[2, 3], [5]])
/// let tape = Tape()
/// let out = try model.forward(batch, tape: tape, dropoutKey: RandomKey(seed: 7, stream: step))
/// let loss = try tape.crossEntropy(logits: out.logits!, targets: [id0, id1, id2])
/// try tape.backward(loss)                        // gradients in model.parameters (HF names)
/// ```
///
/// Both streams are computed as one stacked tensor (`StreamLayout`); the query stream only for the listed
/// targets (exactly HF's result at those positions, docs/xlnet.md §6.2); relative-position keys once per layer for the
/// whole batch; the relative shift as index arithmetic inside the fused attention op. Inference: the same
/// `forward` on `Tape(recording: false)` with `dropoutKey: nil`.
///
/// Deviation (statistical only): HF draws the dropout mask of the relative-position encoding independently for
/// every batch element (it is an expanded view); here one mask serves the whole batch, which is what lets the
/// position keys be computed once per layer.
public final class XLNetModel {
    public let configuration: XLNetConfiguration
    /// The parameters under their HF names (`XLNetParameterName`).
    public let parameters: ParameterStore
    /// The frozen numerical-encoding table `[V, D]` (nil when the configuration has none).
    public let numericalEncodings: Tensor?
    let layers: [XLNetLayerParameters]
    let wordEmbedding: Tensor, maskEmbedding: Tensor, lmBias: Tensor
    private let positionCache = PositionCache()
    private let positionKeyCache = PositionKeyCache()

    /// A model over existing parameters (e.g. loaded from a checkpoint).
    /// - Parameters:
    ///   - vocabulary: needed when the configuration has numerical encodings (the table is built from its
    ///     tokens); its size must equal `vocab_size`.
    /// - Throws: `XLNetError.invalidModel` when the parameters or the vocabulary do not fit the configuration.
    public init(configuration: XLNetConfiguration, vocabulary: Vocabulary?, parameters: ParameterStore) throws {
        try configuration.validate()
        let expected = configuration.parameterSpecs
        for spec in expected {
            guard parameters.contains(spec.name) else { throw XLNetError.invalidModel("parameter '\(spec.name)' is missing") }
            let shape = try parameters.tensor(spec.name).shape
            guard shape == spec.shape else {
                throw XLNetError.invalidModel("parameter '\(spec.name)' has shape \(shape) but the configuration needs \(spec.shape)")
            }
        }
        if let vocabulary, vocabulary.count != configuration.vocabularySize {
            throw XLNetError.invalidModel("the vocabulary has \(vocabulary.count) tokens but vocab_size is \(configuration.vocabularySize)")
        }
        if let ne = configuration.numericalEncodings {
            guard let vocabulary else {
                throw XLNetError.invalidModel("numerical encodings need the vocabulary (the table is built from its tokens)")
            }
            let table: NumericalEncodingTable
            do { table = try ne.table(for: vocabulary, modelDimension: configuration.modelDimension) } catch {
                throw XLNetError.invalidModel("numerical encodings: \(error)")
            }
            numericalEncodings = try Tensor(table.values, shape: [table.rows, table.dimension])
        } else {
            numericalEncodings = nil
        }
        self.configuration = configuration
        self.parameters = parameters
        layers = try (0..<configuration.layerCount).map { try XLNetLayerParameters(parameters, layer: $0) }
        wordEmbedding = try parameters.tensor(XLNetParameterName.wordEmbedding)
        maskEmbedding = try parameters.tensor(XLNetParameterName.maskEmbedding)
        lmBias = try parameters.tensor(XLNetParameterName.lmBias)
    }

    /// A freshly initialised model (HF's initialisation, `ParameterStore.initializeXLNet`), reproducible from
    /// `seed`.
    public convenience init(configuration: XLNetConfiguration, vocabulary: Vocabulary?, seed: UInt64) throws {
        try configuration.validate()
        let store = try ParameterStore(configuration.parameterSpecs)
        store.initializeXLNet(initializerRange: configuration.initializerRange, seed: seed)
        try self.init(configuration: configuration, vocabulary: vocabulary, parameters: store)
    }

    /// Runs both streams over `batch` and the LM head over the targets.
    ///
    /// - Parameters:
    ///   - tape: records for backward when recording; `Tape(recording: false)` for inference.
    ///   - dropoutKey: the key of this step's dropout masks (e.g. `RandomKey(seed: runSeed, stream: step)`);
    ///     nil disables dropout (evaluation). The same key gives the same masks on any thread count.
    ///   - recordingHiddenStates: also return the streams entering every layer (for debugging and tests).
    /// - Throws: `XLNetError.invalidInput` for ids outside the vocabulary; shape errors from the engine.
    public func forward(_ batch: XLNetBatch, tape: Tape, dropoutKey: RandomKey? = nil,
                        recordingHiddenStates: Bool = false) throws -> XLNetOutput {
        let c = configuration
        let p: Float = dropoutKey == nil ? 0 : Float(c.dropout)
        let runKey = dropoutKey ?? RandomKey(seed: 0)
        let layout = StreamLayout(batch: batch)
        var x = try tape.xlnetStreamInputs(
            ids: batch.ids, wordEmbedding: wordEmbedding, numericalEncodings: numericalEncodings,
            format: c.numericalEncodings?.format ?? .sum, maskEmbedding: maskEmbedding, queryRows: layout.queryRows,
            dropout: p, key: runKey.derived(DropoutSite.inputs.rawValue))
        let r = try tape.dropout(positionCache.encoding(length: batch.length, configuration: c), p: p,
                                 key: runKey.derived(DropoutSite.positions.rawValue))
        var hidden: [Tensor] = recordingHiddenStates ? [x] : []
        let hd = c.headCount * c.headDimension
        for (i, layer) in layers.enumerated() {
            // kr = dropout(R)·W_r, once per layer for the whole batch; cached across calls in inference.
            let computeKeys = { try tape.linear(r, weight: try tape.reshape(layer.r, [c.modelDimension, hd]), layout: .inOut) }
            let kr = p == 0 && !tape.isTracking([layer.r])
                ? try positionKeyCache.keys(layer: i, length: batch.length, weight: layer.r, compute: computeKeys)
                : try computeKeys()
            x = try tape.xlnetLayer(x, layer, positionKeys: kr, layout: layout, configuration: c, dropout: p,
                                    key: runKey.derived(0x1000 + UInt64(i)))
            if recordingHiddenStates { hidden.append(x) }
        }
        guard layout.queryRows > 0 else {
            return XLNetOutput(logits: nil, content: x, query: nil, targetRows: [], hiddenStates: hidden)
        }
        let content = try tape.slice(x, axis: 0, 0..<layout.contentRows)
        let query = try tape.slice(x, axis: 0, layout.contentRows..<layout.rows)
        let o = try tape.dropout(query, p: p, key: runKey.derived(DropoutSite.output.rawValue))
        return XLNetOutput(logits: try lmHead(o, tape: tape), content: content, query: query,
                           targetRows: batch.targetRows, hiddenStates: hidden)
    }

    /// The LM head: `logits = x·Eᵀ + b` with the word embedding `E` (tied) and `lm_loss.bias`; `x` `[rows, d]`.
    public func lmHead(_ x: Tensor, tape: Tape) throws -> Tensor {
        try tape.linear(x, weight: wordEmbedding, bias: lmBias, layout: .outIn)
    }

    /// HF's loss: mean cross-entropy over the target rows whose label is not `ignoreIndex`.
    public func loss(logits: Tensor, labels: [Int], tape: Tape, ignoreIndex: Int = -100) throws -> Tensor {
        try tape.crossEntropy(logits: logits, targets: labels, ignoreIndex: ignoreIndex)
    }
}

/// The last relative-position encoding computed (the same for every batch of one length).
private final class PositionCache: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: (length: Int, tensor: Tensor)?

    func encoding(length: Int, configuration c: XLNetConfiguration) -> Tensor {
        lock.lock()
        defer { lock.unlock() }
        if let cached, cached.length == length { return cached.tensor }
        let t = RelativePositions.encoding(length: length, dimension: c.modelDimension, clampLength: c.clampLength)
        cached = (length, t)
        return t
    }
}
