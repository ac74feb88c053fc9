import ArgumentParser
import Foundation
import RegressionTransformer

/// A failure a command reports to the user: printed as `rt: <description>`, exit status 1 (`ExitStatus`). Name
/// the file (and line) in the description: `<file>:<line>: <what is wrong>`.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Opening inputs given on the command line.
enum InputFiles {
    /// The lines of a file (plain or gzip, streamed), or of standard input for `-` or no path.
    static func lines(_ path: String?) throws -> LineSource {
        do {
            return try LineSources.open(path ?? "-")
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}

extension SequenceLanguage: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.name) }
}

/// The options that say how data files are read (shared by every verb that reads data).
struct DataFileOptions: ParsableArguments {
    @Option(help: "Format of the data files: lines (RT lines such as <qed>0.41|CCO) or csv; default: csv for .csv files, else lines.")
    var dataFormat: DatasetFormat?

    @Option(help: "CSV column holding the sequence.")
    var textColumn: String = "text"

    @Option(help: ArgumentHelp(
        "CSV property column, as COLUMN or COLUMN=NAME (repeatable); default: every other column, alphabetically.",
        valueName: "column[=name]"))
    var propertyColumn: [String] = []

    @Option(help: "Decimals written for CSV property values (GT4SD writes 3), or 'keep' to keep each cell's own digits.")
    var decimals: String = "3"

    @Flag(help: "Skip (and count) invalid lines instead of failing.")
    var skipInvalid = false

    @Flag(help: "The data's sequences are SMILES: convert them to --language (selfies, reaction_selfies) first, as GT4SD does.")
    var convertSmiles = false

    func datasetOptions(language: SequenceLanguage) throws -> DatasetOptions {
        var csv = CSVOptions(textColumn: textColumn)
        if !propertyColumn.isEmpty {
            csv.properties = try propertyColumn.map { spec in
                let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard let column = parts.first, !column.isEmpty, parts.count == 1 || !parts[1].isEmpty else {
                    throw ValidationError("--property-column: expected COLUMN or COLUMN=NAME, not '\(spec)'")
                }
                return CSVOptions.Property(column: column, name: parts.count == 2 ? parts[1] : nil)
            }
        }
        if decimals == "keep" {
            csv.decimals = nil
        } else if let count = Int(decimals), (0...12).contains(count) {
            csv.decimals = count
        } else {
            throw ValidationError("--decimals must be a number from 0 to 12 or 'keep', not '\(decimals)'")
        }
        return DatasetOptions(format: dataFormat, csv: csv, conversion: try smilesConversion(to: language, convertSmiles),
                              skipsInvalidLines: skipInvalid)
    }
}

extension DatasetFormat: ExpressibleByArgument {}

/// The SMILES conversion `--convert-smiles` asks for, checked against the language.
func smilesConversion(to language: SequenceLanguage, _ requested: Bool) throws -> SequenceConversion? {
    guard requested else { return nil }
    guard let conversion = SequenceConversion.fromSMILES(to: language) else {
        throw ValidationError("--convert-smiles needs --language selfies or reaction_selfies (not \(language))")
    }
    return conversion
}
