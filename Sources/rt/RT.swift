import ArgumentParser
import RegressionTransformer

/// `rt` — the Regression Transformer command-line tool.
///
/// Every subcommand is a thin layer over library API: it parses arguments, reads files or stdin, calls the
/// library and writes results to stdout (logs and progress go to stderr).
@main
struct RT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rt",
        abstract: "The Regression Transformer: predict properties and generate sequences with one model.",
        discussion: """
            Examples:
              rt tokenize data.txt --language selfies   split RT lines into tokens
              rt vocab build train.txt -o vocab.txt     build a vocabulary from data
              rt bench gemm                 GEMM throughput of each backend on transformer shapes
              rt bench ops                  throughput of the fused elementwise kernels
              rt chem canonical mols.smi    canonical SMILES, one line per input line
              rt chem props mols.smi        QED, logP, TPSA, SA, penalised logP, … as CSV (RDKit-exact)
              rt model info models/qed      a model folder's configuration, vocabulary and weights
              rt embed --model models/qed lines.txt   mean hidden state of each RT line (JSON lines)
              rt predict molecules.smi --uncertainty  properties of molecules (shipped QED model by default)
              rt generate --from 'CCO…' --goal qed=0.9 --samples 10   molecules like a seed with a property goal
              rt evaluate regression test.csv --text-column smiles   RMSE, Pearson, Spearman (+ parity plot)
              rt train --train train.txt --config small.json --output my-model   train an RT (Ctrl-C, --resume)
              rt doctor                     the CPU, kernels and GEMM paths chosen for this machine
            """,
        version: RegressionTransformerInfo.version,
        subcommands: [Tokenize.self, Vocab.self, Bench.self, Chem.self, ModelCommand.self, Embed.self, Predict.self,
                      Generate.self, Evaluate.self, Train.self, Doctor.self]
    )
}
