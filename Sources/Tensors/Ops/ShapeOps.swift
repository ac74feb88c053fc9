/// Reshape (a view), and permute, slice and concatenate (copies).
extension Tape {
    /// The same elements with a new shape (a view: no copy). One dimension may be -1 (inferred).
    /// Backward: `dx += dy` (same elements).
    /// - Throws: `TensorError.shapeMismatch` when the element counts differ.
    public func reshape(_ x: Tensor, _ shape: Shape) throws -> Tensor {
        let y = try x.reshaped(shape).detached
        return record("reshape", inputs: [x], output: y) { g in
            guard let dy = g.outputGradient(), let dx = g.inputGradient(0) else { return }
            Kernels.add(dy.unsafePointer, into: dx.unsafePointer, count: dy.count)
        }
    }

    /// Axes reordered: output axis i is input axis `axes[i]` (a copy, like `x.permute(axes).contiguous()`).
    /// Backward: the inverse permutation of dy, accumulated.
    /// - Throws: `TensorError.invalidArgument` unless `axes` is a permutation of `0..<rank`.
    public func permute(_ x: Tensor, _ axes: [Int]) throws -> Tensor {
        let rank = x.shape.rank
        let resolved = axes.map { $0 < 0 ? $0 + rank : $0 }
        guard resolved.count == rank, Set(resolved) == Set(0..<rank) else {
            throw TensorError.invalidArgument(op: "permute", detail: "\(axes) is not a permutation of the axes of \(x.shape)")
        }
        let outShape = Shape(resolved.map { x.shape.dims[$0] })
        let y = Tensor(uninitialized: outShape)
        Kernels.permute(x.unsafePointer, shape: x.shape, axes: resolved, into: y.unsafePointer, accumulate: false)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, a) in resolved.enumerated() { inverse[a] = i }
        return record("permute", inputs: [x], output: y) { g in
            guard let dy = g.outputGradient(), let dx = g.inputGradient(0) else { return }
            Kernels.permute(dy.unsafePointer, shape: outShape, axes: inverse, into: dx.unsafePointer, accumulate: true)
        }
    }

    /// Swaps two axes (a copy).
    public func transpose(_ x: Tensor, _ a: Int, _ b: Int) throws -> Tensor {
        let rank = x.shape.rank
        guard let i = x.shape.normalizedAxis(a), let j = x.shape.normalizedAxis(b) else {
            throw TensorError.invalidArgument(op: "transpose", detail: "axes \(a), \(b) out of range for \(x.shape)")
        }
        var axes = Array(0..<rank)
        axes.swapAt(i, j)
        return try permute(x, axes)
    }

    /// The elements at positions `range` along `axis` (a copy). Backward adds dy into that window of dx.
    /// - Throws: `TensorError.invalidArgument` for a bad axis or a range outside the axis.
    public func slice(_ x: Tensor, axis: Int, _ range: Range<Int>) throws -> Tensor {
        guard let a = x.shape.normalizedAxis(axis), range.lowerBound >= 0, range.upperBound <= x.shape[a] else {
            throw TensorError.invalidArgument(op: "slice", detail: "range \(range) on axis \(axis) of shape \(x.shape)")
        }
        let dims = x.shape.dims
        let outer = dims[..<a].reduce(1, *), n = dims[a], inner = dims[(a + 1)...].reduce(1, *)
        var outDims = dims
        outDims[a] = range.count
        let y = Tensor(uninitialized: Shape(outDims))
        let xp = x.unsafePointer, yp = y.unsafePointer, w = range.count * inner
        for o in 0..<outer { (yp + o * w).update(from: xp + (o * n + range.lowerBound) * inner, count: w) }
        return record("slice", inputs: [x], output: y) { g in
            guard let dy = g.outputGradient(), let dx = g.inputGradient(0) else { return }
            let dyp = dy.unsafePointer, dxp = dx.unsafePointer
            for o in 0..<outer { Kernels.add(dyp + o * w, into: dxp + (o * n + range.lowerBound) * inner, count: w) }
        }
    }

    /// Tensors joined along `axis` (all other extents equal). Backward hands each input its window of dy.
    /// - Throws: `TensorError.shapeMismatch` when the other extents differ, `invalidArgument` for no inputs or a
    ///   bad axis.
    public func concat(_ xs: [Tensor], axis: Int) throws -> Tensor {
        guard let first = xs.first else { throw TensorError.invalidArgument(op: "concat", detail: "no tensors") }
        guard let a = first.shape.normalizedAxis(axis) else {
            throw TensorError.invalidArgument(op: "concat", detail: "axis \(axis) out of range for \(first.shape)")
        }
        for x in xs where x.shape.rank != first.shape.rank
            || x.shape.dims.enumerated().contains(where: { $0.offset != a && $0.element != first.shape.dims[$0.offset] }) {
            throw TensorError.shapeMismatch(op: "concat", shapes: xs.map(\.shape), detail: "extents differ outside axis \(axis)")
        }
        let dims = first.shape.dims
        let outer = dims[..<a].reduce(1, *), inner = dims[(a + 1)...].reduce(1, *)
        let total = xs.reduce(0) { $0 + $1.shape[a] }
        var outDims = dims
        outDims[a] = total
        let y = Tensor(uninitialized: Shape(outDims))
        let yp = y.unsafePointer
        var start = 0
        var starts: [Int] = []
        for x in xs {
            starts.append(start)
            let w = x.shape[a] * inner, xp = x.unsafePointer
            for o in 0..<outer { (yp + (o * total + start) * inner).update(from: xp + o * w, count: w) }
            start += x.shape[a]
        }
        return record("concat", inputs: xs, output: y) { g in
            guard let dy = g.outputGradient() else { return }
            let dyp = dy.unsafePointer
            for (i, x) in xs.enumerated() {
                guard let dx = g.inputGradient(i) else { continue }
                let w = x.shape[a] * inner, dxp = dx.unsafePointer
                for o in 0..<outer { Kernels.add(dyp + (o * total + starts[i]) * inner, into: dxp + o * w, count: w) }
            }
        }
    }
}

extension Kernels {
    /// Writes (or adds) `x` (of `shape`) permuted so that output axis i is input axis `axes[i]`; the output is
    /// contiguous in its own shape.
    public static func permute(_ x: UnsafePointer<Float>, shape: Shape, axes: [Int],
                               into y: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let rank = shape.rank
        let count = shape.count
        guard count > 0 else { return }
        if rank == 0 {
            y[0] = accumulate ? y[0] + x[0] : x[0]
            return
        }
        let inStrides = shape.strides
        let outDims = axes.map { shape.dims[$0] }
        let srcStrides = axes.map { inStrides[$0] }  // input stride for each output axis
        let inner = outDims[rank - 1], innerStride = srcStrides[rank - 1]
        let rows = count / inner
        var index = [Int](repeating: 0, count: rank)
        var src = 0
        for row in 0..<rows {
            let dst = y + row * inner
            if accumulate {
                for j in 0..<inner { dst[j] += x[src + j * innerStride] }
            } else {
                for j in 0..<inner { dst[j] = x[src + j * innerStride] }
            }
            var ax = rank - 2
            while ax >= 0 {
                index[ax] += 1
                src += srcStrides[ax]
                if index[ax] < outDims[ax] { break }
                src -= srcStrides[ax] * outDims[ax]
                index[ax] = 0
                ax -= 1
            }
        }
    }
}
