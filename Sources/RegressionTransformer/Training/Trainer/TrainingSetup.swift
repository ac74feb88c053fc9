import Foundation
import Tensors

/// Where the model of a run comes from.
public enum ModelSource: Sendable, Equatable {
    /// Fine-tune the model folder at this path.
    case folder(String)
    /// Train from scratch with this model config (`config.json` keys; `vocab_size` may be omitted — it is set
    /// from the vocabulary — and `language` picks the sequence tokenizer).
    case configuration(String)
}

/// Everything `rt train` is given, turned into a ready `TrainingRun` — with every check on the input done before
/// the first step, so that bad input fails in seconds, not hours:
///
/// * every data line (RT lines or CSV) is tokenized strictly; problems are reported as `file:line: reason`;
/// * the sequence language comes from the model folder's or model config's `language` key (or `language`);
///   a folder whose language differs from the one asked for is an error;
/// * the vocabulary: the folder's, extended with the data's new property tags and number tokens (embeddings
///   resized, new rows N(0, initializer_range²)) — any other unknown token (e.g. SMILES atoms for a SELFIES model)
///   is an error listing them; from scratch: `vocabularyFile` extended with what the data needs, or one built
///   from the data (`VocabularyBuilder`), and `vocab_size` set from it;
/// * every property of the training config must be in the data, and every training sample must have it;
/// * `resume` continues `OUTPUT/checkpoint-last` (its model, vocabulary and training configuration; only the run
///   length and the logging/evaluation/checkpoint cadence may change) on the same data, checked by fingerprint;
///   a fresh run refuses an output directory that already holds a run.
///
/// Fine-tuning starts a fresh optimizer and schedule (the original restores them from the folder's checkpoint
/// and can run zero epochs or with a decayed learning rate, docs/training.md §10).
public struct TrainingSetup {
    public var trainingFiles: [String]
    public var validationFiles: [String] = []
    /// With no validation files: the fraction of the training data held out for validation (seeded split).
    public var validationFraction: Double = 0
    public var model: ModelSource
    public var vocabularyFile: String? = nil
    /// The sequence language; nil: the model's `language`.
    public var language: SequenceLanguage? = nil
    /// How data files are read (format, CSV columns, SMILES conversion, skipping invalid lines). `blockSize` is
    /// taken from the training configuration.
    public var dataOptions = DatasetOptions()
    public var configuration: TrainingConfiguration
    /// Take the properties from the data when the configuration names none: every property of the training data,
    /// or the `plm` task if the data have none (`rt train` without a training config).
    public var propertiesFromData = false
    /// The data's sequences are SMILES: convert them to the language (SELFIES, reaction SELFIES) first, as GT4SD's
    /// trainer does. An error for languages SMILES cannot be converted to.
    public var convertsSMILES = false
    public var output: URL
    public var resume = false
    /// Opens a data file (default: plain or gzip files, `-` for standard input).
    public var openSource: (String) throws -> LineSource = { try LineSources.open($0) }
    /// Receives one-line notes about what was set up.
    public var log: (String) -> Void = { _ in }

    public init(trainingFiles: [String], model: ModelSource, configuration: TrainingConfiguration, output: URL) {
        self.trainingFiles = trainingFiles
        self.model = model
        self.configuration = configuration
        self.output = output
    }

    /// What `prepare` built.
    public struct Prepared {
        public let run: TrainingRun
        /// True when the trainer continues a checkpoint.
        public let resumed: Bool
    }

    /// Reads, checks and builds everything.
    /// - Throws: `TrainingSetupError`, `DatasetError`, `TrainingConfigurationError`, `ModelFolderError`,
    ///   `TrainingCheckpointError` — each naming the file (and line or key) at fault.
    public func prepare() throws -> Prepared {
        if resume { return try prepareResume() }
        try refuseExistingRun()
        var c = configuration
        if !(propertiesFromData && c.properties.isEmpty) { try c.validate() }
        let randomness = RunRandomness(seed: c.seed)

        // Model source and language.
        var folder: ModelFolder?
        var modelConfiguration: XLNetConfiguration
        let language: SequenceLanguage
        switch model {
        case .folder(let path):
            let f = try ModelFolder(path: path)
            folder = f
            modelConfiguration = f.configuration
            if let asked = self.language, let own = f.configuration.language, asked != own {
                throw TrainingSetupError("\(path): the model's sequence language is \(own), but \(asked) was asked for")
            }
            guard let l = self.language ?? f.configuration.language else {
                throw TrainingSetupError("\(path): the model folder does not record its sequence language; pass --language (smiles, selfies, aas, reaction_smiles, reaction_selfies)")
            }
            language = l
        case .configuration(let path):
            modelConfiguration = try Self.readModelConfiguration(path)
            guard let l = self.language ?? modelConfiguration.language else {
                throw TrainingSetupError("\(path): the model config has no 'language' key; add \"language\": \"selfies\" (or smiles, aas, reaction_smiles, reaction_selfies) or pass --language")
            }
            language = l
        }
        modelConfiguration.language = language
        let tokenizer = RTTokenizer(language: language, mode: .strict)
        var setup = self
        try setup.resolveConversion(language)
        let dataOptions = setup.dataOptions

        // Vocabulary.
        var builder = VocabularyBuilder()
        for name in c.properties + c.generationProperties { builder.addProperty(name) }
        for path in trainingFiles + validationFiles {
            try setup.hinting(language) { try builder.add(try openSource(path), tokenizer: tokenizer, options: dataOptions) }
        }
        let vocabulary: Vocabulary
        var baseVocabulary: Vocabulary?
        if let folder {
            baseVocabulary = folder.vocabulary
            vocabulary = try builder.build(extending: folder.vocabulary)
            let added = vocabulary.tokens.dropFirst(folder.vocabulary.count)
            let foreign = added.filter { !Vocabulary.isTag($0) && NumberToken($0) == nil }
            if !foreign.isEmpty {
                let shown = foreign.prefix(12).map { "'\($0)'" }.joined(separator: ", ")
                var hint = ""
                if language == .selfies || language == .reactionSELFIES, foreign.contains(where: { !$0.hasPrefix("[") }) {
                    hint = " — is the data SMILES? convert it with --convert-smiles"
                }
                throw TrainingSetupError("\(folder.url.path): the data has \(foreign.count) sequence token\(foreign.count == 1 ? "" : "s") the model does not know (\(shown)\(foreign.count > 12 ? ", …" : "")); the model's language is \(language)\(hint)")
            }
            if !added.isEmpty { log("vocabulary: \(folder.vocabulary.count) tokens + \(added.count) new (\(added.prefix(8).joined(separator: " "))\(added.count > 8 ? " …" : ""))") }
        } else if let file = vocabularyFile {
            let base = try Vocabulary(contentsOfFile: file)
            vocabulary = try builder.build(extending: base)
            log("vocabulary: \(file), \(base.count) tokens\(vocabulary.count > base.count ? " + \(vocabulary.count - base.count) from the data" : "")")
        } else {
            vocabulary = try builder.build()
            log("vocabulary: \(vocabulary.count) tokens built from the training data")
        }

        // Data.
        let (training, validation) = try setup.loadData(vocabulary: vocabulary, tokenizer: tokenizer, configuration: c)
        if propertiesFromData && c.properties.isEmpty {
            c.properties = training.propertyNames
            if c.properties.isEmpty { c.task = .plm }
            log("training config: none given; \(c.task == .plm ? "permutation language modelling (the data have no properties)" : "the alternating recipe on \(c.properties.map { "<\($0)>" }.joined(separator: " "))")")
        }
        try c.validate()
        try checkProperties(training, configuration: c)

        // Model.
        var model: XLNetModel
        if let folder, let base = baseVocabulary {
            model = try folder.loadModel()
            if vocabulary.count > base.count {
                model = try model.resizingVocabulary(from: base, to: vocabulary, seed: randomness.derive(.initialization, 1))
            }
        } else {
            modelConfiguration.vocabularySize = vocabulary.count
            try modelConfiguration.validate()
            model = try XLNetModel(configuration: modelConfiguration, vocabulary: vocabulary,
                                   seed: randomness.derive(.initialization, 0))
        }
        model = try model.rebuiltForTraining(configuration: modelConfiguration.with(vocabularySize: vocabulary.count),
                                             vocabulary: vocabulary)
        let inference = Self.inferenceConfiguration(c, training: training, vocabulary: vocabulary,
                                                    base: folder?.inference)
        let trainer = try Trainer(model: model, vocabulary: vocabulary, configuration: c, training: training,
                                  validation: validation)
        log(summary(trainer))
        return Prepared(run: TrainingRun(trainer: trainer, output: output, inference: inference), resumed: false)
    }

    // MARK: - Resume

    func prepareResume() throws -> Prepared {
        let url = output.appendingPathComponent("checkpoint-last")
        let saved = try TrainingCheckpoint.read(url)
        var c = saved.configuration
        c.maxSteps = configuration.maxSteps
        c.epochs = configuration.epochs
        c.loggingSteps = configuration.loggingSteps
        c.evaluationSteps = configuration.evaluationSteps
        c.saveSteps = configuration.saveSteps
        guard let language = saved.folder.configuration.language else {
            throw TrainingSetupError("\(url.path): the checkpoint does not record its sequence language")
        }
        if let asked = self.language, asked != language {
            throw TrainingSetupError("\(url.path): the checkpoint's sequence language is \(language), but \(asked) was asked for")
        }
        let vocabulary = saved.folder.vocabulary
        var setup = self
        try setup.resolveConversion(language)
        let (training, validation) = try setup.loadData(vocabulary: vocabulary, tokenizer: RTTokenizer(language: language),
                                                        configuration: c)
        let model = try saved.model.rebuiltForTraining(configuration: saved.model.configuration, vocabulary: vocabulary)
        let trainer = try Trainer(model: model, vocabulary: vocabulary, configuration: c, training: training,
                                  validation: validation)
        try saved.restore(into: trainer)
        log("resuming \(url.path) at step \(trainer.state.optimizerStep) of \(trainer.state.totalSteps)")
        return Prepared(run: TrainingRun(trainer: trainer, output: output, inference: saved.folder.inference), resumed: true)
    }

    // MARK: - Pieces

    /// Sets the SMILES conversion `convertsSMILES` asks for.
    mutating func resolveConversion(_ language: SequenceLanguage) throws {
        guard convertsSMILES else { return }
        guard let conversion = SequenceConversion.fromSMILES(to: language) else {
            throw TrainingSetupError("SMILES conversion was asked for, but the sequence language is \(language) (only selfies and reaction_selfies convert)")
        }
        dataOptions.conversion = conversion
    }

    func refuseExistingRun() throws {
        let last = output.appendingPathComponent("checkpoint-last")
        if AtomicDirectory.existing(at: last) != nil {
            throw TrainingSetupError("\(output.path) already holds a training run; continue it with --resume or choose another --output")
        }
    }

    /// Runs `body`, adding a hint about SMILES conversion to data errors of SELFIES runs.
    @discardableResult
    func hinting<R>(_ language: SequenceLanguage, _ body: () throws -> R) throws -> R {
        do { return try body() } catch var error as DatasetError {
            if (language == .selfies || language == .reactionSELFIES) && dataOptions.conversion == nil {
                error.message += " (the sequence language is \(language); SMILES data need --convert-smiles)"
            }
            throw error
        }
    }

    func loadData(vocabulary: Vocabulary, tokenizer: RTTokenizer, configuration c: TrainingConfiguration) throws
        -> (TokenizedDataset, TokenizedDataset?)
    {
        var options = dataOptions
        options.blockSize = c.blockSize
        let loader = DatasetLoader(encoder: RTEncoder(vocabulary: vocabulary, tokenizer: tokenizer), options: options)
        func load(_ paths: [String]) throws -> (TokenizedDataset, DatasetReport) {
            try hinting(tokenizer.language) { try loader.load(try paths.map(openSource)) }
        }
        var (training, report) = try load(trainingFiles)
        log("training data: \(report.summary)")
        var validation: TokenizedDataset?
        if !validationFiles.isEmpty {
            let (v, r) = try load(validationFiles)
            validation = v
            log("validation data: \(r.summary)")
        } else if validationFraction > 0 {
            let split = training.split(validationFraction: validationFraction, seed: c.seed)
            training = split.training
            validation = split.validation
            log("validation data: \(split.validation.count) samples held out of the training data (fraction \(validationFraction), seed \(c.seed))")
        }
        return (training, validation)
    }

    /// Every property of the configuration is in the data, and every training sample has it.
    func checkProperties(_ training: TokenizedDataset, configuration c: TrainingConfiguration) throws {
        guard c.task != .plm else { return }
        let available = training.propertyNames.map { "<\($0)>" }.joined(separator: " ")
        for name in Set(c.properties + c.generationProperties).sorted() {
            guard training.statistics(of: name) != nil else {
                throw TrainingSetupError("the training config names <\(name)>, but the training data has no <\(name)> values (it has: \(available.isEmpty ? "no properties" : available))")
            }
            let missing = (0..<training.count).filter { training.value(of: name, sample: $0) == nil }
            if let first = missing.first {
                throw TrainingSetupError("\(missing.count) of \(training.count) training samples have no <\(name)> value (the first is sample \(first + 1)); every sample needs each property of the training config")
            }
        }
    }

    /// `inference.json` for the trained model: per property its range and mask length in the training data.
    static func inferenceConfiguration(_ c: TrainingConfiguration, training: TokenizedDataset, vocabulary: Vocabulary,
                                       base: InferenceConfiguration?) -> InferenceConfiguration? {
        let names = c.properties.isEmpty ? training.propertyNames : c.properties
        let properties = names.compactMap { name -> InferenceConfiguration.Property? in
            guard let s = training.statistics(of: name) else { return nil }
            return .init(token: "<\(name)>", range: s.minimum...s.maximum, normalize: false, maskLength: s.maskLength)
        }
        guard !properties.isEmpty else { return base }
        var inference = InferenceConfiguration(properties: properties,
                                               maxSpanLength: c.task == .plm ? c.plmMaxSpanLength : c.generation.maxSpanLength,
                                               example: training.count > 0 ? text(of: Array(training[0]), vocabulary: vocabulary) : nil)
        if let base { inference.otherKeys = base.otherKeys }
        return inference
    }

    /// The RT text of encoded ids: `<qed>0.4068|[C][C][O]`.
    static func text(of ids: [Int32], vocabulary: Vocabulary) -> String {
        let layout = SampleLayout(ids: ids, vocabulary: vocabulary)
        return ids[layout.content].map { id -> String in
            guard let token = vocabulary.token(for: id) else { return "" }
            return NumberToken(token).map { String($0.character) } ?? token
        }.joined()
    }

    /// Reads a model config for training from scratch; `vocab_size` may be missing.
    static func readModelConfiguration(_ path: String) throws -> XLNetConfiguration {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainingSetupError("\(path): cannot read the model config (\(error.localizedDescription))")
        }
        var object = try JSONValue.parseObject(data, path: path)
        if object["vocab_size"] == nil || object["vocab_size"] == .null { object["vocab_size"] = .integer(1) }
        return try XLNetConfiguration(json: object, path: path)
    }

    func summary(_ t: Trainer) -> String {
        let c = t.configuration, m = t.model.configuration
        let task: String
        switch c.task {
        case .alternating:
            task = "alternating property prediction / generation every \(c.alternateSteps) micro-batches"
                + (c.selfConsistency ? " with self-consistency (α = \(c.selfConsistencyWeight))" : "")
        case .propertyPrediction: task = "property prediction"
        case .generation: task = "conditional generation"
        case .plm: task = "permutation language modelling"
        }
        let params = Double(t.model.parameters.parameterCount) / 1e6
        return "model: \(m.layerCount) layers, d_model \(m.modelDimension), \(m.headCount) heads, vocabulary \(m.vocabularySize), \(String(format: "%.2f", params)) M parameters; task: \(task); properties: \(c.properties.map { "<\($0)>" }.joined(separator: " ")); \(t.state.totalSteps) steps of \(c.batchSize)×\(c.gradientAccumulationSteps) samples (\(t.microBatchesPerEpoch) micro-batches per epoch)"
    }
}

/// Input to `rt train` that cannot be used (the message names the file and what is wrong).
public struct TrainingSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension XLNetConfiguration {
    func with(vocabularySize: Int) -> XLNetConfiguration {
        var c = self
        c.vocabularySize = vocabularySize
        return c
    }
}
