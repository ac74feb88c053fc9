import XCTest
@testable import RegressionTransformer

/// Reading RT-line and GT4SD CSV files into tokenized datasets (spec §7, issue 3 "Datasets").
final class DatasetTests: XCTestCase {
    private func source(_ name: String) throws -> MemoryLineSource {
        MemoryLineSource(try TextFixtures.text(name), name: name)
    }

    private func smilesEncoder(for lines: [String]) throws -> RTEncoder {
        var builder = VocabularyBuilder()
        for line in lines { try builder.add(line, tokenizer: RTTokenizer(language: .smiles)) }
        return RTEncoder(vocabulary: try builder.build(), tokenizer: RTTokenizer(language: .smiles))
    }

    func testMemoryLineSourceSplitsLines() throws {
        let source = MemoryLineSource("a\r\nb\n\nc", name: "x")
        var lines: [String] = []
        while let line = try source.withNextLine({ String(decoding: $0, as: UTF8.self) }) {
            lines.append("\(source.lineNumber):\(line)")
        }
        XCTAssertEqual(lines, ["1:a", "2:b", "3:", "4:c"])
    }

    func testCSVFields() throws {
        func fields(_ text: String) throws -> [String] {
            try Array(text.utf8).withUnsafeBufferPointer { try CSVRow.fields($0) }
        }
        XCTAssertEqual(try fields("a,b,,c"), ["a", "b", "", "c"])
        XCTAssertEqual(try fields("\"C(=O),O\",1.5"), ["C(=O),O", "1.5"])
        XCTAssertEqual(try fields("\"say \"\"hi\"\"\",2"), ["say \"hi\"", "2"])
        XCTAssertEqual(try fields(""), [""])
        XCTAssertThrowsError(try fields("\"open,1"))
    }

    func testLoadsTheOriginalsExampleFile() throws {
        let text = try TextFixtures.text("qed_property_example.txt")
        let lines = text.split(separator: "\n").map(String.init)
        let loader = DatasetLoader(encoder: try smilesEncoder(for: lines))
        let (dataset, report) = try loader.load([try source("qed_property_example.txt")])
        XCTAssertEqual(dataset.count, 10)
        XCTAssertEqual(report.samples, 10)
        XCTAssertEqual(report.records, 10)
        XCTAssertEqual(report.summary, "10 samples from qed_property_example.txt")
        XCTAssertEqual(dataset.propertyNames, ["qed"])
        XCTAssertEqual(dataset.value(of: "qed", sample: 3), 0.419)
        XCTAssertEqual(Array(dataset[0]), try loader.encoder.encode("<qed>0.4068|CCO"))
        let statistics = try XCTUnwrap(dataset.statistics(of: "qed"))
        XCTAssertEqual(statistics.count, 10)
        XCTAssertEqual(statistics.minimum, 0.3598)
        XCTAssertEqual(statistics.maximum, 0.419)
        XCTAssertEqual(statistics.maskLength, 6)  // 9 of the 10 values are written with 6 characters
        XCTAssertEqual(statistics.layouts, [NumberLayout(pattern: "d.dddd")!: 9, NumberLayout(pattern: "d.ddd")!: 1])
        XCTAssertEqual(statistics.mostCommonLayout, NumberLayout(pattern: "d.dddd"))
    }

    func testGT4SDCSVBecomesRTLines() throws {
        let text = try TextFixtures.text("gt4sd_regression_transformer_raw.csv")
        var written: [String] = []
        let reader = RecordReader(source: MemoryLineSource(text, name: "raw.csv"), format: .csv)
        try reader.forEachRecord { _, record in written.append(String(decoding: try record.get(), as: UTF8.self)) }
        XCTAssertEqual(written.count, 6)
        XCTAssertEqual(
            written[0],
            "<prop0>460.116|<prop1>-6.900|<prop2>2.630|<prop3>-9.040|<prop4>2.110|<prop5>0.850|<prop6>1.060|<prop7>2800.000|"
                + "CCCOC(=O)C(c1ccccc1C(c1ccccc1)c1ccccc1)C(F)(F)S(=O)(=O)[O-].CCO")
        XCTAssertEqual(reader.csvPropertyNames, (0...7).map { "prop\($0)" })
        // The lines tokenize and load.
        let encoder = try smilesEncoder(for: written)
        let (dataset, _) = try DatasetLoader(encoder: encoder).load([MemoryLineSource(text, name: "raw.csv")])
        XCTAssertEqual(dataset.count, 6)
        XCTAssertEqual(dataset.propertyNames.count, 8)
        XCTAssertEqual(dataset.value(of: "prop7", sample: 0), 2800)
        XCTAssertEqual(dataset.statistics(of: "prop1")?.minimum, -6.9)
    }

    func testCSVColumnsCanBeChosenAndRenamed() throws {
        let csv = "smiles,logSolubility,other\nCC/C=C\\C,-2.54,x\nO=C1NC(=O)NC(=O)C1(CC)CC=C(C)C,-2.253,y\n"
        let options = CSVOptions(textColumn: "smiles", properties: [.init(column: "logSolubility", name: "esol")],
                                 decimals: nil)
        var written: [String] = []
        try RecordReader(source: MemoryLineSource(csv, name: "esol.csv"), format: .csv, csv: options)
            .forEachRecord { _, record in written.append(String(decoding: try record.get(), as: UTF8.self)) }
        XCTAssertEqual(written, ["<esol>-2.54|CC/C=C\\C", "<esol>-2.253|O=C1NC(=O)NC(=O)C1(CC)CC=C(C)C"])
    }

    func testCSVProblemsAreReportedWithFileAndLine() throws {
        let encoder = try smilesEncoder(for: ["<a>1|CCO"])
        let loader = DatasetLoader(encoder: encoder)
        // A CSV without its text column is unusable.
        XCTAssertThrowsError(try loader.load([MemoryLineSource("smiles,a\nCCO,1\n", name: "data.csv")])) { error in
            XCTAssertEqual("\(error)", "data.csv:1: the CSV has no 'text' column (columns: smiles, a)")
        }
        XCTAssertThrowsError(try loader.load([MemoryLineSource("", name: "empty.csv")])) { error in
            XCTAssertTrue("\(error)".contains("empty.csv"), "\(error)")
        }
        // Bad cells: listed with their lines after reading the whole file.
        let csv = "text,a\nCCO,1\nCCO,\nCCO,abc\nCCO,1,2\n\"CCO,1\nCCO,2\n"
        XCTAssertThrowsError(try loader.load([MemoryLineSource(csv, name: "bad.csv")])) { error in
            let error = error as! DatasetError
            XCTAssertEqual(error.invalidLines, 4)
            XCTAssertEqual(error.lineErrors.map(\.line), [3, 4, 5, 6])
            XCTAssertEqual(error.lineErrors[0].description, "bad.csv:3: no value for <a> (empty cell)")
            XCTAssertEqual(error.lineErrors[1].description, "bad.csv:4: the value of <a> is not a number: 'abc'")
            XCTAssertTrue(error.description.hasPrefix("bad.csv: 4 invalid lines"), error.description)
        }
        // … or skipped and counted.
        var skipping = loader
        skipping.options.skipsInvalidLines = true
        let (dataset, report) = try skipping.load([MemoryLineSource(csv, name: "bad.csv")])
        XCTAssertEqual(dataset.count, 2)
        XCTAssertEqual(report.skipped, 4)
        XCTAssertEqual(report.errors.count, 4)
        XCTAssertEqual(report.summary, "2 samples from bad.csv (4 invalid lines skipped)")
    }

    func testInvalidRTLinesAreReportedWithFileLineAndReason() throws {
        let encoder = try smilesEncoder(for: ["<qed>0.5|CCO"])
        let text = "<qed>0.5|CCO\n\n<qed>.5|CCO\n<qed>0.5|\n<QED>0.5|CCO\n<qed>0.5|CC[MASK]\n<qed>0.5|CCH\n"
        XCTAssertThrowsError(try DatasetLoader(encoder: encoder).load([MemoryLineSource(text, name: "t.txt")])) { error in
            let error = error as! DatasetError
            XCTAssertEqual(error.lineErrors.map(\.line), [3, 4, 5, 6, 7])
            XCTAssertEqual(error.lineErrors[0].description,
                           "t.txt:3: column 6: the value of <qed> needs a digit before the decimal point (write 0.5, not .5)")
            XCTAssertTrue(error.lineErrors[2].reason.contains("<QED>"), error.lineErrors[2].reason)
            XCTAssertTrue(error.lineErrors[3].reason.contains("[MASK]"), error.lineErrors[3].reason)
        }
    }

    func testBlockSizeRejectsOrTruncates() throws {
        let encoder = try smilesEncoder(for: ["<qed>0.5|CCCCCCCCO"])
        let text = "<qed>0.5|CCO\n<qed>0.5|CCCCCCCCO\n"
        var options = DatasetOptions(blockSize: 10)
        XCTAssertThrowsError(try DatasetLoader(encoder: encoder, options: options).load([MemoryLineSource(text, name: "t")]))
        options.truncatesLongSamples = true
        let (dataset, report) = try DatasetLoader(encoder: encoder, options: options).load([MemoryLineSource(text, name: "t")])
        XCTAssertEqual(report.truncated, 1)
        XCTAssertEqual(dataset[1].count, 10)
        XCTAssertEqual(dataset[1].last, encoder.vocabulary.specialIDs.separator)
        XCTAssertEqual(try encoder.vocabulary.tokens(for: dataset[1]),
                       toks("[CLS] <qed> _0_0_ _._ _5_-1_ | C C C [SEP]"))
    }

    func testDeterministicSplit() throws {
        let a = TokenizedDataset.splitIndices(count: 1000, validationFraction: 0.1, seed: 42)
        let b = TokenizedDataset.splitIndices(count: 1000, validationFraction: 0.1, seed: 42)
        let c = TokenizedDataset.splitIndices(count: 1000, validationFraction: 0.1, seed: 43)
        XCTAssertEqual(a.validation, b.validation)
        XCTAssertNotEqual(a.validation, c.validation)
        XCTAssertEqual(a.validation.count, 100)
        XCTAssertEqual(a.training.count, 900)
        XCTAssertEqual(Set(a.validation).union(a.training), Set(0..<1000))
        XCTAssertEqual(a.validation, a.validation.sorted())
        // Pinned: changing the generator or the shuffle would silently change everyone's splits.
        XCTAssertEqual(Array(TokenizedDataset.splitIndices(count: 20, validationFraction: 0.25, seed: 7).validation),
                       Self.pinnedSplit)
        XCTAssertEqual(TokenizedDataset.splitIndices(count: 0, validationFraction: 0.1, seed: 1).validation, [])
        XCTAssertEqual(TokenizedDataset.splitIndices(count: 5, validationFraction: 1, seed: 1).training, [])

        let lines = try TextFixtures.text("qed_property_example.txt").split(separator: "\n").map(String.init)
        let (dataset, _) = try DatasetLoader(encoder: try smilesEncoder(for: lines))
            .load([try source("qed_property_example.txt")])
        let (training, validation) = dataset.split(validationFraction: 0.3, seed: 1)
        XCTAssertEqual(training.count, 7)
        XCTAssertEqual(validation.count, 3)
        let indices = TokenizedDataset.splitIndices(count: 10, validationFraction: 0.3, seed: 1)
        XCTAssertEqual(Array(validation[0]), Array(dataset[indices.validation[0]]))
        XCTAssertEqual(validation.value(of: "qed", sample: 0), dataset.value(of: "qed", sample: indices.validation[0]))
    }

    static let pinnedSplit = [3, 9, 10, 11, 19]

    func testConversionSeamIsAppliedToCSVTextAndRTLines() throws {
        let table = ["CCO": "[C][C][O]", "CO": "[C][O]"]
        struct NotAMolecule: Error, CustomStringConvertible { var description: String { "unknown molecule" } }
        let conversion = SequenceConversion(name: "SMILES → SELFIES") { smiles in
            guard let selfies = table[smiles] else { throw NotAMolecule() }
            return selfies
        }
        let encoder = RTEncoder(vocabulary: TextFixtures.smallMolecules, tokenizer: RTTokenizer(language: .selfies))
        let options = DatasetOptions(conversion: conversion, skipsInvalidLines: true)
        let loader = DatasetLoader(encoder: encoder, options: options)
        let (csvData, csvReport) = try loader.load([MemoryLineSource("text,qed\nCCO,0.4068\nXX,0.5\n", name: "a.csv")])
        XCTAssertEqual(csvData.count, 1)
        XCTAssertEqual(Array(csvData[0]), try encoder.encode("<qed>0.407|[C][C][O]"))
        XCTAssertEqual(csvReport.errors.first?.description, "a.csv:3: cannot convert 'XX' (SMILES → SELFIES): unknown molecule")
        let (lineData, _) = try loader.load([MemoryLineSource("<qed>0.3853|CO\n", name: "b.txt")])
        XCTAssertEqual(Array(lineData[0]), try encoder.encode("<qed>0.3853|[C][O]"))
    }

    /// The 999 ChEMBL molecules as SELFIES 1.0.4 strings: every one encodes with the shipped small-molecule
    /// vocabulary, and the SMILES regex splits them exactly like `split_selfies`.
    func testChEMBLExamplesInSELFIESWithTheShippedVocabulary() throws {
        let options = DatasetOptions(csv: CSVOptions(textColumn: "selfies_v1", properties: [.init(column: "qed")], decimals: nil))
        let encoder = RTEncoder(vocabulary: TextFixtures.smallMolecules, tokenizer: RTTokenizer(language: .selfies))
        let (dataset, report) = try DatasetLoader(encoder: encoder, options: options)
            .load([try source("chembl_example_999_props_selfies.csv")])
        XCTAssertEqual(report.samples, 999)
        XCTAssertEqual(dataset.count, 999)
        XCTAssertFalse(dataset.ids.contains(TextFixtures.smallMolecules.specialIDs.unknown))
        XCTAssertTrue((0..<999).allSatisfy { dataset[$0].count % 2 == 0 })
        let smiles = RTEncoder(vocabulary: TextFixtures.smallMolecules, tokenizer: RTTokenizer(language: .smiles))
        let (viaRegex, _) = try DatasetLoader(encoder: smiles, options: options)
            .load([try source("chembl_example_999_props_selfies.csv")])
        XCTAssertEqual(viaRegex.ids, dataset.ids)
    }
}
