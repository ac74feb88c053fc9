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
    let encoder: RTEncoder

    /// - Throws: `InferenceError` when `inference` lacks a property's mask length, a property token is not in the
    ///   vocabulary, or a normalised property has no range.
    public init(vocabulary: Vocabulary, language: SequenceLanguage, inference: InferenceConfiguration,
                filler: any MaskFiller) throws(InferenceError) {
        guard !inference.properties.isEmpty else { throw InferenceError("inference.json names no property") }
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
            let scale = try PropertyScale(name: name, range: p.range, normalize: p.normalize)
            let slot = try NumberSlot(tokenCount: length, valueRange: scale.modelRange, vocabulary: vocabulary)
            properties.append(ModelProperty(name: name, scale: scale, maskLength: length, slot: slot))
        }
        self.vocabulary = vocabulary
        self.language = language
        self.properties = properties
        self.filler = filler
        alphabet = SequenceAlphabet(vocabulary: vocabulary, language: language)
        encoder = RTEncoder(vocabulary: vocabulary, tokenizer: RTTokenizer(language: language, mode: .strict),
                            allowsUnknownTokens: false)
    }

    /// The model of a folder (weights loaded; `inference.json` required). The language is `language`, else the
    /// folder's (`config.json` / `tokenizer_config.json`), else SELFIES when the vocabulary has SELFIES symbols
    /// (GT4SD's molecule models do not record it), else SMILES.
    public convenience init(folder: ModelFolder, language: SequenceLanguage? = nil, batchSize: Int = 32) throws {
        guard let inference = folder.inference else {
            throw InferenceError("\(folder.url.path): no inference.json (it names the properties, their ranges and "
                                 + "mask lengths; GT4SD and `rt train` write one)")
        }
        let network = try folder.loadModel()
        let language = language ?? folder.configuration.language
            ?? (folder.vocabulary.id(of: "[Branch1_1]") != nil ? .selfies : .smiles)
        try self.init(vocabulary: folder.vocabulary, language: language, inference: inference,
                      filler: XLNetMaskFiller(model: network, vocabulary: folder.vocabulary, batchSize: batchSize))
    }

    /// The property called `name` (with or without brackets).
    public func property(named name: String) -> ModelProperty? {
        let bare = name.hasPrefix("<") && name.hasSuffix(">") ? String(name.dropFirst().dropLast()) : name
        return properties.first { $0.name == bare }
    }

    /// The ids of an RT line (strict tokenizer: unknown tokens are errors naming the token).
    func encode(_ line: String) throws(InferenceError) -> [Int32] {
        do { return try encoder.encode(line) } catch {
            throw InferenceError("\(error)")
        }
    }
}
