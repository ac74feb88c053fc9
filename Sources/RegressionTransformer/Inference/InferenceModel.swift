import Foundation

/// One property a model predicts and can be conditioned on.
public struct ModelProperty: Sendable {
    /// Without brackets, e.g. `qed`.
    public var name: String
    /// Units: training range and normalisation.
    public var scale: PropertyScale
    /// Number of value tokens (GT4SD's `property_mask_length`).
    public var maskLength: Int
    /// The grammar of the value slot (layouts of `maskLength` tokens that fit the model range).
    public var slot: NumberSlot

    /// The property token, e.g. `<qed>`.
    public var token: String { "<\(name)>" }
}

/// A model ready for prediction and generation: vocabulary, sequence language, the properties of `inference.json`,
/// and a `MaskFiller` (the network).
public final class InferenceModel {
    public let vocabulary: Vocabulary
    public let language: SequenceLanguage
    public let properties: [ModelProperty]
    /// The tokens a masked sequence position may receive.
    public let alphabet: SequenceAlphabet
    public let filler: any MaskFiller
    /// The most token ids one model row may have (`SequenceLengthLimit`): the folder's training `block_size`,
    /// else 512. Every longer input is refused with an error naming its length.
    public var lengthLimit: SequenceLengthLimit
    /// `lengthLimit.tokens`.
    public var maximumLength: Int {
        get { lengthLimit.tokens }
        set { lengthLimit.tokens = newValue }
    }
    var encoder: RTEncoder
    /// What the model is called in messages: its folder's path (or "the model").
    public var name: String
    /// false (default): a sequence token missing from the vocabulary is an error naming the token and the model.
    /// true: it becomes `[UNK]`, as the original's tokenizer does silently — a prediction for users who prefer one
    /// to an error, from a sequence the model partly cannot read.
    public var mapsUnknownTokensToUNK: Bool {
        get { encoder.allowsUnknownTokens }
        set { encoder.allowsUnknownTokens = newValue }
    }
    /// The properties `inference` declares, checked against `vocabulary`.
    /// - Throws: `InferenceError` (messages start with `inference.json: `).
    static func properties(of inference: InferenceConfiguration,
                           vocabulary: Vocabulary) throws(InferenceError) -> [ModelProperty] {
        guard !inference.properties.isEmpty else { throw InferenceError("inference.json: names no property (property_token is empty)") }
        var properties: [ModelProperty] = []
        for p in inference.properties {
            guard p.token.count > 2, p.token.hasPrefix("<"), p.token.hasSuffix(">") else {
                throw InferenceError("inference.json: property token '\(p.token)' is not written <name>")
            }
            let name = String(p.token.dropFirst().dropLast())
            guard vocabulary.id(of: p.token) != nil else {
                throw InferenceError("inference.json: the property token \(p.token) is not in the vocabulary")
            }
            guard let length = p.maskLength else {
                throw InferenceError("inference.json: no property_mask_length for \(p.token) (how many tokens a value has)")
            }
            guard (1...NumberSlot.maximumTokenCount).contains(length) else {
                throw InferenceError("inference.json: property_mask_length of \(p.token) is \(length); a value has 1 to "
                                     + "\(NumberSlot.maximumTokenCount) tokens")
            }
            let scale = try PropertyScale(name: name, range: p.range, normalize: p.normalize)
            let slot = try NumberSlot(tokenCount: length, valueRange: scale.modelRange, vocabulary: vocabulary)
            properties.append(ModelProperty(name: name, scale: scale, maskLength: length, slot: slot))
        }
        return properties
    }

    /// - Throws: `InferenceError` when `inference` lacks a property's mask length, a property token is not in the
    ///   vocabulary, or a normalised property has no range.
    public convenience init(vocabulary: Vocabulary, language: SequenceLanguage, inference: InferenceConfiguration,
                            filler: any MaskFiller) throws(InferenceError) {
        self.init(vocabulary: vocabulary, language: language,
                  properties: try Self.properties(of: inference, vocabulary: vocabulary), filler: filler,
                  lengthLimit: SequenceLengthLimit(vocabulary: vocabulary), name: "the model")
    }

    init(vocabulary: Vocabulary, language: SequenceLanguage, properties: [ModelProperty], filler: any MaskFiller,
         lengthLimit: SequenceLengthLimit, name: String) {
        self.vocabulary = vocabulary
        self.language = language
        self.properties = properties
        self.filler = filler
        self.lengthLimit = lengthLimit
        self.name = name
        alphabet = SequenceAlphabet(vocabulary: vocabulary, language: language)
        encoder = RTEncoder(vocabulary: vocabulary, tokenizer: RTTokenizer(language: language, mode: .strict),
                            allowsUnknownTokens: false)
    }

    /// The model of a folder (weights loaded; `inference.json` required). The language is `language`, else the
    /// folder's (`config.json` / `tokenizer_config.json`), else SELFIES when the vocabulary has SELFIES symbols
    /// (GT4SD's molecule models do not record it), else SMILES. `inference.json` and `training_config.json` are
    /// checked before the weights are read.
    public convenience init(folder: ModelFolder, language: SequenceLanguage? = nil, batchSize: Int = 32) throws {
        guard let inference = folder.inference else {
            throw InferenceError("\(folder.url.path): no inference.json (it names the properties, their ranges and "
                                 + "mask lengths; GT4SD and `rt train` write one)")
        }
        let properties: [ModelProperty]
        do throws(InferenceError) { properties = try Self.properties(of: inference, vocabulary: folder.vocabulary) } catch {
            // These checks are about inference.json (against the vocabulary): name the file.
            let prefix = ModelFolder.inferenceFile + ": "
            let message = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
            throw ModelFolderError(path: folder.url.appendingPathComponent(ModelFolder.inferenceFile).path, message)
        }
        let lengthLimit = try SequenceLengthLimit(folder: folder)
        let network = try folder.loadModel()
        let language = language ?? folder.configuration.language
            ?? (folder.vocabulary.id(of: "[Branch1_1]") != nil ? .selfies : .smiles)
        self.init(vocabulary: folder.vocabulary, language: language, properties: properties,
                  filler: XLNetMaskFiller(model: network, vocabulary: folder.vocabulary, batchSize: batchSize),
                  lengthLimit: lengthLimit, name: folder.url.path)
    }

    /// The property called `name` (with or without brackets).
    public func property(named name: String) -> ModelProperty? {
        let bare = name.hasPrefix("<") && name.hasSuffix(">") ? String(name.dropFirst().dropLast()) : name
        return properties.first { $0.name == bare }
    }

    /// The ids of an RT line (strict tokenizer: unknown tokens are errors naming the token); at most
    /// `maximumLength` of them.
    func encode(_ line: String) throws(InferenceError) -> [Int32] {
        try lengthLimit.check(text: line)
        let ids: [Int32]
        do { ids = try encoder.encode(line) } catch {
            if error.kind == .unknownToken { throw unknownTokenError(error.message) }
            throw InferenceError("\(error)")
        }
        try lengthLimit.check(tokenCount: ids.count)
        return ids
    }

    /// `message` (e.g. "the token '[\\C@Hexpl]' is not in the vocabulary") with the model and the way out.
    func unknownTokenError(_ message: String) -> InferenceError {
        InferenceError("\(message) of \(name) (--unknown-tokens unk maps such tokens to [UNK], as the original does)")
    }
}
