/// Constructors: constants and seeded random tensors.
extension Tensor {
    /// All elements equal to `value`.
    public static func full(_ shape: Shape, _ value: Float) -> Tensor {
        let t = Tensor(uninitialized: shape)
        t.unsafePointer.initialize(repeating: value, count: shape.count)
        return t
    }

    /// All zeros.
    public static func zeros(_ shape: Shape) -> Tensor {
        let t = Tensor(uninitialized: shape)
        if shape.count > 0 {
            UnsafeMutableRawPointer(t.unsafePointer).initializeMemory(
                as: UInt8.self, repeating: 0, count: shape.count * MemoryLayout<Float>.stride)
        }
        return t
    }

    /// All ones.
    public static func ones(_ shape: Shape) -> Tensor { full(shape, 1) }

    /// Independent samples of N(`mean`, `std`²), drawn in row-major order from `generator`.
    public static func randomNormal<G: RandomNumberGenerator>(
        _ shape: Shape, mean: Float = 0, std: Float = 1, using generator: inout G
    ) -> Tensor {
        let t = Tensor(uninitialized: shape)
        let p = t.unsafePointer
        var i = 0
        while i < shape.count {
            let (z0, z1) = Gaussian.pair(using: &generator)
            p[i] = mean + std * Float(z0)
            if i + 1 < shape.count { p[i + 1] = mean + std * Float(z1) }
            i += 2
        }
        return t
    }

    /// Independent samples of U[`low`, `high`), drawn in row-major order from `generator`.
    public static func randomUniform<G: RandomNumberGenerator>(
        _ shape: Shape, low: Float = 0, high: Float = 1, using generator: inout G
    ) -> Tensor {
        let t = Tensor(uninitialized: shape)
        let p = t.unsafePointer
        let width = Double(high - low)
        for i in 0..<shape.count {
            p[i] = low + Float(Gaussian.unitInterval(using: &generator) * width)
        }
        return t
    }
}
