import ArgumentParser
import Foundation
import RegressionTransformer

/// `rt vocab …` — vocabularies (thin: see `VocabularyBuilder`, `Vocabulary`).
struct Vocab: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build and inspect vocabularies (vocab.txt: one token per line, id = line index).",
        discussion: """
            Examples:
              rt vocab build train.txt -o vocab.txt
              rt vocab info vocab.txt --format json
            """,
        subcommands: [VocabBuild.self, VocabInfo.self])
}

struct VocabBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build a vocabulary from data files, or extend one keeping its ids.",
        discussion: """
            The vocabulary holds [PAD] [UNK] [CLS] [SEP] [MASK] |, the sign and point tokens, the property \
            tags found in the data (plus --property), every digit token _d_k_ for orders --max-order down to \
            --min-order, and the sequence tokens of the data, most frequent first. With --extend, the given \
            vocabulary keeps every id and only missing tokens are appended (for fine-tuning a model on new \
            properties). Data files are RT lines or CSV tables (GT4SD: a 'text' column and numeric property \
            columns). The file is written atomically.

            Examples:
              rt vocab build train.txt -o vocab.txt
              rt vocab build esol.csv --text-column smiles --property-column logSolubility=esol -o vocab.txt
              rt vocab build new.txt --language selfies --extend model/vocab.txt -o vocab.txt
              rt vocab build gt4sd.csv --language selfies --convert-smiles -o vocab.txt
            """)

    @Argument(help: "Data files (RT lines or CSV).")
    var data: [String]

    @Option(name: .shortAndLong, help: "Output vocabulary file ('-' for standard output).")
    var output: String

    @Option(help: "Sequence language.")
    var language: SequenceLanguage = .smiles

    @Option(help: "Extend this vocabulary: its tokens keep their ids; missing tokens are appended.")
    var extend: String?

    @Option(name: .customLong("property"), help: "Add the property tag <NAME> even if no data has it (repeatable).")
    var properties: [String] = []

    @Option(parsing: .unconditional, help: "Smallest digit order (-6: the sixth decimal place).")
    var minOrder: Int = -6

    @Option(parsing: .unconditional, help: "Largest digit order (5: hundred thousands).")
    var maxOrder: Int = 5

    @Flag(help: "Tokenize as the original does, silently dropping what it cannot read.")
    var faithful = false

    @OptionGroup var dataOptions: DataFileOptions

    func validate() throws {
        if data.isEmpty { throw ValidationError("give at least one data file") }
        try OptionCheck.inRange(minOrder, -Self.orderLimit...Self.orderLimit, "--min-order")
        try OptionCheck.inRange(maxOrder, -Self.orderLimit...Self.orderLimit, "--max-order")
        if minOrder > maxOrder { throw ValidationError("--min-order must not exceed --max-order") }
        _ = try dataOptions.datasetOptions(language: language)
        for name in properties where name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            throw ValidationError("property names consist of letters, digits and '_', not '\(name)'")
        }
    }

    /// The largest digit order either way (10^38 is about the largest Float).
    static let orderLimit = 38

    func run() throws {
        let tokenizer = RTTokenizer(language: language, mode: faithful ? .faithful : .strict)
        let options = try dataOptions.datasetOptions(language: language)
        var base: Vocabulary?
        if let extend {
            do { base = try Vocabulary(contentsOfFile: extend) } catch { throw CommandFailure("\(error)") }
        }
        var builder = VocabularyBuilder(minimumOrder: minOrder, maximumOrder: maxOrder)
        for name in properties { builder.addProperty(name) }
        var skipped = 0
        for path in data {
            do {
                skipped += try builder.add(try InputFiles.lines(path), tokenizer: tokenizer, options: options)
            } catch let error as DatasetError {
                throw CommandFailure(error.description)
            }
        }
        let vocabulary: Vocabulary
        do { vocabulary = try builder.build(extending: base) } catch { throw CommandFailure("\(error)") }
        if output == "-" {
            FileHandle.standardOutput.write(Data(vocabulary.fileContents.utf8))
        } else {
            do { try vocabulary.write(toFile: output) } catch {
                throw CommandFailure("\(output): cannot write the vocabulary: \(error.localizedDescription)")
            }
        }
        var summary = "\(output == "-" ? "vocabulary" : output): \(vocabulary.count) tokens"
        if let base { summary += " (\(vocabulary.count - base.count) added to \(base.count))" }
        summary += " from \(builder.lines) line\(builder.lines == 1 ? "" : "s")"
        if skipped > 0 { summary += ", \(skipped) invalid line\(skipped == 1 ? "" : "s") skipped" }
        printError(summary)
    }
}

struct VocabInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Summarise a vocabulary: size, special-token ids, property tags, digit orders.",
        discussion: """
            --format csv writes one header and one row (lists space-separated).

            Examples:
              rt vocab info vocab.txt
              rt vocab info model/vocab.txt --format json
            """)

    @Argument(help: "Vocabulary file.")
    var vocab: String

    @Option(help: "Output format: text, csv or json.")
    var format: OutputFormat = .text

    func run() throws {
        let vocabulary: Vocabulary
        do { vocabulary = try Vocabulary(contentsOfFile: vocab) } catch { throw CommandFailure("\(error)") }
        let ids = vocabulary.specialIDs
        let specials: [(String, Int32)] = [
            ("[PAD]", ids.pad), ("[UNK]", ids.unknown), ("[CLS]", ids.classifier), ("[SEP]", ids.separator),
            ("[MASK]", ids.mask), ("|", ids.expressionSeparator),
        ]
        var orders = Set<Int>()
        var digitTokens = 0
        for id in 0..<vocabulary.count {
            if case .digit(_, let order) = vocabulary.numberToken(for: Int32(id)) {
                orders.insert(order)
                digitTokens += 1
            }
        }
        let tags = vocabulary.tagIDs.map { vocabulary.tokens[Int($0)] }
        let missing = orders.sorted().flatMap { order in
            (0...9).compactMap { digit -> String? in
                let token = NumberToken.digit(UInt8(digit), order: order)
                return vocabulary.id(of: token) == nil ? token.text : nil
            }
        }
        switch format {
        case .text:
            print("tokens: \(vocabulary.count)")
            print("special ids: " + specials.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
            print("tags: " + tags.joined(separator: " "))
            if let low = orders.min(), let high = orders.max() {
                print("digit tokens: \(digitTokens), orders \(low)…\(high)"
                      + (missing.isEmpty ? "" : ", missing " + missing.joined(separator: " ")))
            } else {
                print("digit tokens: 0")
            }
        case .csv:
            print("tokens,pad,unk,cls,sep,mask,separator,tags,digit_tokens,orders,missing_digit_tokens")
            print(([String(vocabulary.count)] + specials.map { String($0.1) }
                   + [tags.joined(separator: " "), String(digitTokens), orders.sorted().map(String.init).joined(separator: " "),
                      missing.joined(separator: " ")]).map(csvField).joined(separator: ","))
        case .json:
            let specialJSON = specials.map { "\(jsonString($0.0)):\($0.1)" }.joined(separator: ",")
            print("{\"tokens\":\(vocabulary.count),\"special_ids\":{\(specialJSON)},"
                  + "\"tags\":[\(tags.map(jsonString).joined(separator: ","))],"
                  + "\"digit_tokens\":\(digitTokens),\"orders\":[\(orders.sorted().map(String.init).joined(separator: ","))],"
                  + "\"missing_digit_tokens\":[\(missing.map(jsonString).joined(separator: ","))]}")
        }
    }
}
