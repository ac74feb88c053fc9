import ArgumentParser
import Foundation
import RegressionTransformer
import Tensors

/// `rt bench tokenize` — lines/s of the text layer on the MOSES training SMILES (thin: see
/// `TokenizationBenchmark`).
struct BenchTokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Lines/s and tokens/s of tokenization on one core (MOSES training SMILES by default).",
        discussion: """
            The corpus is read into memory first (reading and gzip decompression are timed separately); then, on \
            one thread, each stage runs over all lines --repeats times: split (RT tokenization), encode (ids \
            with [CLS]/[SEP]/even padding) and text (space-separated tokens, as rt tokenize prints them). The \
            vocabulary for encode is built from the first 100 000 lines unless --vocab is given. For CSV files \
            the header is skipped and the first column used. The peer script \
            scripts/peers/tokenize_peer.py runs the original's Python regex on the same file.

            Examples:
              rt bench tokenize
              rt bench tokenize --input ../shared/data/moses/moses_train.csv.gz --limit 200000 --format json
              rt bench tokenize --input data.txt --language selfies --vocab vocab.txt
              rt bench tokenize --clock cpu        # on a busy machine
            """)

    @Option(name: [.customLong("input"), .customLong("file")],
            help: "Corpus: a text or CSV file, plain or gzip, or '-' for standard input (--file is the older name).")
    var input: String = "../shared/data/moses/moses_train.csv.gz"

    @Option(help: "Sequence language.")
    var language: SequenceLanguage = .smiles

    @Option(help: "Vocabulary for the encode stage (default: built from the corpus).")
    var vocab: String?

    @Option(help: "Use at most this many lines.")
    var limit: Int?

    @Option(help: "Passes per stage (best and median are reported).")
    var repeats: Int = 5

    @Option(help: "Clock: wall, or cpu (this thread's CPU time; robust when other processes load the machine).")
    var clock: BenchClockChoice = .wall

    @Option(help: "Output format: text, csv or json.")
    var format: OutputFormat = .text

    @Flag(help: "Wait (up to 15 minutes) until the machine is idle before measuring.")
    var waitIdle = false

    func validate() throws {
        if let limit { try OptionCheck.positive(limit, "--limit") }
        try OptionCheck.positive(repeats, "--repeats")
    }

    func run() throws {
        let isCSV = DatasetFormat.inferred(fromPath: input) == .csv
        let source = try InputFiles.lines(input)
        let corpus = try TokenizationBenchmark.Corpus(source: source, skip: isCSV ? 1 : 0, limit: limit, firstField: isCSV)
        guard corpus.lineCount > 0 else { throw CommandFailure("\(source.name): no lines to tokenize") }
        let tokenizer = RTTokenizer(language: language)
        let vocabulary: Vocabulary
        if let vocab {
            do { vocabulary = try Vocabulary(contentsOfFile: vocab) } catch { throw CommandFailure("\(error)") }
        } else {
            vocabulary = try TokenizationBenchmark.vocabulary(for: corpus, tokenizer: tokenizer)
        }
        let encoder = RTEncoder(vocabulary: vocabulary, tokenizer: tokenizer, allowsUnknownTokens: true)
        let load = LoadGuard(waitIdle: waitIdle)
        let results = TokenizationBenchmark(corpus: corpus, encoder: encoder, repeats: repeats, clock: clock.read).run()
        let foreign = load.finish()
        let readRate = Double(corpus.lineCount) / corpus.readSeconds
        switch format {
        case .text, .csv:
            if format == .csv {
                print("stage,lines,tokens,best_seconds,median_seconds,lines_per_second,tokens_per_second,failures")
                print("read,\(corpus.lineCount),,\(corpus.readSeconds),\(corpus.readSeconds),\(readRate),,0")
                for r in results {
                    print("\(r.stage),\(r.lines),\(r.tokens),\(r.bestSeconds),\(r.medianSeconds),\(r.linesPerSecond),\(r.tokensPerSecond),\(r.failures)")
                }
            } else {
                print("corpus: \(corpus.name), \(corpus.lineCount) lines; read \(String(format: "%.2f", corpus.readSeconds)) s "
                      + "(\(String(format: "%.0f", readRate)) lines/s); vocabulary \(vocabulary.count) tokens; 1 thread; "
                      + "\(clock.rawValue) clock")
                print("stage       lines/s     tokens/s   best s  median s  failures")
                for r in results {
                    print(r.stage.padding(toLength: 7, withPad: " ", startingAt: 0)
                          + String(format: " %11.0f %12.0f %8.3f %9.3f %9d", r.linesPerSecond, r.tokensPerSecond,
                                   r.bestSeconds, r.medianSeconds, r.failures))
                }
            }
        case .json:
            let stages = results.map { r in
                "\(jsonString(r.stage)):{\"lines\":\(r.lines),\"tokens\":\(r.tokens),\"best_seconds\":\(r.bestSeconds),"
                    + "\"median_seconds\":\(r.medianSeconds),\"lines_per_second\":\(r.linesPerSecond),"
                    + "\"tokens_per_second\":\(r.tokensPerSecond),\"failures\":\(r.failures)}"
            }.joined(separator: ",")
            print("{\"schema\":\"rt-bench/1\",\"engine\":\"rt\",\"engine_version\":\(jsonString(RegressionTransformerInfo.version)),"
                  + "\"mode\":\"tokenize\",\"threads\":1,\"clock\":\(jsonString(clock.rawValue)),\"corpus\":\(jsonString(corpus.name)),\"lines\":\(corpus.lineCount),"
                  + "\"language\":\(jsonString(language.name)),\"read_seconds\":\(corpus.readSeconds),"
                  + "\"stages\":{\(stages)},\"foreign_cpu_seconds\":\(foreign.map { "\($0)" } ?? "null")}")
        }
    }
}
