import Tensors

/// One XLNet layer's parameters (views into the model's `ParameterStore`, tracked by autodiff).
struct XLNetLayerParameters {
    /// `q k v o r`, each `[d, H, d_head]`.
    let q, k, v, o, r: Tensor
    /// `r_w_bias`, `r_r_bias`: `[H, d_head]`.
    let contentBias, positionBias: Tensor
    let attentionNormWeight, attentionNormBias: Tensor
    let ffInWeight, ffInBias, ffOutWeight, ffOutBias: Tensor
    let ffNormWeight, ffNormBias: Tensor

    init(_ store: ParameterStore, layer i: Int) throws {
        func p(_ suffix: String) throws -> Tensor { try store.tensor(XLNetParameterName.layer(i, suffix)) }
        q = try p("rel_attn.q"); k = try p("rel_attn.k"); v = try p("rel_attn.v"); o = try p("rel_attn.o")
        r = try p("rel_attn.r")
        contentBias = try p("rel_attn.r_w_bias"); positionBias = try p("rel_attn.r_r_bias")
        attentionNormWeight = try p("rel_attn.layer_norm.weight"); attentionNormBias = try p("rel_attn.layer_norm.bias")
        ffInWeight = try p("ff.layer_1.weight"); ffInBias = try p("ff.layer_1.bias")
        ffOutWeight = try p("ff.layer_2.weight"); ffOutBias = try p("ff.layer_2.bias")
        ffNormWeight = try p("ff.layer_norm.weight"); ffNormBias = try p("ff.layer_norm.bias")
    }
}

/// Dropout sites (docs/xlnet.md §5), each with its own key `runKey.derived(site).derived(layer)`.
enum DropoutSite: UInt64 {
    case inputs = 1, positions, attentionProbabilities, attentionOutput, feedForwardActivation, feedForwardOutput,
         output
}

extension Tape {
    /// One layer on the stacked streams `x` `[R, d]` (docs/xlnet.md §4.4–§4.5), both streams with the
    /// same weights; keys and values come from the content rows only:
    ///
    ///     q = x·W_q  [R, HD];  k = h·W_k, v = h·W_v  [B·L, HD];  kr = dropout(R)·W_r  [2L, HD] (given)
    ///     a = relativeAttention(q, k, v, kr)                       (`Tape.relativeAttention`)
    ///     x' = LayerNorm(dropout(a·W_oᵀ) + x)
    ///     y  = LayerNorm(dropout(W_2·dropout(gelu(W_1·x' + b_1)) + b_2) + x')
    func xlnetLayer(_ x: Tensor, _ p: XLNetLayerParameters, positionKeys kr: Tensor, layout: StreamLayout,
                    configuration c: XLNetConfiguration, dropout: Float, key: RandomKey) throws -> Tensor {
        let d = c.modelDimension, hd = c.headCount * c.headDimension
        let eps = Float(c.layerNormEpsilon)
        func matrix(_ w: Tensor) throws -> Tensor { try reshape(w, [d, hd]) }
        let q = try linear(x, weight: matrix(p.q), layout: .inOut)
        let h = layout.queryRows > 0 ? try slice(x, axis: 0, 0..<layout.contentRows) : x
        let k = try linear(h, weight: matrix(p.k), layout: .inOut)
        let v = try linear(h, weight: matrix(p.v), layout: .inOut)
        let a = try relativeAttention(query: q, key: k, value: v, positionKey: kr, contentBias: p.contentBias,
                                      positionBias: p.positionBias, layout: layout, heads: c.headCount,
                                      dropout: dropout, key: key.derived(DropoutSite.attentionProbabilities.rawValue))
        let projected = try linear(a, weight: matrix(p.o), layout: .outIn)
        let x1 = try residualLayerNorm(projected, residual: x, gamma: p.attentionNormWeight, beta: p.attentionNormBias,
                                       eps: eps, dropout: dropout, key: key.derived(DropoutSite.attentionOutput.rawValue))
        var f = try linear(x1, weight: p.ffInWeight, bias: p.ffInBias, layout: .outIn, activation: .gelu)
        f = try self.dropout(f, p: dropout, key: key.derived(DropoutSite.feedForwardActivation.rawValue))
        f = try linear(f, weight: p.ffOutWeight, bias: p.ffOutBias, layout: .outIn)
        return try residualLayerNorm(f, residual: x1, gamma: p.ffNormWeight, beta: p.ffNormBias, eps: eps,
                                     dropout: dropout, key: key.derived(DropoutSite.feedForwardOutput.rawValue))
    }
}
