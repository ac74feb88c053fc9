/// What to generate (GT4SD's `sampling_wrapper` and generation settings, docs/inference.md §5.1, with raw-unit
/// goals for every property of the model).
public struct GenerationRequest: Sendable {
    /// Where the masked sequences come from.
    public enum Source: Sendable, Equatable {
        /// A seed molecule (SMILES); each sample masks tokens of it by `masking`.
        case seed(String)
        /// An RT line with its property values and `[MASK]`s in the sequence, in the model's language, e.g.
        /// `<qed>0.85|[C][C][MASK][MASK][O]` (GT4SD's explicit form); the values are the goals, the masks are fixed.
        case maskedLine(String)
    }

    public var source: Source
    /// Property goals in raw units, one for every property of the model (ignored for `maskedLine`).
    public var goals: [(name: String, value: Double)]
    public var masking: MaskingRequest
    /// How many accepted molecules to return (at most).
    public var samples: Int
    /// How masked sequence tokens are filled: `sample(T)` (default, T = 1: the model's own distribution), `greedy`,
    /// or `beam(k)` (the k most probable fillings of each masked row).
    public var strategy: DecodingStrategy
    /// In which order masks are filled (`FillOrder`); beam search has only `parallel`.
    public var order: FillOrder
    /// Self-consistency filter: keep a molecule only if the model's own prediction of every property lies within
    /// `tolerance` percent of the property's training range of the goal (GT4SD's default 20). Nil: no filter.
    public var tolerance: Double?
    /// Accept goals outside the training range (with a warning) instead of refusing them.
    public var allowExtrapolation: Bool
    /// Rows per forward pass, and the most passes before giving up.
    public var batchSize: Int
    public var maxBatches: Int
    /// GT4SD's `filter_stubbed`: drop molecules with at most this share of the seed's atoms or bonds (0 disables).
    public var minimumSizeRatio: Double

    public init(source: Source, goals: [(name: String, value: Double)] = [], masking: MaskingRequest = MaskingRequest(),
                samples: Int = 10, strategy: DecodingStrategy = .sample(temperature: 1), order: FillOrder = .parallel,
                tolerance: Double? = 20,
                allowExtrapolation: Bool = false, batchSize: Int = 16, maxBatches: Int = 20, minimumSizeRatio: Double = 0.5) {
        self.source = source
        self.goals = goals
        self.masking = masking
        self.samples = samples
        self.strategy = strategy
        self.order = order
        self.tolerance = tolerance
        self.allowExtrapolation = allowExtrapolation
        self.batchSize = batchSize
        self.maxBatches = maxBatches
        self.minimumSizeRatio = minimumSizeRatio
    }
}

/// What happened to one generated sequence.
public enum GenerationStatus: String, Sendable, CaseIterable {
    case accepted
    /// Not a valid molecule.
    case invalid
    /// The seed itself (same canonical SMILES).
    case seed
    /// A molecule generated before in this run.
    case duplicate
    /// Too small compared with the seed (`minimumSizeRatio`).
    case tooSmall = "too-small"
    /// Lacks a substructure to keep.
    case missingSubstructure = "missing-substructure"
    /// The model's own prediction is outside the tolerance.
    case outsideTolerance = "outside-tolerance"
    /// Passed every filter after enough molecules had been accepted.
    case surplus
}

/// One generated molecule with everything known about it.
public struct GeneratedMolecule: Equatable, Sendable {
    /// The generated sequence in the model's language.
    public var sequence: String
    /// Its SMILES (SELFIES decoded with selfies 1.0.4), nil if it could not be decoded.
    public var smiles: String?
    /// Canonical SMILES if valid.
    public var canonical: String?
    public var valid: Bool { canonical != nil }
    /// Morgan (r = 2, 2048 bits) Tanimoto similarity to the seed, for valid molecules with a seed.
    public var similarity: Double?
    /// The model's own prediction of each property (raw units), in the model's property order.
    public var predicted: [(name: String, value: Double)]
    /// The Chemistry oracle's value of each property that has one (`PropertyOracle`).
    public var oracle: [(name: String, value: Double)]
    public var status: GenerationStatus

    public static func == (a: GeneratedMolecule, b: GeneratedMolecule) -> Bool {
        a.sequence == b.sequence && a.smiles == b.smiles && a.canonical == b.canonical && a.similarity == b.similarity
            && a.predicted.map(\.name) == b.predicted.map(\.name) && a.predicted.map(\.value) == b.predicted.map(\.value)
            && a.oracle.map(\.name) == b.oracle.map(\.name) && a.oracle.map(\.value) == b.oracle.map(\.value)
            && a.status == b.status
    }
}

/// The outcome of `InferenceModel.generate`.
public struct GenerationResult: Sendable {
    /// Accepted molecules, in the order they were generated (at most `samples`).
    public var accepted: [GeneratedMolecule]
    /// Every other generated sequence, with the reason.
    public var rejected: [GeneratedMolecule]
    /// Number of sequences generated.
    public var generated: Int
    /// Things the user should know (goals outside the range, atom types absent from the seed, …).
    public var warnings: [String]
    /// The seed's canonical SMILES (nil for a masked line).
    public var seedCanonical: String?

    /// Count per status over all generated sequences.
    public var counts: [GenerationStatus: Int] {
        var c: [GenerationStatus: Int] = [:]
        for m in accepted + rejected { c[m.status, default: 0] += 1 }
        return c
    }
}
