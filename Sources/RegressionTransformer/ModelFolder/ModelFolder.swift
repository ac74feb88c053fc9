import Foundation
import TensorIO
import Tensors

/// A model folder (docs/model-folders.md), interchangeable with the original RT and GT4SD:
///
/// | file | content |
/// |---|---|
/// | `config.json` | HuggingFace XLNet keys + RT keys (`XLNetConfiguration`) |
/// | `vocab.txt` | one token per line, id = line index (`Vocabulary`) |
/// | `inference.json` | optional: GT4SD's property metadata (`InferenceConfiguration`) |
/// | `model.safetensors` | the weights under HF names (`XLNetParameterName`), F32 |
/// | `pytorch_model.bin` | the weights as `torch.save` writes them (read only; `TorchCheckpoint`) |
///
/// Reading takes `model.safetensors` when present, else `pytorch_model.bin`. The sequence language comes from
/// `config.json`'s `language`, else from `tokenizer_config.json`'s `language` (GT4SD), else it is unknown
/// (callers choose; the original tokenized with the SMILES regex, which splits SELFIES correctly too).
public struct ModelFolder {
    public static let configurationFile = "config.json"
    public static let vocabularyFile = "vocab.txt"
    public static let inferenceFile = "inference.json"
    public static let safetensorsFile = "model.safetensors"
    public static let pytorchFile = "pytorch_model.bin"

    /// Which file the weights come from.
    public enum WeightsFormat: String, Sendable {
        case safetensors, pytorch
        public var fileName: String { self == .safetensors ? ModelFolder.safetensorsFile : ModelFolder.pytorchFile }
    }

    public let url: URL
    public let configuration: XLNetConfiguration
    public let vocabulary: Vocabulary
    public let inference: InferenceConfiguration?
    /// The weight files present, safetensors first.
    public let weightFormats: [WeightsFormat]

    /// Reads a folder's configuration, vocabulary and inference settings (not the weights).
    /// - Throws: `ModelFolderError` naming the file (and key) at fault: a missing folder or file, bad JSON,
    ///   inconsistent keys, or a vocabulary whose size is not `vocab_size`.
    public init(url: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelFolderError(path: url.path, "not a model folder (no such directory)")
        }
        func file(_ name: String) -> URL { url.appendingPathComponent(name) }
        let configURL = file(Self.configurationFile)
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw ModelFolderError(path: configURL.path, "missing (every model folder has a config.json)")
        }
        var configuration = try XLNetConfiguration(contentsOf: configURL)
        let vocabURL = file(Self.vocabularyFile)
        guard FileManager.default.fileExists(atPath: vocabURL.path) else {
            throw ModelFolderError(path: vocabURL.path, "missing (every model folder has a vocab.txt)")
        }
        let vocabulary: Vocabulary
        do { vocabulary = try Vocabulary(contentsOfFile: vocabURL.path) } catch {
            throw ModelFolderError(path: vocabURL.path, "\(error.message)")
        }
        guard vocabulary.count == configuration.vocabularySize else {
            throw ModelFolderError(path: vocabURL.path, "\(vocabulary.count) tokens, but \(Self.configurationFile) key "
                                   + "'vocab_size' is \(configuration.vocabularySize) (resize the model to the vocabulary first)")
        }
        if configuration.language == nil {
            let tokenizerConfig = file("tokenizer_config.json")
            if FileManager.default.fileExists(atPath: tokenizerConfig.path) {
                let object = try JSONValue.parseObject(try Data(contentsOf: tokenizerConfig), path: tokenizerConfig.path)
                if let name = object["language"]?.stringValue {
                    guard let language = SequenceLanguage(name: name) else {
                        throw ModelFolderError(path: tokenizerConfig.path, "key 'language': unknown sequence language '\(name)'")
                    }
                    configuration.language = language
                }
            }
        }
        let inferenceURL = file(Self.inferenceFile)
        inference = FileManager.default.fileExists(atPath: inferenceURL.path)
            ? try InferenceConfiguration(contentsOf: inferenceURL) : nil
        self.url = url
        self.configuration = configuration
        self.vocabulary = vocabulary
        weightFormats = [WeightsFormat.safetensors, .pytorch].filter {
            FileManager.default.fileExists(atPath: file($0.fileName).path)
        }
    }

    /// The training configuration `rt train` writes beside the model (optional).
    public static let trainingConfigurationFile = "training_config.json"

    /// The `block_size` of the folder's `training_config.json`: the most ids a training sample had. nil when the
    /// file or the key is absent (GT4SD folders) or the value is 0 / null (no limit was set).
    /// - Throws: `ModelFolderError` naming the file when it is not JSON or `block_size` is not a whole number.
    public func trainedBlockSize() throws -> Int? {
        let path = url.appendingPathComponent(Self.trainingConfigurationFile).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ModelFolderError(path: path, "cannot read (\(error.localizedDescription))")
        }
        let object = try JSONValue.parseObject(data, path: path)
        guard let value = object["block_size"] else { return nil }
        if case .null = value { return nil }
        guard let size = value.intValue, size >= 0 else {
            throw ModelFolderError(path: path, "key 'block_size' must be a non-negative whole number")
        }
        return size > 0 ? size : nil
    }

    /// Reads a folder (see `init(url:)`).
    public init(path: String) throws { try self.init(url: URL(fileURLWithPath: path)) }

    /// The model with its weights from `format` (default: safetensors if present, else pytorch_model.bin).
    /// - Throws: `ModelFolderError` naming the weights file and tensor for a missing weights file, unknown
    ///   parameter names, missing parameters or shapes that do not fit the configuration.
    public func loadModel(from format: WeightsFormat? = nil) throws -> XLNetModel {
        guard let format = format ?? weightFormats.first else {
            throw ModelFolderError(path: url.path, "no weights (neither \(Self.safetensorsFile) nor \(Self.pytorchFile))")
        }
        let weightsURL = url.appendingPathComponent(format.fileName)
        guard weightFormats.contains(format) else { throw ModelFolderError(path: weightsURL.path, "missing") }
        let tensors: [(name: String, tensor: Tensor)]
        switch format {
        case .safetensors:
            let file: SafeTensorsFile
            do { file = try SafeTensorsFile(contentsOf: weightsURL) } catch {
                throw ModelFolderError(path: weightsURL.path, "\(error)")
            }
            tensors = try file.names.map { name in
                do { return (name, try file.tensor(name)) } catch { throw ModelFolderError(path: weightsURL.path, "\(error)") }
            }
        case .pytorch:
            tensors = try TorchCheckpoint.read(contentsOf: weightsURL)
        }
        let store = try Self.parameters(configuration: configuration, tensors: tensors, path: weightsURL.path)
        do {
            return try XLNetModel(configuration: configuration, vocabulary: vocabulary, parameters: store)
        } catch {
            throw ModelFolderError(path: url.path, "\(error)")
        }
    }

    /// A parameter store for `configuration` filled from named tensors (HF names). `lm_loss.weight`, the tied
    /// copy of the word embedding, is accepted and skipped (as HF ties it on load).
    static func parameters(configuration: XLNetConfiguration, tensors: [(name: String, tensor: Tensor)],
                           path: String) throws -> ParameterStore {
        // The parameters config.json implies must be in the file: checked before the store is allocated, so that a
        // config.json promising more than the weights hold costs no memory.
        let implied = configuration.parameterSpecs.reduce(0) { $0 + $1.shape.count }
        let present = tensors.reduce(0) { $0 + $1.tensor.shape.count }
        guard implied <= present else {
            throw ModelFolderError(path: path, "\(configurationFile) implies \(implied) parameters (n_layer "
                                   + "\(configuration.layerCount), d_model \(configuration.modelDimension), d_inner "
                                   + "\(configuration.innerDimension), vocab_size \(configuration.vocabularySize)), but the file "
                                   + "holds \(present)")
        }
        let store = try ParameterStore(configuration.parameterSpecs)
        let specs = Dictionary(uniqueKeysWithValues: configuration.parameterSpecs.map { ($0.name, $0.shape) })
        var loaded = Set<String>()
        for (name, tensor) in tensors {
            let expected = name == XLNetParameterName.tiedLMWeight
                ? Shape([configuration.vocabularySize, configuration.modelDimension]) : specs[name]
            guard let expected else {
                throw ModelFolderError(path: path, "tensor '\(name)' is not a parameter of this XLNet "
                                       + "(expected HuggingFace XLNetLMHeadModel names such as '\(XLNetParameterName.wordEmbedding)')")
            }
            guard tensor.shape == expected else {
                throw ModelFolderError(path: path, "tensor '\(name)' has shape \(tensor.shape) but \(configurationFile) "
                                       + "implies \(expected) (vocab_size \(configuration.vocabularySize), d_model "
                                       + "\(configuration.modelDimension), n_head \(configuration.headCount), d_inner \(configuration.innerDimension))")
            }
            if let bad = Self.firstNonFinite(tensor) {
                throw ModelFolderError(path: path, "tensor '\(name)' holds \(bad.value.isNaN ? "NaN" : "an infinity") at element \(bad.index) "
                                       + "(weights must be finite: the file is corrupt or training diverged)")
            }
            guard name != XLNetParameterName.tiedLMWeight else { continue }
            try store.assign(name, tensor)
            loaded.insert(name)
        }
        if let missing = configuration.parameterSpecs.first(where: { !loaded.contains($0.name) }) {
            throw ModelFolderError(path: path, "parameter '\(missing.name)' is missing (n_layer \(configuration.layerCount))")
        }
        return store
    }

    /// The first NaN or infinity of a tensor (flat index), if any.
    static func firstNonFinite(_ tensor: Tensor) -> (index: Int, value: Float)? {
        tensor.withUnsafeBufferPointer { values in
            for (i, x) in values.enumerated() where !x.isFinite { return (i, x) }
            return nil
        }
    }

    // MARK: - Writing

    /// Writes a complete model folder: `config.json` (with `vocab_size` from the model), `vocab.txt`,
    /// `inference.json` (when given) and `model.safetensors` (HF names, no tied duplicate, metadata
    /// `format: pt` as `save_pretrained` writes it; weights as `storage`, F32 or BF16). Creates the folder if needed; every file is written to a
    /// temporary file and renamed, so none is ever half-written.
    public static func write(_ model: XLNetModel, vocabulary: Vocabulary, inference: InferenceConfiguration? = nil,
                             storage: SafeTensorsWriter.Storage = .F32, to url: URL) throws {
        guard vocabulary.count == model.configuration.vocabularySize else {
            throw ModelFolderError(path: url.appendingPathComponent(vocabularyFile).path,
                                   "\(vocabulary.count) tokens for a model with vocab_size \(model.configuration.vocabularySize)")
        }
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw ModelFolderError(path: url.path, "cannot create the folder (\(error.localizedDescription))")
        }
        try writeWeights(model, storage: storage, to: url.appendingPathComponent(safetensorsFile))
        try writeText(vocabulary.fileContents, to: url.appendingPathComponent(vocabularyFile))
        if let inference { try writeText(inference.fileContents, to: url.appendingPathComponent(inferenceFile)) }
        try writeText(model.configuration.fileContents, to: url.appendingPathComponent(configurationFile))
    }

    /// Writes the model's parameters as `model.safetensors` (names sorted, F32, metadata `format: pt`).
    public static func writeWeights(_ model: XLNetModel, storage: SafeTensorsWriter.Storage = .F32, to url: URL) throws {
        let store = model.parameters
        let items = try store.names.sorted().map { (name: $0, tensor: try store.tensor($0)) }
        do { try SafeTensorsWriter.write(items, metadata: ["format": "pt"], storage: storage, to: url) } catch {
            throw ModelFolderError(path: url.path, "\(error)")
        }
    }

    static func writeText(_ text: String, to url: URL) throws {
        do { try DurableFile.write(Data(text.utf8), to: url) } catch {
            throw ModelFolderError(path: url.path, "cannot write (\(error.localizedDescription))")
        }
    }
}
