/// The paper's property-prediction protocol (docs/inference.md §6.1, fixed): every sample's sequence with all
/// value tokens of every property masked, one forward pass, each slot decoded within its number grammar, compared in
/// raw units with the label.
public struct RegressionEvaluation: Sendable {
    /// One sample's outcome.
    public struct Row: Equatable, Sendable {
        public var line: Int
        public var sequence: String
        public var label: Double
        /// Nil when the sample could not be used.
        public var prediction: Double?
        public var error: String?
    }

    /// The property evaluated (without brackets).
    public var property: String
    public var rows: [Row]
    /// Over the rows with a prediction; `failed` counts the others.
    public var summary: RegressionSummary

    public init(property: String, rows: [Row]) {
        self.property = property
        self.rows = rows
        let scored = rows.filter { $0.prediction != nil }
        summary = RegressionSummary(labels: scored.map(\.label), predictions: scored.compactMap(\.prediction),
                                    failed: rows.count - scored.count)
    }
}

extension InferenceModel {
    /// Evaluates property prediction on labelled samples: one `RegressionEvaluation` per model property that the data
    /// label (samples without that label are skipped for it).
    /// - Throws: `InferenceError` when the data label none of the model's properties.
    public func evaluateRegression<R: CollatorRandomSource>(_ samples: [LabelledSample],
                                                            options: PredictionOptions = PredictionOptions(uncertaintyLevel: nil),
                                                            random: inout R,
                                                            progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws
        -> [RegressionEvaluation]
    {
        let labelled = properties.filter { p in samples.contains { $0.value(of: p.name) != nil } }
        guard !labelled.isEmpty else {
            let found = Set(samples.flatMap { $0.values.map(\.name) }).sorted()
            throw InferenceError("the data label none of the model's properties (\(properties.map(\.name).joined(separator: ", ")))"
                                 + (found.isEmpty ? "" : "; it has \(found.joined(separator: ", "))"))
        }
        var predictions: [Result<PropertyPrediction, InferenceError>] = []
        while predictions.count < samples.count {
            let chunk = samples[predictions.count..<min(samples.count, predictions.count + 256)]
            predictions += try predict(chunk.map(\.sequence), options: options, random: &random)
            progress?(predictions.count, samples.count)
        }
        return labelled.map { property in
            let rows = zip(samples, predictions).compactMap { sample, result -> RegressionEvaluation.Row? in
                guard let label = sample.value(of: property.name) else { return nil }
                switch result {
                case .success(let p):
                    return .init(line: sample.line, sequence: sample.sequence, label: label,
                                 prediction: p.value(of: property.name), error: nil)
                case .failure(let e):
                    return .init(line: sample.line, sequence: sample.sequence, label: label, prediction: nil,
                                 error: e.message)
                }
            }
            return RegressionEvaluation(property: property.name, rows: rows)
        }
    }
}
