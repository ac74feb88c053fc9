/// Reverse-mode automatic differentiation as a tape of coarse ops (docs/engine.md §3).
///
/// An op computes its forward result with fused kernels, then calls `record(_:inputs:output:backward:)` with a
/// closure that, given the gradient of its outputs, **accumulates** (`+=`) the gradients of its inputs. The
/// closure captures whatever the backward pass needs (inputs, saved statistics, an RNG key). Every built-in op
/// (`matmul`, `linear`, `layerNorm`, …, each in `Ops/`, forward and backward side by side) is written this way,
/// and other modules add their own fused ops the same way, e.g.:
///
/// ```swift
/// extension Tape {
///     /// y = 2·x (a toy custom op).
///     func double(_ x: Tensor) -> Tensor {
///         let y = Tensor(uninitialized: x.shape)
///         /* forward kernel: y[i] = 2 x[i] */
///         return record("double", inputs: [x], output: y) { g in
///             guard let dy = g.outputGradient(), let dx = g.inputGradient(0) else { return }
///             /* backward kernel: dx[i] += 2 dy[i] */
///         }
///     }
/// }
/// ```
///
/// **Capture tensors, not pointers**: a closure that needs a saved buffer must capture the `Tensor` (which keeps
/// its storage alive until the op's backward has run) and take `unsafePointer` inside the closure; a pointer
/// captured alone dangles once forward returns and the buffer goes back to the pool.
///
/// `backward(_:)` walks the recorded ops in reverse; an op runs only when a gradient reached one of its
/// outputs, asks only for the input gradients that are tracked (`inputGradient` returns nil otherwise), and is
/// released right after it ran, together with its saved tensors and its outputs' gradients — so memory falls
/// during the backward pass. A tape is consumed by `backward` (one tape per training step; `reset()` discards
/// one without running it).
///
/// A non-recording tape (`Tape(recording: false)`, or inside `withoutRecording`) runs the same forward code
/// without recording anything and without keeping saved tensors: inference mode.
///
/// Not thread-safe: build and run one tape on one thread (ops parallelise inside).
public final class Tape {
    /// One recorded op.
    final class Node {
        let name: String
        let inputs: [GradientSlot?]
        let outputs: [GradientSlot]
        var backward: ((BackwardContext) throws -> Void)?

        init(name: String, inputs: [GradientSlot?], outputs: [GradientSlot],
             backward: @escaping (BackwardContext) throws -> Void) {
            self.name = name
            self.inputs = inputs
            self.outputs = outputs
            self.backward = backward
        }
    }

    private var nodes: [Node] = []
    private let recordingEnabled: Bool
    private var pausedDepth = 0

    /// A tape that records (`recording: true`) or only computes forward values (`false`: inference).
    public init(recording: Bool = true) {
        recordingEnabled = recording
    }

    /// True when ops are being recorded.
    public var isRecording: Bool { recordingEnabled && pausedDepth == 0 }

    /// Number of ops recorded and not yet consumed.
    public var count: Int { nodes.count }

    /// Names of the recorded ops, oldest first (for debugging and tests).
    public var opNames: [String] { nodes.map(\.name) }

    /// Runs `body` with recording paused ("no grad"): ops inside produce untracked tensors.
    public func withoutRecording<R>(_ body: () throws -> R) rethrows -> R {
        pausedDepth += 1
        defer { pausedDepth -= 1 }
        return try body()
    }

    /// True when an op with these inputs would be recorded (recording on and some input tracked). Ops can use
    /// it to skip saving state that only backward needs.
    public func isTracking(_ inputs: [Tensor]) -> Bool {
        isRecording && inputs.contains { $0.slot != nil }
    }

    /// Records an op with several outputs. Returns `outputs` carrying new gradient slots when the op is
    /// recorded, unchanged otherwise (recording off, or no input tracked — then `backward` is dropped).
    ///
    /// `backward` receives a `BackwardContext`: read output gradients with `outputGradient(i)` (nil when no
    /// gradient reached output `i`), get input accumulators with `inputGradient(i)` (nil when input `i` is not
    /// tracked; zero-filled on first use) and **add** into them.
    public func record(_ name: String, inputs: [Tensor], outputs: [Tensor],
                       backward: @escaping (BackwardContext) throws -> Void) -> [Tensor] {
        guard isTracking(inputs) else { return outputs }
        var tracked = outputs
        var slots: [GradientSlot] = []
        slots.reserveCapacity(outputs.count)
        for i in tracked.indices {
            let s = GradientSlot(shape: tracked[i].shape, retainsGradient: false, name: nil)
            s.producer = name
            slots.append(s)
            tracked[i].slot = s
        }
        nodes.append(Node(name: name, inputs: inputs.map(\.slot), outputs: slots, backward: backward))
        return tracked
    }

    /// Records an op with one output (see `record(_:inputs:outputs:backward:)`).
    public func record(_ name: String, inputs: [Tensor], output: Tensor,
                       backward: @escaping (BackwardContext) throws -> Void) -> Tensor {
        record(name, inputs: inputs, outputs: [output], backward: backward)[0]
    }

    /// Back-propagates from a scalar loss: d loss / d loss = 1.
    /// - Throws: `TensorError.nonFinite` when the loss is NaN or ±Inf (naming the op that produced it),
    ///   `TensorError.autodiff` when it is not a one-element tensor or not tracked by this tape.
    public func backward(_ loss: Tensor) throws {
        guard loss.count == 1 else {
            throw TensorError.autodiff(detail: "backward needs a one-element loss, got shape \(loss.shape)")
        }
        let value = loss.scalarValue
        guard value.isFinite else {
            let op = loss.slot?.producer ?? "loss"
            throw TensorError.nonFinite(op: op, detail: "loss is \(value)")
        }
        try backward(from: loss, seed: Tensor.ones(loss.shape))
    }

    /// Back-propagates from any tracked tensor with the given output gradient (`seed`, same shape).
    public func backward(from output: Tensor, seed: Tensor) throws {
        guard let root = output.slot else {
            throw TensorError.autodiff(detail: "backward from a tensor that no tracked input reaches")
        }
        guard seed.shape == output.shape else {
            throw TensorError.shapeMismatch(op: "backward", shapes: [output.shape, seed.shape],
                                            detail: "seed must have the output's shape")
        }
        let acc = root.accumulator()
        Kernels.add(seed.unsafePointer, into: acc.unsafePointer, count: seed.count)
        let run = nodes
        nodes = []
        for node in run.reversed() {
            guard let body = node.backward else { continue }
            node.backward = nil
            if node.outputs.contains(where: { $0.value != nil }) {
                try body(BackwardContext(node: node))
            }
            for s in node.outputs { s.releaseIfTemporary() }
        }
    }

    /// Discards every recorded op (and the tensors they saved) without running backward.
    public func reset() {
        nodes = []
    }
}

/// What an op's backward closure sees: its outputs' gradients and its inputs' gradient accumulators.
public struct BackwardContext {
    let node: Tape.Node

    /// The op's name as recorded.
    public var opName: String { node.name }

    /// Gradient of output `i` (nil when none reached it: then that output contributes nothing).
    public func outputGradient(_ i: Int = 0) -> Tensor? {
        node.outputs[i].value
    }

    /// True when input `i` is tracked, i.e. `inputGradient(i)` will return a buffer.
    public func needsGradient(_ i: Int) -> Bool {
        node.inputs[i] != nil
    }

    /// The buffer into which the gradient of input `i` must be **added** (created zero-filled on first use),
    /// or nil when input `i` is not tracked.
    public func inputGradient(_ i: Int) -> Tensor? {
        node.inputs[i]?.accumulator()
    }

    /// The gradient buffer of input `i` for a backward that writes **every** element: `accumulate == false`
    /// means this is the first contribution and the buffer is uninitialised (overwrite it, e.g. a GEMM with
    /// `beta = 0`); `true` means add into it. Saves the zero-fill and one read of `inputGradient`. Fully write
    /// one input's buffer before asking for the next (the same tensor may be several inputs). Nil when input `i`
    /// is not tracked.
    public func writableInputGradient(_ i: Int) -> (gradient: Tensor, accumulate: Bool)? {
        guard let slot = node.inputs[i] else { return nil }
        let (t, acc) = slot.writableBuffer()
        return (t, acc)
    }
}
