import ArgumentParser
import Compression
import Foundation
import RegressionTransformer

/// `rt tokenize` — RT text to tokens or ids, one output line per input line (thin: see `RTTokenizer`).
struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Split RT lines into tokens (or token ids), one output line per input line.",
        discussion: """
            Each input line is an RT line (<prop>VALUE|…|SEQUENCE) or a bare sequence; --language picks how the \
            sequence is split. Property values become digit tokens (0.39 → _0_0_ _._ _3_-1_ _9_-2_), and \
            [MASK] tokens are kept, e.g. <qed>[MASK][MASK][MASK][MASK][MASK]|[C][O] for prediction inputs.
            Tokens are printed separated by single spaces, without [CLS]/[SEP] and without the even-length \
            [PAD] unless --special is given. With --vocab, tokens are checked against the vocabulary (printed \
            as the model sees them); --ids prints ids instead. A line that cannot be tokenized prints \
            "error: <reason>" in its place, and the command exits with status 1 at the end. --format csv \
            writes line,tokens[,ids],error rows (tokens and ids space-separated); --format json one object \
            per line.

            Examples:
              echo '<qed>0.3936|[C][Br]' | rt tokenize --language selfies
              rt tokenize data.txt --vocab vocab.txt --ids --special
              rt tokenize proteins.txt --language aas --format json
              rt tokenize data.txt --vocab vocab.txt --format csv > tokens.csv
              echo '<qed>0.39|CBr' | rt tokenize --language selfies --convert-smiles
            """)

    @Argument(help: "Input file of RT lines ('-' or none: standard input).")
    var input: String?

    @Option(help: "Sequence language.")
    var language: SequenceLanguage = .smiles

    @Option(help: "Vocabulary file (vocab.txt): check tokens against it; needed for --ids.")
    var vocab: String?

    @Flag(help: "Print token ids (needs --vocab).")
    var ids = false

    @Flag(help: "Add [CLS], [SEP] and the even-length [PAD], as the model sees a sample.")
    var special = false

    @Flag(help: "Reproduce the original tokenizer exactly, including what it silently drops (e.g. <qed>.5).")
    var faithful = false

    @Flag(help: "Map tokens missing from the vocabulary to [UNK] instead of reporting them.")
    var allowUnknown = false

    @Flag(help: "The sequences are SMILES: convert them to --language (selfies, reaction_selfies) first.")
    var convertSmiles = false

    @Option(help: "Output format: text, csv (line,tokens[,ids],error) or json (one object per line).")
    var format: OutputFormat = .text

    func validate() throws {
        if ids && vocab == nil { throw ValidationError("--ids needs --vocab") }
        if allowUnknown && vocab == nil { throw ValidationError("--allow-unknown needs --vocab") }
        _ = try smilesConversion(to: language, convertSmiles)
    }

    func run() throws {
        let tokenizer = RTTokenizer(language: language, mode: faithful ? .faithful : .strict)
        var encoder: RTEncoder?
        if let vocab {
            do {
                encoder = RTEncoder(vocabulary: try Vocabulary(contentsOfFile: vocab), tokenizer: tokenizer,
                                    allowsUnknownTokens: allowUnknown || faithful)
            } catch {
                throw CommandFailure("\(error)")
            }
        }
        let conversion = try smilesConversion(to: language, convertSmiles)
        let source = try InputFiles.lines(input)
        let output = StandardOutputBuffer()
        var scratch = RawTokens()
        var idBuffer: [Int32] = []
        var lines = 0
        var failures = LineFailures()
        if format == .csv { output.append(encoder == nil ? "line,tokens,error\n" : "line,tokens,ids,error\n") }
        while try source.withNextLine({ (original: UnsafeBufferPointer<UInt8>) -> Void in
            lines += 1
            defer {
                output.bytes.append(0x0A)
                output.flushIfFull()
            }
            func fail(_ reason: String) {
                failures.record(line: lines, reason: reason)
                switch format {
                case .text: output.append("error: \(reason)")
                case .csv: output.append("\(lines),\(encoder == nil ? "" : ","),\(csvField(reason))")
                case .json: output.append("{\"line\":\(lines),\"error\":\(jsonString(reason))}")
                }
            }
            if let problem = UTF8Validation.problem(in: original) { return fail(problem) }
            var convertedLine: [UInt8] = []
            if let conversion {
                do {
                    let text = String(decoding: original, as: UTF8.self)
                    convertedLine = Array(try conversion.convertSequence(ofLine: text).utf8)
                } catch {
                    return fail("cannot convert the sequence (\(conversion.name)): \(error)")
                }
            }
            convertedLine.withUnsafeBufferPointer { converted in
            let line = conversion == nil ? original : converted
            do throws(TokenizationError) {
                if format == .text && encoder == nil {  // the allocation-free path
                    try tokenizer.appendTokens(of: line, to: &output.bytes, scratch: &scratch, specialTokens: special)
                    return
                }
                var tokens: [String]
                var lineIDs: [Int32]?
                if let encoder {
                    idBuffer.removeAll(keepingCapacity: true)
                    try encoder.encode(line, into: &idBuffer, scratch: &scratch, addSpecialTokens: special)
                    tokens = idBuffer.map { encoder.vocabulary.tokens[Int($0)] }
                    lineIDs = idBuffer
                } else {
                    tokens = try tokenizer.tokenize(String(decoding: line, as: UTF8.self))
                    if special {
                        if tokens.count % 2 == 1 { tokens.append(SpecialToken.pad.text) }
                        tokens = [SpecialToken.classifier.text] + tokens + [SpecialToken.separator.text]
                    }
                }
                switch format {
                case .text:
                    if ids, let lineIDs {
                        output.append(lineIDs.map(String.init).joined(separator: " "))
                    } else {
                        output.append(tokens.joined(separator: " "))
                    }
                case .csv:
                    output.append("\(lines),\(csvField(tokens.joined(separator: " ")))")
                    if let lineIDs { output.append(",\(lineIDs.map(String.init).joined(separator: " "))") }
                    output.append(",")
                case .json:
                    output.append("{\"line\":\(lines),\"tokens\":[\(tokens.map(jsonString).joined(separator: ","))]")
                    if let lineIDs { output.append(",\"ids\":[\(lineIDs.map(String.init).joined(separator: ","))]") }
                    output.append("}")
                }
            } catch {
                fail(error.description)
            }
            }
        }) != nil {}
        output.flush()
        if failures.count > 0 {
            printError("rt tokenize: \(failures.count) of \(lines) line\(lines == 1 ? "" : "s") could not be tokenized"
                       + failures.firstFailure(in: source.name))
        }
        try failures.exitIfAny()
    }
}
