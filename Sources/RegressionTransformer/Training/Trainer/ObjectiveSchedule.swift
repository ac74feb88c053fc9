/// One kind of training step.
public enum TrainingObjective: String, Sendable, CaseIterable, Codable {
    /// Property prediction: the property collator, HF's mean loss.
    case propertyPrediction = "pp"
    /// Conditional generation: the generation collator, `L_CG` (+ α·`L_SC`) in alternating mode, HF's mean loss
    /// in `gen_only` mode.
    case generation = "cg"
    /// Vanilla permutation language modelling, HF's mean loss.
    case plm
}

/// Which objective each micro-batch trains (docs/training.md §8).
///
/// Alternating mode: micro-batches `[0, a)` property prediction, `[a, 2a)` generation, … with `a` =
/// `alternate_steps`; `objective(m) = ⌊m / a⌋ mod 2 == 0 ? PP : CG`.
///
/// Deviation: `m` counts micro-batches over the whole run; the original restarts it at every epoch (so an epoch
/// whose batch count is not a multiple of `2a` ends mid-phase and the next starts with PP again). With one
/// shuffled order per epoch each sample is trained once per epoch, by whichever objective is active — the
/// original zips two independently shuffled loaders and collates both every step, throwing half the work away
/// (docs/training.md §8).
public struct ObjectiveSchedule: Sendable, Equatable {
    public let task: TrainingConfiguration.Task
    public let alternateSteps: Int

    public init(task: TrainingConfiguration.Task, alternateSteps: Int) {
        self.task = task
        self.alternateSteps = max(1, alternateSteps)
    }

    public func objective(forMicroStep m: Int) -> TrainingObjective {
        switch task {
        case .alternating: return (m / alternateSteps) % 2 == 0 ? .propertyPrediction : .generation
        case .propertyPrediction: return .propertyPrediction
        case .generation: return .generation
        case .plm: return .plm
        }
    }
}
