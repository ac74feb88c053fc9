/// Linear warmup then linear decay to zero — HuggingFace's `get_linear_schedule_with_warmup`:
/// `factor(t) = t / max(1, W)` for `t < W`, else `max(0, (T − t) / max(1, T − W))`, where t is the number of
/// optimizer steps already taken. The first step (t = 0) therefore runs at learning rate 0 whenever W > 0,
/// exactly as in the RT's trainer.
public struct LinearWarmupDecay: Sendable, Equatable {
    public var baseLearningRate: Double
    public var warmupSteps: Int
    public var totalSteps: Int

    public init(baseLearningRate: Double, warmupSteps: Int, totalSteps: Int) {
        self.baseLearningRate = baseLearningRate
        self.warmupSteps = max(0, warmupSteps)
        self.totalSteps = max(0, totalSteps)
    }

    /// The multiplier after `t` optimizer steps.
    public func factor(_ t: Int) -> Double {
        if t < warmupSteps { return Double(t) / Double(max(1, warmupSteps)) }
        return max(0, Double(totalSteps - t) / Double(max(1, totalSteps - warmupSteps)))
    }

    /// The learning rate of the optimizer step that follows `t` completed steps.
    public func learningRate(afterSteps t: Int) -> Double {
        baseLearningRate * factor(t)
    }
}
