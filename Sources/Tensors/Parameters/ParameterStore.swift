/// A named parameter: what the model declares before the store allocates memory.
public struct ParameterSpec: Hashable, Sendable {
    /// Stable, checkpoint-compatible name (HuggingFace-style dotted names, e.g.
    /// `transformer.layer.0.ff.layer_1.weight`).
    public var name: String
    public var shape: Shape
    /// Trainable parameters get a gradient slot and are updated by optimizers; frozen ones (e.g. fixed
    /// numerical-encoding tables) do not.
    public var trainable: Bool
    /// Whether AdamW's weight decay applies to it. Default: true (every tensor, as `torch.optim.AdamW` over
    /// `model.parameters()` with one group). nanoGPT's rule — decay only tensors of rank ≥ 2 — is
    /// `weightDecay: shape.rank >= 2`.
    public var weightDecay: Bool

    public init(_ name: String, _ shape: Shape, trainable: Bool = true, weightDecay: Bool = true) {
        self.name = name
        self.shape = shape
        self.trainable = trainable
        self.weightDecay = weightDecay
    }
}

/// All parameters of a model in one flat buffer, and all their gradients in a second one (llm.c style).
///
/// Each parameter is a `Tensor` view into the value buffer (offsets rounded up to 16 floats, so every tensor
/// starts on a 64-byte boundary); trainable ones carry a gradient slot whose buffer is the matching view of
/// the gradient buffer, so `Tape.backward` accumulates straight into it. Zeroing all gradients is one `memset`,
/// the global gradient norm one pass, and AdamW one fused pass over flat buffers (`AdamW`).
///
/// Gradients **accumulate** across backward passes (micro-batches, or the two XLNet streams sharing weights)
/// until `zeroGradients()`.
public final class ParameterStore {
    /// The parameters, in declaration order.
    public let specs: [ParameterSpec]
    /// Offset of each parameter in the flat buffers (floats).
    public let offsets: [Int]
    /// Size of the flat buffers in floats (including alignment padding, which stays zero).
    public let flatCount: Int
    /// All values, `[flatCount]` (padding included).
    public let flatValues: Tensor
    /// All gradients, `[flatCount]`.
    public let flatGradients: Tensor
    private let tensors: [Tensor]
    private let indexByName: [String: Int]

    /// Allocates zero-initialised values and gradients for `specs`.
    /// - Throws: `TensorError.invalidArgument` for duplicate or empty names or negative dimensions.
    public init(_ specs: [ParameterSpec]) throws {
        var offsets: [Int] = []
        var index: [String: Int] = [:]
        var total = 0
        for (i, s) in specs.enumerated() {
            guard !s.name.isEmpty, index[s.name] == nil else {
                throw TensorError.invalidArgument(op: "ParameterStore", detail: "duplicate or empty parameter name '\(s.name)'")
            }
            guard s.shape.dims.allSatisfy({ $0 >= 0 }) else {
                throw TensorError.invalidArgument(op: "ParameterStore", detail: "parameter '\(s.name)' has shape \(s.shape)")
            }
            index[s.name] = i
            offsets.append(total)
            total += (s.shape.count + 15) / 16 * 16
        }
        self.specs = specs
        self.offsets = offsets
        self.flatCount = total
        self.indexByName = index
        let values = Tensor.zeros([total]), gradients = Tensor.zeros([total])
        flatValues = values
        flatGradients = gradients
        tensors = specs.enumerated().map { i, s in
            var t = Tensor(shape: s.shape, storage: values.storage, offset: offsets[i])
            if s.trainable {
                let g = Tensor(shape: s.shape, storage: gradients.storage, offset: offsets[i])
                t.slot = GradientSlot(shape: s.shape, retainsGradient: true, name: s.name, fixedBuffer: g)
            }
            return t
        }
    }

    /// Parameter names in declaration order.
    public var names: [String] { specs.map(\.name) }

    /// Number of scalar parameters (padding excluded).
    public var parameterCount: Int { specs.reduce(0) { $0 + $1.shape.count } }

    /// Number of trainable scalar parameters.
    public var trainableCount: Int { specs.filter(\.trainable).reduce(0) { $0 + $1.shape.count } }

    /// True when a parameter has this name.
    public func contains(_ name: String) -> Bool { indexByName[name] != nil }

    /// The parameter (a view into the flat buffer, tracked by autodiff when trainable).
    /// - Throws: `TensorError.invalidArgument` naming an unknown parameter.
    public func tensor(_ name: String) throws -> Tensor {
        tensors[try index(name)]
    }

    /// The parameter at declaration index `i`.
    public func tensor(at i: Int) -> Tensor { tensors[i] }

    /// The gradient of a trainable parameter (a view into the flat gradient buffer); nil for frozen ones.
    public func gradient(_ name: String) throws -> Tensor? {
        tensors[try index(name)].slot?.fixedBuffer
    }

    func index(_ name: String) throws -> Int {
        guard let i = indexByName[name] else {
            throw TensorError.invalidArgument(op: "ParameterStore", detail: "no parameter named '\(name)'")
        }
        return i
    }

    /// Sets every gradient to zero (one pass over the flat buffer).
    public func zeroGradients() {
        let p = flatGradients.unsafePointer
        Parallel.forRanges(flatCount, grain: 1 << 18) { r in
            (p + r.lowerBound).update(repeating: 0, count: r.count)
        }
    }

    /// Copies `values` into parameter `name`.
    /// - Throws: `TensorError.shapeMismatch` when the shapes differ, `invalidArgument` for an unknown name.
    public func assign(_ name: String, _ values: Tensor) throws {
        let t = try tensor(name)
        guard t.shape == values.shape else {
            throw TensorError.shapeMismatch(op: "ParameterStore.assign(\(name))", shapes: [t.shape, values.shape],
                                            detail: "value has a different shape than the parameter")
        }
        t.unsafePointer.update(from: values.unsafePointer, count: t.count)
    }

    /// Calls `body(spec, range)` for each parameter with its element range in the flat buffers.
    public func forEachRange(_ body: (ParameterSpec, Range<Int>) -> Void) {
        for (i, s) in specs.enumerated() { body(s, offsets[i]..<(offsets[i] + s.shape.count)) }
    }
}
