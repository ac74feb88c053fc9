/// The fixed part of every generated row: the primed property blocks, the sequence tokens, and how masks are chosen.
struct GenerationTemplate {
    /// `<p>VALUE|` for every property, in the model's order.
    let primers: String
    /// Goals in raw units, in the model's property order.
    let goals: [Double]
    /// The sequence tokens (with `[MASK]` already in place for a masked line).
    let tokens: [String]
    /// The seed (nil for a masked line).
    let seed: SeedMolecule?
    let plan: MaskingPlan?

    /// Whether every row has the same masks (a masked line).
    var isFixed: Bool { plan == nil }

    init(request: GenerationRequest, model: InferenceModel, warnings: inout [String]) throws(InferenceError) {
        var goals: [(name: String, value: Double)]
        switch request.source {
        case .seed(let smiles):
            try model.lengthLimit.check(text: smiles)
            let seed = try SeedMolecule(smiles: smiles, language: model.language)
            let plan = try MaskingPlan(seed: seed, request: request.masking)
            if !plan.missingAtomTypes.isEmpty {
                warnings.append("atom type(s) \(plan.missingAtomTypes.joined(separator: ", ")) do not occur in the seed")
            }
            self.seed = seed
            self.plan = plan
            tokens = seed.tokens
            goals = request.goals
        case .maskedLine(let line):
            try model.lengthLimit.check(text: line)
            let parsed: TokenizedText
            do { parsed = try RTTokenizer(language: model.language).parse(line) } catch {
                throw InferenceError("the masked line cannot be read: \(error)")
            }
            let sequence = Array(parsed.sequenceTokens)
            let numberMasks = parsed.properties.contains { parsed.valueTokens(of: $0).contains(SpecialToken.mask.text) }
            let sequenceMasks = sequence.contains(SpecialToken.mask.text)
            if numberMasks && sequenceMasks {
                throw InferenceError("the line masks both a property value and the sequence; mask one: the value to "
                                     + "predict (rt predict) or the sequence to generate")
            }
            guard sequenceMasks else {
                throw InferenceError("the line has no [MASK] in its sequence: nothing to generate (to predict a property, "
                                     + "use rt predict)")
            }
            goals = []
            for property in parsed.properties {
                let text = parsed.valueTokens(of: property).joined()
                guard let value = NumberDecoding.value(of: parsed.valueTokens(of: property)) else {
                    throw InferenceError("the value of <\(property.name)> ('\(text)') is not a number")
                }
                goals.append((property.name, value))
            }
            seed = nil
            plan = nil
            tokens = sequence
        }
        self.goals = try Self.resolve(goals, model: model, allowExtrapolation: request.allowExtrapolation,
                                      warnings: &warnings)
        var primers = ""
        for (property, goal) in zip(model.properties, self.goals) {
            primers += property.token + (try Self.primer(goal, property: property, vocabulary: model.vocabulary)) + "|"
        }
        self.primers = primers
    }

    /// Goals in the model's property order; every property needs exactly one.
    static func resolve(_ goals: [(name: String, value: Double)], model: InferenceModel, allowExtrapolation: Bool,
                        warnings: inout [String]) throws(InferenceError) -> [Double] {
        var byName: [String: Double] = [:]
        for goal in goals {
            let name = goal.name.hasPrefix("<") && goal.name.hasSuffix(">") ? String(goal.name.dropFirst().dropLast()) : goal.name
            guard model.property(named: name) != nil else {
                throw InferenceError("unknown property '\(name)': the model has " + model.properties.map(\.name).joined(separator: ", "))
            }
            guard byName[name] == nil else { throw InferenceError("two goals for '\(name)'") }
            guard goal.value.isFinite else { throw InferenceError("the goal for '\(name)' is not a finite number") }
            byName[name] = goal.value
        }
        let missing = model.properties.filter { byName[$0.name] == nil }.map(\.name)
        guard missing.isEmpty else {
            throw InferenceError("a goal is needed for every property of the model; missing: " + missing.joined(separator: ", "))
        }
        return try model.properties.map { (property) throws(InferenceError) -> Double in
            let value = byName[property.name] ?? 0
            if !property.scale.isWithinTrainingRange(value), let range = property.scale.range {
                let message = "the goal \(property.name)=\(value) lies outside the training range "
                    + "[\(range.lowerBound), \(range.upperBound)]"
                guard allowExtrapolation else {
                    throw InferenceError(message + " (pass --allow-extrapolation to try anyway)")
                }
                warnings.append(message + ": extrapolating")
            }
            return value
        }
    }

    /// The characters of `goal` (raw units) written for the model: in model units, in the first layout of the
    /// property's mask length that holds it with every token in the vocabulary (fewest integer digits first, so the
    /// most decimals; unsigned first).
    static func primer(_ goal: Double, property: ModelProperty, vocabulary: Vocabulary) throws(InferenceError) -> String {
        let value = property.scale.model(fromRaw: goal)
        for layout in NumberLayout.candidates(tokenCount: property.maskLength) {
            if let tokens = try? layout.tokens(for: value), tokens.allSatisfy({ vocabulary.id(of: $0) != nil }) {
                return String(tokens.map(\.character))
            }
        }
        throw InferenceError("the goal \(property.name)=\(goal) cannot be written in \(property.maskLength) tokens")
    }

    /// One row's masked positions (a fresh draw for a seed, none extra for a masked line).
    func masks<R: CollatorRandomSource>(random: inout R) -> [Int] {
        plan?.draw(random: &random) ?? []
    }

    /// The sequence tokens with `positions` masked.
    func tokens(masking positions: [Int]) -> [String] {
        var t = tokens
        for k in positions { t[k] = SpecialToken.mask.text }
        return t
    }

    /// The RT line of a row.
    func line(_ tokens: [String]) -> String { primers + tokens.joined() }
}
