/// Where the gradient of one tracked tensor accumulates.
///
/// Every tracked tensor carries one (`Tensor.slot`): parameters and leaves made with `requiringGradient()` own
/// a slot that keeps its gradient after backward (gradients accumulate over backward passes until zeroed);
/// op outputs get a temporary slot whose gradient the tape releases once the producing op's backward has run.
/// A parameter's slot writes straight into its view of the flat gradient buffer (`ParameterStore`).
public final class GradientSlot: @unchecked Sendable {
    /// Shape of the tensor (and of its gradient).
    public let shape: Shape
    /// The parameter or leaf name, when one was given.
    public let name: String?
    /// Keep the gradient after backward (leaves, parameters).
    public let retainsGradient: Bool
    /// The op that produced the tensor (nil for leaves and parameters); used in error messages.
    public internal(set) var producer: String?
    /// A fixed gradient buffer (a view into a flat buffer) that `value` always points to.
    let fixedBuffer: Tensor?
    /// The accumulated gradient, or nil when nothing has flowed here yet.
    public internal(set) var value: Tensor?

    init(shape: Shape, retainsGradient: Bool, name: String?, fixedBuffer: Tensor? = nil) {
        self.shape = shape
        self.retainsGradient = retainsGradient || fixedBuffer != nil
        self.name = name
        self.fixedBuffer = fixedBuffer
        self.value = fixedBuffer
    }

    /// The gradient buffer to accumulate into, created zero-filled on first use.
    func accumulator() -> Tensor {
        if let v = value { return v }
        let z = Tensor.zeros(shape)
        value = z
        return z
    }

    /// The gradient buffer and whether it already holds contributions (`true`: add into it) or is fresh and
    /// uninitialised (`false`: the caller must overwrite every element).
    func writableBuffer() -> (Tensor, Bool) {
        if let v = value { return (v, true) }
        let t = Tensor(uninitialized: shape)
        value = t
        return (t, false)
    }

    /// Forgets the gradient (a fixed buffer is zeroed instead).
    func reset() {
        if let f = fixedBuffer {
            f.withUnsafeMutableBufferPointer { b in b.update(repeating: 0) }
        } else {
            value = nil
        }
    }

    /// Releases an intermediate gradient after use (no-op for retained slots).
    func releaseIfTemporary() {
        if !retainsGradient { value = nil }
    }

    /// A human-readable identity for messages.
    var label: String { name ?? producer.map { "output of \($0)" } ?? "tensor \(shape)" }
}
