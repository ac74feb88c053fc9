import ArgumentParser
import Foundation
import RegressionTransformer
import TensorIO
import Tensors

/// `rt model …` — inspect and convert model folders (thin: see `ModelFolder`).
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect and convert model folders (config.json, vocab.txt, inference.json, weights).",
        subcommands: [ModelInfo.self, ModelConvert.self, ModelCast.self])
}

/// `rt model info FOLDER`.
struct ModelInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print a model folder's configuration, parameter count, vocabulary and property settings.",
        discussion: """
            Reads config.json, vocab.txt and inference.json (if present) and lists the weight files; with \
            --check the weights are loaded too, which validates every tensor's name and shape.

            Examples:
              rt model info models/qed
              rt model info models/qed --format json --check
            """)

    @Argument(help: "The model folder.") var folder: String
    @Option(help: "Output format: text or json.") var format: OutputFormat = .text
    @Flag(help: "Also load the weights (checks every tensor's name and shape).") var check = false

    func run() throws {
        let model: ModelFolder
        do { model = try ModelFolder(path: folder) } catch { throw CommandFailure("\(error)") }
        if check {
            do { _ = try model.loadModel() } catch { throw CommandFailure("\(error)") }
        }
        let c = model.configuration, v = model.vocabulary
        let tags = v.tagIDs.compactMap { v.token(for: $0) }
        let digits = v.tokens.filter { $0.count > 1 && $0.hasPrefix("_") && $0.hasSuffix("_") && $0.filter { $0 == "_" }.count == 3 }.count
        let weights = model.weightFormats.map { f -> (String, Int) in
            let path = model.url.appendingPathComponent(f.fileName).path
            let size = fileSize(path)
            return (f.fileName, size ?? 0)
        }
        let ne = c.numericalEncodings
        let neText = ne.map { "\($0.kind.rawValue) \($0.format.rawValue), dim \($0.format == .sum ? c.modelDimension : $0.dimension), vmax \($0.vmax.map { "\($0)" } ?? "inferred")" } ?? "off"
        switch format {
        case .json:
            var pairs: [(String, String)] = [
                ("folder", jsonString(model.url.path)), ("vocab_size", "\(c.vocabularySize)"), ("d_model", "\(c.modelDimension)"),
                ("n_layer", "\(c.layerCount)"), ("n_head", "\(c.headCount)"), ("d_head", "\(c.headDimension)"),
                ("d_inner", "\(c.innerDimension)"), ("dropout", "\(c.dropout)"), ("layer_norm_eps", "\(c.layerNormEpsilon)"),
                ("parameters", "\(c.parameterCount)"),
                ("language", c.language.map { jsonString($0.name) } ?? "null"),
                ("numerical_encodings", ne.map { "{\"type\":\(jsonString($0.kind.rawValue)),\"format\":\(jsonString($0.format.rawValue)),\"dim\":\($0.format == .sum ? c.modelDimension : $0.dimension),\"vmax\":\($0.vmax.map { "\($0)" } ?? "null")}" } ?? "null"),
                ("vocabulary", "{\"size\":\(v.count),\"pad\":\(v.specialIDs.pad),\"unk\":\(v.specialIDs.unknown),\"cls\":\(v.specialIDs.classifier),\"sep\":\(v.specialIDs.separator),\"mask\":\(v.specialIDs.mask),\"digit_tokens\":\(digits),\"tags\":[\(tags.map(jsonString).joined(separator: ","))]}"),
                ("weights", "[" + weights.map { "{\"file\":\(jsonString($0.0)),\"bytes\":\($0.1)}" }.joined(separator: ",") + "]"),
            ]
            if let inference = model.inference {
                pairs.append(("inference", inference.json.isEmpty ? "{}" : JSONValue.object(inference.json).description))
            }
            if check { pairs.append(("weights_checked", "true")) }
            print(renderJSON(pairs))
        case .text, .csv:
            print("folder        \(model.url.path)")
            print("model         XLNet, \(c.layerCount) layers, d_model \(c.modelDimension), \(c.headCount) heads × \(c.headDimension), d_inner \(c.innerDimension), dropout \(c.dropout)")
            print("parameters    \(c.parameterCount) (word embedding tied to the LM head, counted once)")
            print("numerical     \(neText)")
            print("language      \(c.language?.name ?? "not recorded (SMILES regex, which also splits SELFIES)")")
            print("vocabulary    \(v.count) tokens; [PAD] \(v.specialIDs.pad), [UNK] \(v.specialIDs.unknown), [CLS] \(v.specialIDs.classifier), [SEP] \(v.specialIDs.separator), [MASK] \(v.specialIDs.mask); \(digits) digit tokens; \(tags.count) tags")
            if !tags.isEmpty { print("tags          \(tags.joined(separator: " "))") }
            if let inference = model.inference {
                for p in inference.properties {
                    let range = p.range.map { "[\($0.lowerBound), \($0.upperBound)]" } ?? "not recorded"
                    print("property      \(p.token): range \(range), normalized \(p.normalize), \(p.maskLength.map { "\($0)" } ?? "?") value tokens")
                }
            } else {
                print("properties    no inference.json")
            }
            for (file, size) in weights {
                print(String(format: "weights       %@ (%.1f MB)%@", file, Double(size) / 1e6, check && file == weights.first?.0 ? ", checked" : ""))
            }
            if weights.isEmpty { print("weights       none") }
        }
    }
}

/// `rt model convert FOLDER` — pytorch_model.bin → model.safetensors.
struct ModelConvert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a folder's pytorch_model.bin into model.safetensors (HuggingFace names, no Python).",
        discussion: """
            Reads the weights from pytorch_model.bin (torch.save zip format, as RT and GT4SD ship them), checks \
            every tensor against config.json, and writes model.safetensors as HuggingFace's save_pretrained does \
            (tied lm_loss.weight dropped, metadata format=pt), then reads it back and compares. Without --output \
            the file is added to FOLDER; with --output a complete folder is written there (config.json, vocab.txt, \
            inference.json, model.safetensors). Existing model.safetensors files are kept unless --force.

            Examples:
              rt model convert gt4sd-qed
              rt model convert gt4sd-qed --output models/qed
            """)

    @Argument(help: "The model folder with pytorch_model.bin.") var folder: String
    @Option(name: .shortAndLong, help: "Write a complete folder here instead of adding to FOLDER.") var output: String?
    @Flag(help: "Overwrite an existing model.safetensors.") var force = false

    func run() throws {
        let source: ModelFolder
        do { source = try ModelFolder(path: folder) } catch { throw CommandFailure("\(error)") }
        guard source.weightFormats.contains(.pytorch) else {
            throw CommandFailure("\(source.url.appendingPathComponent(ModelFolder.pytorchFile).path): missing (nothing to convert)")
        }
        let destination = output.map { URL(fileURLWithPath: $0) } ?? source.url
        let target = destination.appendingPathComponent(ModelFolder.safetensorsFile)
        if FileManager.default.fileExists(atPath: target.path) && !force {
            throw CommandFailure("\(target.path): exists (pass --force to overwrite)")
        }
        let model: XLNetModel
        do { model = try source.loadModel(from: .pytorch) } catch { throw CommandFailure("\(error)") }
        do {
            if output == nil {
                try ModelFolder.writeWeights(model, to: target)
            } else {
                try ModelFolder.write(model, vocabulary: source.vocabulary, inference: source.inference, to: destination)
            }
            let back = try ModelFolder(url: destination).loadModel(from: .safetensors)
            guard back.parameters.flatValues.scalars == model.parameters.flatValues.scalars else {
                throw CommandFailure("\(target.path): read back differs from the source weights")
            }
        } catch let failure as CommandFailure { throw failure } catch { throw CommandFailure("\(error)") }
        let size = fileSize(target.path)
        printError("wrote \(target.path) (\(model.parameters.names.count) tensors, \(model.configuration.parameterCount) parameters, \(size ?? 0) bytes; verified)")
    }
}

/// `rt model cast FOLDER --dtype bf16 -o OUT` — a copy of a model folder whose weights are stored in another dtype.
struct ModelCast: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cast",
        abstract: "Copy a model folder with its weights stored as BF16 (half the size) or F32.",
        discussion: """
            Writes OUTPUT as a complete model folder (config.json, vocab.txt, inference.json, model.safetensors) \
            whose weights are FOLDER's stored as --dtype: bf16 rounds every weight to the nearest bfloat16 (ties \
            to even, as torch does), f32 stores them exactly. Every reader of model folders (predict, generate, \
            train --model, …) widens BF16 to float32 exactly, so the copy behaves like a model whose weights are \
            the rounded values. The copy is read back and compared with the rounded source. OUTPUT must not \
            exist unless --force.

            Examples:
              rt model cast run/checkpoint-best --dtype bf16 -o models/base
            """)

    enum DType: String, ExpressibleByArgument, CaseIterable {
        case bf16, f32
        var storage: SafeTensorsWriter.Storage { self == .bf16 ? .BF16 : .F32 }
    }

    @Argument(help: "The model folder to copy.") var folder: String
    @Option(name: .shortAndLong, help: "The folder to write.") var output: String
    @Option(help: "Storage of the weights: bf16 or f32.") var dtype: DType = .bf16
    @Flag(help: "Replace the model files of an existing OUTPUT.") var force = false

    func run() throws {
        let source: ModelFolder
        do { source = try ModelFolder(path: folder) } catch { throw CommandFailure("\(error)") }
        let destination = URL(fileURLWithPath: output)
        if destination.standardizedFileURL.path == source.url.standardizedFileURL.path {
            throw CommandFailure("\(output): is the source folder; write the copy somewhere else")
        }
        if FileManager.default.fileExists(atPath: destination.path) && !force {
            throw CommandFailure("\(output): exists (pass --force to replace its model files)")
        }
        let model: XLNetModel
        do { model = try source.loadModel() } catch { throw CommandFailure("\(error)") }
        let expected = model.parameters.flatValues.scalars.map { value in
            dtype == .bf16 ? HalfPrecision.float(fromBF16: HalfPrecision.bf16(from: value)) : value
        }
        do {
            try ModelFolder.write(model, vocabulary: source.vocabulary, inference: source.inference,
                                  storage: dtype.storage, to: destination)
            let back = try ModelFolder(url: destination).loadModel(from: .safetensors)
            guard back.parameters.flatValues.scalars.elementsEqual(expected, by: { $0.bitPattern == $1.bitPattern }) else {
                throw CommandFailure("\(destination.path): read back differs from the rounded source weights")
            }
        } catch let failure as CommandFailure { throw failure } catch { throw CommandFailure("\(error)") }
        let target = destination.appendingPathComponent(ModelFolder.safetensorsFile)
        let size = fileSize(target.path)
        printError("wrote \(destination.path) (\(model.configuration.parameterCount) parameters as \(dtype.storage.rawValue), \(size ?? 0) bytes; verified)")
    }
}

/// The size of the file at `path` in bytes, or nil when it cannot be read.
private func fileSize(_ path: String) -> Int? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
}
