/// One predicted property value.
public struct PredictedProperty: Equatable, Sendable {
    /// Without brackets, e.g. `qed`.
    public var name: String
    /// The prediction in raw units: the decoded number, or the distribution's mean (`ValueEstimate`).
    public var value: Double
    /// The same in the model's units (what the tokens spell, for the decoded estimate).
    public var modelValue: Double
    /// The value tokens, e.g. `_0_0_ _._ _8_-1_ _1_-2_ _2_-3_`.
    public var tokens: [String]
    /// Beam search: the best values (raw units), best first; the first equals `value`. Empty otherwise.
    public var candidates: [Double]
    /// The predictive distribution's summaries in raw units (nil when not asked for).
    public var uncertainty: NumberUncertainty?
    /// Whether `value` (or a candidate, or the interval) was moved into the property's range
    /// (`PredictionOptions.allowsExtrapolation`).
    public var clamped: Bool = false
}

/// The properties predicted for one input.
public struct PropertyPrediction: Equatable, Sendable {
    /// The sequence the model saw (its language).
    public var sequence: String
    public var properties: [PredictedProperty]

    public func value(of name: String) -> Double? { properties.first { $0.name == name }?.value }
}

/// Which number a prediction reports.
public enum ValueEstimate: String, Sendable, CaseIterable {
    /// The number the search spells (greedy: the most probable well-formed string) — the original's prediction.
    case decoded
    /// The mean of the model's own distribution over the values the slot can spell (`NumberDistribution.mean`,
    /// temperature 1): the estimate with the least expected squared error under the model. Where the model is unsure
    /// between neighbouring leading digits, the most probable string jumps between them; the mean moves smoothly.
    case mean
}

/// Options of `InferenceModel.predict`.
public struct PredictionOptions: Sendable {
    /// `greedy` (default): the most probable well-formed number; `beam`: also the next best; `sample`: a draw.
    public var strategy: DecodingStrategy
    /// Central level of the reported interval (e.g. 0.9), nil to skip the uncertainty.
    public var uncertaintyLevel: Double?
    /// How inputs are written.
    public var inputFormat: SequenceFormat
    /// Which number becomes `value` (the search still fills `tokens` and `candidates`).
    public var estimate: ValueEstimate
    /// false (default): values, candidates and the interval's mean and bounds are clamped to the property's range
    /// (`PropertyScale.range`: `property_ranges` of `inference.json`, the range of the training labels). The number
    /// grammar of a slot allows more than that range (any units digit for a [0, 1] property, so a mean can reach
    /// 1.8), and a model has no evidence beyond what it was trained on. true: report what the model spells.
    public var allowsExtrapolation: Bool

    public init(strategy: DecodingStrategy = .greedy, uncertaintyLevel: Double? = 0.9, inputFormat: SequenceFormat = .auto,
                estimate: ValueEstimate = .decoded, allowsExtrapolation: Bool = false) {
        self.strategy = strategy
        self.uncertaintyLevel = uncertaintyLevel
        self.inputFormat = inputFormat
        self.estimate = estimate
        self.allowsExtrapolation = allowsExtrapolation
    }

    /// Whether the model's own distribution of each value (temperature 1) is needed: for the uncertainty or the mean.
    var needsValueDistribution: Bool { uncertaintyLevel != nil || estimate == .mean }
}

extension InferenceModel {
    /// Predicts every property of the model for each input sequence (docs/inference.md §3.1): the line
    /// `<p1>[MASK]×m1|…|SEQUENCE` in one forward pass, each value slot decoded within its number grammar
    /// (`NumberSlot`), then mapped to raw units (`PropertyScale`). The uncertainty uses the model's own distribution
    /// (temperature 1) whatever the strategy.
    ///
    /// One result per input, in order; an input that cannot be used (invalid molecule, unknown token) gives a failure
    /// with the reason and does not affect the others.
    public func predict<R: CollatorRandomSource>(_ inputs: [String], options: PredictionOptions = PredictionOptions(),
                                                 random: inout R) throws -> [Result<PropertyPrediction, InferenceError>] {
        var results = [Result<PropertyPrediction, InferenceError>?](repeating: nil, count: inputs.count)
        var rows: [[Int32]] = []
        var sequences: [String] = []
        var owners: [Int] = []
        let blocks = properties.map { ($0.name, $0.maskLength) }
        for (k, input) in inputs.enumerated() {
            do throws(InferenceError) {
                let sequence = try modelSequence(input, format: options.inputFormat)
                rows.append(try encode(InferenceText.predictionLine(sequence: sequence, properties: blocks)))
                sequences.append(sequence)
                owners.append(k)
            } catch {
                results[k] = .failure(error)
            }
        }
        let temperature: Double
        if case .sample(let t) = options.strategy { temperature = t } else { temperature = 1 }
        let decoded = try filler.distributions(for: rows, temperature: temperature)
        let modelDistributions = temperature == 1 || !options.needsValueDistribution
            ? decoded : try filler.distributions(for: rows, temperature: 1)
        for (r, owner) in owners.enumerated() {
            do throws(InferenceError) {
                results[owner] = .success(try readProperties(decoded[r], modelDistributions: modelDistributions[r],
                                                             sequence: sequences[r], options: options, random: &random))
            } catch {
                results[owner] = .failure(error)
            }
        }
        return results.map { $0 ?? .failure(InferenceError("not predicted")) }
    }

    /// Decodes the value slots of one row: its masked positions are the properties' slots in order.
    func readProperties<R: CollatorRandomSource>(_ distributions: [TokenDistribution],
                                                 modelDistributions: [TokenDistribution], sequence: String,
                                                 options: PredictionOptions, random: inout R)
        throws(InferenceError) -> PropertyPrediction
    {
        let expected = properties.reduce(0) { $0 + $1.maskLength }
        guard distributions.count == expected else {
            throw InferenceError("the sequence itself contains [MASK] tokens (\(distributions.count - expected) of them)")
        }
        var offset = 0
        var values: [PredictedProperty] = []
        for property in properties {
            let slot = offset..<(offset + property.maskLength)
            offset += property.maskLength
            let d = Array(distributions[slot])
            let reading: NumberReading
            var candidates: [Double] = []
            switch options.strategy {
            case .greedy:
                reading = property.slot.greedy(d)
            case .sample:
                reading = property.slot.sample(d, random: &random)
            case .beam(let width):
                let best = property.slot.best(d, count: max(1, width))
                reading = best.first ?? property.slot.greedy(d)
                candidates = best.map { property.scale.raw(fromModel: $0.value) }
            }
            let affine = property.scale.affine
            let distribution = options.needsValueDistribution
                ? NumberDistribution(slot: property.slot, distributions: Array(modelDistributions[slot])) : nil
            let uncertainty = options.uncertaintyLevel.flatMap { level in
                distribution?.uncertainty(level: level).mapped(scale: affine.scale, offset: affine.offset)
            }
            let modelValue = options.estimate == .mean ? (distribution?.mean ?? reading.value) : reading.value
            var predicted = PredictedProperty(
                name: property.name, value: property.scale.raw(fromModel: modelValue), modelValue: modelValue,
                tokens: reading.tokens.map(\.text), candidates: candidates, uncertainty: uncertainty)
            if !options.allowsExtrapolation, let range = property.scale.range { predicted.clamp(to: range) }
            values.append(predicted)
        }
        return PropertyPrediction(sequence: sequence, properties: values)
    }
}

extension PredictedProperty {
    /// Moves the value, the candidates and the interval's mean and bounds into `range` (raw units); `modelValue`
    /// and `tokens` keep what the model spelled. The standard deviation is the model's own and is kept.
    mutating func clamp(to range: ClosedRange<Double>) {
        func inRange(_ x: Double) -> Double {
            guard x.isFinite else { return x }
            let y = min(max(x, range.lowerBound), range.upperBound)
            if y != x { clamped = true }
            return y
        }
        value = inRange(value)
        candidates = candidates.map(inRange)
        if var u = uncertainty {
            u.mean = inRange(u.mean)
            u.lower = inRange(u.lower)
            u.upper = inRange(u.upper)
            uncertainty = u
        }
    }
}
