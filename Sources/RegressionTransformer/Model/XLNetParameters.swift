import Tensors

/// The parameters of `XLNetLMHeadModel` under their HuggingFace state-dict names (docs/xlnet.md §2.1), so
/// that checkpoints are interchangeable with the original:
///
/// | name | shape |
/// |---|---|
/// | `transformer.word_embedding.weight` | [V, d] — also the LM head's weight (tied) |
/// | `transformer.mask_emb` | [1, 1, d] — initial query stream |
/// | `transformer.layer.{i}.rel_attn.{q,k,v,o,r}` | [d, H, d_head] |
/// | `transformer.layer.{i}.rel_attn.{r_w_bias,r_r_bias,r_s_bias}` | [H, d_head] |
/// | `transformer.layer.{i}.rel_attn.seg_embed` | [2, H, d_head] |
/// | `transformer.layer.{i}.rel_attn.layer_norm.{weight,bias}` | [d] |
/// | `transformer.layer.{i}.ff.layer_1.{weight,bias}` | [d_inner, d], [d_inner] |
/// | `transformer.layer.{i}.ff.layer_2.{weight,bias}` | [d, d_inner], [d] |
/// | `transformer.layer.{i}.ff.layer_norm.{weight,bias}` | [d] |
/// | `lm_loss.bias` | [V] |
///
/// `lm_loss.weight` is not a parameter of its own: it is `transformer.word_embedding.weight` (HF writes it to
/// `pytorch_model.bin` twice and drops it from `model.safetensors`). `r_s_bias` and `seg_embed` exist for
/// checkpoint compatibility but are unused (the RT passes no token-type ids), so they never get a gradient.
public enum XLNetParameterName {
    public static let wordEmbedding = "transformer.word_embedding.weight"
    public static let maskEmbedding = "transformer.mask_emb"
    public static let lmBias = "lm_loss.bias"
    /// The tied LM-head weight's name in HF files (an alias of `wordEmbedding`).
    public static let tiedLMWeight = "lm_loss.weight"

    /// `transformer.layer.{layer}.{suffix}`.
    public static func layer(_ layer: Int, _ suffix: String) -> String { "transformer.layer.\(layer).\(suffix)" }

    /// The suffixes of one layer's parameters, in declaration order.
    static let layerSuffixes = [
        "rel_attn.q", "rel_attn.k", "rel_attn.v", "rel_attn.o", "rel_attn.r",
        "rel_attn.r_r_bias", "rel_attn.r_s_bias", "rel_attn.r_w_bias", "rel_attn.seg_embed",
        "rel_attn.layer_norm.weight", "rel_attn.layer_norm.bias",
        "ff.layer_norm.weight", "ff.layer_norm.bias",
        "ff.layer_1.weight", "ff.layer_1.bias", "ff.layer_2.weight", "ff.layer_2.bias",
    ]
}

extension XLNetConfiguration {
    /// Every parameter (HF name and shape) in declaration order: word embedding, mask embedding, the layers,
    /// the LM bias. Unused `r_s_bias` and `seg_embed` are frozen (no gradient, no optimizer update).
    public var parameterSpecs: [ParameterSpec] {
        let d = modelDimension, h = headCount, dh = headDimension
        var specs = [ParameterSpec(XLNetParameterName.wordEmbedding, [vocabularySize, d]),
                     ParameterSpec(XLNetParameterName.maskEmbedding, [1, 1, d])]
        for i in 0..<layerCount {
            for suffix in XLNetParameterName.layerSuffixes {
                let shape: Shape
                var trainable = true
                switch suffix {
                case "rel_attn.q", "rel_attn.k", "rel_attn.v", "rel_attn.o", "rel_attn.r": shape = [d, h, dh]
                case "rel_attn.r_r_bias", "rel_attn.r_w_bias": shape = [h, dh]
                case "rel_attn.r_s_bias": shape = [h, dh]; trainable = false
                case "rel_attn.seg_embed": shape = [2, h, dh]; trainable = false
                case "ff.layer_1.weight": shape = [innerDimension, d]
                case "ff.layer_1.bias": shape = [innerDimension]
                case "ff.layer_2.weight": shape = [d, innerDimension]
                default: shape = [d]  // layer norms, ff.layer_2.bias
                }
                specs.append(ParameterSpec(XLNetParameterName.layer(i, suffix), shape, trainable: trainable))
            }
        }
        specs.append(ParameterSpec(XLNetParameterName.lmBias, [vocabularySize]))
        return specs
    }

    /// Number of scalar parameters, the tied embedding counted once (27 508 219 for `rt_small` with V = 507).
    public var parameterCount: Int { parameterSpecs.reduce(0) { $0 + $1.shape.count } }
}

extension ParameterStore {
    /// HuggingFace's initialisation of a fresh XLNet (`XLNetPreTrainedModel._init_weights`, docs/xlnet.md §2.3): N(0, σ²)
    /// with σ = `initializerRange` for the word embedding, `mask_emb`, `q k v o r`, `r_w_bias r_r_bias r_s_bias`,
    /// `seg_embed` and the feed-forward weights; zeros for biases (incl. `lm_loss.bias`); layer-norm weights 1.
    /// Values are drawn in declaration order from `SeededGenerator(seed:)`, so one seed gives one model.
    public func initializeXLNet(initializerRange: Double, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        for spec in specs {
            guard let t = try? tensor(spec.name) else { continue }
            let name = spec.name
            if name.hasSuffix("layer_norm.weight") {
                fill(t, 1)
            } else if name.hasSuffix(".bias") && !name.hasSuffix("r_w_bias") && !name.hasSuffix("r_r_bias")
                        && !name.hasSuffix("r_s_bias") {
                fill(t, 0)
            } else {
                let values = Tensor.randomNormal(spec.shape, mean: 0, std: Float(initializerRange), using: &generator)
                t.unsafePointer.update(from: values.unsafePointer, count: t.count)
            }
        }
    }

    private func fill(_ t: Tensor, _ value: Float) {
        t.unsafePointer.update(repeating: value, count: t.count)
    }
}
